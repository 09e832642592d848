"""What the schema says a file and a field are: the one place every view asks.

- ``file_state``: error, draft or published, by the schema's ``publish.draft_field``.
- ``field_kind``: how a field is edited, by the schema's ``kind`` (when the value fits it).
- ``choice_fields`` / ``archive_vocabulary``: which fields' values are counted across the archive.
- ``field_vocabulary``: the values a picker offers for a field, with file counts: the schema's ``values``
  and the values used in the archive (of the field itself, or of the field the schema's ``vocabulary``
  names), restricted to the schema's values when ``new_values`` is false.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from masthead.core.records import CHOICE_FIELDS, Record
from masthead.core.schema import Kind, kind_of
from masthead.core.values import Value
from masthead.core.vocabulary import Vocabulary, build_vocabulary
from masthead.core.workflow import Schema, builtin_schema, is_draft


class FileState(StrEnum):
    ERROR = "error"
    DRAFT = "draft"
    PUBLISHED = "published"


def file_state(record: Record, schema: Schema | None = None) -> FileState:
    """A file's state: ERROR when it cannot be read, else DRAFT or PUBLISHED by the schema's draft field."""
    if record.error is not None:
        return FileState.ERROR
    return FileState.DRAFT if is_draft(record.meta, schema or builtin_schema()) else FileState.PUBLISHED


def field_kind(key: str, value: Value, schema: Schema | None = None) -> Kind:
    """The kind the form edits ``key`` with: the schema's, else the built-in profile's, else inferred from the
    value (and inferred whenever the value cannot be held by the declared kind)."""
    rule = (schema or builtin_schema()).rule(key)
    return kind_of(key, value, rule.kind if rule is not None else None)


def choice_fields(schema: Schema | None = None) -> tuple[str, ...]:
    """Fields whose single values are counted like list values: the usual choice-like keys and every field
    the schema declares ``kind: choice``."""
    declared = [name for name, rule in (schema or builtin_schema()).fields.items() if rule.kind == Kind.CHOICE]
    return tuple(dict.fromkeys([*CHOICE_FIELDS, *declared]))


def archive_vocabulary(records: Iterable[Record], schema: Schema | None = None) -> Vocabulary:
    """Every list field's and choice field's values with their file counts (``build_vocabulary`` by the schema)."""
    return build_vocabulary(records, choice_fields(schema))


def field_vocabulary(
    name: str, schema: Schema | None, counts: Mapping[str, Mapping[str, int]] | Vocabulary
) -> dict[str, int]:
    """The values a picker or combo offers for ``name``, with file counts (0: declared, not used yet)."""
    rule = (schema or builtin_schema()).rule(name)
    source = rule.vocabulary if rule is not None and rule.vocabulary else name
    used = counts.counts(source) if isinstance(counts, Vocabulary) else counts.get(source, {})
    out = dict(used)
    for value in rule.values if rule is not None else ():
        out.setdefault(value, 0)
    if rule is not None and rule.values and not rule.new_values:
        out = {v: c for v, c in out.items() if v in rule.values}
    return out
