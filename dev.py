#!/usr/bin/env python3
"""Set up and run Masthead from a source checkout.

    python3 dev.py run [ARGS...]    start Masthead (ARGS go to the `masthead` command)
    python3 dev.py test [ARGS...]   ruff, mypy, the import-linter layer contracts and the whole pytest suite
                                    (ARGS go to pytest)
    python3 dev.py package          build the one-folder app with PyInstaller and smoke-test it

Each command creates or reuses a virtual environment in `.venv` and installs the project with its
development tools whenever `pyproject.toml` changed since the last install.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".masthead-install-stamp"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def venv_script(name: str) -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def ensure_env() -> Path:
    """Create the virtual environment if needed and install the project when its metadata changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"Masthead needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        print(f"dev.py: creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("dev.py: installing Masthead and its development tools", flush=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"], check=True)
        STAMP.write_text(wanted)
    return python


def run_steps(steps: list[list[str | Path]]) -> int:
    for step in steps:
        print("dev.py: $", " ".join(str(s) for s in step), flush=True)
        code = subprocess.run(step, cwd=ROOT).returncode
        if code != 0:
            print(f"dev.py: step failed with exit code {code}", file=sys.stderr)
            return code
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "package"}:
        print(__doc__)
        return 2
    python = ensure_env()
    command, rest = argv[0], argv[1:]
    if command == "run":
        return subprocess.run([python, "-m", "masthead", *rest]).returncode
    if command == "package":
        has_pyinstaller = subprocess.run([python, "-c", "import PyInstaller"], capture_output=True).returncode == 0
        steps: list[list[str | Path]] = []
        if not has_pyinstaller:
            steps.append([python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev,package]"])
        return run_steps([*steps, [python, ROOT / "packaging" / "build.py", *rest]])
    return run_steps(
        [
            [python, "-m", "ruff", "check", "app", "tests", "benchmarks", "packaging", "dev.py"],
            [python, "-m", "ruff", "format", "--check", "app", "tests", "benchmarks", "packaging", "dev.py"],
            [python, "-m", "mypy"],
            [venv_script("lint-imports"), "--no-logo"],
            [python, "-m", "pytest", *rest],
        ]
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
