"""git speed on a realistic archive: ``git status`` of 10,000 files after one change, and a commit of 1,000
changed files, both as the window and the CLI run them (``core.git_status.status``, ``core.git_ops.commit``).

The archive is copied into a fresh repository in a temporary folder (committed once), so DIR is never touched.

python benchmarks/bench_git.py [--archive DIR] [--files 10000] [--commit 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.realistic import make_realistic_archive
from masthead.core import git_ops
from masthead.core.git_status import Repo, locate, status


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--commit", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        if args.archive:
            shutil.copytree(args.archive, root)
        else:
            make_realistic_archive(root, args.files)
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.name", "Bench")
        git(root, "config", "user.email", "bench@example.org")
        git(root, "config", "commit.gpgsign", "false")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "archive")
        repo = locate(root)
        assert isinstance(repo, Repo), repo
        files = sorted(p for p in root.rglob("*.md"))
        print(f"{len(files)} files in the repository")
        first = files[0]
        first.write_bytes(first.read_bytes() + b"\n")
        status(repo)  # git refreshes its index once after a copy; the editor's case is the next status
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            st = status(repo)
            times.append(time.perf_counter() - start)
        assert len(st.files) == 1
        print(f"status after one change: median {statistics.median(times) * 1000:.0f} ms (of {args.repeat})")
        chosen = files[1 : args.commit + 1]
        rels = [p.relative_to(root).as_posix() for p in chosen]
        commits = []
        for round_ in range(args.repeat):
            for p in chosen:
                p.write_bytes(p.read_bytes() + b"\n")
            start = time.perf_counter()
            git_ops.commit(repo, rels, f"Tag: round {round_}")
            commits.append(time.perf_counter() - start)
        print(f"commit of {len(rels)} changed files: median {statistics.median(commits):.2f} s (of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
