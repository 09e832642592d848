"""Save screenshots of the window on the sample archive (offscreen), for the README.

python packaging/screenshot.py [OUT_DIR] [--archive DIR --file REL]
    (default docs/ and the sample archive; fonts-noto-cjk makes the Chinese text visible). With --archive, a
    copy of DIR is opened (e.g. the realistic benchmark archive) and REL is shown.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "app"))

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    args = sys.argv[1:]
    source = shown = None
    if "--archive" in args:
        at = args.index("--archive")
        source, shown = Path(args[at + 1]), args[args.index("--file") + 1]
        args = args[:at]
    out = Path(args[0]) if args else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="masthead-shot-"))
    os.environ["MASTHEAD_CACHE_DIR"] = str(work / "cache")
    os.environ["MASTHEAD_DATA_DIR"] = str(work / "data")
    app = QApplication(sys.argv[:1])
    from masthead.core.sample import install_sample
    from masthead.ui.app import app_icon
    from masthead.ui.main_window import MainWindow

    app.setWindowIcon(app_icon())
    if source is None:
        archive = install_sample(work / "Masthead Sample Archive")
    else:
        archive = work / source.name
        shutil.copytree(source, archive)
    window = MainWindow(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1440, 900)
    window.show()
    window.open_archive(archive)
    wait(1500 if source is None else 15000)
    window.select_path(shown or "2025/agent-toolchains.md")
    wait(800 if source is None else 2500)
    window.grab().save(str(out / "screenshot.png"))
    window.taxonomy_dock.show()
    window.taxonomy.near_only.setChecked(True)
    wait(300)
    window.grab().save(str(out / "taxonomy.png"))
    window.taxonomy_dock.hide()
    dark = QPalette(app.palette())
    for role, colour in (
        (QPalette.ColorRole.Window, "#26282b"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#1c1d1f"),
        (QPalette.ColorRole.AlternateBase, "#2e3033"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303236"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
        (QPalette.ColorRole.Link, "#8ab4f8"),
        (QPalette.ColorRole.Highlight, "#4c8bf5"),
    ):
        dark.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text):
        dark.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7378"))  # disabled actions look disabled
    app.setPalette(dark)
    wait(500)
    window.grab().save(str(out / "screenshot-dark.png"))
    window.form.show_document(None, None, None)
    window.close()
    shutil.rmtree(work, ignore_errors=True)
    print(f"saved screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
