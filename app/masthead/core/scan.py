"""Find the Markdown files of an archive: recursive, skipping hidden folders and links leading outside."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

MARKDOWN_SUFFIXES = (".md", ".markdown")


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES) and not name.startswith(".")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def iter_markdown(root: Path | str) -> Iterator[Path]:
    """Every Markdown file under ``root``, sorted per folder, each real file once (see ``iter_files``)."""
    for path, _ in iter_files(root):
        yield path


def iter_files(root: Path | str) -> Iterator[tuple[Path, os.stat_result]]:
    """Every Markdown file under ``root`` with its stat, sorted per folder, each real file once.

    Hidden files and folders (name starting with '.') are skipped; a symbolic link is followed only if it
    leads to a place inside ``root``; a folder reached twice (a link loop) is read once.
    """
    root = Path(root)
    real_root = os.path.realpath(root)
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()

    def walk(folder: Path, real_folder: str) -> Iterator[tuple[Path, os.stat_result]]:
        if real_folder in seen_dirs:
            return
        seen_dirs.add(real_folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            link = entry.is_symlink()
            real = os.path.realpath(entry.path) if link else os.path.join(real_folder, entry.name)
            if link and not _inside(real, real_root):
                continue
            try:
                if entry.is_dir():
                    subfolders.append((Path(entry.path), real))
                elif is_markdown(entry.name) and entry.is_file() and real not in seen_files:
                    seen_files.add(real)
                    yield Path(entry.path), entry.stat()
            except OSError:
                continue
        for sub, real_sub in subfolders:
            yield from walk(sub, real_sub)

    if root.is_dir():
        yield from walk(root, real_root)


def stat_files(root: Path | str) -> list[tuple[str, int, int]]:
    """(relative '/'-path, size, mtime_ns) of every Markdown file under ``root``: ``iter_files``'s rules,
    written for speed (the index calls it on every open)."""
    real_root = os.path.realpath(root)
    out: list[tuple[str, int, int]] = []
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    stack: list[tuple[str, str, str]] = [(str(root), real_root, "")]
    while stack:
        folder, real_folder, rel = stack.pop()
        if real_folder in seen_dirs:
            continue
        seen_dirs.add(real_folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    if not _inside(real, real_root):
                        continue
                    if entry.is_dir():
                        subfolders.append((entry.path, real, rel + name + "/"))
                    elif is_markdown(name) and entry.is_file() and real not in seen_files:
                        seen_files.add(real)
                        st = entry.stat()
                        out.append((rel + name, st.st_size, st.st_mtime_ns))
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append((entry.path, os.path.join(real_folder, name), rel + name + "/"))
                elif name.lower().endswith(MARKDOWN_SUFFIXES):
                    st = entry.stat(follow_symlinks=False)
                    out.append((rel + name, st.st_size, st.st_mtime_ns))
            except OSError:
                continue
        stack.extend(reversed(subfolders))
    return out
