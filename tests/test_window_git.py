"""The window's git features driven as a user drives them, on real repositories: the Git column and status
bar, git: queries, Commit… (Ctrl+K), a refusing hook, Pull over unsaved edits, File History's restore, and a
slow git that never blocks the window."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from tests.conftest import copy_fixtures
from tests.support.gitrepo import commit_all, committed, git, needs_git

from masthead.core.document import Document
from masthead.ui.main_window import MainWindow
from masthead.ui.models import Column
from masthead.ui.window_git import offer_key

pytestmark = needs_git
NAMES = ["english-null.md", "indent2-cjk.md", "crlf.md", "chunks-en.md"]


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed(copy_fixtures(tmp_path / "archive", NAMES))


def make_window(qtbot: QtBot, settings: QSettings, root: Path, offered: bool = True) -> MainWindow:
    if offered:  # the merge-driver offer was made before (its own test shows it)
        settings.setValue(offer_key(Path(git(root, "rev-parse", "--show-toplevel").strip())), True)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.archive_loaded, timeout=20000):
        win.open_archive(root)
    qtbot.waitUntil(lambda: win.git.available and bool(win.git.status.tracked), timeout=10000)
    return win


def git_cell(win: MainWindow, rel: str) -> str:
    row = win.model.row_of(rel)
    assert row is not None
    return str(win.model.index(row, Column.GIT).data())


def open_file(qtbot: QtBot, win: MainWindow, rel: str) -> None:
    assert win.select_path(rel)
    qtbot.waitUntil(lambda: win.form.rel == rel and win.form.doc is not None, timeout=5000)


def type_in(qtbot: QtBot, win: MainWindow, key: str, text: str) -> None:
    editor = win.form.editors[key]
    line = editor if isinstance(editor, QLineEdit) else editor.findChild(QLineEdit)
    assert line is not None
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_End)
    qtbot.keyClicks(line, text)


def test_column_status_bar_and_query_follow_a_save(qtbot: QtBot, settings: QSettings, repo: Path) -> None:
    win = make_window(qtbot, settings, repo)
    assert not win.table.isColumnHidden(Column.GIT)
    assert win.git_label.text() == "⎇ main · no changes"
    assert git_cell(win, "crlf.md") == ""
    open_file(qtbot, win, "english-null.md")
    type_in(qtbot, win, "author", " Jr.")
    win.save_action.trigger()
    qtbot.waitUntil(lambda: git_cell(win, "english-null.md") == "Modified", timeout=10000)
    assert win.git_label.text() == "⎇ main · 1 changed"
    win.form.tabs.setCurrentIndex(1)  # the YAML tab: the saved change against the last commit
    qtbot.waitUntil(lambda: "since the last commit" in win.form.yaml_view.toPlainText(), timeout=5000)
    assert "+author: Maya Ortiz Jr." in win.form.yaml_view.toPlainText()
    row = win.model.row_of("english-null.md")
    assert row is not None and win.model.index(row, Column.GIT).data(Qt.ItemDataRole.DecorationRole) is not None
    qtbot.keyClicks(win.search, "git:modified")
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 1, timeout=3000)
    win.search.clear()
    qtbot.keyClicks(win.search, "-git:clean")  # the file on screen stays shown in any case (pinned)
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 1, timeout=3000)
    win.search.clear()
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 4, timeout=3000)
    open_file(qtbot, win, "crlf.md")
    qtbot.keyClicks(win.search, "git:clean")
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 3, timeout=3000)


def test_commit_dialog_commits_the_ticked_files(qtbot: QtBot, settings: QSettings, repo: Path) -> None:
    for name in ("crlf.md", "chunks-en.md"):
        (repo / name).write_bytes((repo / name).read_bytes() + b"\n")
    win = make_window(qtbot, settings, repo)
    qtbot.waitUntil(lambda: win.git.status.changed == ["chunks-en.md", "crlf.md"], timeout=10000)
    win.select_path("crlf.md")
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.commit_dialog is not None and win.commit_dialog.isVisible(), timeout=3000)
    dialog = win.commit_dialog
    assert dialog is not None
    assert dialog.paths() == ["crlf.md"]  # the selection's file is ticked, the other is not
    title = Document((repo / "crlf.md").read_bytes()).get("title")
    assert dialog.message.toPlainText() == f"Edit {title}"
    qtbot.waitUntil(lambda: "+++ crlf.md (on disk)" in dialog.diff.toPlainText(), timeout=5000)
    dialog.message.setPlainText("Fix the line ending note")
    qtbot.mouseClick(dialog.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.commit_dialog is None, timeout=10000)
    assert git(repo, "log", "-1", "--format=%s") == "Fix the line ending note\n"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["crlf.md"]
    qtbot.waitUntil(lambda: win.git.status.changed == ["chunks-en.md"], timeout=10000)
    qtbot.waitUntil(lambda: git_cell(win, "crlf.md") == "", timeout=5000)


def test_a_refusing_hook_is_shown_in_the_dialog(qtbot: QtBot, settings: QSettings, repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'spell-check failed: teh' >&2\nexit 1\n")
    hook.chmod(0o755)
    (repo / "crlf.md").write_bytes((repo / "crlf.md").read_bytes() + b"\n")
    win = make_window(qtbot, settings, repo)
    qtbot.waitUntil(lambda: win.git.status.changed == ["crlf.md"], timeout=10000)
    dialog = win.git_commit()
    assert dialog is not None
    qtbot.mouseClick(dialog.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10000)
    assert "spell-check failed: teh" in dialog.error.toPlainText()
    assert dialog.isVisible() and dialog.isEnabled()
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_pull_never_runs_over_unsaved_edits(
    qtbot: QtBot, settings: QSettings, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = make_window(qtbot, settings, repo)
    open_file(qtbot, win, "english-null.md")
    type_in(qtbot, win, "author", "!")
    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    win.acts["gitPull"].trigger()
    assert asked and "unsaved edits" in asked[0]
    assert win.git.running is None and win.form.dirty
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)  # to close


def test_history_restores_an_old_value_as_an_undoable_edit(qtbot: QtBot, settings: QSettings, repo: Path) -> None:
    old = Document((repo / "crlf.md").read_bytes()).get("title")
    data = (repo / "crlf.md").read_bytes().replace(str(old).encode(), b"A newer title")
    (repo / "crlf.md").write_bytes(data)
    commit_all(repo, "retitle")
    win = make_window(qtbot, settings, repo)
    open_file(qtbot, win, "crlf.md")
    dialog = win.git_file_history()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=5000)
    dialog.list.setCurrentRow(1)  # the first version
    qtbot.waitUntil(lambda: dialog.fields.topLevelItemCount() > 0, timeout=5000)
    item = next(
        dialog.fields.topLevelItem(i)
        for i in range(dialog.fields.topLevelItemCount())
        if dialog.fields.topLevelItem(i).text(0) == "title"
    )
    dialog.fields.setCurrentItem(item)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert win.form.dirty and win.form.doc is not None and win.form.doc.get("title") == old
    assert (repo / "crlf.md").read_bytes() == data  # nothing written until saved
    win.undo_action.trigger()
    assert win.form.doc.get("title") == "A newer title" and not win.form.dirty


def test_outside_a_repository_the_window_says_why(qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path / "plain", NAMES)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.archive_loaded, timeout=20000):
        win.open_archive(root)
    qtbot.waitUntil(lambda: "not in a git repository" in win.acts["gitCommit"].toolTip(), timeout=5000)
    assert not win.acts["gitCommit"].isEnabled() and not win.acts["gitPull"].isEnabled()
    assert win.table.isColumnHidden(Column.GIT)
    assert "not in a git repository" in win.git_label.toolTip()


def test_the_merge_driver_is_offered_once(qtbot: QtBot, settings: QSettings, repo: Path) -> None:
    win = make_window(qtbot, settings, repo, offered=False)
    qtbot.waitUntil(lambda: getattr(win, "_setup_box", None) is not None, timeout=5000)
    box = win._setup_box
    assert "*.md merge=masthead" in box.text()
    accept = next(b for b in box.buttons() if b.text() == "Set Up")
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (repo / ".gitattributes").exists(), timeout=5000)
    assert "merge-file" in git(repo, "config", "merge.masthead.driver")
    assert settings.value(offer_key(repo.resolve()), False, type=bool)


def test_a_slow_git_never_blocks_the_window(
    qtbot: QtBot, settings: QSettings, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nsleep 0.4\nexec {shutil.which("git")} "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("MASTHEAD_GIT", str(fake))
    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    win = make_window(qtbot, settings, repo)  # locate + status + ls-files: each git call sleeps 0.4 s
    (repo / "crlf.md").write_bytes((repo / "crlf.md").read_bytes() + b"\n")
    win.git.refresh()
    qtbot.waitUntil(lambda: win.git.status.changed == ["crlf.md"], timeout=20000)
    last[0] = time.monotonic()
    gaps.clear()
    dialog = win.git_commit()
    assert dialog is not None
    qtbot.mouseClick(dialog.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.commit_dialog is None, timeout=20000)
    timer.stop()
    QApplication.processEvents()
    assert gaps and max(gaps) < 0.3, max(gaps)  # git slept 0.4 s per call; the window kept running
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["crlf.md"]


BASE = b"---\ntitle: Base\ndraft: true\ntags:\n  - a\n---\n\nBody\n"


def pulled_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: bool = False) -> Path:
    """Two clones: one changes title (One) and adds a tag, the other changes title (Two) and draft; the
    second pulls the first's push through the merge driver: title conflicts (and the body, with ``body``)."""
    from tests.conftest import run_cli
    from tests.support.gitrepo import remote_and_clones

    _remote, one, two = remote_and_clones(tmp_path, {"c.md": BASE})
    assert run_cli(capsys, "git", "setup", str(two), "--yes")[0] == 0
    mine = BASE.replace(b"title: Base", b"title: One").replace(b"  - a\n", b"  - a\n  - b\n")
    (one / "c.md").write_bytes(mine.replace(b"Body", b"Body one") if body else mine)
    commit_all(one, "one")
    git(one, "push", "-q")
    theirs = BASE.replace(b"title: Base", b"title: Two").replace(b"draft: true", b"draft: false")
    (two / "c.md").write_bytes(theirs.replace(b"Body", b"Body two") if body else theirs)
    git(two, "add", "c.md")  # .gitattributes stays local to this clone
    git(two, "commit", "-q", "-m", "two")
    assert run_cli(capsys, "pull", str(two))[0] == 1
    return two


def resolving(qtbot: QtBot, settings: QSettings, two: Path) -> MainWindow:
    win = make_window(qtbot, settings, two)
    qtbot.waitUntil(lambda: git_cell(win, "c.md") == "Conflict", timeout=10000)
    assert win.select_path("c.md")
    qtbot.waitUntil(lambda: win.form.controller.resolving is not None, timeout=10000)
    qtbot.waitUntil(win.form.merge_bar.isVisible, timeout=3000)
    return win


def test_a_conflict_left_by_a_pull_is_resolved_in_the_form(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two = pulled_conflict(tmp_path, capsys)
    win = resolving(qtbot, settings, two)
    bar = win.form.merge_bar
    assert list(bar.buttons) == ["title"]
    ours = bar.findChild(QPushButton, "mergeOurs_title")
    theirs = bar.findChild(QPushButton, "mergeTheirs_title")
    assert ours.text() == "Ours: Two" and theirs.text() == "Theirs: One" and ours.isChecked()
    assert win.form.editors["title"].value() == "Two"  # the form holds the merge: theirs' tag, our draft
    assert win.form.controller.doc.data["tags"] == ["a", "b"] and win.form.dirty
    qtbot.mouseClick(theirs, Qt.MouseButton.LeftButton)
    assert win.form.editors["title"].value() == "One" and theirs.isChecked() and not ours.isChecked()
    win.undo_action.trigger()  # a choice is an ordinary edit
    assert win.form.editors["title"].value() == "Two" and ours.isChecked()
    qtbot.mouseClick(theirs, Qt.MouseButton.LeftButton)
    win.activateWindow()
    win.save_action.trigger()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=10000)
    assert (two / "c.md").read_text() == "---\ntitle: One\ndraft: false\ntags:\n  - a\n  - b\n---\n\nBody\n"
    qtbot.waitUntil(lambda: git_cell(win, "c.md") == "Staged", timeout=10000)
    assert not win.form.dirty
    git(two, "commit", "-q", "--no-edit")


def test_a_value_typed_in_the_field_resolves_the_conflict(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two = pulled_conflict(tmp_path, capsys)
    win = resolving(qtbot, settings, two)
    type_in(qtbot, win, "title", " and One")
    assert win.form.merge_bar.states["title"].text() == "your value"
    win.save_action.trigger()
    qtbot.waitUntil(lambda: git_cell(win, "c.md") == "Staged", timeout=10000)
    assert Document((two / "c.md").read_bytes()).get("title") == "Two and One"


def test_a_transcript_that_conflicts_too_is_written_but_not_staged(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two = pulled_conflict(tmp_path, capsys, body=True)
    win = resolving(qtbot, settings, two)
    assert "transcript conflicts too" in win.form.merge_bar.label.text()
    win.save_action.trigger()
    qtbot.waitUntil(lambda: "still has conflict markers" in win.statusBar().currentMessage(), timeout=10000)
    text = (two / "c.md").read_text()
    assert text.startswith("---\ntitle: Two\ndraft: false\ntags:\n  - a\n  - b\n---\n") and "<<<<<<<" in text
    assert "UU c.md" in git(two, "status", "--short")


def test_bulk_publish_with_commit_on_publish_makes_one_commit(qtbot: QtBot, settings: QSettings, repo: Path) -> None:
    (repo / "masthead.yaml").write_text("git:\n  commit_on_publish: true\n")
    commit_all(repo, "settings")
    (repo / "crlf.md").write_bytes((repo / "crlf.md").read_bytes() + b"\n")  # changed, but not by the publish
    win = make_window(qtbot, settings, repo)
    dialog = win.bulk_publish()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    dialog.confirm = False  # (asking before writing is tested with the bulk dialogs)
    with qtbot.waitSignal(dialog.applied, timeout=5000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.report is not None
    published = sorted(dialog.report.changed)
    assert published
    qtbot.waitUntil(lambda: git(repo, "rev-list", "--count", "HEAD").strip() == "3", timeout=10000)
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == published
    assert git(repo, "log", "-1", "--format=%s").startswith("Publish: ")
    assert "crlf.md" in git(repo, "status", "--porcelain")
    dialog.close()


def test_publish_on_screen_with_commit_on_publish_commits_that_file(
    qtbot: QtBot, settings: QSettings, repo: Path
) -> None:
    (repo / "masthead.yaml").write_text(
        "git:\n  commit_on_publish: true\n  commit_message:\n    publish: 'Live: {title}'\n"
    )
    commit_all(repo, "settings")
    (repo / "crlf.md").write_bytes((repo / "crlf.md").read_bytes() + b"\n")  # changed, but not published
    win = make_window(qtbot, settings, repo)
    open_file(qtbot, win, "english-null.md")
    qtbot.waitUntil(win.publish_action.isEnabled, timeout=5000)
    win.publish_action.trigger()
    qtbot.waitUntil(lambda: git(repo, "rev-list", "--count", "HEAD").strip() == "3", timeout=10000)
    title = Document((repo / "english-null.md").read_bytes()).get("title")
    assert git(repo, "log", "-1", "--format=%s") == f"Live: {title}\n"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["english-null.md"]


def test_undo_of_a_committed_publish_is_offered_as_a_new_commit(qtbot: QtBot, settings: QSettings, repo: Path) -> None:
    (repo / "masthead.yaml").write_text("git:\n  commit_on_publish: true\n")
    commit_all(repo, "settings")
    before = {n: (repo / n).read_bytes() for n in NAMES}
    win = make_window(qtbot, settings, repo)
    win.history.ask = False  # (asking before an undo rewrites files is tested in test_undo_history.py)
    dialog = win.bulk_publish()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    dialog.confirm = False
    with qtbot.waitSignal(dialog.applied, timeout=5000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.report is not None
    published = sorted(dialog.report.changed)
    dialog.close()
    qtbot.waitUntil(lambda: git(repo, "rev-list", "--count", "HEAD").strip() == "3", timeout=10000)
    publish_commit = git(repo, "rev-parse", "HEAD").strip()
    qtbot.waitUntil(lambda: win.git.running is None and win.undo_action.isEnabled(), timeout=10000)
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: win.commit_back_box is not None and win.commit_back_box.isVisible(), timeout=10000)
    box = win.commit_back_box
    assert "which was committed" in box.text()
    assert {n: (repo / n).read_bytes() for n in NAMES} == before  # the undo restored every byte
    qtbot.mouseClick(box.findChild(QPushButton, "commitBackButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: git(repo, "rev-list", "--count", "HEAD").strip() == "4", timeout=10000)
    assert git(repo, "rev-parse", "HEAD~1").strip() == publish_commit  # a new commit; history is not rewritten
    assert git(repo, "log", "-1", "--format=%s") == "Undo: " + git(repo, "log", "-1", "--format=%s", publish_commit)
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == published
    assert git(repo, "status", "--porcelain") == ""


def test_undo_of_a_committed_publish_on_screen_offers_a_commit_after_the_save(
    qtbot: QtBot, settings: QSettings, repo: Path
) -> None:
    (repo / "masthead.yaml").write_text("git:\n  commit_on_publish: true\n")
    commit_all(repo, "settings")
    before = (repo / "english-null.md").read_bytes()
    win = make_window(qtbot, settings, repo)
    open_file(qtbot, win, "english-null.md")
    qtbot.waitUntil(win.publish_action.isEnabled, timeout=5000)
    win.publish_action.trigger()
    qtbot.waitUntil(lambda: git(repo, "rev-list", "--count", "HEAD").strip() == "3", timeout=10000)
    qtbot.waitUntil(lambda: win.git.running is None, timeout=10000)
    win.activateWindow()
    win.undo_action.trigger()  # the form's undo of the Publish
    qtbot.waitUntil(lambda: win.form.dirty, timeout=5000)
    win.save_action.trigger()
    qtbot.waitUntil(lambda: win.commit_back_box is not None and win.commit_back_box.isVisible(), timeout=10000)
    assert (repo / "english-null.md").read_bytes() == before
    qtbot.mouseClick(win.commit_back_box.findChild(QPushButton, "commitBackButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: git(repo, "rev-list", "--count", "HEAD").strip() == "4", timeout=10000)
    assert git(repo, "log", "-1", "--format=%s").startswith("Undo: ")
    assert git(repo, "status", "--porcelain") == ""


def test_push_shows_progress_and_stop_while_it_runs(qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    from tests.support.gitrepo import remote_and_clones

    _remote, one, _two = remote_and_clones(tmp_path, {"a.md": b"---\ntitle: A\n---\n"})
    (one / "a.md").write_bytes(b"---\ntitle: B\n---\n" + b"words " * 20000)
    commit_all(one, "bigger")
    win = make_window(qtbot, settings, one)
    seen: list[tuple[bool, bool]] = []
    values: list[int] = []
    win.git.busy_changed.connect(lambda _b: seen.append((win.git_progress.isVisible(), win.git_stop.isVisible())))
    win.git_progress.valueChanged.connect(values.append)
    win.activateWindow()
    with qtbot.waitSignal(win.git.finished, timeout=20000) as finished:
        win.acts["gitPush"].trigger()
    assert finished.args[:2] == ["push", True]
    assert seen[0] == (True, True)  # shown while pushing, hidden after
    assert not win.git_progress.isVisible() and not win.git_stop.isVisible()
    assert values and values[-1] == 100  # git's own percentages
