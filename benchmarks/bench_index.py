"""Index speed on a synthetic archive, all in one run.

    python benchmarks/bench_index.py [--files 10000] [--archive DIR]

Measures, on the same files: the raw read of all bytes (the floor), a plain python-frontmatter loop (what
a user would script), Masthead's cold index (no cache), the time to the first 500 records, the warm reopen
(cache hit: stat only) and the peak memory of this process and its workers. The archive is made with
make_archive.py in a temporary folder unless --archive is given.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import frontmatter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.make_archive import make_archive
from masthead.core.index import ArchiveIndex
from masthead.core.scan import iter_markdown


def peak_mb() -> float:
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale / 1e6 * 1024


class WorkerPeak(threading.Thread):
    """The largest peak memory (VmHWM) of this process's children, sampled from /proc while they run (the
    children's ru_maxrss counts the parent's pages between fork and exec, so it reports the parent's size)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        me = f"PPid:\t{os.getpid()}\n"
        while not self.stopped.wait(0.1):
            for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
                if pid.isdigit():
                    try:
                        status = Path(f"/proc/{pid}/status").read_text()
                    except OSError:
                        continue
                    if me in status and "VmHWM:" in status:
                        self.peak_kb = max(self.peak_kb, int(status.split("VmHWM:")[1].split()[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--archive", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    os.environ["MASTHEAD_CACHE_DIR"] = str(work / "cache")
    archive = args.archive
    if archive is None:
        archive = work / "archive"
        make_archive(archive, args.files)
    paths = list(iter_markdown(archive))
    n = len(paths)
    rows = []

    for p in paths:  # warm the page cache so that every phase below reads from memory alike
        p.read_bytes()
    t = time.perf_counter()
    total = sum(len(p.read_bytes()) for p in paths)
    floor = time.perf_counter() - t
    rows.append(("raw read of all bytes (floor)", floor))

    t = time.perf_counter()
    loaded = []
    for p in paths:
        try:
            loaded.append(frontmatter.load(p).metadata)
        except Exception:
            loaded.append({})
    fm_loop = time.perf_counter() - t
    rows.append(("python-frontmatter loop", fm_loop))
    del loaded

    index = ArchiveIndex(archive)
    workers = WorkerPeak()
    workers.start()
    t = time.perf_counter()
    first = None
    count = 0
    for batch in index.build():
        count += len(batch)
        if first is None and count >= 500:
            first = time.perf_counter() - t
    cold = time.perf_counter() - t
    workers.stopped.set()
    index.close()
    rows.append(("Masthead cold index (parallel, no cache)", cold))
    rows.append(("  first 500 records available after", first or cold))
    errors = sum(1 for r in index.records.values() if r.error)

    t = time.perf_counter()
    warm_index = ArchiveIndex(archive).open()
    warm = time.perf_counter() - t
    rows.append(("Masthead warm reopen (cache)", warm))
    assert warm_index.stats.from_cache == n, warm_index.stats

    print(f"{n} files, {total / 1e6:.1f} MB, {errors} with errors; {os.cpu_count()} CPUs")
    for label, seconds in rows:
        print(f"{label:45s} {seconds:8.3f} s  {n / seconds:10.0f} files/s")
    print(f"cold index vs python-frontmatter loop: {fm_loop / cold:.2f}x faster ({cold / fm_loop:.2f}x its time)")
    print(f"warm reopen / cold index: {100 * warm / cold:.1f}%")
    worker = f"{workers.peak_kb / 1024:.0f} MB" if workers.peak_kb else "not measured (no /proc)"
    print(f"peak memory: {peak_mb():.0f} MB (this process, all phases), {worker} (largest worker)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
