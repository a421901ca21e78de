"""docs/search.md is part of the contract: every parameter, response field, query field and
the figures the tests hold are documented there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pactarchive.search.syntax import FIELDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "search.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("param", ["q", "lang", "doc", "person", "place", "from", "to", "page", "size", "sort", "type",
                                   "group"])
def test_every_api_parameter_is_documented(param):
    table = DOC.split("Parameters (all optional")[1].split("Response (200):")[0]
    assert re.search(rf"^\| [^|]*`{param}`", table, re.M)


def test_every_response_field_is_documented(client):
    data = client.get("/api/search?q=P%C3%A4ts&lang=lv").get_json()
    documented = set(re.findall(r'"(\w+)":', DOC.split("Response (200):")[1].split("Errors:")[0]))
    assert set(data) <= documented
    assert set(data["hits"][0]) <= documented and set(data["hits"][0]["aligned"][0]) <= documented


@pytest.mark.parametrize("name", FIELDS)
def test_every_query_field_is_documented(name):
    assert f"`{name}:" in DOC


def test_the_documented_quality_is_what_the_test_holds():
    source = (Path(__file__).parent / "test_quality.py").read_text(encoding="utf-8")
    floor = re.search(r'FLOOR = \{"recall": ([\d.]+), "mrr": ([\d.]+)\}', source).groups()
    assert f"recall@10 ≥ {floor[0]} and MRR ≥ {floor[1]}" in DOC
    recall, mrr = re.search(r"\| \*\*overall\*\* \| \d+ \| ([\d.]+) \| ([\d.]+) \|", DOC).groups()
    assert float(recall) >= float(floor[0]) and float(mrr) >= float(floor[1])


def test_the_stemmer_measurement_and_benchmark_are_in_the_docs():
    assert "LatvianStemmer, fold then stem (chosen)" in DOC and "simplemma, lemmatise then fold" in DOC
    assert "BENCHMARK" not in DOC and "| clients |" in DOC
