"""Bulk edit speed: add one tag to N files (plan, then journaled fsync'd atomic writes), then undo.

python benchmarks/bench_bulk.py [--files 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.make_archive import make_archive
from masthead.core import bulk
from masthead.core.operations import add
from masthead.core.scan import stat_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masthead-bulk-", dir=os.environ.get("BENCH_DIR")))
    os.environ["MASTHEAD_DATA_DIR"] = str(work / "data")
    root = work / "archive"
    make_archive(root, args.files)
    rels = [r for r, _, _ in stat_files(root)]
    t = time.perf_counter()
    plan = bulk.plan(root, rels, add("tags", ["weekly-digest"]))
    planned = time.perf_counter() - t
    t = time.perf_counter()
    report = bulk.apply(plan)
    applied = time.perf_counter() - t
    assert report.journal is not None
    t = time.perf_counter()
    undone = bulk.undo(report.journal)
    undo_time = time.perf_counter() - t
    total = planned + applied
    print(f"{len(rels)} files under {work}: {len(report.changed)} changed, {len(report.failed)} failed")
    print(f"plan (read, parse, splice, verify): {planned:6.2f} s  ({100 * planned / total:.0f} %)")
    print(f"apply (journal + fsync'd atomic writes): {applied:6.2f} s  ({100 * applied / total:.0f} %)")
    print(f"total: {total:.2f} s; undo: {undo_time:.2f} s ({len(undone.changed)} restored)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
