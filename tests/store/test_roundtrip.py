"""The edition store gives back exactly what the corpus model gives: every passage of tei/, of
the shared real-world samples, of tests/samples and of the fixture corpora (text in both
readings, ref, order, tree, alignment, entities, mentions, notes), compiled once per corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactarchive.corpus import Corpus
from pactarchive.store import Edition, compile_store

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path("/work/shared/tei-samples")
CORPORA = ([ROOT / "tei", ROOT / "tests" / "fixtures", ROOT / "tests" / "reading" / "fixtures",
            ROOT / "tests" / "context" / "fixtures"]
           + sorted(p for p in (ROOT / "tests" / "samples").iterdir() if p.is_dir())
           + (sorted(p for p in SHARED.iterdir() if p.is_dir()) if SHARED.is_dir() else []))


@pytest.fixture(scope="module", params=CORPORA, ids=lambda p: f"{p.parent.name}/{p.name}")
def pair(request, tmp_path_factory):
    corpus = Corpus.load(request.param)
    path = tmp_path_factory.mktemp("store") / "store.sqlite"
    compile_store(corpus, path)
    return corpus, Edition(path)


def test_documents(pair):
    corpus, edition = pair
    assert list(edition.documents) == list(corpus.documents)
    assert [(d.id, d.title) for d in edition.documents.values()] == [(d.id, d.title) for d in corpus.documents.values()]
    for doc in corpus.documents.values():
        stored = edition.document(doc.id)
        assert (stored.title, stored.lang, stored.metadata, stored.structure.method, stored.leaf_count) == \
               (doc.title, doc.lang, doc.metadata, doc.structure.method, len(doc.leaves()))
        assert stored.path.resolve() == doc.path.resolve()


def test_every_passage_in_order_with_its_texts_and_tree(pair):
    corpus, edition = pair
    for doc in corpus.documents.values():
        stored = edition.document(doc.id).all_passages()
        assert [p.path for p in stored] == [p.path for p in doc.all_passages()]
        for p, s in zip(doc.all_passages(), stored):
            assert (s.unit, s.xml_id, s.text(), s.text("diplomatic")) == (p.unit, p.xml_id, p.text(), p.text("diplomatic"))
            assert s.parent_ref == (f"{doc.id}:{p.parent.path}" if p.parent else None)
            assert [c.path for c in s.children] == [c.path for c in p.children]
        assert [p.path for p in edition.document(doc.id).leaves()] == [p.path for p in doc.leaves()]
        assert [p.path for p in edition.document(doc.id).passages] == [p.path for p in doc.passages]
        ranks = dict(edition._all("SELECT path, sibling FROM passages WHERE doc = ?", (doc.id,)))
        for siblings in [doc.passages, *(p.children for p in doc.all_passages())]:
            assert [ranks[s.path] for s in siblings] == list(range(len(siblings)))


def test_refs_and_ranges_resolve_alike(pair):
    corpus, edition = pair
    for doc in corpus.documents.values():
        leaves = doc.leaves()
        refs = [f"{doc.id}:{p.path}" for p in doc.all_passages()]
        refs += [f"{doc.id}:{p.xml_id}" for p in doc.all_passages() if p.xml_id]
        if len(leaves) > 2:
            refs.append(f"{doc.id}:{leaves[0].path}-{leaves[2].path}")
        for ref in refs:
            assert [l.ref for l in edition.resolve(ref)] == [l.ref for l in corpus.resolve(ref)], ref


def test_alignment_both_directions_in_reading_order(pair):
    corpus, edition = pair
    for doc in corpus.documents.values():
        for p in doc.all_passages():
            ref = f"{doc.id}:{p.path}"
            assert edition.aligned(ref) == corpus.aligned(ref), ref
            assert edition.aligned_within(ref) == corpus.aligned_within(ref), ref


def test_entities_mentions_and_notes(pair):
    corpus, edition = pair
    assert [e.to_dict() for e in edition.entities.values()] == [e.to_dict() for e in corpus.entities.values()]
    assert sorted(edition.mentions) == sorted(corpus.mentions)
    for entity_id, mentions in corpus.mentions.items():
        assert [(m.ref, m.text) for m in edition.mentions[entity_id]] == [(m.ref, m.text) for m in mentions]
    assert [n.to_dict() for n in edition.notes] == [n.to_dict() for n in corpus.notes]
    assert [(n.file, n.line) for n in edition.notes] == [(n.file, n.line) for n in corpus.notes]
    for doc in corpus.documents.values():
        for p in doc.all_passages():
            ref = f"{doc.id}:{p.path}"
            assert edition.entities_in(ref) == corpus.entities_in(ref), ref
            assert [n.to_dict() for n in edition.notes_for(ref)] == [n.to_dict() for n in corpus.notes_for(ref)], ref


def test_pointers_name_what_the_corpus_resolves(pair):
    from pactarchive.tei import XML_ID
    corpus, edition = pair
    for (file, xml_id), el in corpus.ids():
        target = edition.target(f"#{xml_id}", file)
        assert target is not None and target.get(XML_ID) == xml_id
        located = corpus.locate(el)
        assert (edition.locate(target).ref if edition.locate(target) else None) == (located.ref if located else None)


def test_what_the_context_pages_read(pair):
    """registers' build-time data (roles, counts by role and documents, coordinates, note
    numbers, passage ids, timeline items, @who speakers in no register) comes back from the
    store as the corpus computes it, and registers gives the same pages from either."""
    from pactarchive import registers
    corpus, edition = pair
    assert [e.geo for e in edition.entities.values()] == [e.geo for e in corpus.entities.values()]
    for entity_id, mentions in corpus.mentions.items():
        assert [(m.ref, m.text, registers.role(m)) for m in edition.mentions_of(entity_id)] == \
               [(m.ref, m.text, registers.role(m)) for m in mentions], entity_id
    assert edition.register_stats() == registers.register_stats(corpus)
    assert edition.speaker_rows() == registers.speaker_rows(corpus)
    for doc in corpus.documents:
        assert edition.speaker_rows(doc) == [r for r in registers.speaker_rows(corpus) if r["doc"] == doc]
        assert registers.unregistered_speakers(edition, doc) == registers.unregistered_speakers(corpus, doc)
    assert [d.to_dict() for d in edition.dated()] == [d.to_dict() for d in registers.build_dated(corpus)]
    numbers = registers.note_numbers(corpus)
    assert [edition.note_number(n.file, n.line) for n in edition.notes] == [numbers[(n.file, n.line)] for n in corpus.notes]
    for xml_id, ref in registers.id_refs(corpus).items():
        assert edition.ref_of_id(xml_id) == ref, xml_id
    assert edition.ref_of_id("no-such-id-0") is None
    for lang in ("en", "lv"):
        assert registers.entity_index(edition, lang) == registers.entity_index(corpus, lang)
    assert registers.notes_index(edition) == registers.notes_index(corpus)
    assert registers.timeline(edition) == registers.timeline(corpus)
    assert registers.places(edition) == registers.places(corpus)
    for entity_id in list(corpus.mentions)[:5]:
        assert registers.entity_page(edition, entity_id) == registers.entity_page(corpus, entity_id), entity_id
