"""`pactarchive search QUERY [--lang LANG] [--json]`."""

from __future__ import annotations

import json

from pactarchive.cli import main


def test_prints_hits_with_their_aligned_passages(index_dir, capsys):
    assert main(["search", "--index", str(index_dir), "Päts", "--lang", "lv", "--size", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("passage(s) match 'Päts'") and len([line for line in out if line.startswith("  lv:")]) == 2
    assert "Petsu]" in out[1] and out[2].strip().startswith("= lv-en:") and "Päts]" in out[2]


def test_json_is_what_the_api_returns(index_dir, capsys):
    assert main(["search", "--index", str(index_dir), "Selters", "--json", "--lang", "lv",
                 "--from", "1939-09-22", "--to", "1939-09-23"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {h["ref"] for h in data["hits"]} == {"lv:3.1.1", "lv:3.1.5"}
    assert data["hits"][0]["url"].startswith("/read?at=")
    assert data["filters"] == {"lang": "lv", "from": "1939-09-22", "to": "1939-09-23"}


def test_a_bad_query_is_a_usage_error_with_its_message(index_dir, capsys):
    assert main(["search", "--index", str(index_dir), '"Baltijas flote']) == 2
    err = capsys.readouterr().err
    assert "quotation mark is not closed" in err and "Traceback" not in err


def test_nothing_found_says_what_might_be_meant(index_dir, capsys):
    assert main(["search", "--index", str(index_dir), "Seltrs"]) == 0
    assert "0 result(s) in 0 passage(s) match 'Seltrs'; did you mean" in capsys.readouterr().out


def test_without_an_index_the_message_says_to_build(tmp_path, capsys):
    assert main(["search", "--index", str(tmp_path), "Selters"]) == 1
    assert "pactarchive build" in capsys.readouterr().err


def test_counts_that_are_lower_bounds_say_so(index_dir, capsys, monkeypatch):
    """Over the rank limit and the count cap (docs/search.md "Search at scale") the terminal
    says "N+", as the page and the JSON do."""
    from pactarchive.search import cache, query
    monkeypatch.setattr(query, "RANK_LIMIT", 12)
    monkeypatch.setattr(query, "COUNT_CAP", 40)
    cache.CACHE.clear()
    assert main(["search", "--index", str(index_dir), "Soviet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "+ result(s) in 40+ passage(s) match 'Soviet'" in out[0]
    assert out[1] == "  (only the best 12 matches are ranked and listed; add words or filters)"
