"""A very large transcript in the preview: the GUI thread's worst stall while it is shown, and the time until
all of it is shown.

    python benchmarks/bench_preview_large.py [--mb 10.5] [--kind headings|paragraphs|one-paragraph]

A timer ticks every 5 ms on the GUI thread; the worst gap between ticks is the longest the window froze.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from masthead.ui.preview import PreviewPane


def transcript(kind: str, size: int) -> str:
    if kind == "headings":
        section = "\n### Section\n\n**[Host]**: " + "words and more words " * 200 + "\n\n**[Guest]**: a reply\n"
        return section * (size // len(section) + 1)
    if kind == "paragraphs":
        turn = "\n\n**[Host]**: " + "word " * 400
        return turn * (size // len(turn) + 1)
    return "word " * (size // 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.5)
    parser.add_argument("--kind", choices=("headings", "paragraphs", "one-paragraph"), default="paragraphs")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    text = transcript(args.kind, int(args.mb * 1_000_000))
    pane = PreviewPane()
    pane.resize(800, 900)
    pane.show()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    done: list[float] = []
    pane.rendered.connect(lambda: done.append(time.perf_counter()))
    loop = QEventLoop()
    start = time.perf_counter()
    pane.show_text("header", text, None, None)
    while not done and time.perf_counter() - start < 300:
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    shown = f"{done[0] - start:.2f} s" if done else "not within 300 s"
    stall = max(gaps) * 1000
    print(f"{args.kind}, {len(text) / 1e6:.1f} M characters: all shown after {shown}; worst GUI stall {stall:.0f} ms")
    del app


if __name__ == "__main__":
    main()
