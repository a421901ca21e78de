"""Search at scale (issue 10, docs/search.md "Search at scale"): counts exact up to a cap and a
lower bound beyond, only the best matches ranked and counted in the facets (with a note), the
pages still reaching every ranked result, and the per-generation result cache.

Our tei/ is far below the real limits (161 passages match `Soviet`), so the limits are
monkeypatched small: the code paths are those of a 5,000-document archive."""

from __future__ import annotations

import re
import shutil

import pytest

from whoosh import collectors

from pactarchive.search import query, search
from pactarchive.search.cache import CACHE, ResultCache


@pytest.fixture()
def small_limits(monkeypatch):
    """Rank only the best 12 matches, count exactly up to 40."""
    monkeypatch.setattr(query, "RANK_LIMIT", 12)
    monkeypatch.setattr(query, "COUNT_CAP", 40)


def test_below_the_limits_every_count_is_exact(index_dir):
    r = search(index_dir, "Soviet")
    assert (r.total_relation, r.passages_relation, r.facets_complete) == ("eq", "eq", True)
    assert r.ranked == r.passages == 161
    assert sum(e["count"] for e in r.facets["type"]) == r.passages


def test_past_the_count_cap_passages_is_a_lower_bound(index_dir, small_limits):
    r = search(index_dir, "Soviet")
    assert r.passages == 40 and r.passages_relation == "gte"
    assert r.total_relation == "gte" and not r.facets_complete
    assert r.ranked == 12  # the best 12 by score
    assert sum(e["count"] for e in r.facets["type"]) == r.ranked  # facets count what was ranked


def test_between_the_limits_passages_is_exact_and_total_a_lower_bound(index_dir, monkeypatch):
    monkeypatch.setattr(query, "RANK_LIMIT", 12)
    r = search(index_dir, "Soviet")
    assert (r.passages, r.passages_relation, r.total_relation) == (161, "eq", "gte")


def test_the_pages_reach_every_ranked_result_once(index_dir, small_limits):
    first = search(index_dir, "Soviet", size=5)
    seen = []
    for page in range(1, first.pages + 1):
        seen += [h["ref"] for h in search(index_dir, "Soviet", size=5, page=page).hits]
    assert len(seen) == len(set(seen)) == first.total
    assert search(index_dir, "Soviet", size=5, page=first.pages + 1).hits == []


def test_the_named_entity_still_leads_when_only_the_best_are_ranked(index_dir, small_limits):
    """The ranking's rules apply among the best matches by score: his mentions lead them."""
    r = search(index_dir, "Molotov", size=12)
    assert r.total_relation == "gte" and r.ranked == 12
    assert all("molotov" in h["entities"] for h in r.hits if h["type"] == "passage")
    assert [h["type"] for h in r.hits][-1] == "register"  # sentence-level before the register


def test_the_json_says_which_numbers_are_lower_bounds(client, small_limits):
    data = client.get("/api/search?q=Soviet").get_json()
    assert data["passages"] == 40 and data["passages_relation"] == "gte"
    assert data["total_relation"] == "gte" and data["facets_complete"] is False
    assert data["ranked"] == sum(e["count"] for e in data["facets"]["lang"])
    exact = client.get("/api/search?q=Narva").get_json()
    assert (exact["total_relation"], exact["passages_relation"], exact["facets_complete"]) == ("eq", "eq", True)


@pytest.mark.parametrize("ui, heading, capped, facets", [
    ("en", r"^\d+\+ results in 40\+ passages", "only the best", "not in all of them"),
    ("lv", r"^\d+\+ rezultāt\w* 40\+ fragmentos", "tikai labākie", "nevis visos"),
])
def test_the_page_shows_n_plus_and_the_notes(client, small_limits, ui, heading, capped, facets):
    html = client.get(f"/search?q=Soviet&ui={ui}").get_data(as_text=True)
    assert re.search(heading, html.split('id="hits-title">')[1].split("</h2>")[0])
    assert capped in html and facets in html


def test_an_exact_search_shows_no_plus_and_no_note(client):
    html = client.get("/search?q=Narva").get_data(as_text=True)
    title = html.split('id="hits-title">')[1].split("</h2>")[0]
    assert "+" not in title and "only the best" not in html and "not in all of them" not in html


def test_a_cached_search_returns_the_same_results(index_dir):
    CACHE.clear()
    first = search(index_dir, "Selteram", page=2, size=5)
    assert (CACHE.hits, CACHE.misses) == (0, 1)
    again = search(index_dir, "  Selteram ", page=2, size=5)  # the same query, normalised
    assert (CACHE.hits, CACHE.misses) == (1, 1)
    assert again.to_dict() == first.to_dict()
    again.facets["lang"][0]["count"] = -1  # what a caller does to its copy stays with it
    assert search(index_dir, "Selteram", page=2, size=5).to_dict() == first.to_dict()


def test_the_cache_key_holds_page_filters_and_options(index_dir):
    CACHE.clear()
    search(index_dir, "Selteram")
    for other in ({"page": 2}, {"lang": "lv"}, {"group": "passage"}, {"sort": "order"}, {"size": 20}):
        search(index_dir, "Selteram", **other)
    assert CACHE.hits == 0 and CACHE.misses == 6


def test_a_new_generation_misses_the_cache(index_dir, tmp_path):
    """A copy of the index under a new generation name: the same query is computed afresh."""
    CACHE.clear()
    search(index_dir, "Selteram")
    old = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    (copy / old).rename(copy / (old + "-next"))
    (copy / "CURRENT").write_text(old + "-next", encoding="utf-8")
    fresh = search(copy, "Selteram")
    assert (CACHE.hits, CACHE.misses) == (0, 2)
    assert fresh.to_dict() == search(index_dir, "Selteram").to_dict()


def test_the_cache_is_a_bounded_lru():
    cache = ResultCache(2)
    cache.put("a", [1])
    cache.put("b", [2])
    assert cache.get("a") == [1]  # a is now the most recently used
    cache.put("c", [3])
    assert cache.get("b") is None and cache.get("a") == [1] and len(cache) == 2
    cache.resize(0)
    cache.put("d", [4])
    assert len(cache) == 0 and cache.get("d") is None


class _OutOfTime(collectors.TimeLimitCollector):
    """A time limit that has already passed when the search starts (no timer, no race)."""

    def prepare(self, top_searcher, q, context):
        self.child.prepare(top_searcher, q, context)
        self.timer, self.timedout = None, True


def test_a_search_out_of_time_answers_with_what_it_found(index_dir, monkeypatch):
    monkeypatch.setattr(collectors, "TimeLimitCollector", _OutOfTime)
    CACHE.clear()
    r = search(index_dir, "Soviet")
    assert (r.passages_relation, r.total_relation, r.facets_complete) == ("gte", "gte", False)
    assert r.passages < 161 and r.ranked < 161
    assert len(CACHE) == 0  # not cached: another time it may get further


def test_an_export_out_of_time_is_refused(index_dir, monkeypatch):
    from pactarchive.errors import QueryError
    from pactarchive.search import search_all
    monkeypatch.setattr(collectors, "TimeLimitCollector", _OutOfTime)
    with pytest.raises(QueryError, match="ran out of its"):
        search_all(index_dir, "Soviet")
