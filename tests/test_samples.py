"""Real TEI written by other projects (tests/samples, see its README for sources and
licences): each, dropped alone into an empty TEI directory, is listed, resolvable and indexed."""

import shutil

import pytest

from pactarchive.corpus import Corpus
from pactarchive.search import build_index, search

from pathlib import Path

SAMPLES = Path(__file__).parent / "samples"

EXPECTED = {
    # sample folder: {doc id: (lang, citation method, first leaf ref, number of leaves)}
    "pair-lysias34-grc-eng": {
        "tlg0540.tlg034.perseus-eng2": ("en", "citeStructure", "1", 11),
        "tlg0540.tlg034.perseus-grc2": ("grc", "citeStructure", "1", 11),
    },
    "baltic-parlamint-lv": {"ParlaMint-LV_2021-02-11-PT13-2193": ("lv", "nesting", "1.1.1", 15)},
    "hostile-tei-testcorpus": {
        # front and back matter are passages named front/back; the body's refs are unchanged
        "testcorpus-1": ("und", "nesting", "front.docTitle", 15),
        "testcorpus-2": ("und", "nesting", "1.1", 2),
        "testcorpus-3": ("und", "nesting", "1.1", 5),
    },
    "ner-dracor-aeschylus-persians": {"greek000022": ("grc", "nesting", "1.1.1.1", 1065)},
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_sample_is_listed_citable_and_indexed(folder, tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(SAMPLES / folder, tei)
    corpus = Corpus.load(tei)
    assert not corpus.errors, corpus.errors
    got = {d.id: (d.lang, d.structure.method, d.leaves()[0].path, len(d.leaves())) for d in corpus.documents.values()}
    assert got == EXPECTED[folder]
    result = build_index(corpus, tmp_path / "index")
    assert result.passages == sum(v[3] for v in EXPECTED[folder].values())
    for doc in corpus.documents.values():
        leaf = next(p for p in doc.leaves() if len(p.text().split()) > 2)
        (loc,) = corpus.resolve(f"{doc.id}:{leaf.path}")
        assert loc.passage is leaf
        word = max(leaf.text().split(), key=len).strip(".,;:·!?“”\"'()")
        hits = search(tmp_path / "index", word, doc=doc.id).hits
        assert f"{doc.id}:{leaf.path}" in [h["ref"] for h in hits], word


def test_lysias_declared_cite_structure_wins_over_its_dead_cref_pattern(tmp_path):
    shutil.copytree(SAMPLES / "pair-lysias34-grc-eng", tmp_path / "tei")
    doc = Corpus.load(tmp_path / "tei").documents["tlg0540.tlg034.perseus-eng2"]
    assert doc.passage("3").text().startswith("Now I, men of Athens")
    assert [p.unit for p in doc.leaves()][:1] == ["section"]


def test_parlamint_segments_resolve_by_their_non_ascii_xml_ids(tmp_path):
    shutil.copytree(SAMPLES / "baltic-parlamint-lv", tmp_path / "tei")
    corpus = Corpus.load(tmp_path / "tei")
    (loc,) = corpus.resolve("ParlaMint-LV_2021-02-11-PT13-2193:ParlaMint-LV_2021-02-11-PT13-2193-U2-P1")
    assert loc.passage.text() == "Es runāšu “pret”."
    assert any("Beitnere-LeGallaDagmāra" in w.message for w in corpus.warnings)


def test_lysias_original_and_translation_align_section_by_section(tmp_path):
    shutil.copytree(SAMPLES / "pair-lysias34-grc-eng", tmp_path / "tei")
    corpus = Corpus.load(tmp_path / "tei")
    assert corpus.aligned("tlg0540.tlg034.perseus-eng2:7") == ["tlg0540.tlg034.perseus-grc2:7"]
    assert corpus.aligned("tlg0540.tlg034.perseus-grc2:11") == ["tlg0540.tlg034.perseus-eng2:11"]


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_every_page_renders_for_a_foreign_archive(folder, tmp_path):
    """The archive promise end to end: a sample alone in tei/ gets its home entry, document page,
    reading view, permalinks and search page, none of them an error."""
    from pactarchive.web import create_app
    tei = tmp_path / "tei"
    shutil.copytree(SAMPLES / folder, tei)
    corpus = Corpus.load(tei)
    build_index(corpus, tmp_path / "index")
    client = create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": tmp_path / "index"}).test_client()
    ids = list(corpus.documents)
    word = max(corpus.documents[ids[0]].leaves()[0].text().split(), key=len)
    urls = ["/", "/read", f"/read?left={ids[0]}&right={ids[-1]}", f"/search?q={word}"]
    if len(ids) > 1:
        urls.append("/api/read")
    for doc in corpus.documents.values():
        first, last = doc.leaves()[0].path, doc.leaves()[-1].path
        urls += [f"/documents/{doc.id}", f"/passage/{doc.id}:{first}", f"/passage/{doc.id}:{first}-{last}",
                 f"/api/passages/{doc.id}:{first}", f"/passage/{doc.id}:{first}.xml", f"/tei/{doc.id}.xml"]
    for url in urls:
        r = client.get(url, follow_redirects=True)  # /read of a one-document archive: that document
        assert r.status_code == 200, (url, r.status_code, r.data[:300])
