"""The rules table itself (render/rules.py): complete for the edition's TEI, well formed, and
nothing of the text is ever lost."""

import pytest
from lxml import etree

from pactarchive.render import BEHAVIOURS, RULES, render_text
from pactarchive.render.rules import Rule
from pactarchive.tei import NS, local
from pactarchive.tei.text import plain_text

from .conftest import one, rendered, text_of, tree


def test_every_element_used_in_the_edition_text_has_a_rule(corpus):
    used = {local(el) for doc in corpus.documents.values()
            for text in doc.element.iter("{http://www.tei-c.org/ns/1.0}text") for el in text.iter()
            if isinstance(el.tag, str)}
    assert used, "the edition has no text"
    assert sorted(used - set(RULES)) == []


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_rule_names_a_behaviour_and_ends_unconditionally(name):
    rules = RULES[name]
    assert rules and all(isinstance(r, Rule) and r.behaviour in BEHAVIOURS for r in rules)
    assert rules[-1].when is None, f"{name}: the last rule must apply unconditionally"


def test_every_passage_of_every_document_has_its_ref_as_id(corpus):
    for doc in corpus.documents.values():
        page = tree(rendered(corpus, doc.id))
        ids = set(page.xpath("//@id"))
        missing = [f"{doc.id}:{p.path}" for p in doc.all_passages() if f"{doc.id}:{p.path}" not in ids]
        assert missing == [], f"{doc.id}: passages without id: {missing[:5]}"


# what each reading does not display, and the apparatus added around the text
APPARATUS = ("visually-hidden", "vh", "refs", "note-ref", "gap-reason", "bracket", "ed-notes")
HIDDEN = {"edited": APPARATUS + ("alt-received",),
          "diplomatic": APPARATUS + ("alt-edited", "edited-only", "gap-mark")}


@pytest.mark.parametrize("reading", ["edited", "diplomatic"])
def test_no_word_of_either_reading_is_lost(corpus, reading):
    """Each sentence's text, in the edited and the received reading, is displayed as it is in
    that reading, character for character (the apparatus and the other reading left out)."""
    for doc in corpus.documents.values():
        page = tree(rendered(corpus, doc.id))
        for cls in HIDDEN[reading]:
            for el in page.xpath(f"//*[contains(concat(' ', @class, ' '), ' {cls} ')]"):
                el.drop_tree()
        for p in doc.leaves():
            ref = f"{doc.id}:{p.path}"
            shown = "".join(text_of(page.xpath("//*[@id=$r]", r=ref)[0]).split())
            assert "".join(p.text(reading).split()) == shown, ref


def test_samples_from_other_projects_render_with_ids_and_text(tmp_path):
    from pathlib import Path
    import shutil
    from pactarchive.corpus import Corpus
    samples = Path(__file__).resolve().parent.parent / "samples"
    for folder in ("pair-lysias34-grc-eng", "baltic-parlamint-lv", "hostile-tei-testcorpus"):
        shutil.copytree(samples / folder, tmp_path / folder)
        c = Corpus.load(tmp_path / folder)
        for doc in c.documents.values():
            page = tree(rendered(c, doc.id))
            first = doc.leaves()[0]
            words = first.text().split()[:5]
            node = page.xpath("//*[@id=$r]", r=f"{doc.id}:{first.path}")
            assert node and all(w in text_of(node[0]) for w in words), (folder, doc.id)


def test_every_behaviour_is_documented():
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[2] / "docs" / "reading.md").read_text(encoding="utf-8")
    missing = [b for b in BEHAVIOURS if f"| `{b}` |" not in doc]
    assert missing == [], f"behaviours missing from docs/reading.md: {missing}"
