"""Commits Masthead makes for the editor: the message from masthead.yaml's templates, exactly the files a
save, a publish or a bulk operation changed, and (``push_after_commit``) a push."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from masthead.core import git_ops
from masthead.core.git_run import GitError
from masthead.core.git_settings import GitSettings
from masthead.core.git_status import Repo, locate
from masthead.core.operations import Edit, FieldEdit, ListEdit, PublishEdit, edit_from_spec


def kind_of(edit: Edit | None) -> str:
    """Which template a change uses: ``publish``/``unpublish`` for those, ``bulk`` for every other operation."""
    if isinstance(edit, PublishEdit):
        return edit.action
    return "bulk" if edit is not None else "save"


def message(
    settings: GitSettings,
    edit: Edit | None,
    rels: Sequence[str],
    titles: Mapping[str, str] | None = None,
    undo: bool = False,
) -> str:
    """The commit message for ``edit`` (None: a save) of ``rels``; ``undo``: the commit that takes it back."""
    count = len(rels)
    one = rels[0] if count == 1 else ""
    title = (titles or {}).get(one) or one if count == 1 else f"{count} files"
    fields = values = ""
    if isinstance(edit, ListEdit):
        fields = ", ".join(edit.fields) if edit.fields else "every list field"
        shown = [*edit.values, *edit.added] if edit.action == "replace" else list(edit.values)
        values = ", ".join(shown) + (f" → {edit.target}" if edit.target else "")
    elif isinstance(edit, FieldEdit):
        fields, values = edit.field, "" if edit.value is None else str(edit.value)
    operation = edit.describe() if edit is not None else f"edit {title}"
    operation = operation[:1].upper() + operation[1:]
    if undo:
        inner = message(settings, edit, rels, titles)
        return settings.message(
            "undo", operation=inner, count=count, title=title, path=one, field=fields, values=values
        )
    return settings.message(
        kind_of(edit), title=title, path=one, count=count, operation=operation, field=fields, values=values
    )


def journal_edit(entry: Mapping[str, object]) -> Edit | None:
    """The edit a journal entry (``bulk.history``, ``journal_info``) records; None when it has none."""
    spec = entry.get("edit")
    if not isinstance(spec, list):
        return None
    try:
        return edit_from_spec(spec)
    except (TypeError, ValueError, IndexError):
        return None


def commits_back(settings: GitSettings, edit: Edit | None) -> bool:
    """Whether undoing (or redoing) ``edit`` is committed like the change was: a publish or an unpublish made
    with ``commit_on_publish``. The undo is a new commit; history is never rewritten."""
    return settings.commit_on_publish and isinstance(edit, PublishEdit)


@dataclass(frozen=True)
class Committed:
    commit: str
    pushed: str | None = None  # what git push said (None: not pushed)
    push_error: str | None = None  # the push failed (the commit stands)


def commit_change(archive: Path, rels: Sequence[str], text: str, push: bool = False) -> Committed:
    """Commit exactly ``rels`` (archive-relative) with ``text``; push after it when asked. GitError if the
    archive is not in a repository or git refuses the commit."""
    found = locate(archive)
    if not isinstance(found, Repo):
        raise GitError(found, archive)
    head = git_ops.commit(found, rels, text)
    if not push:
        return Committed(head)
    try:
        return Committed(head, git_ops.push(found))
    except GitError as exc:
        return Committed(head, None, exc.message)
