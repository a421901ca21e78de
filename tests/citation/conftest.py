"""Fixtures of the citation tests: a small, fully described TEI document (fixtures/cited.xml)
copied into a fresh TEI directory, optionally edited first."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CITED = (HERE / "fixtures" / "cited.xml").read_text(encoding="utf-8")


@pytest.fixture()
def cited_dir(make_tei):
    """``cited_dir(**replacements)``: a TEI directory with cited.xml, each ``old=new`` pair
    (given as a dict) replaced in it first."""
    def make(replace: dict | None = None) -> Path:
        text = CITED
        for old, new in (replace or {}).items():
            assert old in text, f"fixture has no {old!r}"
            text = text.replace(old, new)
        return make_tei(**{"cited__xml": text})
    return make
