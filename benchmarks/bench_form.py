"""Opening files in the form on a big archive: time from request to form built, and the longest GUI-thread gap
(10 ms heartbeat) while opening files, typing in a picker and saving.

    PYTHONPATH=app QT_QPA_PLATFORM=offscreen python benchmarks/bench_form.py /work/wt/data/realistic
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from masthead.core.index import ArchiveIndex
from masthead.core.vocabulary import build_vocabulary
from masthead.ui.form import FormPane
from masthead.ui.preview import PreviewPane


class Heartbeat:
    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def start(self) -> None:
        self.longest = 0
        self.clock.start()
        self.timer.start()


def spin(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)


def main(root: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    index = ArchiveIndex(root)
    for _ in index.build():
        pass
    records = list(index.records.values())
    vocab = build_vocabulary(records)
    vocabulary = {**{f: dict(c) for f, c in vocab.choices.items()}, **{f: dict(c) for f, c in vocab.lists.items()}}
    print("vocabulary:", {f: len(v) for f, v in vocabulary.items() if len(v) > 100}, sum(map(len, vocabulary.values())))
    form, preview = FormPane(), PreviewPane()
    form.resize(600, 900)
    form.show()
    preview.show()
    form.vocabulary = vocabulary
    spin(app, 3)  # the pickers' indexes warm up off the GUI thread
    beat = Heartbeat()
    picks = random.Random(1).sample([r.path for r in records], 30)
    opened: list[float] = []
    built: list[float] = []
    beat.start()
    for rel in picks:
        start = time.perf_counter()
        done: list[float] = []
        form.loaded.connect(lambda d=done: d.append(time.perf_counter()))
        form.open(root, rel)
        while not done:
            app.processEvents()
        built.append((done[0] - start) * 1000)
        doc = form.doc
        rendered: list[bool] = []
        preview.rendered.connect(lambda r=rendered: r.append(True))
        if doc is not None:
            preview.show_text(rel, doc.body_text, (root / rel).parent, root, [], None)
            while not rendered:
                app.processEvents()
        preview.rendered.disconnect()
        opened.append((time.perf_counter() - start) * 1000)
        form.loaded.disconnect()
        spin(app, 0.15)
    print(f"open file -> form built: median {sorted(built)[15]:.0f} ms, max {max(built):.0f} ms")
    print(f"open file -> form built and preview rendered: median {sorted(opened)[15]:.0f} ms, max {max(opened):.0f} ms")
    print(f"longest GUI gap while opening 30 files: {beat.longest} ms")
    tags = form.editors.get("tags")
    beat.start()
    if tags is not None:
        tags.input.setFocus()  # type: ignore[attr-defined]
        for ch in "data":
            tags.input.insert(ch)  # type: ignore[attr-defined]
            tags.input.textEdited.emit(tags.input.text())  # type: ignore[attr-defined]
            app.processEvents()
    print(f"longest GUI gap typing in the tags picker: {beat.longest} ms")
    title = form.editors.get("title")
    beat.start()
    if title is not None:
        from PySide6.QtTest import QTest

        title.setFocus()
        QTest.keyClicks(title, " typed in the title")
        spin(app, 0.3)
    print(f"longest GUI gap typing 19 characters in the title: {beat.longest} ms")
    beat.start()
    if title is not None:
        form.controller.edit("title", str(form.doc.data.get("title", "")) + " x", True)  # type: ignore[union-attr]
        saved: list[str] = []
        form.saved.connect(saved.append)
        form.save()
        while not saved:
            app.processEvents()
        form.show_document(
            form.doc, root, form.rel, vocabulary={**vocabulary, "tags": dict(Counter(vocabulary["tags"]))}
        )
        spin(app, 1)
    print(f"longest GUI gap saving (and re-showing with a new vocabulary): {beat.longest} ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
