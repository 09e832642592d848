"""The worker-process pool: every payload answered once, failures reported (never a hang)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.archive import make_archive

from masthead.core import snapshot
from masthead.core.reader import read_piece
from masthead.core.scan import stat_job
from masthead.core.workers import run_parallel


def test_every_payload_goes_to_a_worker_when_asked(tmp_path: Path) -> None:
    make_archive(tmp_path, 30)
    items = [(rel, size, mtime) for rel, size, mtime in stat_job(str(tmp_path), None)]
    chunks = [items[i : i + 7] for i in range(0, len(items), 7)]

    def never(_root: str, _payload: object) -> bytes:
        raise AssertionError("done in this process")

    replies = [snapshot.unpack(r) for r in run_parallel("read", never, str(tmp_path), chunks, 3, local_first=False)]
    assert sorted(entry[0] for reply in replies for entry in reply) == sorted(rel for rel, _, _ in items)
    assert replies and all(reply for reply in replies)
    assert list(run_parallel("read", read_piece, str(tmp_path), chunks[:2], 2)) != []


def test_a_worker_that_fails_is_reported_not_waited_for(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="worker process"):
        list(run_parallel("no-such-job", read_piece, str(tmp_path), [[], [], []], 2, local_first=False))


def test_a_long_lived_worker_renders_as_this_process_does_and_survives_being_killed() -> None:
    from masthead.core.render import render_markdown
    from masthead.core.workers import Worker

    body = "### 开场\n\n**[主持人]**: 欢迎 **Ada Lovelace** 来到节目。\n\n### Part two\n\n**[Ada]**: Thanks.\n"
    expected = render_markdown(body, ["Ada Lovelace"])
    worker = Worker()
    try:
        html, outline = worker.call("render", "", (body, ["Ada Lovelace"]))
        assert html == expected.html and outline == [(h.level, h.text, h.anchor) for h in expected.outline]
        assert worker._proc is not None
        worker._proc.kill()
        worker._proc.wait()
        assert worker.call("render", "", ("plain", []))[0] == render_markdown("plain").html  # a new process
    finally:
        worker.close()
    assert worker._proc is None


def test_the_preview_renders_in_the_render_process() -> None:
    from masthead.core.render import render_markdown
    from masthead.ui import tasks

    body = "**[Host]**: Hello **Northwind Labs**\n\n<details><summary>原文</summary>\n\n你好\n\n</details>\n"
    assert tasks.render_elsewhere(body, ["Northwind Labs"]) == render_markdown(body, ["Northwind Labs"])
    assert tasks._render_worker is not None and tasks._render_worker._proc is not None


def test_the_hand_off_holds_under_load(tmp_path: Path) -> None:
    """Many tiny payloads, more workers than cores, the CPU busy meanwhile: every reply arrives, none is
    reported as a failure (a check-then-read of the queue once surfaced as 'a worker process failed')."""
    import threading

    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            sum(range(10_000))

    spinners = [threading.Thread(target=spin) for _ in range(2)]
    for thread in spinners:
        thread.start()
    try:
        for _ in range(5):
            replies = list(run_parallel("scan", stat_job, str(tmp_path), [None] * 40, 4, local_first=False))
            assert len(replies) == 40
    finally:
        stop.set()
        for thread in spinners:
            thread.join()


def test_work_for_workers_running_other_code_is_done_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Masthead upgraded while the window runs: the workers it starts run the new code, whose rows did not fit
    the old (a bulk preview of 200 files failed with "too many values to unpack": a new-user trial). Such a
    worker answers that it runs other code, and its jobs are then done in this process: the answers are
    right, and ``other_code_seen`` says so for the window to tell (a refresh of more than 20 files failed
    without a word, so the table, the taxonomy and the open form stayed stale: a later trial)."""
    from masthead.core import bulk, workers
    from masthead.core.errors import MastheadError
    from masthead.core.operations import add

    make_archive(tmp_path, 30)
    chunks = [[item] for item in stat_job(str(tmp_path), None)][:4]
    rels = [rel for rel, _, _ in stat_job(str(tmp_path), None)]
    same = list(run_parallel("read", read_piece, str(tmp_path), chunks, 2, local_first=False))
    plan = bulk.plan(tmp_path, rels * 8, add("tags", ["x"]), workers=2)  # (enough files for the workers)
    assert not workers.other_code_seen()
    monkeypatch.setattr(workers, "STAMP", "an-older-build")  # this process, as if it ran other code
    try:
        assert sorted(run_parallel("read", read_piece, str(tmp_path), chunks, 2, local_first=False)) == sorted(same)
        assert workers.other_code_seen()
        again = bulk.plan(tmp_path, rels * 8, add("tags", ["x"]), workers=2)
        assert [(c.rel, c.new_head) for c in again.changes] == [(c.rel, c.new_head) for c in plan.changes] != []
        worker = workers.Worker()  # (the one long-lived worker, for rendering, says it)
        try:
            with pytest.raises(MastheadError, match="updated while it was running"):
                worker.call("render", "", ("plain", []))
        finally:
            worker.close()
    finally:
        workers._other_code.clear()
