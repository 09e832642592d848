"""Preview speed: render a large transcript (about 200 KB) to HTML, and lay it out in a QTextBrowser.

    python benchmarks/bench_preview.py [--kb 200] [--runs 10]

Prints the median and worst times of render_markdown (runs off the GUI thread in the app) and of
QTextBrowser.setHtml (runs on the GUI thread).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.make_archive import PEOPLE, body
from masthead.core.render import render_markdown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(3)
    text = body(rng, True, PEOPLE[:2], ["Northwind Labs", "Kestrel"], args.kb * 1000 // 2)
    text += body(rng, False, PEOPLE[2:4], ["Northwind Labs", "Kestrel"], args.kb * 1000 // 2)
    size = len(text.encode())
    renders, layouts = [], []
    from PySide6.QtWidgets import QApplication

    from masthead.ui.preview import PreviewBrowser

    app = QApplication.instance() or QApplication([])
    browser = PreviewBrowser()
    browser.resize(480, 700)
    html = ""
    for _ in range(args.runs):
        t = time.perf_counter()
        html = render_markdown(text, ["Northwind Labs", "Kestrel"]).html
        renders.append(time.perf_counter() - t)
        t = time.perf_counter()
        browser.setHtml(html)
        app.processEvents()
        layouts.append(time.perf_counter() - t)
    print(f"transcript: {size / 1000:.0f} KB, HTML {len(html) / 1000:.0f} KB, {args.runs} runs")
    print(
        f"render_markdown (worker thread): median {1000 * statistics.median(renders):6.1f} ms, "
        f"worst {1000 * max(renders):6.1f} ms"
    )
    print(
        f"QTextBrowser.setHtml (GUI thread): median {1000 * statistics.median(layouts):6.1f} ms, "
        f"worst {1000 * max(layouts):6.1f} ms"
    )


if __name__ == "__main__":
    main()
