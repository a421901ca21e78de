"""Ref stability: tei/published-refs.json and the changelog rule (docs/citation.md)."""

from __future__ import annotations

import json

import pytest

from pactarchive.cite import published
from pactarchive.cite.__main__ import main as cite_main
from pactarchive.corpus import Corpus

S2 = "It allowed 25,000 soldiers &amp; bases {in} Estonia_50%."
S2_NEW = "It allowed 25,000 soldiers and bases in Estonia."
CHANGE_10 = '<change when="2025-02-01" n="1.0">First published.</change>'


# -- the edition's own list -------------------------------------------------------------------

def test_no_published_ref_disappeared_or_changed_without_a_recorded_change(corpus, tei_dir):
    listed = published.load(tei_dir / published.FILENAME)
    breaches = published.check(corpus, listed)
    assert not breaches, ("published refs changed without a revisionDesc/change (docs/citation.md):\n"
                          + "\n".join(map(str, breaches)))


def test_every_ref_of_the_edition_is_published(corpus, tei_dir):
    new = published.unpublished(corpus, published.load(tei_dir / published.FILENAME))
    assert not new, (f"{len(new)} refs are not in tei/published-refs.json yet (e.g. {new[:5]}); publish them "
                     "deliberately: python -m pactarchive.cite --update-published")


def test_the_list_records_every_level_with_id_and_hash(corpus, tei_dir):
    listed = published.load(tei_dir / published.FILENAME)["documents"]
    lv = listed["lv"]["refs"]
    assert {"lv:2", "lv:2.3", "lv:2.3.1"} <= set(lv)
    assert lv["lv:2.3.1"]["sha256"] == published.text_hash(corpus.resolve("lv:2.3.1")[0].passage.text())
    assert lv["lv:1.1.1"]["id"] == "lv-s1"


# -- the rule, on a small document ------------------------------------------------------------

@pytest.fixture()
def first_edition(cited_dir, tmp_path):
    """cited.xml published at version 1.0; returns (its directory, the list's path)."""
    d = cited_dir()
    path = tmp_path / "published-refs.json"
    published.update(Corpus.load(d), path)
    return path


def breaches(cited_dir, path, replace):
    return [(b.ref, b.kind) for b in published.check(Corpus.load(cited_dir(replace)), published.load(path))]


def test_a_changed_text_is_a_breach_at_every_level_containing_it(cited_dir, first_edition):
    assert breaches(cited_dir, first_edition, {S2: S2_NEW}) == [
        ("doc:1", "changed"), ("doc:1.1", "changed"), ("doc:1.1.2", "changed")]


def test_markup_that_keeps_the_edited_text_is_no_change(cited_dir, first_edition):
    marked = "The pact was signed in <placeName>Moscow</placeName> on\n 28 September 1939."
    assert breaches(cited_dir, first_edition, {"The pact was signed in Moscow on 28 September 1939.": marked}) == []


def test_a_removed_passage_is_a_breach(cited_dir, first_edition):
    gone = {'<s xml:id="doc-s3" n="1">The delegation returned to Tallinn.</s>': "",
            '<p xml:id="doc-p2" n="2">': '<p xml:id="doc-p2" n="2"><s xml:id="doc-s5" n="1">New.</s>'}
    assert ("doc:1.2.1", "changed") in breaches(cited_dir, first_edition, gone)
    gone_p = {'<p xml:id="doc-p2" n="2">\n          <s xml:id="doc-s3" n="1">The delegation returned to Tallinn.</s>\n        </p>': ""}
    assert ("doc:1.2", "missing") in breaches(cited_dir, first_edition, gone_p)


def recorded(target: str, n: str = "1.1", edition: str = "1.1") -> dict:
    return {S2: S2_NEW, '<edition n="1.0">': f'<edition n="{edition}">',
            CHANGE_10: CHANGE_10 + f'<change when="2025-06-01" n="{n}" target="{target}">Corrected.</change>'}


@pytest.mark.parametrize("target", ["#doc-s2", "cited.xml#doc-s2", "#doc-p1", "#doc-d1"])
def test_a_change_recorded_in_a_later_version_excuses_the_passage_and_its_containers(cited_dir, first_edition, target):
    assert breaches(cited_dir, first_edition, recorded(target)) == []


def test_a_change_targeting_a_sibling_or_another_file_excuses_nothing(cited_dir, first_edition):
    assert breaches(cited_dir, first_edition, recorded("#doc-s1")) == [("doc:1.1.2", "changed")]
    assert len(breaches(cited_dir, first_edition, recorded("other.xml#doc-s2"))) == 3


def test_the_change_must_be_later_than_the_published_version_and_not_ahead_of_the_edition(cited_dir, first_edition):
    assert len(breaches(cited_dir, first_edition, recorded("#doc-s2", n="1.0", edition="1.0"))) == 3
    assert len(breaches(cited_dir, first_edition, recorded("#doc-s2", n="1.1", edition="1.0"))) == 3
    assert breaches(cited_dir, first_edition, recorded("#doc-s2", n="1.1", edition="2.0")) == []


def test_a_removed_passage_is_excused_by_its_recorded_xml_id(cited_dir, first_edition):
    replace = {'<p xml:id="doc-p2" n="2">\n          <s xml:id="doc-s3" n="1">The delegation returned to Tallinn.</s>\n        </p>': "",
               '<edition n="1.0">': '<edition n="1.1">',
               CHANGE_10: CHANGE_10 + '<change when="2025-06-01" n="1.1" target="#doc-p2">Withdrawn: a duplicate.</change>'}
    # doc-p2 no longer exists: its ref comes from the list; it covers doc:1.2.1 inside it and
    # doc:1 around it (whose text lost the paragraph)
    assert breaches(cited_dir, first_edition, replace) == []


def test_update_refuses_unrecorded_changes_unless_forced(cited_dir, first_edition):
    changed = Corpus.load(cited_dir({S2: S2_NEW}))
    with pytest.raises(published.PublishedRefsError, match="doc:1.1.2"):
        published.update(changed, first_edition)
    published.update(changed, first_edition, force=True)
    assert published.check(changed, published.load(first_edition)) == []


def test_the_command_updates_and_checks(cited_dir, tmp_path, capsys):
    d = cited_dir()
    out = tmp_path / "list.json"
    assert cite_main(["--update-published", "--tei", str(d), "--output", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert json.loads(out.read_text())["documents"]["doc"]["version"] == "1.0"
    assert cite_main(["--check-published", "--tei", str(d), "--output", str(out)]) == 0
    cited_dir({S2: S2_NEW})
    assert cite_main(["--check-published", "--tei", str(d), "--output", str(out)]) == 1
    assert "doc:1.1.2" in capsys.readouterr().err


def test_a_broken_list_is_reported_not_crashed_on(tmp_path):
    bad = tmp_path / "list.json"
    bad.write_text("{\"format\": 2}")
    with pytest.raises(published.PublishedRefsError, match="not a published-refs list"):
        published.load(bad)
    with pytest.raises(published.PublishedRefsError, match="cannot read"):
        published.load(tmp_path / "missing.json")
