"""Worker processes: the pipe protocol and a pool that runs one job over many payloads in child processes.

Each request is ``(job, root, payload)`` and each reply a list of rows, both as length-prefixed marshal dumps
(plain data only); an empty request ends a worker. The child side is ``masthead.core.index_worker``, which
knows the jobs; this module knows none of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from queue import Empty, Queue
from typing import IO, Any, TypeVar

from masthead.core.errors import MastheadError

R = TypeVar("R")

_LEN = struct.Struct("<Q")
_STOPPED = object()  # a pump's last word on the results queue
OTHER_CODE = ("masthead: other code",)  # a worker's reply to a request from a process running other code
UPDATED = "Masthead was updated while it was running: quit it and start it again to use the new version"


def _code_stamp() -> str:
    """The Masthead code this process runs: its version and its module files' sizes and times, read when
    this module is first imported. A worker started after an upgrade runs other code than the window that
    started it (its rows did not fit: "too many values to unpack"); the two compare stamps."""
    from masthead import __version__

    parts = [__version__]
    stack = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
    while stack:  # (os.scandir: pathlib's rglob took ~2 ms at every start of a worker)
        folder = stack.pop()
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
                elif entry.is_dir() and entry.name != "__pycache__":
                    stack.append(entry.path)
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:16]


STAMP = _code_stamp()


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


_other_code = threading.Event()  # a worker started by this process ran other code (see other_code_seen)


def other_code_seen() -> bool:
    """Whether a worker of ``run_parallel`` was found running other code than this process (Masthead was
    updated while it ran): that work was done in this process instead (slower, and still right); the host
    should say that a restart takes the new version."""
    return _other_code.is_set()


def _reply(reply: Any) -> Any:
    if reply == OTHER_CODE:
        raise MastheadError(UPDATED)
    return reply


def worker_command() -> list[str]:
    if getattr(sys, "frozen", False):  # a packaged app: the executable dispatches this flag itself
        return [sys.executable, "--index-worker"]
    return [sys.executable, "-m", "masthead.core.index_worker"]


Process = subprocess.Popen[bytes]


def start_workers(count: int) -> list[Process]:
    """``count`` worker processes, started (they take ~50 ms to be ready: start them before they are needed)."""
    return [subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(count)]


def stop_workers(procs: list[Process]) -> None:
    """End workers that were started and not used (or are done)."""
    for proc in procs:
        with contextlib.suppress(OSError, ValueError):
            if proc.stdin is not None:
                send(proc.stdin, None)
                proc.stdin.close()
    for proc in procs:
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def run_parallel(
    job: str,
    local: Callable[[str, Any], R],
    root: str,
    payloads: list[Any],
    workers: int,
    cancel: threading.Event | None = None,
    local_first: bool = True,
    started: list[Process] | None = None,
) -> Iterator[R]:
    """Run ``job`` on every payload in ``workers`` child processes; yield each reply as it is done.

    A worker found running other code than this process (Masthead updated while it ran) is not used: its
    pump does the jobs here, with ``local`` (``other_code_seen`` then says so). That is right but costs this
    process the work (a window then stutters while it reads: it says to restart).

    With ``local_first`` the first payload is done here, by ``local`` (the function the workers run for
    ``job``), while the workers start (fastest overall); without, every payload goes to a worker, so that this
    process does none of the work (a window's threads must not hold the GIL for long: every one of the GUI
    thread's calls into Python would wait for it). A worker that dies is reported as an error. ``started``:
    workers already started (``start_workers``), used first; they are ended here too.
    """
    here = 1 if local_first else 0
    jobs: Queue[Any] = Queue()
    for payload in payloads[here:]:
        jobs.put(payload)
    results: Queue[Any] = Queue()
    wanted = max(1, min(workers, len(payloads) - here))
    procs = list(started or [])[:wanted]
    stop_workers(list(started or [])[wanted:])
    procs += start_workers(wanted - len(procs))

    job_name = job

    def pump(proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        other = False  # the worker runs other code (Masthead was updated meanwhile): the jobs are done here
        try:
            while not (cancel and cancel.is_set()):
                try:
                    payload = jobs.get_nowait()  # one call: another pump may take the last job meanwhile
                except Empty:
                    break
                if not other:
                    send(proc.stdin, (job_name, root, payload, STAMP))
                    reply = receive(proc.stdout)
                    other = reply == OTHER_CODE
                    if not other:
                        results.put(reply)
                        continue
                    _other_code.set()  # (its answer would not fit this code: a window's refresh was lost)
                results.put(local(root, payload))
        except BaseException as exc:
            results.put(exc)
        finally:
            results.put(_STOPPED)
            try:
                send(proc.stdin, None)
                proc.stdin.close()
            except OSError:
                pass

    threads = [threading.Thread(target=pump, args=(p,), daemon=True) for p in procs]
    for thread in threads:
        thread.start()
    try:
        if local_first:
            yield local(root, payloads[0])
        expected, running = len(payloads) - here, len(threads)
        while expected:
            if cancel and cancel.is_set():
                return
            item = results.get()
            if item is _STOPPED:
                running -= 1
                if not running:  # every pump ended (cancelled, or a worker failed: reported before this)
                    if cancel and cancel.is_set():
                        return
                    raise RuntimeError(f"the worker processes stopped with {expected} replies missing")
                continue
            if isinstance(item, MastheadError):
                raise item
            if isinstance(item, BaseException):
                raise RuntimeError(f"a worker process failed: {item}") from item
            expected -= 1
            yield item
    finally:
        with contextlib.suppress(Empty):  # nothing more for the workers; they finish their chunk and stop
            while True:
                jobs.get_nowait()
        for proc in procs:
            if proc.poll() is None:
                try:
                    proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for thread in threads:
            thread.join(timeout=2)


class Worker:
    """One long-lived worker process for small jobs asked for one at a time (e.g. rendering a transcript
    for the preview): the caller's thread only waits on a pipe, so the work holds no GIL in this process.

    Started on first use; a worker that fails is replaced on the next call, and the call raises. Safe to
    call from several threads (one call at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None

    def call(self, job: str, root: str, payload: Any) -> Any:
        with self._lock:
            proc = self._proc
            if proc is None or proc.poll() is not None:
                proc = self._proc = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert proc.stdin is not None and proc.stdout is not None
            try:
                send(proc.stdin, (job, root, payload, STAMP))
                return _reply(receive(proc.stdout))
            except (OSError, EOFError, ValueError) as exc:
                self._stop(proc)
                raise RuntimeError(f"the worker process failed: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            if self._proc is not None:
                self._stop(self._proc)

    def _stop(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = None
        with contextlib.suppress(OSError, ValueError):
            if proc.stdin is not None:
                send(proc.stdin, None)
                proc.stdin.close()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
