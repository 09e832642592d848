"""Find the Markdown files of an archive: recursive, skipping hidden entries and links leading outside.

Each real file is listed once, under its own path when the archive reaches it directly: real folders and
files are visited first, symbolic links afterwards, and a link to something already seen (a duplicate,
or a loop back to a parent folder) is skipped.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from masthead.core.tempfiles import is_temp

MARKDOWN_SUFFIXES = (".md", ".markdown")
_name = operator.attrgetter("name")  # a sort key called in C


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES) and not name.startswith(".")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def iter_markdown(root: Path | str) -> Iterator[Path]:
    """Every Markdown file under ``root`` (see ``stat_files``), as full paths."""
    base = Path(root)
    for rel, _, _ in stat_files(root):
        yield base / rel


def stat_files(
    root: Path | str, temps: list[str] | None = None, many: tuple[int, Callable[[], None]] | None = None
) -> list[tuple[str, int, int]]:
    """(relative '/'-path, size, mtime_ns) of every Markdown file under ``root``, folder by folder; the full
    paths of saves' temporary files seen on the way are added to ``temps``, if given. ``many``: ``(count,
    call)``, called once as soon as ``count`` files are listed (e.g. to start workers while the rest is listed).

    Written for speed: the index calls it on every open of an archive.
    """
    real_root = os.path.realpath(root)
    out: list[tuple[str, int, int]] = []
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()  # real paths of files listed through a link (direct ones are unique)
    links: list[tuple[str, str, str]] = []  # (path, real path, relative path), visited last
    prefix = real_root.rstrip(os.sep) + os.sep

    def seen(real_file: str) -> bool:
        """Whether a file reached through a link was already listed (directly, or through another link)."""
        if real_file in seen_files:
            return True
        seen_files.add(real_file)
        return direct is not None and real_file.startswith(prefix) and real_file[len(prefix) :] in direct

    def walk(folder: str, real_folder: str, rel: str, linked: bool) -> None:
        stack = [(folder, real_folder, rel)]
        while stack:
            folder, real_folder, rel = stack.pop()
            if real_folder in seen_dirs:
                continue
            seen_dirs.add(real_folder)
            try:
                entries = sorted(os.scandir(folder), key=_name)
            except OSError:
                continue
            subfolders = []
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    if temps is not None and is_temp(name):
                        temps.append(entry.path)
                    continue
                try:
                    if entry.is_symlink():
                        links.append((entry.path, os.path.realpath(entry.path), rel + name))
                    elif entry.is_dir(follow_symlinks=False):
                        subfolders.append((entry.path, os.path.join(real_folder, name), rel + name + "/"))
                    elif name.lower().endswith(MARKDOWN_SUFFIXES):
                        if linked and seen(os.path.join(real_folder, name)):
                            continue
                        st = entry.stat(follow_symlinks=False)
                        out.append((rel + name, st.st_size, st.st_mtime_ns))
                        if len(out) == many_at:
                            many_call()
                except OSError:
                    continue
            stack.extend(reversed(subfolders))

    many_at, many_call = many if many is not None else (-1, _nothing)
    direct: set[str] | None = None
    walk(str(root), real_root, "", False)
    if links:
        direct = {rel for rel, _, _ in out}  # the real root's files, by their path inside it
    while links:
        path, real, rel = links.pop(0)
        if not _inside(real, real_root):
            continue
        try:
            if os.path.isdir(real):
                walk(path, real, rel + "/", True)
            elif is_markdown(os.path.basename(rel)) and os.path.isfile(real) and not seen(real):
                st = os.stat(real)
                out.append((rel, st.st_size, st.st_mtime_ns))
        except OSError:
            continue
    return out


def _nothing() -> None:
    return None


def stat_job(root: str, _payload: object) -> list[tuple[str, int, int]]:
    """``stat_files`` as a worker-process job (``index_worker``'s ``scan``)."""
    return stat_files(root)
