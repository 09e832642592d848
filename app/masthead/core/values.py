"""Plain front-matter values: what the editor works with, how they compare, and how they look as JSON.

A plain value is ``str``, ``bool``, ``int``, ``float``, ``None``, ``datetime.date``, ``datetime.datetime``,
a ``list`` of plain values or a ``dict`` with plain values.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from typing import Any

Value = Any  # a plain value as described above; kept loose because YAML values nest arbitrarily

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YAML11_EXTRA = {"y", "Y", "n", "N", "=", "<<"}


def _category(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return type(value).__name__


def same(a: Value, b: Value) -> bool:
    """Equal as front-matter values: ``True`` is not ``1``, ``'1'`` is not ``1``, order matters in lists."""
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return False
    if ca == "list":
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if ca == "dict":
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    if ca == "float" and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def is_plain(value: Value) -> bool:
    """Whether ``value`` is something the core can write."""
    cat = _category(value)
    if cat == "list":
        return all(is_plain(v) for v in value)
    if cat == "dict":
        return all(isinstance(k, str | int | bool | float) for k in value) and all(is_plain(v) for v in value.values())
    return cat in {"null", "bool", "int", "float", "str", "datetime", "date"}


def to_json(value: Value) -> Any:
    """JSON-ready form: dates and datetimes as ISO 8601 strings, mapping keys as strings."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


YAML11_BOOLEANS = {"yes": True, "no": False, "on": True, "off": False, "y": True, "n": False}


def as_text(value: Value) -> str:
    """A value on one line for reading: text as it is, anything else as JSON (dates as ISO 8601)."""
    return value if isinstance(value, str) else json.dumps(to_json(value), ensure_ascii=False)


def as_bool(value: Value) -> bool | None:
    """A boolean field's value as a boolean: ``True``/``False``, or a YAML 1.1 word (``yes``, ``No``, ``ON``,
    ``y``...) that YAML 1.2 reads as a string; None for anything else. See DESIGN rule "Booleans"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return YAML11_BOOLEANS.get(value.lower())
    return None


def looks_like_iso_date(text: str) -> bool:
    return bool(_ISO_DATE.fullmatch(text))


def ambiguous_in_yaml11(text: str) -> bool:
    """True if a YAML 1.1 reader (PyYAML, Psych...) would read this plain scalar as something but a string.

    Such strings (``no``, ``on``, ``012``, ``1:20``, ``2025-01-01``...) must be written quoted so that every
    reader agrees with the editor.
    """
    if text in _YAML11_EXTRA:
        return True
    import yaml  # (here: a command that reads only the index cache never loads a YAML library)

    tag = _yaml11_resolver().resolve(yaml.nodes.ScalarNode, text, (True, False))
    return bool(tag != "tag:yaml.org,2002:str")


@functools.cache
def _yaml11_resolver() -> Any:
    import yaml

    return yaml.resolver.Resolver()
