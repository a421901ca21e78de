"""Helpers for the search tests: queries run against the session index of the real tei/."""

from __future__ import annotations

import pytest


def matched_refs(results, kinds=("passage",)) -> list[str]:
    """The refs of the matching records a search shows, in the order shown: each result's lead
    and its counterparts that match too (a counterpart may be shown only for context)."""
    out = []
    for h in results.hits:
        if h["type"] in kinds:
            out += [h["ref"]] + [a["ref"] for a in h["aligned"] if a["matched"]]
    return out


@pytest.fixture(scope="session")
def find(index_dir):
    """``find(q, **params)`` -> refs of the text passages a search of the real corpus matches
    (up to 100 results), in the order shown (see ``matched_refs``)."""
    from pactarchive.search import search

    def run(q: str, **params) -> list[str]:
        return matched_refs(search(index_dir, q, size=100, **params))
    return run


@pytest.fixture(scope="session")
def results(index_dir):
    """``results(q, **params)`` -> the SearchResults of a search of the real corpus."""
    from pactarchive.search import search

    def run(q: str, **params):
        return search(index_dir, q, **params)
    return run
