"""Pauses in long Python loops, so that a host can keep another thread responsive.

Core code that may run for long on a worker thread of an interactive host (the window) calls ``pause()``
every few hundred steps. By default it does nothing (the CLI, tests); the window installs a function that
waits, without the GIL, while its GUI thread is busy (see ``masthead.ui.idle``): Python threads share one GIL,
and every call the GUI thread makes into Python would otherwise wait for the worker. Long single C calls
(``sorted`` of tens of thousands of tuples) hold the GIL throughout: ``sorted_paced`` sorts in pieces.
"""

from __future__ import annotations

import heapq
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

PYTHON_DEFAULT_SWITCH = 0.005
SWITCH_INTERVAL = 0.0005
"""How long a thread may hold the GIL while another waits for it. In the window every call Qt makes into
Python (a model's ``data``, a widget's ``paintEvent``, a slot) takes the GIL; with a worker busy each such
call waited up to Python's default 5 ms, so a repaint calling Python a hundred times took 10x longer
(``benchmarks/bench_gui.py --switch-interval``: selecting files, longest GUI gap median 174 -> 89 ms). Threads
doing SQLite's work (the full-text index's parts) take the GIL back after every statement, and waited too."""


def shorten_switch_interval() -> None:
    """``sys.setswitchinterval(SWITCH_INTERVAL)``, unless someone chose another than Python's (a benchmark)."""
    if sys.getswitchinterval() == PYTHON_DEFAULT_SWITCH:
        sys.setswitchinterval(SWITCH_INTERVAL)


EVERY = 200  # steps between pauses in ``paced``
PIECE = 1000  # items sorted in one C call by ``sorted_paced``

_pause: Callable[[], None] | None = None


def install(fn: Callable[[], None] | None) -> None:
    """Make ``pause()`` call ``fn`` (None: do nothing again)."""
    global _pause
    _pause = fn


def pause() -> None:
    """A point where this thread may wait for another (the host decides; usually returns at once)."""
    if _pause is not None:
        _pause()


def paced(items: Iterable[T], every: int = EVERY) -> Iterator[T]:
    """``items``, pausing every ``every`` of them (and before the first)."""
    for n, item in enumerate(items):
        if n % every == 0:
            pause()
        yield item


def sorted_paced(items: Iterable[T], key: Callable[[T], Any] | None = None, reverse: bool = False) -> list[T]:
    """``sorted(items, key=key, reverse=reverse)`` (stable, the same result) in pieces of ``PIECE`` merged in
    Python, pausing between steps: no single call holds the GIL for long."""
    items = list(items)
    if len(items) <= PIECE:
        return sorted(items, key=key, reverse=reverse)  # type: ignore[type-var, arg-type]
    pieces = []
    for i in range(0, len(items), PIECE):
        pause()
        pieces.append(sorted(items[i : i + PIECE], key=key, reverse=reverse))  # type: ignore[type-var, arg-type]
    return list(paced(heapq.merge(*pieces, key=key, reverse=reverse), 500))  # type: ignore[arg-type]
