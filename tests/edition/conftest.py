"""Fixtures for the edition tests: the TEI files of tei/, parsed once per session.

These tests check the edition's data (tei/*.xml) independently of the application code in
src/pactarchive: they parse the files with lxml directly, on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI_NS}
EDITION_TEI_DIR = Path(__file__).resolve().parents[2] / "tei"


def tei_files() -> list[Path]:
    """Every TEI file of the edition (used for parametrisation at collection time)."""
    return sorted(EDITION_TEI_DIR.glob("*.xml"))


@pytest.fixture(scope="session")
def edition_dir() -> Path:
    return EDITION_TEI_DIR


@pytest.fixture(scope="session")
def docs() -> dict[str, etree._ElementTree]:
    """File name (e.g. 'lv.xml') -> parsed tree, for every TEI file in tei/."""
    return {p.name: etree.parse(str(p)) for p in tei_files()}


@pytest.fixture(scope="session")
def ids_by_file(docs) -> dict[str, dict[str, etree._Element]]:
    """File name -> {xml:id -> element}."""
    return {name: {el.get(XML_ID): el for el in tree.iter() if el.get(XML_ID) is not None}
            for name, tree in docs.items()}
