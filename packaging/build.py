"""Build the one-folder app with PyInstaller and smoke-test the binary.

python packaging/build.py [--skip-build]

1. installs PyInstaller into this Python if it is missing;
2. builds build/dist/masthead/ from packaging/masthead.spec;
3. smoke-tests the binary: --version; a CLI command that starts index worker processes (the frozen
   app must serve --index-worker itself); the sample archive opened offscreen, loaded, and closed;
4. validates the .desktop file and the AppStream metainfo where the validators are installed;
5. installs the build for a user into a scratch home with packaging/linux/install-user.sh, runs the
   installed command, and uninstalls it.
Exit status 0 only if every step passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "build" / "dist"
APP = DIST / "masthead" / ("masthead.exe" if os.name == "nt" else "masthead")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "app"))


def step(title: str) -> None:
    print(f"== {title}", flush=True)


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}")
    return result


def build() -> None:
    step("PyInstaller")
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        run([sys.executable, "-m", "pip", "install", "--quiet", "pyinstaller>=6.0"])
    started = time.perf_counter()
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(ROOT / "packaging" / "masthead.spec"),
            "--noconfirm",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            "--log-level",
            "WARN",
        ]
    )
    size = sum(p.stat().st_size for p in (DIST / "masthead").rglob("*") if p.is_file())
    print(f"built {APP} in {time.perf_counter() - started:.0f} s ({size / 1e6:.0f} MB)")


def smoke_test() -> None:
    from benchmarks.make_archive import make_archive

    from masthead import __version__

    work = Path(tempfile.mkdtemp(prefix="masthead-smoke-"))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(work / "config"),
        "MASTHEAD_CACHE_DIR": str(work / "cache"),
        "MASTHEAD_DATA_DIR": str(work / "data"),
        "MASTHEAD_SAMPLE_DIR": str(work / "Documents" / "Sample"),
    }
    try:
        step("--version")
        out = run([str(APP), "--version"], env=env).stdout.strip()
        assert out == f"masthead {__version__}", out
        print(out)
        step("index worker processes (a 1,200-file archive)")
        make_archive(work / "big", 1200)
        out = run([str(APP), "index", str(work / "big"), "--no-cache"], env=env, timeout=300).stdout
        lines = out.count("\n")
        assert lines == 1200, f"{lines} lines"
        print(f"indexed {lines} files")
        from masthead.core import index_worker, snapshot
        from masthead.core.scan import stat_files

        worker = subprocess.Popen([str(APP), "--index-worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        assert worker.stdin is not None and worker.stdout is not None
        chunk = stat_files(work / "big")[:5]
        index_worker.send(worker.stdin, ("read", str(work / "big"), chunk, "not-its-code"))
        assert index_worker.receive(worker.stdout) == index_worker.OTHER_CODE  # (a request from other code)
        index_worker.send(worker.stdin, ("stamp", "", None))
        stamp = index_worker.receive(worker.stdout)  # the built app's own
        index_worker.send(worker.stdin, ("read", str(work / "big"), chunk, stamp))
        rows = snapshot.unpack(index_worker.receive(worker.stdout))  # the records, as one snapshot piece
        index_worker.send(worker.stdin, None)
        assert worker.wait(timeout=30) == 0 and [r[0] for r in rows] == [c[0] for c in chunk]
        print(f"the binary serves --index-worker ({len(rows)} records)")
        step("the window on the sample archive, offscreen")
        out = run([str(APP), "--sample", "--smoke-test"], env=env, timeout=120).stdout.strip()
        assert "14 files, 1 with errors" in out, out
        print(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def install_for_a_user() -> None:
    step("install-user.sh into a scratch home")
    prefix = Path(tempfile.mkdtemp(prefix="masthead-home-")) / ".local"
    env = {**os.environ, "PREFIX": str(prefix)}
    try:
        run(["sh", str(ROOT / "packaging" / "linux" / "install-user.sh")], env=env)
        out = run([str(prefix / "bin" / "masthead"), "--version"], env=env).stdout.strip()
        desktop = prefix / "share" / "applications" / "org.masthead.Masthead.desktop"
        assert f"Exec={prefix}/bin/masthead %f" in desktop.read_text(encoding="utf-8")
        assert (prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / "org.masthead.Masthead.png").exists()
        if shutil.which("desktop-file-validate"):
            run(["desktop-file-validate", str(desktop)])
        run(["sh", str(ROOT / "packaging" / "linux" / "install-user.sh"), "--uninstall"], env=env)
        assert not (prefix / "bin" / "masthead").exists() and not desktop.exists()
        print(f"installed, ran ({out}) and uninstalled")
    finally:
        shutil.rmtree(prefix.parent, ignore_errors=True)


def validate_desktop_files() -> None:
    step("desktop integration")
    linux = ROOT / "packaging" / "linux"
    for tool, args in (
        ("desktop-file-validate", [str(linux / "org.masthead.Masthead.desktop")]),
        ("appstreamcli", ["validate", "--no-net", str(linux / "org.masthead.Masthead.metainfo.xml")]),
    ):
        if shutil.which(tool):
            run([tool, *args])
            print(f"{tool}: valid")
        else:
            print(f"{tool}: not installed, skipped")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-build", action="store_true", help="smoke-test the existing build")
    args = parser.parse_args()
    if not args.skip_build:
        build()
    smoke_test()
    validate_desktop_files()
    if os.name == "posix":
        install_for_a_user()
    print("packaging: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
