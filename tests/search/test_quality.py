"""The search-quality file (benchmarks/search-quality.json) and the figures it reaches:
recall@10 and MRR may not drop below what the edition's search reached (run
benchmarks/search_quality.py to see them per category)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "search_quality.py"
spec = importlib.util.spec_from_file_location("search_quality", SCRIPT)
quality = importlib.util.module_from_spec(spec)
spec.loader.exec_module(quality)

# Reached on the complete tei/ (see docs/search.md); raise them when search improves.
FLOOR = {"recall": 0.99, "mrr": 0.97}
CATEGORY_FLOOR = {"recall": 0.99, "mrr": 0.97}  # every category, since results are grouped (issue 16)
CATEGORIES = {"latvian-inflection", "latvian-no-diacritics", "english-stemming", "entity-cross-language", "quantity",
              "date", "phrase", "boolean", "field-filter", "wildcard", "fuzzy", "realistic", "notes-heads-register"}
BROAD_NAMES = {("Molotov", "lv"), ("Molotovam", "lv"), ("Selter", "lv"), ("Molotov", None), ("Molotovam", None),
               ("Selter", None)}  # the broad one-name queries that missed a passage before grouping


@pytest.fixture(scope="module")
def figures(index_dir):
    k, cases = quality.load_cases()
    return quality.evaluate(index_dir, cases, k)


def test_the_file_has_enough_realistic_queries_in_every_category_and_both_languages(corpus):
    k, cases = quality.load_cases()
    assert k == 10 and len(cases) >= 60
    assert {c["category"] for c in cases} == CATEGORIES
    expected_docs = {ref.split(":")[0] for c in cases for ref in c["expect"]}
    assert {"lv", "lv-en", "hen"} <= expected_docs
    notes = {f"note:{n.id}" for n in corpus.notes}
    for c in cases:
        for ref in c["expect"]:
            if ref.startswith("note:"):
                assert ref in notes, ref
            elif ref.startswith("entity:"):
                assert ref.split(":", 1)[1] in corpus.entities, ref
            else:
                assert corpus.resolve(ref), ref  # raises for a ref that is not in tei/
    assert BROAD_NAMES <= {(c["q"], c.get("lang")) for c in cases}


def test_overall_recall_and_mrr_hold(figures):
    overall = figures["overall"]
    assert overall["recall"] >= FLOOR["recall"], quality.report(figures, 10)
    assert overall["mrr"] >= FLOOR["mrr"], quality.report(figures, 10)


def test_the_documented_figures_are_the_scripts_output(figures):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "search.md").read_text(encoding="utf-8")
    assert quality.report(figures, 10) in doc, "rerun benchmarks/search_quality.py and copy its table"


def test_the_broad_one_name_queries_find_every_expected_passage_first(figures):
    missed = [(f["q"], f.get("lang"), f["missing"]) for f in figures["failures"] if (f["q"], f.get("lang")) in BROAD_NAMES]
    assert missed == []


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_every_category_holds(figures, category):
    f = figures["categories"][category]
    assert f["recall"] >= CATEGORY_FLOOR["recall"] and f["mrr"] >= CATEGORY_FLOOR["mrr"], (category, f)
