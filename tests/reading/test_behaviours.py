"""Each behaviour of the vocabulary on a tiny snippet (render/behaviours.py, annotate.py)."""

from pathlib import Path

import pactarchive
from pactarchive.render import BEHAVIOURS
from pactarchive.render.html import element, escape

from .conftest import has_class, one, rendered, sentence, snippet, text_of, tree

VOCABULARY = {"pass", "omit", "block", "inline", "heading", "passage", "link", "break", "neutral",
              "entity", "normalised", "alternatives", "apparatus", "reading", "gap", "supplied", "note"}


def test_the_vocabulary_is_small_and_fixed():
    assert set(BEHAVIOURS) == VOCABULARY


def test_pass_renders_only_the_content():
    out = snippet('<div><p>Hello</p></div>')
    assert "tei-body" not in out and "tei-text" not in out and "Hello" in out


def test_omit_renders_nothing_but_keeps_the_tail():
    out = sentence('before <fw type="x">furniture</fw>after')
    assert "before" in out and "after" in out
    out = sentence('a<gap reason="lost"><desc>DESCRIPTION</desc></gap>b')
    assert one(out, f"//span[{has_class('gap-mark')}]").get("title").endswith("DESCRIPTION")
    assert not tree(out).xpath(f"//*[{has_class('tei-desc')}]")  # desc is not rendered as text


def test_block_maps_lists_and_keeps_attributes_as_data():
    out = snippet('<div><list type="related"><item xml:id="i1">One</item></list></div>')
    ul = one(out, "//ul")
    assert ul.get("class") == "tei-list" and ul.get("data-type") == "related"
    assert one(out, "//ul/li").get("data-xml-id") == "i1"


def test_inline_maps_phrases():
    out = sentence('<hi rend="italic">it</hi> <title xml:lang="ru">Борьба</title> <foreign xml:lang="pl">Orzeł</foreign>')
    assert text_of(one(out, "//em")) == "it"
    assert one(out, "//cite").get("lang") == "ru"
    assert one(out, "//i").get("lang") == "pl"


def test_heading_level_follows_section_depth():
    out = snippet('<div n="1"><head>Top</head><div n="2"><head>Inner</head><p>x</p></div></div>')
    assert text_of(one(out, "//h3")) == "Top" and text_of(one(out, "//h4")) == "Inner"


def test_passage_has_its_ref_as_id_and_a_permalink_label():
    out = sentence("Text.")
    s = one(out, "//span[@id='t:1.1.1']")
    assert {"passage", "leaf"} <= set(s.get("class").split())
    label = one(out, "//span[@id='t:1.1.1']/span[contains(@class,'refs')]/a[@class='ref']")
    assert label.get("href") == "/passage/t:1.1.1" and text_of(label) == "1.1.1"
    assert one(out, "//p[@id='t:1.1']") is not None and one(out, "//section[@id='t:1']") is not None


def test_passage_alignment_state_against_the_other_document(fx_corpus):
    out = rendered(fx_corpus, "hen", other="lv")
    aligned = one(out, "//*[@id='hen:1.1.2']")
    assert aligned.get("data-aligned") == "lv:1.1.2" and "aligned" in aligned.get("class").split()
    assert not tree(out).xpath("//a[@class='cite-both']")  # read.js adds ⇄ from data-aligned
    lonely = one(out, "//*[@id='hen:1.2.1']")
    assert "unaligned" in lonely.get("class").split() and lonely.get("data-aligned") is None
    # the ∅ and its spoken text come from the stylesheet, once, in each interface language
    css = (Path(pactarchive.__file__).parent / "web" / "static" / "style.css").read_text()
    assert '.unaligned > .refs::after { content: "∅"; content: "∅" / "no counterpart in the other text"' in css
    assert 'html[lang="lv"] .unaligned > .refs::after { content: "∅"; content: "∅" / "otrā tekstā atbilsmes nav"' in css


def test_passage_deep_link_target_is_marked_with_its_words(fx_corpus):
    out = rendered(fx_corpus, "lv", other="hen", target="lv:2.1.1", words=("Staļins",))
    target = one(out, f"//*[{has_class('is-target')}]")
    assert target.get("id") == "lv:2.1.1"
    assert [text_of(m) for m in tree(out).xpath("//mark")] == ["Staļins"]


def test_link_goes_through_the_link_hook(fx_corpus):
    out = rendered(fx_corpus, "lv")
    a = one(out, "//a[contains(@class,'tei-ref')]")
    assert a.get("href") == "https://example.org/x" and "external" in a.get("class")
    out = sentence('see <ref target="#nowhere">there</ref>')
    assert text_of(one(out, f"//span[{has_class('unlinked')}]")) == "there"


def test_break_renders_line_and_page_breaks():
    out = sentence('one<lb/>two<pb n="3"/>three')
    assert one(out, "//br") is not None
    assert text_of(one(out, f"//span[{has_class('break-marker')}]")) == "[page 3]"


def test_neutral_keeps_unknown_elements_text_and_attributes():
    out = sentence('a <unheardOf type="x" xml:lang="de">Wort</unheardOf> b')
    span = one(out, "//span[contains(@class,'tei-unheardOf')]")
    assert text_of(span) == "Wort" and span.get("data-type") == "x" and span.get("lang") == "de"


def test_entity_links_to_its_card_styled_by_kind(fx_corpus):
    out = rendered(fx_corpus, "lv", other="hen")
    person = one(out, "//*[@id='lv:2.1.1']//a[@href='#entity-stalin']")
    assert "entity-person" in person.get("class") and person.get("href") == "#entity-stalin"
    assert person.get("title") is None and person.get("data-ref") is None  # in the page's name index, not repeated
    ship = one(out, "//a[@href='#entity-orzel']")
    assert "entity-ship" in ship.get("class")
    plain = rendered(fx_corpus, "lv", other="hen", names=False)
    assert not tree(plain).xpath("//a[starts-with(@href,'#entity-')]") and tree(plain).xpath("//span[@data-entity='stalin']")


def test_normalised_dates_and_quantities_reveal_their_value(fx_corpus):
    out = rendered(fx_corpus, "lv")
    time = one(out, "//*[@id='lv:1.1.1']//time")
    assert time.get("datetime") == "1939-09-28" and time.get("title") is None  # read.js: the tooltip
    assert "(date: 1939-09-28)" in text_of(one(out, "//*[@id='lv:1.1.1']//time/span[@class='vh']"))
    data = one(out, "//*[@id='lv:1.1.2']//data")
    assert data.get("value") == "25000" and "(quantity: 25000 soldier)" in text_of(data)
    assert not tree(sentence("<date>someday</date>")).xpath("//time")  # nothing to reveal: plain


def test_choice_renders_both_readings_each_naming_the_other(fx_corpus):
    out = rendered(fx_corpus, "lv")
    edited = one(out, f"//span[{has_class('alt-edited')}]")
    received = one(out, f"//span[{has_class('alt-received')}]")
    assert text_of(edited).startswith("mobilizācija") and "moblizācija" in edited.get("title")
    assert text_of(received).startswith("moblizācija") and "mobilizācija" in received.get("title")


def test_gap_shows_its_reason():
    out = sentence('lost: <gap reason="lost-in-transmission"/>')
    gap = one(out, f"//span[{has_class('gap-mark')}]")
    assert "[…]" in text_of(gap) and text_of(one(out, "//span[@class='gap-reason']")) == "lost in transmission"


def test_supplied_is_bracketed_except_in_headings():
    out = snippet('<div n="1"><head><supplied reason="editorial">Title</supplied></head>'
                  '<p n="1"><s n="1"><supplied reason="omitted">1.</supplied> Punkts</s></p></div>')
    supplied = one(out, "//span[@id='t:1.1.1']//span[contains(@class,'tei-supplied')]")
    assert "edited-only" in supplied.get("class") and text_of(supplied).startswith("⟨1.⟩")
    assert text_of(one(out, "//h3")) == "Title" and "⟨" not in text_of(one(out, "//h3"))


def test_inline_note_gets_a_marker_and_its_text_after_the_paragraph(fx_corpus):
    out = rendered(fx_corpus, "lv", other="hen")
    marker = one(out, "//*[@id='lv:2.1.2']//sup[@class='note-ref']/a")
    note = one(out, f"//details[@id='{marker.get('href')[1:]}']")
    assert "Polish: Orzeł." in text_of(note) and "inaccuracy" in text_of(note)
    assert note.getparent().getprevious().get("id") == "lv:2.1"  # right after its paragraph


def test_stand_off_note_appears_at_each_passage_it_annotates(fx_corpus):
    for doc, other, ref in (("hen", "lv", "hen:1.1.2"), ("lv", "hen", "lv:1.1.2")):
        out = rendered(fx_corpus, doc, other=other)
        href = one(out, f"//*[@id='{ref}']//sup[@class='note-ref']/a").get("href")
        assert "30,000" in text_of(one(out, f"//details[@id='{href[1:]}']"))


def test_text_and_attributes_are_escaped():
    out = sentence('&lt;script&gt;alert(1)&lt;/script&gt; <unknown a="&quot;&gt;&lt;x">y</unknown>')
    assert "<script>" not in out and "&lt;script&gt;" in out and '"><x' not in out
    assert element("a", {"title": '"<'}, escape("<b>")) == '<a title="&quot;&lt;">&lt;b&gt;</a>'
