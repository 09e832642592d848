"""Desktop integration files and icons (the PyInstaller build itself runs in `python3 dev.py package`)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / "org.masthead.Masthead.desktop"
METAINFO = LINUX / "org.masthead.Masthead.metainfo.xml"


def test_desktop_entry_launches_masthead_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"].split()[0] == "masthead" and section["Icon"] == DESKTOP.stem
    assert f'<launchable type="desktop-id">{DESKTOP.name}</launchable>' in METAINFO.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("tool", "args"), [("desktop-file-validate", [DESKTOP]), ("appstreamcli", ["validate", "--no-net", METAINFO])]
)
def test_desktop_files_validate(tool: str, args: list[object]) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    result = subprocess.run([tool, *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_icons_come_in_every_size() -> None:
    icons = ROOT / "resources" / "icons"
    assert (icons / "masthead.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(icons / f"masthead-{size}.png"))
        assert (image.width(), image.height()) == (size, size)


def test_desktop_entry_claims_no_folder_type() -> None:
    """Claiming inode/directory offered Masthead as the handler of every folder (even as the file manager)."""
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    assert "inode/directory" not in entry["Desktop Entry"].get("MimeType", "")


def test_the_application_is_named_as_the_desktop_entry_says(tmp_path: Path) -> None:
    """Started as ``python -m masthead`` (what dev.py run does), argv[0] is __main__.py, which X11 took as the
    window class; the application names itself instead. Checked in a fresh process, as it starts."""
    import sys

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    script = tmp_path / "__main__.py"
    script.write_text(
        "from pathlib import Path\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "from masthead.ui.app import application\n"
        "app = application()\n"
        "print(QGuiApplication.applicationName(), QGuiApplication.desktopFileName(),\n"
        "      QGuiApplication.applicationDisplayName(), Path(QGuiApplication.arguments()[0]).name)\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    name, desktop_id, display, argv0 = result.stdout.split()
    assert name == argv0 == entry["Desktop Entry"]["StartupWMClass"] == "masthead"  # X11 WM_CLASS, both parts
    assert desktop_id == DESKTOP.stem and display == "Masthead"
