"""The errors core raises: each names the file and says what is wrong in words an editor understands."""

from __future__ import annotations

from pathlib import Path


class MastheadError(Exception):
    """Base class: a problem with one file (or none), with a human-readable message."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def with_path(self, path: Path | str | None) -> MastheadError:
        """Return the same error naming ``path`` (used when text was parsed before its file was known)."""
        if path is not None:
            self.path = Path(path)
        return self

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class ParseError(MastheadError):
    """The front matter cannot be read or cannot be edited safely; the file is never written."""


class ReadOnlyError(MastheadError):
    """The document can be shown but not edited (TOML or JSON front matter, or a parse error)."""


class VerifyError(MastheadError):
    """A rendered edit did not read back as intended; nothing was written."""


class ConflictError(MastheadError):
    """The file on disk is no longer the one that was read; saving would lose someone's change."""


class SaveError(MastheadError):
    """The operating system refused a write (permissions, full disk, missing folder...)."""


class DiskFullError(SaveError):
    """No space left (or the quota is used up): a bulk operation stops at the first one."""


class NotApplicable(Exception):
    """A bulk edit cannot apply to this file (e.g. setting a single value where the file has a list): the
    file is skipped with this reason."""
