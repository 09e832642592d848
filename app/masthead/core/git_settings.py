"""The ``git:`` section of ``masthead.yaml``: commit message templates and what publishing commits.

```yaml
git:
  commit_message:
    save: "Edit {title}"
    publish: "Publish: {title}"
    bulk: "Tag: add {values} to {count} files"
  commit_on_publish: true
  push_after_commit: false
```
Placeholders: ``{title}`` (one file's title, or "N files"), ``{path}``, ``{count}``, ``{operation}`` (the bulk
operation in words), ``{field}`` and ``{values}`` (a bulk operation's field and values).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from masthead.core.errors import ParseError

DEFAULT_MESSAGES = {
    "save": "Edit {title}",
    "publish": "Publish: {title}",
    "unpublish": "Unpublish: {title}",
    "bulk": "{operation} ({count} files)",
    "undo": "Undo: {operation}",
}
PLACEHOLDERS = frozenset({"title", "path", "count", "operation", "field", "values"})


@dataclass(frozen=True)
class GitSettings:
    messages: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MESSAGES))
    commit_on_publish: bool = False
    push_after_commit: bool = False

    def message(self, kind: str, **values: object) -> str:
        """The commit message for ``kind`` with its placeholders filled (a missing one is left empty)."""
        template = self.messages.get(kind) or DEFAULT_MESSAGES.get(kind, "{operation}")
        filled = {name: "" for name in PLACEHOLDERS} | {k: str(v) for k, v in values.items()}
        return string.Formatter().vformat(template, (), filled).strip()


def parse_git_settings(data: Any, path: Path, line: int | None) -> GitSettings:
    """The ``git:`` mapping of a masthead.yaml; ParseError naming the setting that is wrong."""
    if data is None:
        return GitSettings()
    if not isinstance(data, dict):
        raise ParseError("'git' must be a mapping (commit_message, commit_on_publish, push_after_commit)", path, line)
    unknown = set(data) - {"commit_message", "commit_on_publish", "push_after_commit"}
    if unknown:
        raise ParseError(f"git: unknown setting {sorted(unknown)[0]!r}", path, line)
    messages = dict(DEFAULT_MESSAGES)
    given = data.get("commit_message") or {}
    if isinstance(given, str):
        given = {"save": given, "publish": given, "bulk": given}
    if not isinstance(given, dict):
        raise ParseError("git: commit_message must be a mapping of save / publish / bulk to a template", path, line)
    for kind, template in given.items():
        if str(kind) not in DEFAULT_MESSAGES:
            raise ParseError(
                f"git: commit_message: unknown kind {kind!r} (one of {', '.join(DEFAULT_MESSAGES)})", path, line
            )
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(str(template)) if name is not None}
        except ValueError as exc:
            raise ParseError(f"git: commit_message {kind}: {exc}", path, line) from None
        if names - PLACEHOLDERS:
            bad = sorted(names - PLACEHOLDERS)[0]
            raise ParseError(
                f"git: commit_message {kind}: unknown placeholder {{{bad}}} (one of {', '.join(sorted(PLACEHOLDERS))})",
                path,
                line,
            )
        messages[str(kind)] = str(template)
    flags = {}
    for name in ("commit_on_publish", "push_after_commit"):
        value = data.get(name, False)
        if not isinstance(value, bool):
            raise ParseError(f"git: {name} must be true or false", path, line)
        flags[name] = value
    return GitSettings(messages, flags["commit_on_publish"], flags["push_after_commit"])
