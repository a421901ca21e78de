"""Incremental builds: a file whose inputs (its bytes, the files it XIncludes, the build
version) did not change is not validated again; its cached result is used."""

from __future__ import annotations

import pytest

from pactarchive import build
from pactarchive.corpus import Corpus
from pactarchive.errors import Problem
from pactarchive.tei import validate

XI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="inc">'
      '<teiHeader><fileDesc><titleStmt><title>I</title></titleStmt><publicationStmt><p/></publicationStmt>'
      '<sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><div><xi:include href="parts/p.xml"/>'
      '</div></body></text></TEI>')


@pytest.fixture()
def counted(monkeypatch):
    """validate.validate replaced by a counter that finds one problem in every file."""
    calls = []

    def fake(tree, file, max_problems=20):
        calls.append(file)
        return [Problem("warning", file, 1, "not valid against TEI P5 tei_all: (counted)")]
    monkeypatch.setattr(validate, "validate", fake)
    return calls


def test_unchanged_files_are_not_validated_again(make_tei, tmp_path, counted):
    tei, cache = make_tei("aligned_a.xml", "aligned_b.xml"), tmp_path / "cache"
    first = build.validate_corpus(Corpus.load(tei), cache, jobs=1)
    assert (first.validated, first.reused, len(counted)) == (2, 0, 2)
    again = build.validate_corpus(Corpus.load(tei), cache, jobs=1)
    assert (again.validated, again.reused, len(counted)) == (0, 2, 2)
    assert again.problems == first.problems  # the cached result, with its file and line
    (tei / "aligned_b.xml").write_text((tei / "aligned_b.xml").read_text().replace("Otrs.", "Trešais."))
    changed = build.validate_corpus(Corpus.load(tei), cache, jobs=1)
    assert (changed.validated, changed.reused) == (1, 1) and counted[-1].endswith("aligned_b.xml")


def test_a_changed_xincluded_file_validates_its_includer_again(make_tei, tmp_path, counted):
    tei = make_tei(**{"inc__xml": XI})
    (tei / "parts").mkdir()
    (tei / "parts" / "p.xml").write_text("<p xmlns='http://www.tei-c.org/ns/1.0'>One.</p>")
    build.validate_corpus(Corpus.load(tei), tmp_path / "c", jobs=1)
    assert build.validate_corpus(Corpus.load(tei), tmp_path / "c", jobs=1).validated == 0
    (tei / "parts" / "p.xml").write_text("<p xmlns='http://www.tei-c.org/ns/1.0'>Two.</p>")
    assert build.validate_corpus(Corpus.load(tei), tmp_path / "c", jobs=1).validated == 1


def test_the_build_version_is_part_of_the_key(make_tei, monkeypatch):
    tei = make_tei("aligned_a.xml")
    before = build.input_key(tei / "aligned_a.xml", [])
    monkeypatch.setattr(build, "STORE_VERSION", build.STORE_VERSION + 1)
    assert build.input_key(tei / "aligned_a.xml", []) != before


def test_cli_build_reuses_validation(make_tei, tmp_path, counted, capsys):
    from pactarchive.cli import main
    tei, ix = make_tei("aligned_a.xml", "aligned_b.xml"), tmp_path / "ix"
    assert main(["build", "--tei", str(tei), "--index", str(ix)]) == 0
    assert main(["build", "--tei", str(tei), "--index", str(ix)]) == 0
    assert len(counted) == 2  # the second build validated nothing
    assert "(counted)" in capsys.readouterr().err  # and still reported the cached warnings


def test_a_generation_is_stamped_with_the_code_that_started_its_build(make_tei, tmp_path, monkeypatch):
    """The code fingerprint is read once, when the build starts: files edited while it runs
    (a fingerprint read again at the end would differ) must not stamp the generation, or the
    next build would extend work of other code as its own."""
    import json

    from pactarchive.search import current_generation
    tei, ix = make_tei("aligned_a.xml"), tmp_path / "ix"
    build.build(Corpus.load(tei), ix)
    readings = iter(["code at the start", "code edited during the build", "later"])
    monkeypatch.setattr(build, "code_fingerprint", lambda: next(readings))
    build.build(Corpus.load(tei), ix)
    manifest = json.loads((current_generation(ix) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["code"] == "code at the start" and manifest["index"]["incremental"] is False


def test_a_file_saved_while_workers_validate_is_reported_but_not_cached(make_tei, tmp_path, counted):
    """Validation workers parse the files again: one saved after the corpus read it gives a
    result of other bytes than its input_key's, which must not be kept under that key."""
    tei = make_tei("aligned_a.xml", "aligned_b.xml", "plain_div_p.xml", "nested_divs.xml", "sp_l.xml")
    corpus = Corpus.load(tei)
    (tei / "sp_l.xml").write_text((tei / "sp_l.xml").read_text() + "<!-- saved since -->")
    run = build.validate_corpus(corpus, tmp_path / "cache", jobs=2)
    assert run.validated == 5 and len(run.problems) == 5  # all reported
    again = build.validate_corpus(corpus, tmp_path / "cache", jobs=2)
    assert (again.validated, again.reused) == (1, 4)  # sp_l.xml's result was not kept
