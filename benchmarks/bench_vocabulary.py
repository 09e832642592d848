"""Time the vocabulary on an archive: a full build, and incremental updates after a save and a bulk tag.

python benchmarks/bench_vocabulary.py /work/wt/data/realistic
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from masthead.core.index import ArchiveIndex
from masthead.core.records import Record
from masthead.core.vocabulary import build_vocabulary


def main(root: Path) -> None:
    index = ArchiveIndex(root).open()
    records = list(index.records.values())
    start = time.perf_counter()
    vocab = build_vocabulary(records)
    built = time.perf_counter() - start
    sizes = {f: len(c) for f, c in vocab.lists.items()}
    print(
        f"{len(records):,} files, {sum(sizes.values()):,} list values {sizes}, "
        f"{len(vocab.near_duplicates())} near-duplicate groups"
    )
    print(f"full build: {built * 1000:.0f} ms")
    for n in (1, 1000):
        old = records[:n]
        new = [
            Record(r.path, r.size, r.mtime_ns, {**r.meta, "tags": [*r.meta.get("tags", []), "bench-new-tag"]})
            for r in old
        ]
        start = time.perf_counter()
        delta = vocab.update(old, new)
        took = time.perf_counter() - start
        print(f"update of {n:,} file(s) (one tag added): {took * 1000:.1f} ms, {len(delta.lists):,} entries changed")
        vocab.update(new, old)
    index.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
