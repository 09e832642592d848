"""``masthead``: the command line. The same core as the window, one verb per editing feature."""

from __future__ import annotations

import argparse
import os
import re
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
    args = _unguarded(parser.parse_args(_guarded(argv)))
    shorten_switch_interval()  # as the window does: the full-text index's threads wait less for the GIL
    try:
        result: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `masthead index A | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return result


# A negated query term (``-tag:draft``, ``-body:"a b"``, ``-date<2025``) is an argument, not an option:
# argparse took ``masthead query A -text:x`` for an unknown option. Such arguments are parsed with their
# "-" stood in for, then given it back.
_NEGATED = re.compile(r"-[^\W\d_][\w-]*[:<>=]")
_STAND_IN = "\ue000"


def _guarded(argv: list[str]) -> list[str]:
    end = argv.index("--") if "--" in argv else len(argv)
    return [_STAND_IN + a[1:] if i < end and _NEGATED.match(a) else a for i, a in enumerate(argv)]


def _unguarded(args: argparse.Namespace) -> argparse.Namespace:
    def back(value: object) -> object:
        if isinstance(value, str) and value.startswith(_STAND_IN):
            return "-" + value[1:]
        if isinstance(value, list):
            return [back(v) for v in value]
        return value

    for name, value in vars(args).items():
        setattr(args, name, back(value))
    return args
