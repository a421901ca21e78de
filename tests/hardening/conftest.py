"""Hostile input files: each is a small TEI directory written next to a good document and an
``outside/`` folder holding a secret that must never reach a page, the API or the index.

``CASES`` names each hostile file after what it tries (issue 12), with the message and the
``file:line`` its problem must carry, and whether it is an error (the build stops, exit 1, the
served generation untouched) or a warning (ingested, an error under --strict).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SECRET = "TOPSECRET8d1f"
XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"'
HEADER = ('<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p/>'
          '</publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>')


def tei(doc_id: str, body: str, prolog: str = "") -> str:
    """A TEI document whose ``body`` starts on line 3 (line 4 with a one-line ``prolog``)."""
    return (f'{prolog}<TEI xmlns="http://www.tei-c.org/ns/1.0" {XI} xml:id="{doc_id}" xml:lang="en">{HEADER}\n'
            f'<text><body>\n{body}\n</body></text></TEI>\n')


def fragment(body: str) -> str:
    """An XInclude fragment whose ``body`` starts on line 2."""
    return f'<div xmlns="http://www.tei-c.org/ns/1.0" {XI}>\n{body}</div>\n'


def chain(n: int) -> dict[str, str]:
    """``chain/c0000.xml`` includes ``c0001.xml`` ... up to ``n`` files."""
    files = {f"chain/c{i:04d}.xml": fragment(f'<xi:include href="c{i + 1:04d}.xml"/>') for i in range(n - 1)}
    files[f"chain/c{n - 1:04d}.xml"] = fragment("<p>end of the chain</p>")
    return files


@dataclass
class Hostile:
    files: dict[str, str | bytes | int]  # path under tei/ -> text, bytes, or a size (a sparse file)
    message: str                         # what the problem says
    where: str                           # file:line it names (file relative to tei/)
    error: bool = True                   # False: a warning (an error only under --strict)
    links: dict[str, str] = field(default_factory=dict)  # link under tei/ -> target under outside/


CASES = {
    "file-scheme": Hostile(
        {"evil.xml": tei("evil", '<p><xi:include href="file:{out}/secret.txt" parse="text"/></p>')},
        "refused: it is a URL", "evil.xml:3"),
    "http-url": Hostile(
        {"evil.xml": tei("evil", '<p><xi:include href="http://127.0.0.1:9/secret.txt" parse="text"/></p>')},
        "refused: it is a URL", "evil.xml:3"),
    "absolute-path": Hostile(
        {"evil.xml": tei("evil", '<xi:include href="{out}/secret.xml"/>')},
        "refused: it is an absolute path", "evil.xml:3"),
    "xml-base-file-url": Hostile(  # the decoy tei/secret.txt is what a naive check looks at
        {"evil.xml": tei("evil", '<p xml:base="file://{out}/"><xi:include href="secret.txt" parse="text"/></p>'),
         "secret.txt": "decoy"},
        "with the xml:base in effect here it resolves to the URL 'file://", "evil.xml:3"),
    "xml-base-relative": Hostile(
        {"evil.xml": tei("evil", '<div xml:base="../outside/">\n<xi:include href="secret.xml"/></div>')},
        "outside the TEI directory", "evil.xml:4"),
    "parent-path": Hostile(
        {"evil.xml": tei("evil", '<xi:include href="../outside/secret.xml"/>')},
        "outside the TEI directory", "evil.xml:3"),
    "percent-encoded-parent": Hostile(
        {"evil.xml": tei("evil", '<xi:include href="%2E%2E/outside%2Fsecret.xml"/>')},
        "outside the TEI directory", "evil.xml:3"),
    "nested-include": Hostile(
        {"evil.xml": tei("evil", '<xi:include href="parts/frag.xml"/>'),
         "parts/frag.xml": fragment('<p>fine</p>\n<xi:include href="../../outside/secret.xml"/>')},
        "(this file is XIncluded into", "parts/frag.xml:3"),
    "include-loop": Hostile(
        {"evil.xml": tei("evil", '<xi:include href="parts/b.xml"/>'),
         "parts/b.xml": fragment('<xi:include href="../evil.xml"/>')},
        "XInclude loop", "parts/b.xml:2"),
    "include-chain-1200": Hostile(
        {"evil.xml": tei("evil", '<xi:include href="chain/c0000.xml"/>'), **chain(1200)},
        "XIncludes nested more than 40 deep", "chain/c0039.xml:2"),
    "size-after-inclusion": Hostile(  # 450 bytes including 60 MB
        {"evil.xml": tei("evil", '<p><xi:include href="big.txt" parse="text"/></p>'), "big.txt": 60 * 1024 * 1024},
        "with what it XIncludes", "evil.xml:3"),
    "depth-after-inclusion": Hostile(
        {"evil.xml": tei("evil", "<p>" + "<hi>" * 200 + '<xi:include href="parts/deep.xml"/>' + "</hi>" * 200 + "</p>"),
         "parts/deep.xml": fragment("<hi>" * 100 + "deep" + "</hi>" * 100)},
        "nested deeper than 256 levels with what it XIncludes", "evil.xml:"),
    "invalid-utf8": Hostile(
        {"evil.xml": tei("evil", "<p>bad \udcff\udcfe bytes</p>").encode("utf-8", "surrogateescape")},
        "not valid UTF-8", "evil.xml:3:"),
    "unknown-encoding": Hostile(
        {"evil.xml": '<?xml version="1.0" encoding="klingon"?>\n' + tei("evil", "<p>x</p>")},
        "Unsupported encoding", "evil.xml:1:"),
    "undeclared-entity-no-dtd": Hostile(
        {"evil.xml": tei("evil", "<p>The &pact; was signed.</p>")},
        "the entity &pact; is not declared", "evil.xml:3:"),
    "symlink-out": Hostile(
        {}, "outside the TEI directory", "evil.xml: error", links={"evil.xml": "secret-tei.xml"}),
    "symlinked-folder-out": Hostile(
        {}, "a symbolic link to", "more: error", links={"more": "."}),
    "fallback": Hostile(
        {"evil.xml": tei("evil", '<xi:include href="../outside/secret.xml">'
                                 '<xi:fallback><p>Fallback text.</p></xi:fallback></xi:include>')},
        "its xi:fallback is used instead", "evil.xml:3", error=False),
    "undeclared-entity": Hostile(
        {"evil.xml": tei("evil", "<p>The &pact; was signed.</p>", '<!DOCTYPE TEI SYSTEM "tei.dtd">\n')},
        "the entity reference &pact; is not expanded", "evil.xml:4", error=False),
}


def pytest_generate_tests(metafunc):
    """``error_case``, ``warning_case``, ``hostile_case``: one test per case, named after it."""
    groups = {"error_case": [n for n, c in CASES.items() if c.error],
              "warning_case": [n for n, c in CASES.items() if not c.error], "hostile_case": list(CASES)}
    for arg, names in groups.items():
        if arg in metafunc.fixturenames:
            metafunc.parametrize(arg, [CASES[n] for n in names], ids=names)


@pytest.fixture(scope="session")
def kit():
    """The helpers of this folder, for tests (conftest cannot be imported by name)."""
    from types import SimpleNamespace
    return SimpleNamespace(SECRET=SECRET, CASES=CASES, tei=tei, fragment=fragment, write_case=write_case,
                           remove=remove)


def write_outside(outside: Path) -> None:
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(SECRET)
    (outside / "secret.xml").write_text(f"<p xmlns='http://www.tei-c.org/ns/1.0'>{SECRET}</p>")
    (outside / "secret-tei.xml").write_text(tei("secret", f"<p>{SECRET}</p>"))


def write_case(tei_dir: Path, outside: Path, case: Hostile) -> list[Path]:
    """Write a hostile case into ``tei_dir``; returns what to remove afterwards (top first)."""
    made = []
    for rel, content in case.files.items():
        path = tei_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, int):
            with open(path, "wb") as fh:
                fh.truncate(content)  # sparse: costs nothing unless someone reads it
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content.replace("{out}", str(outside)), encoding="utf-8")
        made.append(path)
    for link, target in case.links.items():
        os.symlink(outside / target, tei_dir / link)
        made.append(tei_dir / link)
    return made


def remove(paths: list[Path], tei_dir: Path) -> None:
    for p in paths:
        if p.is_symlink() or p.is_file():
            p.unlink()
    for d in sorted({p.parent for p in paths if p.parent != tei_dir}, key=lambda d: -len(d.parts)):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()


@pytest.fixture()
def archive(tmp_path):
    """(tei/ with one good document, outside/ with the secret, the index path)."""
    tei_dir, outside = tmp_path / "tei", tmp_path / "outside"
    tei_dir.mkdir()
    (tei_dir / "good.xml").write_text(tei("good", "<p>Good text about the treaty.</p>"))
    write_outside(outside)
    return tei_dir, outside, tmp_path / "index"


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`pactarchive serve` in a subprocess over a TEI directory the tests change."""

    def __init__(self, tei_dir: Path, index_dir: Path, outside: Path):
        self.tei_dir, self.index_dir, self.outside = tei_dir, index_dir, outside
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "pactarchive.cli", "serve", "--tei", str(tei_dir),
                                      "--index", str(index_dir), "--port", str(port), "--threads", "4"],
                                     env=dict(os.environ, PYTHONUNBUFFERED="1"),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                self.get("/api/documents")
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("the server exited")
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the server did not start within 90 s")

    def get(self, path: str) -> tuple[int, bytes, dict]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), dict(exc.headers)

    def json(self, path: str):
        status, body, _ = self.get(path)
        assert status == 200, (path, status, body[:300])
        return json.loads(body)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module, over tei/ holding good.xml; tests add and remove files."""
    from pactarchive.cli import main
    base = tmp_path_factory.mktemp("served")
    tei_dir, outside, index_dir = base / "tei", base / "outside", base / "index"
    tei_dir.mkdir()
    (tei_dir / "good.xml").write_text(tei("good", "<p>Good text about the treaty.</p>"))
    write_outside(outside)
    assert main(["build", "--no-validate", "--tei", str(tei_dir), "--index", str(index_dir)]) == 0
    srv = Server(tei_dir, index_dir, outside)
    yield srv
    srv.stop()
