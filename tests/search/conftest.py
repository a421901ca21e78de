"""Helpers for the search tests: queries run against the session index of the real tei/."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def find(index_dir):
    """``find(q, **params)`` -> refs of the hits (up to 100) of a search of the real corpus."""
    from pactarchive.search import search

    def run(q: str, **params) -> list[str]:
        return [h["ref"] for h in search(index_dir, q, size=100, **params).hits]
    return run


@pytest.fixture(scope="session")
def results(index_dir):
    """``results(q, **params)`` -> the SearchResults of a search of the real corpus."""
    from pactarchive.search import search

    def run(q: str, **params):
        return search(index_dir, q, **params)
    return run
