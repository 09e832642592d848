"""A very long transcript is shown in pieces (the window never waits for all of it) and reads the same."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from masthead.core.render import render_markdown
from masthead.ui.preview import PreviewPane, html_chunks


def long_body() -> str:
    turns = [f"**[Speaker {i % 7}]**: paragraph {i} says something about topic {i % 13}.\n\n" for i in range(6000)]
    return "## Opening\n\n" + "".join(turns[:3000]) + "## Later\n\n" + "".join(turns[3000:])


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
    whole.browser.setHtml(html)
    assert pane.browser.toPlainText().split() == whole.browser.toPlainText().split()
    assert [pane.outline_model.item(i).text().strip() for i in range(pane.outline_model.rowCount())] == [
        "Opening",
        "Later",
    ]
