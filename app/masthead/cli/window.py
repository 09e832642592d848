"""``masthead [ARCHIVE]``: the window."""

from __future__ import annotations

from pathlib import Path

from masthead.cli.common import COMMANDS, fail
from masthead.core.sample import install_sample
from masthead.qtcheck import missing_qt_libraries


def run_window(argv: list[str]) -> int:
    """``masthead [ARCHIVE] [--sample] [--smoke-test]``: the window, on ARCHIVE, the sample archive (copied
    to a user folder first), or the last archive opened (the sample on the very first run).
    ``--smoke-test`` quits once the archive is loaded (for packaging checks)."""
    smoke = "--smoke-test" in argv
    use_sample = "--sample" in argv
    argv = [a for a in argv if a not in ("--smoke-test", "--sample")]
    if len(argv) > 1:  # (before the display is looked for: `masthead rename-tag --help` is a typo, not a window)
        fail(f"unknown command {argv[0]!r}; commands: {', '.join(COMMANDS)} (see masthead --help)")
        return 2
    if argv and not use_sample and not Path(argv[0]).is_dir():
        fail(f"{argv[0]}: not a folder, and not a command ({', '.join(COMMANDS)}); see masthead --help")
        return 2
    missing = missing_qt_libraries()
    if missing:
        fail(missing)
        return 3
    if use_sample:
        if argv:
            fail("--sample opens the sample archive: give no ARCHIVE with it")
            return 2
        try:
            argv = [str(install_sample())]
        except OSError as exc:
            fail(f"could not copy the sample archive: {exc}")
            return 1
    archive = Path(argv[0]) if argv else None
    from masthead.ui.app import run

    return run(archive, smoke_test=smoke)
