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
    """Every Markdown file under ``root``, sorted per folder, each real file once.

    Hidden files and folders (name starting with '.') are skipped; a symbolic link is followed only if it
    leads to a place inside ``root``; a folder reached twice (a link loop) is read once.
    """
    root = Path(root)
    real_root = os.path.realpath(root)
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()

    def walk(folder: Path, real_folder: str) -> Iterator[Path]:
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
                elif entry.is_file() and is_markdown(entry.name) and real not in seen_files:
                    seen_files.add(real)
                    yield Path(entry.path)
            except OSError:
                continue
        for sub, real_sub in subfolders:
            yield from walk(sub, real_sub)

    if root.is_dir():
        yield from walk(root, real_root)
