"""Start the Masthead window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from masthead import __version__


def run(archive: Path | None = None) -> int:
    """Open the window on ``archive``, or the last archive, or a welcome page offering to open one."""
    from masthead.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Masthead")
    app.setOrganizationName("Masthead")
    app.setApplicationVersion(__version__)
    settings = QSettings("Masthead", "Masthead")
    window = MainWindow(settings)
    window.show()
    if archive is None:
        last = settings.value("archives/last")
        if last and Path(str(last)).is_dir():
            archive = Path(str(last))
    if archive is not None:
        window.open_archive(archive)
    return int(app.exec())
