"""Index worker process: reads chunks of files into records (and plans bulk edits) for the parent.

Started as ``python -m masthead.core.index_worker`` (the protocol and the pool are in ``workers``).
Jobs: ``read`` takes ``[(relpath, size, mtime_ns), ...]`` and answers their records as one snapshot piece
(``snapshot``: the parent unpacks it once and stores the bytes as they are);
``plan`` takes ``(edit spec, [relpath, ...], list indent)`` and answers the planned bulk edit of each file;
``scan`` answers every Markdown file's ``(relpath, size, mtime_ns)``; ``render`` takes ``(body, entities)`` and
answers the transcript's HTML and outline.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import IO, Any

from masthead.core.workers import OTHER_CODE, STAMP, receive, send


def render_payload(_root: str, payload: tuple[str, list[str]]) -> tuple[str, list[tuple[int, str, str]]]:
    """``render``: a transcript's HTML and outline (``render.render_markdown`` as plain data)."""
    from masthead.core.render import render_markdown

    body, entities = payload
    rendered = render_markdown(body, entities)
    return rendered.html, [(h.level, h.text, h.anchor) for h in rendered.outline]


def _job(name: str) -> Callable[[str, Any], Any]:
    """The function for a job, imported on first use: a worker that only reads files starts in a few ms
    (bulk planning and rendering import much more)."""
    if name == "read":
        from masthead.core.reader import read_piece

        return read_piece
    if name == "plan":
        from masthead.core.bulk import plan_payload

        return plan_payload
    if name == "scan":
        from masthead.core.scan import stat_job

        return stat_job
    if name == "render":
        return render_payload
    raise KeyError(name)


JOBS = ("read", "plan", "scan", "render", "stamp")
__all__ = ["JOBS", "OTHER_CODE", "STAMP", "lower_priority", "receive", "send", "serve"]


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    while True:
        try:
            request = receive(stdin)
        except EOFError:
            return
        if not request:
            return
        job, root, payload, *stamp = request
        if job == "stamp":  # which code this worker runs (packaging's check of a built app asks)
            send(stdout, STAMP)
        elif stamp != [STAMP]:  # started by a process running other code (Masthead was updated meanwhile)
            send(stdout, OTHER_CODE)
        else:
            send(stdout, _job(job)(root, payload))


def lower_priority() -> None:
    """Workers are background work: let the window (and everything else) have the CPU first."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(5)


if __name__ == "__main__":
    lower_priority()
    serve(sys.stdin.buffer, sys.stdout.buffer)
