"""A search that runs out of its time is a 400 saying what to narrow (issue 12: "a time budget
per search"), not a request that holds a thread for as long as it likes."""

import pytest

from pactarchive.errors import QueryError
from pactarchive.search import budget, search


def test_a_search_past_its_time_budget_is_refused_with_what_to_narrow(index_dir, monkeypatch):
    monkeypatch.setattr(budget, "SEARCH_SECONDS", 0.0)  # every search runs out at its first match
    with pytest.raises(QueryError, match="ran out of its 0 seconds"):
        search(index_dir, "Molotov")


def test_the_budget_leaves_ordinary_searches_alone(index_dir):
    assert search(index_dir, "Molotov", type="passage").total == 14
