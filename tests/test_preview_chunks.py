"""A very long transcript is shown in pieces (the window never waits for all of it) and reads the same."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from masthead.core.render import render_markdown, renumbered, split_head
from masthead.ui.preview import ANCHOR_ROLE, PreviewPane, html_chunks


def long_body() -> str:
    turns = [f"**[Speaker {i % 7}]**: paragraph {i} says something about topic {i % 13}.\n\n" for i in range(6000)]
    return "## Opening\n\n" + "".join(turns[:3000]) + "## Later\n\n" + "".join(turns[3000:])


def blocks(pane: PreviewPane) -> list[tuple[str, int, float]]:
    """The document's blocks (paragraphs, headings...): text, heading level, top margin."""
    out, block = [], pane.browser.document().begin()
    while block.isValid():
        out.append((block.text(), block.blockFormat().headingLevel(), block.blockFormat().topMargin()))
        block = block.next()
    return out


def test_a_long_transcript_arrives_in_pieces_and_reads_the_same(qtbot: QtBot) -> None:
    body = long_body()
    html = render_markdown(body, ()).html
    assert len(html_chunks(html)) > 3
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.show()
    with qtbot.waitSignal(pane.rendered, timeout=20000):
        pane.show_text("Long", body, None, None)
    whole = PreviewPane()
    qtbot.addWidget(whole)
    whole.browser.setHtml(html.rstrip())  # (its last newline would end the last paragraph in a space)
    assert blocks(pane) == blocks(whole)  # each paragraph and heading its own block (pieces ran together: trial)
    assert [pane.outline_model.item(i).text().strip() for i in range(pane.outline_model.rowCount())] == [
        "Opening",
        "Later",
    ]
    assert split_head(body)[1]  # it was rendered head first, and the parts make the whole
    assert pane.html == html
    assert [pane.outline_model.item(i).data(ANCHOR_ROLE) for i in range(2)] == ["h1", "h2"]


def test_a_long_transcript_is_cut_only_before_a_heading_outside_details_and_fences() -> None:
    filler = "**[Host]**: 这一段是填充文字，讲述了很多事情。\n\n" * 1500
    body = "### 一\n\n" + filler + "<details>\n\n### inside\n\n</details>\n\n```\n### code\n```\n\n### 二\n\n" + filler
    head, tail = split_head(body)
    assert head + tail == body and tail.startswith("### 二")
    assert render_markdown(head).html + renumbered(render_markdown(tail), 2).html == render_markdown(body).html
    assert split_head("### short\n\ntext") == ("### short\n\ntext", "")
    assert split_head(filler * 2)[1] == ""  # no heading: rendered whole


def test_the_same_text_again_keeps_the_place(qtbot: QtBot) -> None:
    body = long_body()
    pane = PreviewPane()
    pane.resize(500, 400)
    qtbot.addWidget(pane)
    pane.show()
    with qtbot.waitSignal(pane.rendered, timeout=20000):
        pane.show_text("Long", body, None, None)
    bar = pane.browser.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    with qtbot.waitSignal(pane.rendered, timeout=5000):  # e.g. the file re-read after saving its front matter
        pane.show_text("Long (saved)", body, None, None)
    assert bar.value() == bar.maximum() // 2 and pane.header.text() == "Long (saved)"


def test_the_first_piece_is_short_and_the_pieces_make_the_whole() -> None:
    html = "".join(f'\n<a name="h{i}"></a><h3>Part {i}</h3>\n<p>{"words " * 400}</p>' for i in range(40))
    chunks = html_chunks(html, size=20_000, first=3_000)
    assert "".join(chunks) == html and len(chunks) > 3
    assert len(chunks[0]) < 6_000 < len(chunks[1])


def test_the_same_text_asked_for_while_it_renders_is_rendered_once_and_said_once(qtbot: QtBot) -> None:
    body = long_body()
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.show()
    said: list[str] = []
    pane.rendered.connect(lambda: said.append(pane.browser.toPlainText()[:20]))
    pane.show_text("Long", body, None, None)
    pane.show_text("Long", body, None, None)  # e.g. the file re-read at once
    qtbot.waitUntil(lambda: bool(said), timeout=20000)
    qtbot.wait(300)
    assert len(said) == 1 and said[0]  # once, with the text there (not at once over an empty browser)


def test_ctrl_end_and_ctrl_home_go_to_the_end_and_the_top(qtbot: QtBot) -> None:
    """As in any document (Qt's read-only browser ignored them: a new-user trial)."""
    from PySide6.QtCore import Qt

    pane = PreviewPane()
    pane.resize(500, 400)
    qtbot.addWidget(pane)
    pane.show()
    with qtbot.waitSignal(pane.rendered, timeout=20000):
        pane.show_text("Long", long_body(), None, None)
    bar = pane.browser.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(pane.browser, Qt.Key.Key_End, ctrl)
    assert bar.value() == bar.maximum()
    qtbot.keyClick(pane.browser, Qt.Key.Key_Home, ctrl)
    assert bar.value() == 0


def test_a_long_transcripts_pieces_are_marked_as_they_come(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search's places are marked in each piece of a long transcript soon after it is shown, not only
    once all of it is (about a second of a 2 MB transcript was shown unmarked: a new-user trial)."""
    from PySide6.QtCore import QTimer

    from masthead.ui import search_marks

    monkeypatch.setattr(search_marks, "GROWN_EVERY", 0.0)  # (whatever this machine's speed: pieces come fast)

    turns = [f"**[Speaker {i % 7}]**: paragraph {i} is about the valve and its seat.\n\n" for i in range(15_000)]
    pane = PreviewPane()
    pane.resize(500, 400)
    qtbot.addWidget(pane)
    pane.show()
    pane.mark("valve")
    seen: list[int] = []  # the furthest mark, polled while the pieces come
    poll = QTimer()
    poll.timeout.connect(lambda: seen.append(pane.search_marks.marks[-1][0] if pane.search_marks.marks else 0))
    with qtbot.waitSignal(pane.began, timeout=20000):
        pane.show_text("Long", "".join(turns), None, None)
    head = pane.browser.document().characterCount()
    poll.start(5)
    with qtbot.waitSignal(pane.rendered, timeout=60000):
        pass
    poll.stop()
    assert pane.browser.document().characterCount() > 10 * head  # (it came in pieces)
    assert any(furthest > 2 * head for furthest in seen), "nothing past the head was marked before the end"
