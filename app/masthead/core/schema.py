"""Field kinds: how the form edits each front-matter key.

The built-in transcript profile names the usual keys; any other key gets a kind inferred from its value,
and a value no editor can hold safely (a nested mapping, a list of mixed values) is shown read-only.
Nothing is ever dropped for being unknown.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from masthead.core.records import LIST_FIELDS
from masthead.core.values import Value, as_bool, looks_like_iso_date


class Kind(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    URL = "url"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    NUMBER = "number"
    TAGS = "tags"
    ENTITIES = "entities"
    COMPLEX = "complex"  # shown as YAML, read-only


TRANSCRIPT_PROFILE: dict[str, Kind] = {
    "title": Kind.TEXT,
    "author": Kind.TEXT,
    "speaker": Kind.TEXT,
    "guest": Kind.TEXT,
    "series": Kind.TEXT,
    "layout": Kind.TEXT,
    "source": Kind.URL,
    "summary": Kind.LONGTEXT,
    "insight": Kind.LONGTEXT,
    "date": Kind.DATE,
    "draft": Kind.BOOL,
    "category": Kind.CHOICE,
    "area": Kind.CHOICE,
    "status": Kind.CHOICE,
    "tags": Kind.TAGS,
    "project": Kind.TAGS,
    **{name: Kind.ENTITIES for name in LIST_FIELDS if name not in ("tags", "project")},
}
LIST_KINDS = (Kind.TAGS, Kind.ENTITIES)


def infer_kind(value: Value) -> Kind:
    """The kind of an unknown key, from its value."""
    if isinstance(value, bool):
        return Kind.BOOL
    if isinstance(value, dt.date):
        return Kind.DATE
    if isinstance(value, int | float):
        return Kind.NUMBER
    if isinstance(value, str):
        if looks_like_iso_date(value):
            return Kind.DATE
        if value.startswith(("http://", "https://")):
            return Kind.URL
        return Kind.LONGTEXT if "\n" in value or len(value) > 120 else Kind.TEXT
    if value is None:
        return Kind.TEXT
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return Kind.TAGS
    return Kind.COMPLEX


def kind_of(key: str, value: Value, declared: Kind | None = None) -> Kind:
    """The kind the form uses for ``key``: the declared one (a schema's), else the profile's, unless the value
    cannot be held by it."""
    kind = declared or TRANSCRIPT_PROFILE.get(key)
    if kind is None:
        return infer_kind(value)
    if value is None or value == "":
        return kind
    if kind in LIST_KINDS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return infer_kind(value)  # e.g. people: '[]' written as a string: edit what is there
    if kind == Kind.BOOL and as_bool(value) is None:  # `yes`/`no` are edited as booleans (values.as_bool)
        return infer_kind(value)
    if kind == Kind.DATE and not (
        isinstance(value, dt.date) or (isinstance(value, str) and looks_like_iso_date(value))
    ):
        return infer_kind(value)
    if kind in (Kind.TEXT, Kind.URL, Kind.CHOICE, Kind.LONGTEXT) and not isinstance(value, str):
        return infer_kind(value)
    return kind
