"""The pactarchive command: build, check, --help; bad input refused without harm."""

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
