"""Readable names for fields and the words for a file's problems."""

from __future__ import annotations

import re

from masthead.core.workflow import Schema


def readable(key: str) -> str:
    """A field's key as a label: ``companies_orgs`` → "Companies / orgs", ``source_video`` → "Source video"."""
    words = [w for w in re.split(r"[_\-\s]+", key.strip()) if w]
    if not words:
        return key
    if len(words) == 2 and key.count("_") == 1 and words[0].endswith("s") and words[1].endswith("s"):
        text = f"{words[0]} / {words[1]}"  # two plurals joined: a pair of kinds ("companies / orgs")
    else:
        text = " ".join(words)
    return text[:1].upper() + text[1:]


def field_label(key: str, schema: Schema) -> str:
    """The label a field has in the form: the schema's, else its key made readable."""
    rule = schema.rule(key)
    return rule.label if rule is not None and rule.label else readable(key)


def parse_problem(rel: str, line: int | None, message: str) -> str:
    """Why a file cannot be edited, in the user's words (``line``: counted from 1 at the file's first line)."""
    found = re.match(r'found duplicate key "([^"]+)"', message)
    if found:
        message = f"the field “{found.group(1)}” appears twice"
    where = f" on line {line}" if line else ""
    return f"⚠ {rel} cannot be edited here: its front matter has a problem{where}: {message}. See the YAML tab."
