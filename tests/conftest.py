"""Shared fixtures. Real data: the edition's own tei/ and the samples in tests/samples/.

Browser tests (marked ``browser``) drive Debian's chromium through Playwright against a real
server in a subprocess. Without chromium they are skipped with a message, except under CI
(CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "tei"
SAMPLES = ROOT / "tests" / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
CHROMIUM = os.environ.get("PACTARCHIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def tei_dir() -> Path:
    return TEI_DIR


@pytest.fixture(scope="session")
def corpus(tei_dir):
    from pactarchive.corpus import Corpus
    return Corpus.load(tei_dir)


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory, corpus) -> Path:
    """The real corpus built once per test session (index and edition store) into a temporary
    directory."""
    from pactarchive.build import build
    path = tmp_path_factory.mktemp("index")
    build(corpus, path)
    return path


@pytest.fixture(scope="session")
def app(tei_dir, index_dir):
    from pactarchive.web import create_app
    return create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir})


@pytest.fixture()
def client(app):
    return app.test_client()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tei_dir, index_dir):
    """The edition served by `pactarchive serve` (waitress) in a subprocess; yields its URL."""
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "pactarchive.cli", "serve", "--tei", str(tei_dir),
                             "--index", str(index_dir), "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/api/documents", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("server exited: " + proc.stdout.read().decode(errors="replace"))
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("server did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    proc.stdout.close()


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no chromium at {CHROMIUM}: browser tests must run under CI "
                        "(.ci/run installs Debian's chromium)")
        pytest.skip(f"browser tests skipped: no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                               args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A fresh browser page at 1280x900 that records every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests_made = []
    pg.on("request", lambda r: pg.requests_made.append(r.url))
    yield pg
    context.close()


@pytest.fixture()
def make_tei(tmp_path):
    """Copy named fixture files (or write given text) into a fresh TEI directory."""
    def make(*names: str, **texts: str) -> Path:
        d = tmp_path / "tei"
        d.mkdir(exist_ok=True)
        for name in names:
            shutil.copy(FIXTURES / name, d / name)
        for name, text in texts.items():
            (d / name.replace("__", ".")).write_text(text, encoding="utf-8")
        return d
    return make
