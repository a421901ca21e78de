"""`serve --workers 2`: gunicorn workers answer from the current generation; the one watcher
rebuilds when a file is added, and every worker picks the new generation up without a restart."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from pactarchive import serving

pytestmark = pytest.mark.skipif(not serving.available(), reason="gunicorn needs POSIX and the gunicorn package")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ids(url: str) -> list[str]:
    with urllib.request.urlopen(url + "/api/documents", timeout=5) as r:
        return [d["id"] for d in json.load(r)]


def _until(check, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        try:
            found = check()
            if found:
                return found
        except OSError:
            pass
        if time.monotonic() > deadline:
            return check()
        time.sleep(0.3)


def test_workers_pick_up_the_generation_the_watcher_builds(make_tei, tmp_path):
    tei, port = make_tei("aligned_a.xml"), _port()
    proc = subprocess.Popen([sys.executable, "-m", "pactarchive.cli", "serve", "--tei", str(tei), "--index",
                             str(tmp_path / "ix"), "--port", str(port), "--workers", "2", "--threads", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        assert _until(lambda: _ids(url) == ["a"], 90), proc.stdout.read1().decode(errors="replace") if proc.poll() else ""
        (tei / "aligned_b.xml").write_bytes((tei / "aligned_a.xml").read_bytes()
                                             .replace(b'xml:id="a"', b'xml:id="b"').replace(b"a-s", b"b-s"))
        # every answer, from either worker, soon lists both
        assert _until(lambda: all(_ids(url) == ["a", "b"] for _ in range(6)), 90)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        proc.stdout.close()
