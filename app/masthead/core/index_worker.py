"""Index worker process: reads chunks of files into records for the parent, over stdin and stdout.

Started as ``python -m masthead.core.index_worker``. Each request is ``(job, root, payload)`` and each
reply a list of rows, both as length-prefixed marshal dumps (plain data only); an empty request ends it.
Jobs: ``read`` takes ``[(relpath, size, mtime_ns), ...]`` and answers cache rows ``(relpath, size,
mtime_ns, encoded record)`` (the parent decodes each record once and stores the bytes as they are);
``plan`` takes ``(edit spec, [relpath, ...], list indent)`` and answers the planned bulk edit of each file.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from queue import Queue
from typing import IO, Any

from masthead.core.reader import read_rows

_LEN = struct.Struct("<Q")
Row = tuple[str, int, int, bytes]


def send(stream: IO[bytes], obj: Any) -> None:
    data = marshal.dumps(obj)
    stream.write(_LEN.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    head = stream.read(_LEN.size)
    if len(head) < _LEN.size:
        raise EOFError("index worker closed its pipe")
    size = _LEN.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("index worker closed its pipe")
    return marshal.loads(data)


def worker_command() -> list[str]:
    if getattr(sys, "frozen", False):  # a packaged app: the executable dispatches this flag itself
        return [sys.executable, "--index-worker"]
    return [sys.executable, "-m", "masthead.core.index_worker"]


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    while True:
        try:
            request = receive(stdin)
        except EOFError:
            return
        if not request:
            return
        job, root, payload = request
        send(stdout, JOBS[job](root, payload))


def _plan_rows(root: str, payload: Any) -> list[Any]:
    from masthead.core.bulk import plan_rows  # bulk uses this module to plan in parallel

    spec, rels, list_indent = payload
    return plan_rows(root, rels, spec, list_indent)


JOBS: dict[str, Callable[[str, Any], list[Any]]] = {"read": read_rows, "plan": _plan_rows}


def read_parallel(
    root: str, chunks: list[list[tuple[str, int, int]]], workers: int, cancel: threading.Event | None = None
) -> Iterator[list[Row]]:
    """Cache rows of every chunk, read by ``workers`` child processes, yielded as each chunk is done."""
    return run_parallel("read", root, chunks, workers, cancel)


def run_parallel(
    job: str, root: str, payloads: list[Any], workers: int, cancel: threading.Event | None = None
) -> Iterator[list[Any]]:
    """Run ``job`` on every payload in ``workers`` child processes; yield each reply as it is done.

    The first payload is done here while the workers start. A worker that dies is reported as an error.
    """
    jobs: Queue[Any] = Queue()
    for payload in payloads[1:]:
        jobs.put(payload)
    results: Queue[list[Any] | BaseException] = Queue()
    procs = [
        subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for _ in range(max(1, min(workers, len(payloads) - 1)))
    ]

    job_name = job

    def pump(proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            while not (cancel and cancel.is_set()):
                job = jobs.get_nowait() if not jobs.empty() else None
                if job is None:
                    break
                send(proc.stdin, (job_name, root, job))
                results.put(receive(proc.stdout))
        except BaseException as exc:
            results.put(exc)
        finally:
            try:
                send(proc.stdin, None)
                proc.stdin.close()
            except OSError:
                pass

    threads = [threading.Thread(target=pump, args=(p,), daemon=True) for p in procs]
    for thread in threads:
        thread.start()
    try:
        yield JOBS[job](root, payloads[0])
        for _ in range(len(payloads) - 1):
            if cancel and cancel.is_set():
                return
            item = results.get()
            if isinstance(item, BaseException):
                raise RuntimeError(f"a worker process failed: {item}") from item
            yield item
    finally:
        while not jobs.empty():  # nothing more for the workers; they finish their chunk and stop
            jobs.get_nowait()
        for proc in procs:
            if proc.poll() is None:
                try:
                    proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for thread in threads:
            thread.join(timeout=2)


def lower_priority() -> None:
    """Workers are background work: let the window (and everything else) have the CPU first."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(5)


if __name__ == "__main__":
    lower_priority()
    serve(sys.stdin.buffer, sys.stdout.buffer)
