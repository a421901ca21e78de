"""Each hostile file (conftest.CASES) at build and at serve: a message with file:line, exit 1
(or a warning), the served generation untouched, the secret nowhere, the server answering."""

from __future__ import annotations

from pactarchive.cli import main
from pactarchive.search import current_generation, search


def _build(tei_dir, index_dir, *extra) -> int:
    return main(["build", "--no-validate", *extra, "--tei", str(tei_dir), "--index", str(index_dir)])


def test_build_stops_with_a_message_and_keeps_the_served_generation(error_case, archive, kit, capsys):
    tei_dir, outside, index_dir = archive
    assert _build(tei_dir, index_dir) == 0
    before = current_generation(index_dir)
    capsys.readouterr()
    kit.write_case(tei_dir, outside, error_case)
    assert _build(tei_dir, index_dir) == 1
    err = capsys.readouterr().err
    assert error_case.where in err and error_case.message in err, err[:2000]
    assert "Traceback" not in err and kit.SECRET not in err
    assert "nothing was changed" in err
    assert current_generation(index_dir) == before
    assert search(index_dir, "treaty").total == 1 and search(index_dir, kit.SECRET).total == 0


def test_warning_cases_are_ingested_without_the_secret_and_strict_refuses_them(warning_case, archive, kit, capsys):
    tei_dir, outside, index_dir = archive
    kit.write_case(tei_dir, outside, warning_case)
    assert _build(tei_dir, index_dir) == 0
    err = capsys.readouterr().err
    assert warning_case.where in err and warning_case.message in err and "warning" in err, err
    built = current_generation(index_dir)
    assert search(index_dir, kit.SECRET).total == 0
    assert _build(tei_dir, index_dir, "--strict") == 1
    assert warning_case.message in capsys.readouterr().err
    assert current_generation(index_dir) == built


def test_fallback_content_stands_in_for_the_refused_include(archive, kit, capsys):
    tei_dir, outside, index_dir = archive
    kit.write_case(tei_dir, outside, kit.CASES["fallback"])
    assert _build(tei_dir, index_dir) == 0
    (hit,) = search(index_dir, "Fallback").hits
    assert hit["doc"] == "evil" and hit["text"] == "Fallback text."


def test_a_running_server_keeps_serving_while_a_hostile_file_is_present(hostile_case, server, kit):
    assert server.json("/api/documents")
    served = current_generation(server.index_dir)
    made = kit.write_case(server.tei_dir, server.outside, hostile_case)
    try:
        for path in ("/api/documents", "/documents/good", "/api/search?q=treaty", "/tei/good.xml"):
            status, body, _ = server.get(path)
            assert status == 200, (path, status, body[:300])
            assert kit.SECRET.encode() not in body
        # the served generation is rebuilt in the background when tei/ changes: a file that is
        # only a warning appears once that build is in; a failing one never does
        ids = _documents_when(server, ["good"] if hostile_case.error else ["evil", "good"])
        assert ids == (["good"] if hostile_case.error else ["evil", "good"]), ids
        assert server.json(f"/api/search?q={kit.SECRET}")["total"] == 0
        if hostile_case.error:
            status, body, _ = server.get("/documents/evil")
            assert status == 404 and kit.SECRET.encode() not in body
            assert current_generation(server.index_dir) == served  # no rebuild from a failing corpus
    finally:
        kit.remove(made, server.tei_dir)
    assert _documents_when(server, ["good"]) == ["good"]


def _documents_when(server, wanted: list[str], seconds: float = 60) -> list[str]:
    """The served document ids, polled until they are ``wanted`` or ``seconds`` have passed."""
    import time
    deadline = time.monotonic() + seconds
    while True:
        ids = [d["id"] for d in server.json("/api/documents")]
        if ids == wanted or time.monotonic() > deadline:
            return ids
        time.sleep(0.3)


def test_the_real_command_exits_1_with_file_line_column_for_invalid_utf8(archive, kit):
    import subprocess
    import sys
    tei_dir, outside, index_dir = archive
    kit.write_case(tei_dir, outside, kit.CASES["invalid-utf8"])
    out = subprocess.run([sys.executable, "-m", "pactarchive.cli", "build", "--no-validate", "--tei", str(tei_dir),
                          "--index", str(index_dir)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "evil.xml:3:8: error: bytes that are not valid UTF-8" in out.stderr and "Traceback" not in out.stderr
    assert current_generation(index_dir) is None
