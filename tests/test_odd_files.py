"""Files that are not plain files, or not only ours (issue 14): FIFOs, devices, hard links, links swapped,
owners, extended attributes, long names, temporary files of killed saves, two processes saving one file."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from tests.conftest import run_cli

from masthead.core import safe_io, storage, tempfiles
from masthead.core.document import Snapshot
from masthead.core.errors import ConflictError, SaveError
from masthead.core.index import ArchiveIndex

FRONT = "---\ntitle: 标题\ntags: [a]\ndraft: true\n---\n\n**[主持人]**: 你好。\n"
ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (mknod, chown)")


def masthead(*args: str, user: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``masthead ARGS`` as a real process (a hang fails the test instead of stopping the suite)."""
    command = [sys.executable, "-m", "masthead", *args]
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd="/")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    for name in ("a.md", "b.md"):
        (root / name).write_text(FRONT, encoding="utf-8")
    return root


def test_read_fd_gathers_short_reads_and_stops_at_its_limit() -> None:
    """The index reads files through ``read_fd``: a read the system answers in pieces (as a pipe does while
    its writer is still writing; some network file systems do for files) is gathered, and a limit is kept."""
    data = "标题 title\n".encode() * 8000

    def feed(write: int) -> None:
        with os.fdopen(write, "wb", buffering=0) as out, contextlib.suppress(BrokenPipeError):
            for start in range(0, len(data), 3000):  # pieces smaller than the reads ask for
                out.write(data[start : start + 3000])
                time.sleep(0.001)

    for limit, expected in ((-1, data), (16384, data[:16384]), (len(data) + 10, data)):
        read, write = os.pipe()
        writer = threading.Thread(target=feed, args=(write,))
        writer.start()
        try:
            assert safe_io.read_fd(read, limit) == expected
        finally:
            os.close(read)  # (a writer still writing stops: broken pipe)
            writer.join()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_md_is_reported_and_never_opened_for_reading(archive: Path) -> None:
    os.mkfifo(archive / "x.md")
    for args in (
        ["index", str(archive)],
        ["check", str(archive)],
        ["tag", "add", str(archive), "tags", "new", "--all"],
    ):
        done = masthead(*args, timeout=60)
        assert "x.md" in done.stdout + done.stderr and "named pipe" in done.stdout + done.stderr, (args, done)
    assert "tags: [a, new]" in (archive / "a.md").read_text(encoding="utf-8")  # the rest was tagged
    done = masthead("get", str(archive / "x.md"))
    assert done.returncode != 0 and "named pipe (FIFO), not a regular file" in done.stderr
    index = ArchiveIndex(archive, use_cache=False, workers=1).open()
    assert "named pipe" in (index.records["x.md"].error or "") and index.body("x.md") == ""


@ROOT_ONLY
def test_a_device_named_md_is_refused_and_stays_a_device(archive: Path) -> None:
    device = archive / "null.md"
    os.mknod(device, 0o666 | __import__("stat").S_IFCHR, os.makedev(1, 3))
    done = masthead("set", str(device), "--set", "draft=false")
    assert done.returncode != 0 and "character device" in done.stderr
    assert device.is_char_device()
    with pytest.raises(SaveError, match="character device"):
        storage.write_atomic(device, b"x", Snapshot(0, 0, ""))


def test_a_hard_linked_file_is_refused_with_the_reason_and_both_names_keep_their_text(archive: Path) -> None:
    os.link(archive / "a.md", archive / "c.md")
    done = masthead("set", str(archive / "a.md"), "--set", "draft=false")
    assert done.returncode != 0 and "hard link" in done.stderr and "changed 0 of 1 file(s); 1 failed" in done.stderr
    done = masthead("tag", "add", str(archive), "tags", "new", "--all", "--dry-run")  # the dry run says so too
    assert done.returncode == 1 and "a.md: not changed:" in done.stderr and "hard link" in done.stderr
    assert "would change 1 of 3 file(s)" in done.stderr
    assert (archive / "a.md").read_text(encoding="utf-8") == (archive / "c.md").read_text(encoding="utf-8") == FRONT
    assert os.stat(archive / "a.md").st_ino == os.stat(archive / "c.md").st_ino


def test_extended_attributes_are_kept(archive: Path) -> None:
    path = archive / "a.md"
    try:
        os.setxattr(path, "user.masthead-test", b"kept")
    except OSError as exc:
        pytest.skip(f"this file system has no user extended attributes: {exc.strerror}")
    doc = storage.load(path)
    doc.set("draft", False)
    storage.save(doc)
    assert os.getxattr(path, "user.masthead-test") == b"kept" and "draft: false" in path.read_text(encoding="utf-8")


@ROOT_ONLY
def test_owner_and_group_are_kept_and_a_file_the_user_cannot_write_is_refused(archive: Path) -> None:
    nobody = shutil.which("runuser") and __import__("pwd").getpwnam("nobody")
    if not nobody:
        pytest.skip("needs runuser and the user nobody")
    path = archive / "a.md"
    os.chown(path, nobody.pw_uid, nobody.pw_gid)  # root saves someone else's file: it stays theirs
    doc = storage.load(path)
    doc.set("draft", False)
    storage.save(doc)
    st = os.stat(path)
    assert (st.st_uid, st.st_gid) == (nobody.pw_uid, nobody.pw_gid)
    shared = Path(tempfile.mkdtemp(prefix="masthead-owner-"))  # where nobody can reach (pytest's is root's)
    try:
        os.chmod(shared, 0o755)
        folder = shared / "archive"
        folder.mkdir()
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)  # nobody's folder, root's 0644 file in it
        theirs = folder / "b.md"
        theirs.write_text(FRONT, encoding="utf-8")
        os.chmod(theirs, 0o644)
        done = masthead("set", str(theirs), "--set", "draft=false", user="nobody")
        assert done.returncode != 0 and "read-only" in done.stderr, done
        assert os.stat(theirs).st_uid == 0 and theirs.read_text(encoding="utf-8") == FRONT
    finally:
        shutil.rmtree(shared)


def test_a_link_pointed_elsewhere_between_load_and_save_is_not_followed(archive: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(FRONT, encoding="utf-8")
    link = archive / "link.md"
    link.symlink_to(archive / "b.md")
    doc = storage.load(link)
    doc.set("draft", False)
    link.unlink()
    link.symlink_to(outside)  # swapped meanwhile: same text, another file
    with pytest.raises(ConflictError, match="now a link to"):
        storage.save(doc)
    assert outside.read_text(encoding="utf-8") == FRONT and (archive / "b.md").read_text(encoding="utf-8") == FRONT


def test_a_name_near_the_limit_can_be_saved(archive: Path) -> None:
    path = archive / ("长" * 80 + ".md")  # 243 bytes of UTF-8
    path.write_text(FRONT, encoding="utf-8")
    doc = storage.load(path)
    doc.set("draft", False)
    storage.save(doc)
    assert "draft: false" in path.read_text(encoding="utf-8")


def test_temporary_files_of_killed_saves_are_removed_and_live_ones_kept(archive: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = archive / f".mh-{dead.pid}-0123abcd.tmp"
    live = archive / f".mh-{os.getppid()}-89abcdef.tmp"
    old = archive / ".a.md.k2j3h4g5.masthead-tmp"
    recent = archive / f".mh-{dead.pid}-0badf00d.tmp"  # a dead pid, but just written: maybe another machine's
    for path in (stale, live, old, recent):
        path.write_bytes(b"half a file")
    long_ago = time.time() - 2 * tempfiles.OLD_AGE
    for path in (stale, live, old):
        os.utime(path, (long_ago, long_ago))
    sub = archive / "sub"
    sub.mkdir()
    (sub / f".mh-{dead.pid}-fedcba98.tmp").write_bytes(b"x")
    os.utime(sub / f".mh-{dead.pid}-fedcba98.tmp", (long_ago, long_ago))
    doc = storage.load(archive / "a.md")
    doc.set("draft", False)
    storage.save(doc)  # the first save in this folder cleans it
    assert not stale.exists() and not old.exists() and live.exists() and recent.exists()
    assert (sub / f".mh-{dead.pid}-fedcba98.tmp").exists()
    ArchiveIndex(archive).open().close()  # opening the archive cleans every folder
    assert not (sub / f".mh-{dead.pid}-fedcba98.tmp").exists() and live.exists()
    assert not [p for p in archive.iterdir() if p.name.startswith(".mh-") and p not in (live, recent)]


@pytest.mark.slow
def test_two_processes_saving_one_file_never_lose_an_edit(tmp_path: Path) -> None:
    """Many pairs of real processes set different keys of one file at once: each that says it saved, did."""
    path = tmp_path / "race.md"
    script = (
        "import sys, time\n"
        "from masthead.core import storage\n"
        "from masthead.core.errors import MastheadError\n"
        "key, start = sys.argv[1], float(sys.argv[2])\n"
        "doc = storage.load(sys.argv[3])\n"
        "doc.set(key, 'set by ' + key)\n"
        "while time.time() < start: pass\n"
        "try:\n"
        "    storage.save(doc)\n"
        "except MastheadError as exc:\n"
        "    print(exc.message); sys.exit(1)\n"
    )
    saved_both = conflicts = 0
    for _ in range(40):
        path.write_text(FRONT, encoding="utf-8")
        start = time.time() + 0.3
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", script, key, str(start), str(path)], stdout=subprocess.PIPE, text=True
            )
            for key in ("summary", "speaker")
        ]
        outs = [p.communicate(timeout=60)[0] or "" for p in procs]  # (communicate closes the pipe)
        codes = [p.returncode for p in procs]
        text = path.read_text(encoding="utf-8")
        for key, code, out in zip(("summary", "speaker"), codes, outs, strict=True):
            if code == 0:
                assert f"{key}: set by {key}" in text, (codes, outs, text)
            else:
                assert "changed on disk" in out, out
        saved_both += codes == [0, 0]
        conflicts += codes != [0, 0]
    assert saved_both + conflicts == 40


def test_a_link_swapped_between_plan_and_apply_is_left_alone(archive: Path, tmp_path: Path) -> None:
    from masthead.core import bulk
    from masthead.core.operations import add

    outside = tmp_path / "outside.md"
    outside.write_text(FRONT, encoding="utf-8")
    link = archive / "link.md"
    link.symlink_to(archive / "b.md")
    plan = bulk.plan(archive, ["a.md", "link.md"], add("tags", ["new"]))
    link.unlink()
    link.symlink_to(outside)
    report = bulk.run(plan)
    assert report.changed == ["a.md"] and [rel for rel, _ in report.skipped] == ["link.md"]
    assert outside.read_text(encoding="utf-8") == FRONT and (archive / "b.md").read_text(encoding="utf-8") == FRONT


def test_a_file_opened_by_a_relative_path_or_through_a_linked_folder_saves(
    archive: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (archive / "real").mkdir()
    (archive / "real" / "c.md").write_text(FRONT, encoding="utf-8")
    (archive / "linked").symlink_to(archive / "real")
    monkeypatch.chdir(archive)
    for name in ("a.md", "linked/c.md"):
        doc = storage.load(name)
        doc.set("draft", False)
        storage.save(doc)
    assert "draft: false" in (archive / "a.md").read_text(encoding="utf-8")
    assert "draft: false" in (archive / "real" / "c.md").read_text(encoding="utf-8")
    code, _, err = run_cli(capsys, "set", "b.md", "--set", "draft=false")
    assert code == 0, err
    code, _, err = run_cli(capsys, "tag", "add", str(archive), "tags", "new", "--all")
    assert code == 0, err


def test_a_file_system_without_locks_still_saves(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno as errnos

    from masthead.core import filelock

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errnos.ENOLCK, "No locks available")

    monkeypatch.setattr(filelock.fcntl, "flock", no_locks)
    doc = storage.load(archive / "a.md")
    doc.set("draft", False)
    storage.save(doc)
    assert "draft: false" in (archive / "a.md").read_text(encoding="utf-8")


def test_the_systems_own_extended_attributes_are_left_to_it(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "listxattr"):
        pytest.skip("no extended attributes on this platform")
    path = archive / "a.md"
    real_list, real_set = os.listxattr, os.setxattr

    def listed(target: object, *args: object, **kwargs: object) -> list[str]:
        return ["security.ima", *[n for n in real_list(target) if not n.startswith("security.")]]  # type: ignore[arg-type]

    def refused(target: object, name: str, *args: object, **kwargs: object) -> None:
        if name.startswith("security."):
            raise PermissionError(1, "Operation not permitted")
        real_set(target, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "listxattr", listed)
    monkeypatch.setattr(os, "setxattr", refused)
    doc = storage.load(path)
    doc.set("draft", False)
    storage.save(doc)  # an IMA hash or SELinux label is the system's to set: not copied, not a refusal
    assert "draft: false" in path.read_text(encoding="utf-8")
