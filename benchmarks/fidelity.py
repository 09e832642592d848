"""Measure save fidelity: no-op saves must be byte-identical, one-key edits must touch only that key.

    python benchmarks/fidelity.py [FILE|FOLDER...]

Default: the project's fixtures (tests/fixtures/good) and ../shared/samples. For every file it (a) sets
every key to its current value and compares the bytes, and (b) for every key and several kinds of edit
(change, empty, add/remove list items, flip booleans, shift dates...) checks that the only lines that
differ lie in that key's lines, that the result reads back as intended with ruamel.yaml (YAML 1.2) and
that a YAML 1.1 reader (PyYAML) reads the edited key the same way. Key lines are found with a plain
regular expression, independently of Masthead's own splicing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.fidelity import Report, check_edit, edits_for, file_lines, key_spans, measure

from masthead.core.scan import iter_markdown

__all__ = ["Report", "check_edit", "edits_for", "file_lines", "key_spans", "measure"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = [ROOT / "tests" / "fixtures" / "good", ROOT.parent / "shared" / "samples"]


def expand(args: Iterable[Path]) -> Iterator[Path]:
    for arg in args:
        if arg.is_dir():
            yield from iter_markdown(arg)
        elif arg.exists():
            yield arg


def main(argv: list[str]) -> int:
    paths = list(expand([Path(a) for a in argv] or DEFAULT_PATHS))
    report = measure(paths)
    for failure in report.failures:
        print("FAIL", failure)
    print(f"files: {report.files}")
    print(
        f"no-op saves byte-identical: {report.noop_identical}/{report.noop_total} "
        f"({100 * report.noop_identical / max(report.noop_total, 1):.1f}%)"
    )
    print(
        f"one-key edits confined to that key: {report.edit_confined}/{report.edit_total} "
        f"({100 * report.edit_confined / max(report.edit_total, 1):.1f}%)"
    )
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
