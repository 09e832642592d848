"""Reading files and writing them atomically, refusing to overwrite a file that changed since it was read.

A save writes a temporary file in the same folder (every byte, flushed and fsync'd, with the original
mode), checks the file on disk is still the one that was read, then ``os.replace``-s it and fsyncs the
folder. A symbolic link stays a link: its target is written.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from masthead.core.document import DEFAULT_SEQ_OFFSET, Document, Snapshot
from masthead.core.errors import ConflictError, SaveError


def snapshot_of(data: bytes, st: os.stat_result) -> Snapshot:
    return Snapshot(size=st.st_size, mtime_ns=st.st_mtime_ns, sha256=hashlib.sha256(data).hexdigest())


def read_bytes(path: Path | str) -> tuple[bytes, Snapshot]:
    """The file's bytes and a snapshot of them; SaveError with a clear reason if it cannot be read."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except FileNotFoundError:
        raise SaveError("the file does not exist", path) from None
    except IsADirectoryError:
        raise SaveError("this is a folder, not a file", path) from None
    except PermissionError:
        raise SaveError("permission denied: the file cannot be read", path) from None
    except OSError as exc:
        raise SaveError(f"cannot read the file: {exc.strerror or exc}", path) from None
    return data, snapshot_of(data, st)


def load(path: Path | str, default_seq_offset: int = DEFAULT_SEQ_OFFSET) -> Document:
    """Read and parse one file. Parse problems are kept on ``Document.error``; I/O problems raise.

    ``default_seq_offset``: how a new list is indented when the file has no list to copy (0 or 2)."""
    data, snap = read_bytes(path)
    return Document(data, path=path, snapshot=snap, default_seq_offset=default_seq_offset)


def _target(path: Path) -> Path:
    """The file a save really writes: the final target of a symbolic link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _writable(st: os.stat_result) -> bool:
    """Write bits set (root ignores permissions, so read-only is judged by the mode as well)."""
    return bool(st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def is_writable(path: Path) -> bool:
    """Whether a save of ``path`` can proceed: the file (or the target of a link) and its folder writable."""
    target = _target(Path(path))
    try:
        return _writable(os.stat(target)) and _writable(os.stat(target.parent)) and os.access(target.parent, os.W_OK)
    except OSError:
        return False


def _check_unchanged(target: Path, path: Path, expected: Snapshot) -> None:
    try:
        current, _ = read_bytes(target)
    except SaveError:
        if not os.path.lexists(path) or not target.exists():
            raise ConflictError("the file was deleted or moved since it was opened", path) from None
        raise
    if hashlib.sha256(current).hexdigest() != expected.sha256:
        raise ConflictError("the file was changed on disk since it was opened", path)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def write_atomic(path: Path | str, data: bytes, expected: Snapshot | None) -> Snapshot:
    """Replace the file with ``data``. With ``expected``, first make sure the file is still that one.

    ``expected=None`` creates a file that must not exist yet. Raises ConflictError or SaveError; on any
    error the file on disk is left exactly as it was.
    """
    path = Path(path)
    target = _target(path)
    folder = target.parent
    if expected is None and os.path.lexists(path):
        raise ConflictError("a file with this name already exists", path)
    try:
        st = os.stat(target) if expected is not None else None
    except FileNotFoundError:
        raise ConflictError("the file was deleted or moved since it was opened", path) from None
    if st is not None and not _writable(st):
        raise SaveError("the file is read-only", path)
    try:
        folder_st = os.stat(folder)
    except FileNotFoundError:
        raise SaveError("the folder no longer exists", path) from None
    if not _writable(folder_st) or not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"the folder {folder} is read-only", path)
    if expected is not None:
        _check_unchanged(target, path, expected)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".masthead-tmp", dir=folder)
    except OSError as exc:
        raise SaveError(f"cannot create a temporary file: {exc.strerror or exc}", path) from None
    tmp = Path(tmp_name)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
            if st is not None:
                os.fchmod(fd, stat.S_IMODE(st.st_mode))
                if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                    with contextlib.suppress(PermissionError):
                        os.fchown(fd, st.st_uid, st.st_gid)
        finally:
            os.close(fd)
        if expected is not None:
            _check_unchanged(target, path, expected)  # again, as late as possible
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise SaveError(f"could not save: {reason}; the file was not changed", path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return snapshot_of(data, os.stat(target))


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not possible on every platform (Windows); the replace itself is done
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(doc: Document) -> Document:
    """Write the document's pending edits; return the document as now on disk (no edits pending).

    A document without edits is not written at all. Raises ReadOnlyError, VerifyError, ConflictError or
    SaveError, and never leaves a partly written file.
    """
    if doc.path is None:
        raise SaveError("the document has no file to be saved to")
    data = doc.to_bytes()
    if data == doc.raw:
        return Document(doc.raw, doc.path, doc.snapshot, doc.default_seq_offset)
    snap = write_atomic(doc.path, data, doc.snapshot)
    return Document(data, doc.path, snap, doc.default_seq_offset)  # the indent preference stays
