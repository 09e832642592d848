"""Start the Masthead window."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from masthead import __version__
from masthead.core import pacing
from masthead.core.sample import install_sample, resources_dir
from masthead.ui import idle
from masthead.ui.writer import writer

SMOKE_TIMEOUT_MS = 60_000


def app_icon() -> QIcon:
    """The application icon (SVG, with PNG sizes for platforms that want them)."""
    icon = QIcon()
    try:
        folder = resources_dir() / "icons"
    except FileNotFoundError:
        return icon
    for png in sorted(folder.glob("masthead-*.png")):
        icon.addFile(str(png))
    svg = folder / "masthead.svg"
    if svg.exists():
        icon.addFile(str(svg))
    return icon


APP_NAME = "masthead"  # the X11 window class (WM_CLASS) and the .desktop file's StartupWMClass
DISPLAY_NAME = "Masthead"
DESKTOP_ID = "org.masthead.Masthead"  # the .desktop file (and the Wayland app id)


def application() -> QApplication:
    """The QApplication, named as the desktop knows it: WM_CLASS ``masthead`` (whatever started Python: under
    ``python -m masthead`` argv[0] is ``__main__.py``), app id ``org.masthead.Masthead``."""
    app = QApplication.instance() or QApplication([APP_NAME, *sys.argv[1:]])
    assert isinstance(app, QApplication)
    pacing.shorten_switch_interval()
    idle.install()
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setOrganizationName(DISPLAY_NAME)
    app.setOrganizationDomain("masthead.org")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(app_icon())
    return app


def run(archive: Path | None = None, smoke_test: bool = False) -> int:
    """Open the window on ``archive``, or the last archive; on the very first run, the sample archive.

    ``smoke_test``: quit with status 0 once the archive is loaded and shown (1 if that takes a minute),
    printing how long the window took to appear."""
    started = time.perf_counter()
    from masthead.ui.main_window import MainWindow

    app = application()
    settings = QSettings("Masthead", "Masthead")  # explicit: the same file whatever the application name
    window = MainWindow(settings)
    window.show()
    shown = time.perf_counter() - started
    shown_at = time.time()  # wall clock, for benchmarks/bench_startup.py
    if archive is None:
        last = settings.value("archives/last")
        if last and Path(str(last)).is_dir():
            archive = Path(str(last))
        elif not last and not window.recent_archives():
            try:
                archive = install_sample()  # the very first run: something to look at
            except OSError as exc:
                window.statusBar().showMessage(f"Could not copy the sample archive: {exc}")
    if smoke_test:

        def loaded() -> None:
            records = window.model.records
            errors = sum(1 for r in records if r.error)
            print(
                f"masthead smoke test: window shown in {shown:.2f} s (at {shown_at:.3f}); "
                f"{len(records)} files, {errors} with errors",
                flush=True,
            )
            app.exit(0)

        window.archive_loaded.connect(loaded)
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(1))
    if archive is not None:
        window.open_archive(archive)
    elif smoke_test:
        print("masthead smoke test: no archive to open", file=sys.stderr)
        return 1
    code = int(app.exec())
    shut_down()
    return code


def shut_down() -> None:
    """After the event loop: background work still running no longer waits for an idle GUI thread (it will
    not be idle again: Qt waits for the thread pool's jobs as the application ends), and writes finish."""
    idle.uninstall()
    drain_writes()


def drain_writes(timeout_ms: int = 30_000) -> None:
    """Let every save or bulk step already started finish before the process ends."""
    writer().drain(timeout_ms)
