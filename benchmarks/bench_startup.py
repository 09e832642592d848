"""Start-up time: from launching ``masthead --sample`` to the window shown, and to the sample archive loaded.

python benchmarks/bench_startup.py [--runs 5] [--binary build/dist/masthead/masthead] [--platform xcb]

(``xvfb-run -a python benchmarks/bench_startup.py --platform xcb`` measures a real X11 window.)

Each run is a fresh process (offscreen); the first run also copies the sample archive (a first start).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", type=Path, help="a packaged app to measure instead of python -m masthead")
    parser.add_argument("--platform", default="offscreen", help="Qt platform plugin (offscreen, xcb, wayland)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masthead-startup-"))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": args.platform,
        "XDG_CONFIG_HOME": str(work / "config"),
        "MASTHEAD_CACHE_DIR": str(work / "cache"),
        "MASTHEAD_DATA_DIR": str(work / "data"),
        "MASTHEAD_SAMPLE_DIR": str(work / "Sample"),
    }
    command = [str(args.binary)] if args.binary else [sys.executable, "-m", "masthead"]
    shown, loaded = [], []
    try:
        for run in range(args.runs):
            started = time.time()
            result = subprocess.run(
                [*command, "--sample", "--smoke-test"], env=env, capture_output=True, text=True, timeout=120
            )
            ended = time.time()
            match = re.search(r"\(at ([0-9.]+)\)", result.stdout)
            if result.returncode != 0 or match is None:
                sys.exit(f"run {run + 1} failed: {result.stdout}{result.stderr}")
            shown.append(float(match.group(1)) - started)
            loaded.append(ended - started)
            kind = "first start (copies the sample)" if run == 0 else "later start"
            print(
                f"run {run + 1}: window shown {shown[-1]:.2f} s, archive loaded and quit {loaded[-1]:.2f} s  [{kind}]"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"median of {args.runs}: window shown {statistics.median(shown):.2f} s (max {max(shown):.2f} s), "
        f"sample loaded {statistics.median(loaded):.2f} s"
    )


if __name__ == "__main__":
    main()
