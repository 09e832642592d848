"""``masthead``: the command line. The same core as the window, one verb per editing feature."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from masthead.cli.common import COMMANDS
from masthead.cli.parser import build_parser
from masthead.cli.window import run_window
from masthead.core.pacing import shorten_switch_interval


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--index-worker"]:  # a packaged app starting its own index worker (see index_worker)
        from masthead.core.index_worker import lower_priority, serve

        lower_priority()
        serve(sys.stdin.buffer, sys.stdout.buffer)
        return 0
    window_flags = ("--sample", "--smoke-test")
    if not argv or (argv[0] not in COMMANDS and (not argv[0].startswith("-") or argv[0] in window_flags)):
        return run_window(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    shorten_switch_interval()  # as the window does: the full-text index's threads wait less for the GIL
    try:
        result: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `masthead index A | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return result
