"""The window quits cleanly after a working session (PySide6 6.12 aborted the interpreter at exit once
the taxonomy had been rebuilt a few times with per-item QStandardItems; it now uses a plain model)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.archive import make_archive

from masthead.core.index import ArchiveIndex

SESSION = """
import sys
from pathlib import Path
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from masthead.ui.main_window import MainWindow


def wait(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


window = MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
with_loaded = []
window.archive_loaded.connect(lambda: with_loaded.append(1))
window.open_archive(Path(sys.argv[1]))
while not with_loaded:
    wait(50)
window.taxonomy_dock.show()
for _ in range(5):  # as after five saves
    window._update_vocabulary()
    wait(250)
assert window.taxonomy.model.rowCount() > 0
window.close()
print("session done")
"""


def test_a_session_ends_without_an_interpreter_abort(tmp_path: Path) -> None:
    make_archive(tmp_path / "archive", 2000)
    ArchiveIndex(tmp_path / "archive").open().close()  # a warm reopen, as most days
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SESSION, str(tmp_path / "archive"), str(tmp_path / "settings.ini")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "session done" in result.stdout, result.stderr
    assert "Fatal Python error" not in result.stderr and result.returncode == 0, result.stderr[-2000:]
