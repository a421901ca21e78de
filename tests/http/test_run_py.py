"""run.py becomes the server (shared/cases/25-run-py-sigterm): `kill` of the PID that was
started frees the port within 5 s, Ctrl+C (SIGINT) stops it without a traceback, and options
without a command mean serve."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and exec are POSIX")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), *args, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    deadline = time.monotonic() + 120  # the first run may install into .venv
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/documents", timeout=2)
            return proc, port
        except OSError:
            if proc.poll() is not None:
                with proc.stdout:
                    pytest.fail("run.py exited: " + proc.stdout.read().decode(errors="replace"))
            time.sleep(0.2)
    proc.kill()
    proc.wait()
    proc.stdout.close()
    pytest.fail("the server did not answer within 120 s")


def _port_free_within(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return True
        time.sleep(0.1)
    return False


def _stop(proc: subprocess.Popen, sig: int) -> str:
    proc.send_signal(sig)
    try:
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with proc.stdout:
        return proc.stdout.read().decode(errors="replace")


def test_kill_of_run_py_serve_frees_the_port_within_5_s(tei_dir, index_dir):
    proc, port = _start("serve", "--tei", str(tei_dir), "--index", str(index_dir))
    proc.send_signal(signal.SIGTERM)
    freed = _port_free_within(port, 5)
    _stop(proc, signal.SIGKILL)
    assert freed, "the port still answers 5 s after kill of run.py: an orphaned server?"


def test_ctrl_c_stops_the_server_without_a_traceback(tei_dir, index_dir):
    proc, port = _start("serve", "--tei", str(tei_dir), "--index", str(index_dir))
    output = _stop(proc, signal.SIGINT)
    assert _port_free_within(port, 5)
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output


def test_options_without_a_command_mean_serve(tei_dir, index_dir):
    proc, port = _start("--tei", str(tei_dir), "--index", str(index_dir))
    _stop(proc, signal.SIGTERM)
    assert _port_free_within(port, 5)


def test_an_unknown_command_says_what_to_type():
    out = subprocess.run([sys.executable, str(ROOT / "run.py"), "serv"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode != 0 and "python3 run.py serve --port 5001" in out.stderr and "'serv'" in out.stderr
