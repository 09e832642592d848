"""Writes done by several threads come back in order; a cancel stops what has not started; errors are kept."""

from __future__ import annotations

import threading
import time

from masthead.core.errors import MastheadError
from masthead.core.fanout import WRITERS, Cancelled, in_parallel


def test_results_come_in_the_items_order_and_run_side_by_side() -> None:
    running, most = [0], [0]
    lock = threading.Lock()

    def work(i: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.002 * (i % 3))
        with lock:
            running[0] -= 1
        if i == 5:
            raise MastheadError(f"item {i} failed")
        return i * i

    out = list(in_parallel(list(range(40)), work))
    assert [item for item, _ in out] == list(range(40))
    assert isinstance(out[5][1], MastheadError) and "item 5" in str(out[5][1])
    assert [r for i, r in out if i != 5] == [i * i for i in range(40) if i != 5]
    assert 1 < most[0] <= WRITERS


def test_a_cancel_leaves_the_rest_unstarted() -> None:
    cancel, started = threading.Event(), []

    def work(i: int) -> int:
        started.append(i)
        if i == 3:
            cancel.set()
        return i

    out = list(in_parallel(list(range(100)), work, cancel))
    assert [item for item, _ in out] == list(range(100))
    done = [i for i, r in out if not isinstance(r, Cancelled)]
    assert sorted(started) == done and len(done) < 3 + 2 * WRITERS + 1
    assert all(isinstance(r, Cancelled) for i, r in out if i not in started)
