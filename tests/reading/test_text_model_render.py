"""The reader and the text model agree: apparatus as notes, right-to-left text isolated, search
words marked on a passage's joined text, the marks surviving the one-document redirect."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lhtml

from tests.reading.conftest import snippet

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_an_apparatus_shows_the_lemma_in_the_text_and_the_other_readings_as_a_note():
    out = snippet('<div><p><s>signed in <app><lem>autumn</lem><rdg wit="#B">spring</rdg></app> by</s></p></div>')
    tree = lhtml.fromstring(out)
    sentence = tree.xpath("//*[contains(@class,'tei-s')]")[0]
    assert "autumn" in sentence.text_content() and "spring" not in sentence.text_content().split("note")[0]
    (note,) = tree.xpath("//details[contains(@class,'ed-note')]")
    assert "Other readings: spring (B)" in note.text_content()


def test_a_word_split_across_elements_is_marked_in_each_part():
    out = snippet('<div><p><s>The port of Tal<hi>linn</hi> was open.</s></p></div>', target="t:1.1.1", words=("Tallinn",))
    marks = [m.text_content() for m in lhtml.fromstring(out).xpath("//mark")]
    assert marks == ["Tal", "linn"]


def test_a_decomposed_word_is_marked_whole():
    out = snippet('<div><p><s>Pēc okupa\u0304cijas sākuma.</s></p></div>', lang="lv", target="t:1.1.1",
                  words=("okupācijas",))
    assert [m.text_content() for m in lhtml.fromstring(out).xpath("//mark")] == ["okupācijas"]


def test_right_to_left_text_gets_dir_and_a_left_to_right_word_inside_it_too():
    out = snippet('<div><p><s>שָׁלוֹם <foreign xml:lang="en">peace</foreign> עוֹלָם</s></p></div>', lang="he")
    tree = lhtml.fromstring(out)
    assert tree.xpath("//*[@id='t:1.1.1']/@dir") == ["rtl"]
    assert tree.xpath("//*[contains(@class,'tei-foreign')]/@dir") == ["ltr"]
    english = lhtml.fromstring(snippet('<div><p><s>The word <foreign xml:lang="he">שָׁלוֹם</foreign>.</s></p></div>'))
    assert english.xpath("//*[contains(@class,'tei-foreign')]/@dir") == ["rtl"]
    assert english.xpath("//*[@id='t:1.1.1']/@dir") == []


def test_the_one_document_redirect_keeps_the_deep_link_and_its_marks(tmp_path):
    from pactarchive.web import create_app
    tei = tmp_path / "tei"
    tei.mkdir()
    (tei / "rtl.xml").write_bytes((FIXTURES / "rtl_hebrew_arabic.xml").read_bytes())
    client = create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": tmp_path / "index"}).test_client()
    response = client.get("/read?at=rtl:1.2.1&hl=المدرسة")
    assert response.status_code == 302
    assert "hl=" in response.location and "at=rtl:1.2.1" in response.location
    page = client.get(response.location.split("#")[0])
    marks = lhtml.fromstring(page.get_data(as_text=True)).xpath("//*[@id='rtl:1.2.1']//mark")
    assert [m.text_content() for m in marks] == ["المَدْرَسَةِ"]


def test_a_search_snippet_of_right_to_left_text_is_isolated():
    from pactarchive.search.snippets import snippet as kwic
    assert kwic("ذَهَبَ الوَلَدُ", [(0, 6)]).startswith('<bdi dir="auto"><mark>')
    assert not kwic("The harbour", [(4, 11)]).startswith("<bdi")


def test_every_passage_of_a_division_has_its_anchor_and_the_html_stays_valid(tmp_path):
    from pactarchive.corpus import Corpus
    from pactarchive.web import create_app
    tei = tmp_path / "tei"
    tei.mkdir()
    (tei / "blocks.xml").write_bytes((FIXTURES / "division_blocks.xml").read_bytes())
    client = create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": tmp_path / "index"}).test_client()
    page = lhtml.fromstring(client.get("/documents/blocks").get_data(as_text=True))
    doc = Corpus.load(tei).documents["blocks"]
    for p in doc.all_passages():
        assert page.xpath(f"//*[@id='blocks:{p.path}']"), p.path
        assert client.get(f"/passage/blocks:{p.path}").status_code == 200, p.path
    assert page.xpath("//div[@id='blocks:1.list']/ul/li[@id='blocks:1.list.1']")
    assert page.xpath("//table/tr[@id='blocks:1.table.1']/td[1]/span[contains(@class,'refs')]") or \
        page.xpath("//table//tr[@id='blocks:1.table.1']/td[1]/span[contains(@class,'refs')]")
    assert page.xpath("//div[@id='blocks:1.head']/h3")[0].text_content() == "Report of the harbour committee"


def test_a_choice_between_uncertain_readings_shows_the_one_the_text_model_gives():
    out = snippet('<div><p><s>The ship <choice><unclear cert="low">Orzet</unclear><unclear cert="high">Orzeł</unclear>'
                  '</choice> left.</s></p></div>')
    choice = lhtml.fromstring(out).xpath("//*[contains(@class,'tei-choice')]")[0]
    assert choice.text_content() == "Orzeł" and choice.get("title") == "Other possible readings: Orzet"
