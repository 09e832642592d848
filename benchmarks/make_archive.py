"""Write a synthetic transcript archive shaped like real ones, for benchmarks and screenshots.

    python benchmarks/make_archive.py DEST N [--seed S]
    python benchmarks/make_archive.py DEST [N] --realistic [--seed S]

``--realistic`` writes an archive with the figures of a real one (10,000 files of ~38 KB, ~41,000
vocabulary values, ~600 near-duplicate groups): see benchmarks/realistic.py. Without it, the default
profile of tests/support/archive.py: 5-15 KB bodies, a small vocabulary, nested year/month folders.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.archive import PEOPLE, body, make_archive

__all__ = ["PEOPLE", "body", "make_archive"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--realistic", action="store_true", help="the figures of a real archive")
    args = parser.parse_args()
    began = time.perf_counter()
    if args.realistic:
        from benchmarks.realistic import make_realistic_archive

        paths = make_realistic_archive(args.dest, args.count, 12 if args.seed is None else args.seed)
    else:
        paths = make_archive(args.dest, args.count, 7 if args.seed is None else args.seed)
    size = sum(p.stat().st_size for p in paths)
    took = time.perf_counter() - began
    print(f"wrote {len(paths)} files ({size / 1e6:.1f} MB) under {args.dest} in {took:.1f} s")


if __name__ == "__main__":
    main()
