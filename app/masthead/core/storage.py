"""Reading files and writing them atomically, refusing to overwrite a file that changed since it was read.

A save writes a temporary file in the same folder (every byte, flushed and fsync'd, with the original
mode), checks the file on disk is still the one that was read, then ``os.replace``-s it and fsyncs the
folder. A symbolic link stays a link: its target is written.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from masthead.core import tempfiles
from masthead.core.document import DEFAULT_SEQ_OFFSET, Document, Snapshot
from masthead.core.errors import ConflictError, DiskFullError, SaveError
from masthead.core.fanout import in_parallel
from masthead.core.filelock import Busy, file_lock
from masthead.core.safe_io import NotRegularFile, read_regular, regular_only


def snapshot_of(data: bytes, st: os.stat_result, real: str | None = None) -> Snapshot:
    return Snapshot(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest(), real)


def read_bytes(path: Path | str) -> tuple[bytes, Snapshot]:
    """The file's bytes and a snapshot of them; SaveError with a clear reason if it cannot be read."""
    data, st = _read(Path(path))
    return data, snapshot_of(data, st, os.path.realpath(path))


def _read(path: Path) -> tuple[bytes, os.stat_result]:
    try:
        return read_regular(path)
    except NotRegularFile as exc:
        raise SaveError(str(exc.strerror), path) from None
    except FileNotFoundError:
        raise SaveError("the file does not exist", path) from None
    except IsADirectoryError:
        raise SaveError("this is a folder, not a file", path) from None
    except PermissionError:
        raise SaveError("permission denied: the file cannot be read", path) from None
    except OSError as exc:
        raise SaveError(f"cannot read the file: {exc.strerror or exc}", path) from None


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
    try:
        return _read_only(_target(Path(path))) is None
    except OSError:
        return False


def _read_only(target: Path) -> str | None:
    """What of ``target`` and its folder is read-only, or None (OSError if either is not there)."""
    st, folder_st = os.stat(target), os.stat(target.parent)
    if not _writable(st) or not os.access(target, os.W_OK):
        return "the file is read-only"
    if not _writable(folder_st) or not os.access(target.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return None


def _check_unchanged(target: Path, path: Path, expected: Snapshot) -> bytes:
    """The file's bytes, which are the expected ones (else ConflictError)."""
    try:
        current, _ = _read(target)  # (no real path: a realpath is ~50 us of Python, twice per save)
    except SaveError:
        if not os.path.lexists(path) or not target.exists():
            raise ConflictError("the file was deleted or moved since it was opened", path) from None
        raise
    if hashlib.sha256(current).hexdigest() != expected.sha256:
        raise ConflictError("the file was changed on disk since it was opened", path)
    return current


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def write_atomic(
    path: Path | str, data: bytes, expected: Snapshot | None, folders: set[Path] | None = None, tail: int = 0
) -> Snapshot:
    """Replace the file with ``data``. With ``expected``, first make sure the file is still that one.
    ``folders``: the rename is made durable later, by the caller (``fsync_folders``), and its folder is added
    here (a bulk change fsyncs each folder once, not once per file, before its journal says it is done).
    ``tail``: ``data`` is the new file's head, and its last ``tail`` bytes are the expected file's (a bulk
    plan keeps only the heads; the file is read to be checked anyway).

    ``expected=None`` creates a file that must not exist yet. Raises ConflictError or SaveError; on any
    error the file on disk is left exactly as it was. The check and the replace hold the file's lock, so two
    Masthead processes saving one file take turns and the second sees the first's change (a conflict).
    """
    path = Path(path)
    target = _target(path)
    if expected is not None and expected.real is not None:
        real = os.path.realpath(path)
        if real != expected.real:  # a link (the file's, or a folder's on the way) now leads elsewhere
            raise ConflictError(f"the file is now a link to {real}, not to the file that was opened", path)
    folder = target.parent
    if expected is None and os.path.lexists(path):
        raise ConflictError("a file with this name already exists", path)
    if tail and expected is None:
        raise ValueError("a new file has no tail to keep")
    try:
        st = os.stat(target) if expected is not None else None
    except FileNotFoundError:
        raise ConflictError("the file was deleted or moved since it was opened", path) from None
    if st is not None:
        _check_replaceable(target, path, st)
    try:
        folder_st = os.stat(folder)
    except FileNotFoundError:
        raise SaveError("the folder no longer exists", path) from None
    if not _writable(folder_st) or not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"the folder {folder} is read-only", path)
    tempfiles.clean_once(folder)
    try:
        with file_lock(target):
            if expected is not None:
                current = _check_unchanged(target, path, expected)
                if tail:
                    data = data + current[len(current) - tail :]
            _replace(target, path, data, st, expected)
    except Busy:
        raise SaveError("another program has been saving this file for 10 seconds; try again", path) from None
    if folders is None:
        fsync_folder(folder)
    else:
        folders.add(folder)
    return snapshot_of(data, os.stat(target), str(target))


def why_unsaveable(path: Path | str) -> str | None:
    """Why a save of ``path`` would be refused as things stand (read-only file or folder, hard links, not a
    regular file), or None: told when a file is opened, not only when its edits are saved."""
    try:
        return _read_only(_target(Path(path))) or why_not_replaceable(Path(path))
    except OSError:
        return None  # the save itself says what is wrong


def why_not_replaceable(path: Path) -> str | None:
    """Why a save of ``path`` would be refused for what the file is (hard links, not a regular file), or None."""
    target = _target(Path(path))
    try:
        _check_replaceable(target, Path(path), os.stat(target))
    except SaveError as exc:
        return exc.message
    except OSError:
        return None  # the save itself says what is wrong
    return None


def _check_replaceable(target: Path, path: Path, st: os.stat_result) -> None:
    """Refuse a save that would lose something: not a regular file, hard links, no write permission."""
    if not stat.S_ISREG(st.st_mode):
        raise SaveError(regular_only(st.st_mode), path)
    if st.st_nlink > 1:
        raise SaveError(
            f"the file has {st.st_nlink - 1} other hard link(s) (names for the same file elsewhere); a save "
            "writes a new file, which would part this name from them, so Masthead does not save it",
            path,
        )
    if not _writable(st) or not os.access(target, os.W_OK):
        raise SaveError("the file is read-only", path)


def _replace(target: Path, path: Path, data: bytes, st: os.stat_result | None, expected: Snapshot | None) -> None:
    """Write a temporary file beside ``target`` (every byte, fsync'd, with its mode, owner, group and extended
    attributes) and rename it over ``target``."""
    try:
        fd, tmp = tempfiles.create(target.parent)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError("could not save: the disk is full; the file was not changed", path) from None
        raise SaveError(f"cannot create a temporary file: {exc.strerror or exc}", path) from None
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
            if st is not None:
                _keep_attributes(fd, target, path, st)
        finally:
            os.close(fd)
        if expected is not None:
            _check_unchanged(target, path, expected)  # again, as late as possible
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError("could not save: the disk is full; the file was not changed", path) from None
        raise SaveError(f"could not save: {exc.strerror or exc}; the file was not changed", path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _keep_attributes(fd: int, target: Path, path: Path, st: os.stat_result) -> None:
    """Give the new file the old one's mode, owner, group and extended attributes, or refuse the save."""
    os.fchmod(fd, stat.S_IMODE(st.st_mode))
    if hasattr(os, "fchown"):
        mine = os.fstat(fd)
        if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
            try:
                os.fchown(fd, st.st_uid, st.st_gid)
            except PermissionError:
                raise SaveError(
                    f"the file belongs to user {st.st_uid}, group {st.st_gid}; a saved copy would belong to you "
                    "(user {0}, group {1}), so Masthead does not save it".format(mine.st_uid, mine.st_gid),
                    path,
                ) from None
    if hasattr(os, "listxattr"):
        try:
            names = os.listxattr(target)
        except OSError:
            names = []
        for name in names:
            if name.startswith("security."):
                continue  # the system's own (SELinux label, IMA hash): set for the new file by the system
            try:
                os.setxattr(fd, name, os.getxattr(target, name))
            except OSError as exc:
                raise SaveError(
                    f"cannot keep the file's extended attribute {name!r} ({exc.strerror or exc}), so Masthead "
                    "does not save it",
                    path,
                ) from None


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform can)."""
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


def fsync_folders(folders: set[Path]) -> None:
    """``fsync_folder`` of each (on threads: each waits on the disk)."""
    for _ in in_parallel(sorted(folders), fsync_folder):
        pass


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
