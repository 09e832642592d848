"""Print the figures of an archive: files, body sizes, front-matter sizes and keys, folders, vocabulary
(distinct values per list field) and near-duplicate groups (masthead.core.vocabulary's grouping).

    python benchmarks/archive_stats.py DIR
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from masthead.core.records import CHOICE_FIELDS
from masthead.core.vocabulary import Vocabulary


def pct(values: list[int], p: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    root = Path(sys.argv[1])
    sizes: list[int] = []
    front: list[int] = []
    keys: list[int] = []
    folders: Counter[str] = Counter()
    vocab = Vocabulary()
    per_file: Counter[str] = Counter()
    broken = 0
    for path in sorted(root.rglob("*.md")):
        data = path.read_bytes()
        sizes.append(len(data))
        folders[str(path.parent.relative_to(root))] += 1
        text = data.decode("utf-8").replace("\r\n", "\n")
        end = text.find("\n---\n", 4)
        head = text[4:end]
        front.append(len(head.encode()))
        try:
            meta = yaml.load(head, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            broken += 1
            continue
        keys.append(len(meta))
        for key, value in meta.items():
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                vocab.lists.setdefault(key, Counter()).update(set(value))
                per_file[key] += len(value)
            elif key in CHOICE_FIELDS and isinstance(value, str) and value:
                vocab.choices.setdefault(key, Counter())[value] += 1
    n = len(sizes)
    print(f"files {n:,}  total {sum(sizes) / 1e6:.0f} MB  broken {broken}")
    print(
        f"size mean {statistics.mean(sizes) / 1e3:.1f} KB  median {statistics.median(sizes) / 1e3:.1f} KB  "
        f"p99 {pct(sizes, 0.99) / 1e3:.0f} KB  max {max(sizes) / 1e6:.2f} MB  over 1 MB {sum(s > 1e6 for s in sizes)}"
    )
    print(f"front matter median {statistics.median(front) / 1e3:.2f} KB  keys median {statistics.median(keys)}")
    print("folders " + ", ".join(f"{name}: {c:,}" for name, c in folders.most_common()))
    total = 0
    for name in vocab.fields:
        counts = vocab.counts(name)
        total += len(counts)
        once = sum(1 for c in counts.values() if c <= 2)
        top = counts.most_common(3)
        print(
            f"{name:16} distinct {len(counts):6,}  per file {per_file[name] / n:4.2f}"
            f"  used <=2x {once / len(counts):4.0%}  top {[c for _, c in top]}"
        )
    groups = vocab.near_duplicates()
    print(f"vocabulary values {total:,}  near-duplicate groups {len(groups)} " + str(Counter(g.field for g in groups)))
    for group in groups[:5]:
        print("   ", group.field, group.values)


if __name__ == "__main__":
    main()
