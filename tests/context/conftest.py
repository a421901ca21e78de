"""Fixtures of the context tests (registers, notes, timeline, map): the tiny TEI files in
tests/context/fixtures, each named after the phenomenon it exercises, and apps on them and on the
real-world samples."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="session")
def fx_corpus():
    from pactarchive.corpus import Corpus
    c = Corpus.load(FIXTURES)
    assert not c.problems, c.problems
    return c


def app_on(tei_dir: Path, tmp_path: Path):
    from pactarchive.web import create_app
    return create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": tmp_path / "index"}).test_client()


@pytest.fixture()
def fx_client(tmp_path):
    return app_on(FIXTURES, tmp_path)


@pytest.fixture()
def sample_client(tmp_path):
    """A client on one sample folder: ``sample_client("ner-dracor-aeschylus-persians")``."""
    return lambda name: app_on(SAMPLES / name, tmp_path)
