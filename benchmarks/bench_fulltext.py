"""Full-text search speed on an archive: the cold index, building the full-text index, then ``body:`` queries
answered from it (warm) against reading every transcript, and the index's size on disk.

python benchmarks/bench_fulltext.py --archive DIR [--cache CACHE]   (DIR from make_archive.py DIR --realistic)

With ``--cache`` the index cache and the full-text index are kept there: a second run measures the queries in
a fresh process on a warm index (nothing to build). Each query's figure is the full-text index's answer (its
paths), then with matching every record against it (the query as the CLI and the window run it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from masthead.core.index import ArchiveIndex
from masthead.core.query import parse_query

# words of the realistic archive (make_archive.py --realistic): rare, common and everywhere, Chinese and English
QUERIES = ["生织况我", "芯片", "芯", "hardest long", "latency", "the", "Viond Inc", "nothing-matches-this"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="keep the caches here (a second run finds them warm)")
    args = parser.parse_args()
    work = args.cache or Path(tempfile.mkdtemp(prefix="masthead-fts-"))
    os.environ["MASTHEAD_CACHE_DIR"] = str(work)
    try:
        t = time.perf_counter()
        index = ArchiveIndex(args.archive).open()
        cold = time.perf_counter() - t
        t = time.perf_counter()
        count = index.update_text()
        build = time.perf_counter() - t
        size = sum(p.stat().st_size for p in work.glob("fulltext-*"))
        state = "cold" if index.stats.from_cache == 0 else "warm"
        print(f"{state} index: {cold:.2f} s; full-text index of {count:,} transcripts: {build:.2f} s "
              f"({100 * build / cold:.0f} % of the index), {size / 1e6:.0f} MB on disk")  # fmt: skip
        t = time.perf_counter()
        assert index.update_text() == 0
        print(f"up to date check: {1000 * (time.perf_counter() - t):.0f} ms")
        for text in QUERIES:
            query = parse_query(f'body:"{text}"')
            times, answers = [], []
            for _ in range(7):
                t = time.perf_counter()
                found = {v: index.text_index().paths(v) for v in query.body_texts}
                answers.append(time.perf_counter() - t)
                hits = query.matching_paths(index.records.values(), None, found)
                times.append(time.perf_counter() - t)
            print(f"body:{text!r}: {len(hits):,} files, median {1000 * statistics.median(answers):.1f} ms "
                  f"(with every record matched {1000 * statistics.median(times):.1f} ms)")  # fmt: skip
        query = parse_query('body:"liquid cooling"')
        t = time.perf_counter()
        slow = [r for r in index.records.values() if query.matches(r, index.body)]
        print(f"the same query reading every file: {time.perf_counter() - t:.2f} s ({len(slow):,} files)")
        index.close()
    finally:
        if args.cache is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
