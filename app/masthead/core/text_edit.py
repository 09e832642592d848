"""Find and replace, and text transforms, in the string values of front-matter fields: single text values
and the items of lists of text. Dates, numbers, booleans and nested values are never touched.

A list whose items change keeps its order; an item that becomes empty is dropped and a duplicate keeps its
first place only. The edit returns only the keys it changes, like every edit of ``operations``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from masthead.core.records import is_string_list
from masthead.core.values import Value

TRANSFORMS = ("trim", "collapse", "lower", "upper", "title", "halfwidth")
_SPACES = re.compile(r"\s+")
_GROUP_REF = re.compile(r"\\(\d+)|\\g<(\w+)>")
_WORD_START = re.compile(r"(^|\s)(\S)")
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def halfwidth(text: str) -> str:
    """Full-width ASCII forms (ＡＢＣ１２３！) and the ideographic space as their half-width characters;
    every other character (CJK included) as it is."""
    return text.translate(_FULLWIDTH)


def _transform(name: str, text: str) -> str:
    if name == "trim":
        return text.strip()
    if name == "collapse":
        return _SPACES.sub(" ", text).strip()
    if name == "lower":
        return text.lower()
    if name == "upper":
        return text.upper()
    if name == "title":  # the first letter of each word; the rest as written ("AI", "iPhone" stay)
        return _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return halfwidth(text)


@dataclass(frozen=True)
class TextEdit:
    """Replace ``find`` by ``replacement`` (plain text, or a regular expression whose replacement may name
    groups as ``\\1`` or ``\\g<name>``), case-sensitive with ``case``; then apply ``transform``. ``fields``
    None means every field."""

    fields: tuple[str, ...] | None
    find: str = ""
    replacement: str = ""
    regex: bool = False
    case: bool = False
    transform: str | None = None

    def __post_init__(self) -> None:
        if self.transform is not None and self.transform not in TRANSFORMS:
            raise ValueError(f"unknown transform {self.transform!r} (one of {', '.join(TRANSFORMS)})")
        if not self.find and self.transform is None:
            raise ValueError("nothing to do: give a text to find or a transform")
        if self.regex:
            try:
                compiled = re.compile(self.find)
            except re.error as exc:
                raise ValueError(f"not a usable regular expression: {exc}") from None
            for ref in _GROUP_REF.findall(self.replacement):
                name = ref[0] or ref[1]
                known = int(name) <= compiled.groups if name.isdigit() else name in compiled.groupindex
                if not known:
                    raise ValueError(f"the replacement names group {name}, which the expression does not have")

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        source = self.find if self.regex else re.escape(self.find)
        return re.compile(source, 0 if self.case else re.IGNORECASE)

    def change(self, text: str) -> str:
        """``text`` after the edit."""
        if self.find:
            replacement = self.replacement
            text = self.pattern.sub(replacement if self.regex else (lambda _m: replacement), text)
        return _transform(self.transform, text) if self.transform else text

    def describe(self) -> str:
        where = ", ".join(self.fields) if self.fields else "every field"
        parts = []
        if self.find:
            kind = "pattern" if self.regex else "text"
            parts.append(f"replace {kind} “{self.find}” with “{self.replacement}”")
        if self.transform:
            parts.append(f"{self.transform} text")
        return f"{' and '.join(parts)} in {where}"

    @property
    def spec(self) -> list[Any]:
        fields = list(self.fields) if self.fields is not None else None
        return ["text", fields, self.find, self.replacement, self.regex, self.case, self.transform]


def text_edit_from_spec(spec: list[Any]) -> TextEdit:
    _, fields, find, replacement, regex, case, transform = spec
    return TextEdit(tuple(fields) if fields is not None else None, find, replacement, regex, case, transform)


def apply_text_edit(data: dict[str, Value], edit: TextEdit) -> dict[str, Value]:
    """The keys ``edit`` changes in one file's front matter (key -> new value)."""
    changed: dict[str, Value] = {}
    for name in list(data) if edit.fields is None else edit.fields:
        value = data.get(name)
        if isinstance(value, str):
            new = edit.change(value)
            if new != value:
                changed[name] = new
        elif isinstance(value, list) and value and is_string_list(value):
            afters = [edit.change(str(item)) for item in value]
            if afters == value:
                continue  # nothing matched: the list is not touched (its empty items and duplicates stay)
            items: list[str] = []
            for item, after in zip(value, afters, strict=True):
                if (after or after == item) and after not in items:
                    items.append(after)
            changed[name] = items
    return changed
