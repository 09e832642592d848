"""Draft to published: the schema file (``masthead.yaml``), validation, and the publish rules.

Without a schema file the built-in transcript profile applies: title, date, source, summary, category
and at least one tag are required to publish, and publishing sets ``draft: false``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from masthead.core.errors import ParseError
from masthead.core.git_settings import GitSettings, parse_git_settings
from masthead.core.records import Record
from masthead.core.schema import TRANSCRIPT_PROFILE, Kind, kind_of
from masthead.core.values import Value, as_bool, looks_like_iso_date
from masthead.core.views import View, parse_views

if TYPE_CHECKING:
    from masthead.core.document import Document

SCHEMA_FILE = "masthead.yaml"
KINDS = {k.value for k in Kind} - {"complex"}


@dataclass(frozen=True)
class FieldRule:
    """What the schema says of one field."""

    name: str
    kind: Kind
    label: str = ""
    help: str = ""
    required: bool = False  # to publish
    pattern: str | None = None
    message: str = ""
    values: tuple[str, ...] = ()  # allowed values (with new_values False) or suggested ones
    new_values: bool = True
    vocabulary: str | None = None  # the field whose values a picker offers
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True)
class PublishRules:
    draft_field: str = "draft"
    publish_set: dict[str, Value] = field(default_factory=lambda: {"draft": False})
    unpublish_set: dict[str, Value] = field(default_factory=lambda: {"draft": True})
    stamp_date: str | None = None  # a date field stamped with today's date on publishing
    status_field: str = "status"
    status: str | None = None  # a status value set on publishing


@dataclass(frozen=True)
class Schema:
    fields: dict[str, FieldRule]
    publish: PublishRules
    source: Path | None = None  # the masthead.yaml it came from (None: built-in profile)
    warning: str | None = None  # why the schema file was not used
    git: GitSettings = field(default_factory=GitSettings)
    views: tuple[View, ...] = ()  # saved views (``masthead.core.views``)

    def rule(self, name: str) -> FieldRule | None:
        return self.fields.get(name)


def builtin_schema(warning: str | None = None) -> Schema:
    required = {"title", "date", "source", "summary", "category", "tags"}
    fields = {
        name: FieldRule(name, kind, required=name in required, min_items=1 if name == "tags" else None)
        for name, kind in TRANSCRIPT_PROFILE.items()
    }
    return Schema(fields, PublishRules(), None, warning)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _error(path: Path, message: str, line: int | None = None) -> ParseError:
    return ParseError(message, path, line)


def parse_schema(text: str, path: Path) -> Schema:
    """A schema from the text of a masthead.yaml; ParseError (with its line) for anything wrong."""
    from ruamel.yaml import YAML  # here: without a masthead.yaml, reading an archive needs no ruamel.yaml
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise _error(path, f"invalid YAML: {exc.problem}", mark.line + 1 if mark else None) from None
    except YAMLError as exc:
        raise _error(path, f"invalid YAML: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _error(path, "the schema must be a mapping with 'fields' and 'publish'", 1)
    unknown = set(data) - {"fields", "publish", "unpublish", "git", "views"}
    if unknown:
        key = sorted(unknown)[0]
        raise _error(
            path, f"unknown section {key!r} (expected fields, publish, unpublish, git, views)", _line(data, key)
        )
    fields = dict(builtin_schema().fields)
    for name, spec in (data.get("fields") or {}).items():
        fields[str(name)] = _field_rule(str(name), spec, path, _line(data["fields"], name))
    publish = data.get("publish") or {}
    unpublish = data.get("unpublish") or {}
    if not isinstance(publish, dict) or not isinstance(unpublish, dict):
        raise _error(path, "'publish' and 'unpublish' must be mappings", _line(data, "publish"))
    draft_field = str(publish.get("draft_field", "draft"))
    rules = PublishRules(
        draft_field=draft_field,
        publish_set=_plain(publish.get("set", {draft_field: False})),
        unpublish_set=_plain(unpublish.get("set", {draft_field: True})),
        stamp_date=publish.get("stamp_date"),
        status=publish.get("status"),
        status_field=str(publish.get("status_field", "status")),
    )
    git = parse_git_settings(_plain(data.get("git")), path, _line(data, "git"))
    try:
        views = parse_views(_plain(data.get("views")), path, _line(data, "views"))
    except ParseError:
        views = ()  # a bad view is the views' problem (``views.load_views`` names it), not the schema's
    return Schema(fields, rules, path, git=git, views=views)


def _plain(value: Any) -> Any:
    from masthead.core.yamlio import to_plain

    return to_plain(value)


def _line(mapping: Any, key: Any) -> int | None:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _field_rule(name: str, spec: Any, path: Path, line: int | None) -> FieldRule:
    if not isinstance(spec, dict):
        raise _error(path, f"field {name!r}: expected a mapping like {{kind: text, required: true}}", line)
    kind = str(spec.get("kind", TRANSCRIPT_PROFILE.get(name, Kind.TEXT).value))
    if kind not in KINDS:
        raise _error(path, f"field {name!r}: unknown kind {kind!r} (one of: {', '.join(sorted(KINDS))})", line)
    allowed = {
        "kind",
        "label",
        "help",
        "required",
        "pattern",
        "message",
        "values",
        "new_values",
        "vocabulary",
        "min_items",
        "max_items",
    }
    extra = set(spec) - allowed
    if extra:
        raise _error(path, f"field {name!r}: unknown setting {sorted(extra)[0]!r}", line)
    pattern = spec.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise _error(path, f"field {name!r}: the pattern is not a valid regular expression ({exc})", line) from None
    values = spec.get("values") or []
    return FieldRule(
        name=name,
        kind=Kind(kind),
        label=str(spec.get("label", "")),
        help=str(spec.get("help", "")),
        required=bool(spec.get("required", False)),
        pattern=str(pattern) if pattern is not None else None,
        message=str(spec.get("message", "")),
        values=tuple(str(v) for v in values),
        new_values=bool(spec.get("new_values", True)),
        vocabulary=spec.get("vocabulary"),
        min_items=spec.get("min_items"),
        max_items=spec.get("max_items"),
    )


def find_schema_file(start: Path) -> Path | None:
    """The masthead.yaml of the archive holding ``start`` (searched from its folder upward)."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.resolve().parents]:
        if (candidate / SCHEMA_FILE).is_file():
            return candidate / SCHEMA_FILE
    return None


def load_schema(start: Path) -> Schema:
    """The schema for files under ``start``: its masthead.yaml, or the built-in profile (with a warning
    when the file exists but cannot be used)."""
    path = find_schema_file(start)
    if path is None:
        return builtin_schema()
    try:
        return parse_schema(path.read_text(encoding="utf-8"), path)
    except (ParseError, OSError, UnicodeDecodeError) as exc:
        return builtin_schema(warning=f"{exc}; using the built-in transcript profile")


def _empty(value: Value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def validate(data: dict[str, Value], schema: Schema) -> list[Problem]:
    """Every reason the front matter cannot be published, field by field."""
    problems: list[Problem] = []
    for name, rule in schema.fields.items():
        value = data.get(name)
        if _empty(value):
            if rule.required:
                problems.append(Problem(name, "is required to publish"))
            continue
        if rule.kind == Kind.DATE and not (
            isinstance(value, dt.date) or (isinstance(value, str) and looks_like_iso_date(value))
        ):
            problems.append(Problem(name, f"should be a date like 2025-01-31, not {value!r}"))
        if rule.kind in (Kind.TAGS, Kind.ENTITIES):
            if not isinstance(value, list):
                problems.append(Problem(name, f"should be a list, not {value!r}"))
                continue
            if rule.min_items is not None and len(value) < rule.min_items:
                problems.append(Problem(name, f"needs at least {rule.min_items} value(s)"))
            if rule.max_items is not None and len(value) > rule.max_items:
                problems.append(Problem(name, f"allows at most {rule.max_items} value(s)"))
        items = value if isinstance(value, list) else [value]
        if rule.values and not rule.new_values:
            bad = [str(v) for v in items if str(v) not in rule.values]
            if bad:
                problems.append(Problem(name, f"{bad[0]!r} is not one of: {', '.join(rule.values)}"))
        if rule.pattern is not None:
            for item in items:
                if not re.search(rule.pattern, str(item)):
                    problems.append(Problem(name, rule.message or f"{item!r} does not match {rule.pattern!r}"))
                    break
    return problems


def is_draft(data: dict[str, Value], schema: Schema) -> bool:
    return as_bool(data.get(schema.publish.draft_field)) is True  # `draft: yes` too (values.as_bool)


def publish_edits(data: dict[str, Value], schema: Schema, today: dt.date | None = None) -> dict[str, Value]:
    """The keys publishing sets, with their values (a stamped date in the file's date form)."""
    rules = schema.publish
    edits: dict[str, Value] = dict(rules.publish_set)
    if rules.stamp_date:
        day = today or dt.date.today()
        model = data.get(rules.stamp_date)
        model = model if model is not None else data.get("date")
        edits[rules.stamp_date] = day.isoformat() if isinstance(model, str) else day
    if rules.status:
        edits[rules.status_field] = rules.status
    return edits


def publish(doc: Document, schema: Schema, today: dt.date | None = None) -> list[Problem]:
    """Apply the publish rules to ``doc`` (pending edits) if it validates; return the problems otherwise."""
    problems = validate(doc.data, schema)
    if problems:
        return problems
    for key, value in publish_edits(doc.data, schema, today).items():
        doc.set(key, value)
    return []


def unpublish(doc: Document, schema: Schema) -> None:
    """Apply the unpublish rules (by default ``draft: true``)."""
    for key, value in schema.publish.unpublish_set.items():
        doc.set(key, value)


def infer_schema(records: Iterable[Record]) -> str:
    """A starting masthead.yaml for an archive: every key with the kind its values suggest, the values of
    choice-like fields, and the built-in publish rules. Returned as text, for the editor to adjust."""
    kinds: dict[str, Counter[str]] = {}
    choices: dict[str, Counter[str]] = {}
    for record in records:
        for key, value in record.meta.items():
            kinds.setdefault(key, Counter())[kind_of(key, value).value] += 1
            if isinstance(value, str) and value and kind_of(key, value) == Kind.CHOICE:
                choices.setdefault(key, Counter())[value] += 1
    required = {name for name, rule in builtin_schema().fields.items() if rule.required}
    lines = [
        "# masthead.yaml: written by `masthead init-schema` from this archive's files; adjust as needed.",
        "fields:",
    ]
    for key in sorted(kinds):
        kind = kinds[key].most_common(1)[0][0]
        if kind == Kind.COMPLEX.value:
            continue  # shown read-only whatever the schema says
        parts = [f"kind: {kind}"]
        if key in required:
            parts.append("required: true")
        if key == "tags":
            parts.append("min_items: 1")
        values = [v for v, _ in choices.get(key, Counter()).most_common(30)]
        if values:
            parts.append("values: [" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]")
        lines.append(f"  {json.dumps(key, ensure_ascii=False)}: {{{', '.join(parts)}}}")
    lines += ["publish:", "  draft_field: draft", "  set: {draft: false}", "unpublish:", "  set: {draft: true}", ""]
    return "\n".join(lines)
