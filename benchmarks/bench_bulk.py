"""Bulk edit speed, each complete (plan, journal, fsync'd atomic writes), then undone.

1. add one tag to N files (default 1,000);
   then to every file;
2. rename a tag used in 1,000 of the files of a 10,000-file archive: planned on those 1,000 files (as the
   taxonomy does), then on all 10,000 (as ``masthead tag rename ... --all`` does).

On a realistic archive (``--archive DIR``, one made by ``make_archive.py DIR --realistic``; every change is
undone afterwards, so DIR ends as it was; without it one is made in a temporary folder).

Then the share of parsing, rendering (splice + verify) and writing, measured serially on 200 files.

python benchmarks/bench_bulk.py [--files 1000] [--archive DIR] [--skip-all] [--skip-rename]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.realistic import make_realistic_archive
from masthead.core import bulk, storage
from masthead.core.index import ArchiveIndex
from masthead.core.operations import Edit, add, apply_edit, rename
from masthead.core.scan import stat_files


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    elapsed = time.perf_counter() - t
    return result, elapsed


def run(root: Path, rels: list[str], edit: Edit, title: str, extra: float = 0.0) -> None:
    plan, planned = timed(bulk.plan, root, rels, edit)
    held = sum(len(c.old_head) + len(c.new_head) for c in plan.changes)  # what a dialog keeps while open
    report, applied = timed(bulk.apply, plan)
    assert report.journal is not None and not report.failed
    undone, undo_time = timed(bulk.undo, report.journal)
    total = extra + planned + applied
    print(f"{title}: {len(report.changed)} changed of {len(rels)} planned")
    if extra:
        print(f"  select (warm index + query):  {extra:6.2f} s ({100 * extra / total:.0f} %)")
    print(f"  plan (parallel read, parse, splice, verify): {planned:6.2f} s ({100 * planned / total:.0f} %)")
    print(f"  apply (journal + fsync'd atomic writes):     {applied:6.2f} s ({100 * applied / total:.0f} %)")
    print(f"  total {total:.2f} s; undo {undo_time:.2f} s ({len(undone.changed)} restored)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  the plan holds {held / 1e6:.1f} MB of file heads; peak memory of this process so far {peak:.0f} MB")


def shares(root: Path, rels: list[str], edit: Edit) -> None:
    parse = render = write = 0.0
    for rel in rels:
        t0 = time.perf_counter()
        doc = storage.load(root / rel)
        t1 = time.perf_counter()
        if not doc.editable:
            continue
        sets, _ = apply_edit(doc.data, edit)
        for key, value in sets.items():
            doc.set(key, value)
        new = doc.to_bytes()
        t2 = time.perf_counter()
        assert doc.snapshot is not None
        snap = storage.write_atomic(root / rel, new, doc.snapshot)
        storage.write_atomic(root / rel, doc.raw, snap)  # put it back (not timed)
        t3 = time.perf_counter()
        parse, render, write = parse + t1 - t0, render + t2 - t1, write + (t3 - t2) / 2
    total = parse + render + write
    print(
        f"serial, per file over {len(rels)} files: parse {1000 * parse / len(rels):.1f} ms "
        f"({100 * parse / total:.0f} %), render+verify {1000 * render / len(rels):.1f} ms "
        f"({100 * render / total:.0f} %), "
        f"fsync'd write {1000 * write / len(rels):.1f} ms ({100 * write / total:.0f} %)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--archive", type=Path, help="a realistic archive from make_archive.py --realistic")
    parser.add_argument("--skip-all", action="store_true", help="skip adding a tag to every file")
    parser.add_argument("--skip-rename", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masthead-bulk-", dir=os.environ.get("BENCH_DIR")))
    os.environ["MASTHEAD_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("MASTHEAD_CACHE_DIR", str(work / "cache"))
    try:
        big = args.archive
        if big is None:
            big = work / "big"
            make_realistic_archive(big, 10_000)
        every = [r for r, _, _ in stat_files(big)]
        some = every[: args.files]
        run(big, some, add("tags", ["weekly-digest"]), f"add one tag to {len(some):,} files")
        shares(big, some[:200], add("tags", ["weekly-digest"]))
        if not args.skip_all:
            run(big, every, add("tags", ["weekly-digest"]), f"add one tag to all {len(every):,} files")
        if args.skip_rename:
            return
        # give 1,000 files (every tenth) a tag of their own first; not timed, undone at the end
        setup = bulk.apply(bulk.plan(big, every[::10][:1000], add("tags", ["bench-target"])))
        ArchiveIndex(big).open().close()  # the window has the index already: warm it
        t = time.perf_counter()
        index = ArchiveIndex(big).open()
        index.close()
        chosen = sorted(r.path for r in index.records.values() if "bench-target" in (r.meta.get("tags") or []))
        selected = time.perf_counter() - t
        title = f"rename a tag used in {len(chosen):,} of {len(index.records):,} files"
        run(big, chosen, rename("bench-target", "bench-renamed", "tags"), title, selected)
        run(
            big,
            every,
            rename("bench-target", "bench-renamed", "tags"),
            f"the same rename over all {len(every):,} files",
        )
        assert setup.journal is not None
        bulk.undo(setup.journal)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
