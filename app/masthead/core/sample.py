"""The sample archive shipped with Masthead, copied to a user folder before it is opened (so the
installed copy is never edited)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import platformdirs

SAMPLE_NAME = "sample-archive"


def resources_dir() -> Path:
    """Masthead's resources: inside a packaged app, an installed wheel, or a source checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "resources"] if frozen else []
    here = Path(__file__).resolve().parent.parent
    candidates += [here / "_resources", here.parent.parent / "resources"]
    for candidate in candidates:
        if (candidate / SAMPLE_NAME).is_dir():
            return candidate
    raise FileNotFoundError("Masthead's resources folder is missing from this installation")


def sample_destination() -> Path:
    """Where the sample is copied: ``$MASTHEAD_SAMPLE_DIR``, or "Masthead Sample Archive" in Documents."""
    chosen = os.environ.get("MASTHEAD_SAMPLE_DIR")
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_documents_dir()) / "Masthead Sample Archive"


def install_sample(dest: Path | None = None) -> Path:
    """Copy the sample archive to ``dest`` unless it is there already (an earlier copy, perhaps edited,
    is kept as it is); return the folder."""
    target = dest or sample_destination()
    if target.is_dir() and any(target.iterdir()):
        return target
    source = resources_dir() / SAMPLE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source, tmp)
    for path in [tmp, *tmp.rglob("*")]:  # the copy is the user's: writable whatever the install's modes
        path.chmod(path.stat().st_mode | 0o200)
    if target.exists():
        target.rmdir()
    tmp.rename(target)
    return target
