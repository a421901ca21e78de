"""Citations are cached per passage without their access date: what the cache gives, with
any access date, is what citeproc gives for that date."""

from __future__ import annotations

from datetime import date

import pytest

from pactarchive import cite
from pactarchive.cite import csl
from pactarchive.cite.edition import from_document
from pactarchive.web import citing


@pytest.mark.parametrize("accessed", [date(2026, 12, 1), date(2027, 3, 9), date(2030, 10, 31)])
@pytest.mark.parametrize("ref", ["lv:1.1.2", "hen:1.1", "lv-en:3"])
def test_cached_citations_equal_fresh_ones_for_any_access_date(corpus, ref, accessed):
    loc = corpus.resolve(ref)[0]
    rec = csl.record(from_document(loc.doc), ref, loc.passage.unit, f"https://example.org/passage/{ref}", accessed)
    assert citing.cached_citations(rec) == cite.citations(rec)
    assert citing.cached_citations(rec) == cite.citations(rec)  # a cache hit too


def test_one_rendering_serves_every_access_date(corpus, monkeypatch):
    calls = []
    real = cite.citations
    monkeypatch.setattr(cite, "citations", lambda rec, *a: calls.append(rec["id"]) or real(rec, *a))
    loc = corpus.resolve("lv:2.2.4")[0]
    for day in (1, 2, 3):
        rec = csl.record(from_document(loc.doc), "lv:2.2.4", loc.passage.unit, "https://example.org/p", date(2026, 1, day))
        citing.cached_citations(rec)
    assert calls == ["lv:2.2.4"]
