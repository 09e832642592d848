"""Index worker process: reads chunks of files into records for the parent, over stdin and stdout.

Started as ``python -m masthead.core.index_worker``. Each request is ``(root, [(relpath, size, mtime_ns),
...])`` and each reply a list of cache rows ``(relpath, size, mtime_ns, encoded record)``, both as
length-prefixed marshal dumps (plain data only); an empty request ends it. Sending the cache form means
the parent decodes each record once and stores the bytes as they are.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
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
        root, chunk = request
        send(stdout, read_rows(root, chunk))


def read_parallel(
    root: str, chunks: list[list[tuple[str, int, int]]], workers: int, cancel: threading.Event | None = None
) -> Iterator[list[Row]]:
    """Cache rows of every chunk, read by ``workers`` child processes, yielded as each chunk is done.

    The first chunk is read here while the workers start. A worker that dies is reported as an error.
    """
    jobs: Queue[list[tuple[str, int, int]] | None] = Queue()
    for chunk in chunks[1:]:
        jobs.put(chunk)
    results: Queue[list[Row] | BaseException] = Queue()
    procs = [
        subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for _ in range(max(1, min(workers, len(chunks) - 1)))
    ]

    def pump(proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            while not (cancel and cancel.is_set()):
                job = jobs.get_nowait() if not jobs.empty() else None
                if job is None:
                    break
                send(proc.stdin, (root, job))
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
        yield read_rows(root, chunks[0])
        for _ in range(len(chunks) - 1):
            if cancel and cancel.is_set():
                return
            item = results.get()
            if isinstance(item, BaseException):
                raise RuntimeError(f"an index worker failed: {item}") from item
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
