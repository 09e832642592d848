"""The start-up check that names the system libraries Qt's platform plugin is missing."""

from __future__ import annotations

import shutil
import sys

import pytest

from masthead.qtcheck import explain, missing_qt_libraries, parse_ldd

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /x/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-cursor.so.0 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_missing_libraries_are_named_with_their_packages() -> None:
    missing = parse_ldd(LDD)
    assert missing == ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]
    message = explain("xcb", missing)
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in message
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4" in message


def test_headless_platforms_need_nothing() -> None:
    assert missing_qt_libraries({"QT_QPA_PLATFORM": "offscreen"}) == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_no_display_is_explained() -> None:
    assert "no display" in missing_qt_libraries({})


@pytest.mark.skipif(not shutil.which("ldd"), reason="needs ldd")
def test_the_real_plugin_is_checked_on_this_machine() -> None:
    import subprocess
    from pathlib import Path

    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    expected = parse_ldd(subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout)
    message = missing_qt_libraries({"DISPLAY": ":99"})
    assert (message == "") == (expected == []) and all(lib in message for lib in expected)
