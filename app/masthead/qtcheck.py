"""Before the window starts on Linux: are the system libraries Qt's platform plugin needs installed?

Without them Qt aborts with "Could not load the Qt platform plugin" and few clues; this names the
missing libraries and the Debian/Ubuntu packages that provide them. No Qt import here.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

PACKAGES = {  # soname -> Debian/Ubuntu package
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
}
HEADLESS = {"offscreen", "minimal", "vnc", "linuxfb", "eglfs"}


def parse_ldd(output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found``, each once, in order."""
    missing: list[str] = []
    for line in output.splitlines():
        name, _, rest = line.strip().partition(" => ")
        if rest.strip() == "not found" and name not in missing:
            missing.append(name)
    return missing


def explain(platform: str, missing: list[str]) -> str:
    packages = sorted({PACKAGES[m] for m in missing if m in PACKAGES})
    text = (
        f"Qt cannot start its '{platform}' platform plugin: these system libraries are missing: "
        + ", ".join(missing)
        + "."
    )
    if packages:
        text += f" On Debian or Ubuntu: sudo apt-get install {' '.join(packages)}."
    return text + " (See Troubleshooting in the README; QT_QPA_PLATFORM=offscreen runs without a display.)"


def missing_qt_libraries(env: Mapping[str, str] | None = None) -> str:
    """A message naming what is missing for the window to start, or '' when nothing is (or on other systems)."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return ""
    platform = (env.get("QT_QPA_PLATFORM") or "").split(":")[0]
    if platform in HEADLESS:
        return ""
    if not platform:
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            return (
                "there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
                "run Masthead in a desktop session, or set QT_QPA_PLATFORM=offscreen for a headless check"
            )
        platform = "xcb" if env.get("DISPLAY") else "wayland"
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return ""
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
    if not plugin.exists():
        return ""  # a packaged or system Qt lays plugins out differently: let Qt speak for itself
    try:
        result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    missing = parse_ldd(result.stdout)
    return explain(platform, missing) if missing else ""
