"""The pactarchive command: build, check, --help; bad input refused without harm."""

import sqlite3
import subprocess
import sys

import pytest

from pactarchive.cli import main
from pactarchive.search import current_generation, search


def test_build_writes_an_index_and_a_summary(make_tei, tmp_path, capsys):
    tei = make_tei("aligned_a.xml", "aligned_b.xml")
    assert main(["build", "--tei", str(tei), "--index", str(tmp_path / "ix"), "--no-validate"]) == 0
    out = capsys.readouterr().out
    assert "2 documents, 4 passages" in out and "seconds" in out
    assert search(tmp_path / "ix", "kareivju").hits[0]["ref"] == "b:1.1.1"


def test_malformed_file_fails_the_build_and_keeps_the_old_index(make_tei, tmp_path, capsys):
    tei = make_tei("aligned_a.xml")
    ix = tmp_path / "ix"
    assert main(["build", "--tei", str(tei), "--index", str(ix), "--no-validate"]) == 0
    before = current_generation(ix)
    (tei / "broken.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>\n</TEI>')
    assert main(["build", "--tei", str(tei), "--index", str(ix), "--no-validate"]) == 1
    err = capsys.readouterr().err
    assert "broken.xml:3:" in err and "not well-formed" in err and "Traceback" not in err
    assert current_generation(ix) == before
    assert search(ix, "troops").total == 1


def test_invalid_tei_is_a_warning_and_strict_makes_it_an_error(make_tei, tmp_path, capsys):
    tei = make_tei(**{"odd__xml": '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="odd"><teiHeader/>'
                                  '<text><body><p><bogus>x</bogus></p></body></text></TEI>'})
    assert main(["build", "--tei", str(tei), "--index", str(tmp_path / "ix")]) == 0
    assert "not valid against TEI P5 tei_all" in capsys.readouterr().err
    assert main(["build", "--strict", "--tei", str(tei), "--index", str(tmp_path / "ix2")]) == 1
    assert current_generation(tmp_path / "ix2") is None


def test_missing_tei_directory_is_a_clear_error(tmp_path, capsys):
    assert main(["build", "--tei", str(tmp_path / "nowhere"), "--index", str(tmp_path / "ix")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_our_edition_passes_strict(tei_dir, tmp_path, capsys):
    code = main(["check", "--strict", "--tei", str(tei_dir)])
    assert code == 0, capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["build"], ["serve"], ["search"], ["check"]])
def test_every_command_has_help(command):
    out = subprocess.run([sys.executable, "-m", "pactarchive.cli", *command, "--help"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "usage: pactarchive" in out.stdout


def test_an_index_path_that_is_a_file_is_a_clear_error(make_tei, tmp_path, capsys):
    (tmp_path / "ix").write_text("not a directory")
    code = main(["build", "--no-validate", "--tei", str(make_tei("aligned_a.xml")), "--index", str(tmp_path / "ix")])
    err = capsys.readouterr().err
    assert code == 1 and "File exists" in err and str(tmp_path / "ix") in err and "Traceback" not in err


@pytest.fixture()
def loads(monkeypatch):
    """Count the times the TEI files are read (Corpus.load)."""
    from pactarchive.corpus import Corpus
    counted = []
    real = Corpus.load.__func__

    def load(cls, *a, **kw):
        counted.append(a)
        return real(cls, *a, **kw)
    monkeypatch.setattr(Corpus, "load", classmethod(load))
    return counted


def test_a_build_with_nothing_changed_reads_no_file(make_tei, tmp_path, capsys, loads):
    tei, ix = make_tei("aligned_a.xml", "aligned_b.xml"), tmp_path / "ix"
    build = ["build", "--tei", str(tei), "--index", str(ix), "--no-validate"]
    assert main(build) == 0 and len(loads) == 1
    gen = current_generation(ix)
    capsys.readouterr()
    assert main(build) == 0
    assert len(loads) == 1 and current_generation(ix) == gen  # nothing parsed, no new generation
    assert "Index up to date: 2 documents, 4 passages" in capsys.readouterr().out
    (tei / "aligned_b.xml").write_text((tei / "aligned_b.xml").read_text() + "<!-- edited -->")
    assert main(build) == 0 and len(loads) == 2 and current_generation(ix) != gen  # one byte changed: built
    assert main([*build, "--full"]) == 0 and len(loads) == 3  # --full always builds


def test_a_build_by_other_code_or_with_validation_is_not_up_to_date(make_tei, tmp_path, loads, monkeypatch):
    from pactarchive import build
    tei, ix = make_tei("aligned_a.xml"), tmp_path / "ix"
    assert main(["build", "--tei", str(tei), "--index", str(ix), "--no-validate"]) == 0
    assert main(["build", "--tei", str(tei), "--index", str(ix)]) == 0  # validation asked: not done before
    assert len(loads) == 2
    assert main(["build", "--tei", str(tei), "--index", str(ix)]) == 0 and len(loads) == 2
    monkeypatch.setattr(build, "code_fingerprint", lambda: "other code")
    assert main(["build", "--tei", str(tei), "--index", str(ix)]) == 0 and len(loads) == 3


def test_an_unchanged_build_still_reports_its_warnings_and_strict_fails_on_them(make_tei, tmp_path, capsys, loads):
    tei = make_tei(**{"odd__xml": '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="odd"><teiHeader/>'
                                  '<text><body><p><bogus>x</bogus></p></body></text></TEI>'})
    ix = tmp_path / "ix"
    assert main(["build", "--tei", str(tei), "--index", str(ix)]) == 0
    capsys.readouterr()
    assert main(["build", "--tei", str(tei), "--index", str(ix)]) == 0 and len(loads) == 1
    assert "not valid against TEI P5 tei_all" in capsys.readouterr().err
    assert main(["build", "--strict", "--tei", str(tei), "--index", str(ix)]) == 1 and len(loads) == 1
    assert "not valid against TEI P5 tei_all" in capsys.readouterr().err


def test_a_build_after_one_sentence_changed_reads_that_file_and_those_it_links_with(tei_dir, tmp_path, capsys, loads):
    """The edition's tei/: hen.xml links with the register, the alignment and the Latvian
    article, not with the bibliography (incremental.py)."""
    import shutil
    tei, ix = tmp_path / "tei", tmp_path / "ix"
    shutil.copytree(tei_dir, tei)
    build = ["build", "--no-validate", "--tei", str(tei), "--index", str(ix)]
    assert main(build) == 0
    hen = tei / "hen.xml"
    hen.write_text(hen.read_text(encoding="utf-8").replace("30,000 troops", "thirty thousand troops"), encoding="utf-8")
    capsys.readouterr()
    assert main(build) == 0
    out = capsys.readouterr().out
    assert "1 document(s) changed" in out and "the rest reused" in out, out
    assert "hen: " in out and "lv: " not in out  # the coverage of the document made again
    assert len(loads) == 2
    db = sqlite3.connect(current_generation(ix) / "store.sqlite")
    try:
        assert "thirty thousand troops" in db.execute("SELECT text FROM passages WHERE ref = 'hen:1.1.2'").fetchone()[0]
    finally:
        db.close()
