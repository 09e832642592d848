"""Shared test set-up: offscreen Qt, the repository on sys.path, and copies of the fixture corpus."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("default", max_examples=300)
settings.register_profile("thorough", max_examples=5000)  # MASTHEAD_HYPOTHESIS=thorough python3 dev.py test
settings.load_profile(os.environ.get("MASTHEAD_HYPOTHESIS", "default"))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for `tests.support`


def copy_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    for path in dest.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)  # shared/ is read-only; copies are ours
    return dest


def copy_fixtures(root: Path, good: list[str], broken: dict[str, str] | None = None) -> Path:
    """An archive folder ``root`` holding copies of good fixtures, and broken ones under new names."""
    root.mkdir(parents=True, exist_ok=True)
    for name in good:
        shutil.copy(FIXTURES / "good" / name, root / name)
    for name, target in (broken or {}).items():
        shutil.copy(FIXTURES / "broken" / name, root / target)
    return root


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``masthead ARGS...`` in-process: (exit status, stdout, stderr)."""
    from masthead.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/good."""
    return copy_tree(FIXTURES / "good", tmp_path / "good")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/broken."""
    return copy_tree(FIXTURES / "broken", tmp_path / "broken")


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A writable copy of ../shared/samples (real files from the wild)."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    return copy_tree(SAMPLES, tmp_path / "samples")


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own index cache folder: never the user's real one."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MASTHEAD_CACHE_DIR", str(folder))
    monkeypatch.setenv("MASTHEAD_DATA_DIR", str(tmp_path_factory.mktemp("data")))  # journals
    monkeypatch.setenv("MASTHEAD_SAMPLE_DIR", str(tmp_path_factory.mktemp("documents") / "Sample"))
    return folder


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A modal dialog nobody answers would hang the suite: record it and answer Cancel/Ok instead.
    Tests that expect a dialog patch the function themselves (after this fixture)."""
    shown: list[tuple[str, str]] = []
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:  # pragma: no cover - Qt is a dependency
        return shown

    def record(kind: str, default: object) -> object:
        def show(*args: object, **kwargs: object) -> object:
            shown.append((kind, str(args[2]) if len(args) > 2 else ""))
            return default

        return show

    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Cancel))
    monkeypatch.setattr(QMessageBox, "warning", record("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", record("critical", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", record("information", QMessageBox.StandardButton.Ok))
    return shown


def interrupt_after(root: Path, names: list[str], files_written: int, tag: str = "weekly") -> dict[str, bytes]:
    """Add ``tag`` to the files as a bulk operation that dies (as if killed) once ``files_written`` files are
    written (files are written side by side: any others it had started are left unwritten); return the bytes
    every file would have had, had it finished."""
    import threading

    from masthead.core import bulk, storage
    from masthead.core.operations import add

    plan = bulk.plan(root, names, add("tags", [tag]))
    planned = {c.rel: (root / c.rel).read_bytes() for c in plan.changes}
    real, lock, count = storage.write_atomic, threading.Lock(), [0]

    def dies(path: Path, data: bytes, expected: Any, folders: Any = None, tail: int = 0) -> Any:
        with lock:
            count[0] += 1
            if count[0] > files_written:
                raise KeyboardInterrupt
        return real(path, data, expected, folders, tail)

    with pytest.MonkeyPatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(storage, "write_atomic", dies)
        bulk.apply(plan)
    return {c.rel: c.new_bytes(planned[c.rel]) for c in plan.changes}


def open_window(qtbot: Any, tmp_path: Path, archive: Path | None = None, confirm_bulk: bool | None = False) -> Any:
    """A main window with its own settings file, shown, on ``archive`` once it has loaded (and its
    vocabulary is built). Bulk operations do not ask first unless ``confirm_bulk`` (None: as saved)."""
    from PySide6.QtCore import QSettings

    from masthead.ui import idle
    from masthead.ui.main_window import MainWindow

    idle.install()  # as the application does: background work pauses while the GUI thread is busy
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))

    def settle(win: Any) -> None:  # as a user would: let a bulk write (or its undo) finish before closing
        qtbot.waitUntil(lambda: not win.writing(), timeout=20000)

    qtbot.addWidget(window, before_close_func=settle)
    if confirm_bulk is not None:
        window.prefs.confirm_bulk = confirm_bulk
    window.resize(1280, 800)
    window.show()
    if archive is not None:
        with qtbot.waitSignal(window.archive_loaded, timeout=20000):
            window.open_archive(archive)
        qtbot.waitUntil(lambda: bool(window.vocabulary) or not window.model.records, timeout=5000)
    return window
