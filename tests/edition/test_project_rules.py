"""The edition's own rules, stricter than TEI P5 (see docs/encoding.md and docs/encoding-contract.md).

- every sentence (s) has xml:id and @n, is a direct child of p, and the citable structure
  div/p/s is numbered as the contract says;
- every pointer (@ref, @target, @corresp, @who, @next, @prev, @resp) resolves to an existing
  element (or file) in the right file, and entity pointers to the right kind of register entry;
- every register entry is used at least once;
- every English sentence that has a Latvian counterpart is aligned; the deliberately unaligned
  ones are listed below with the reason;
- every date has @when or @from/@to in ISO form; every num/measure a normalised value;
- xml:ids are unique across tei/;
- editorial interventions are well formed (choice pairs, gap with reason and desc, supplied
  with reason) and the editorial notes point at both documents.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI_NS}
TEI_DIR = Path(__file__).resolve().parents[2] / "tei"

POINTER_ATTRS = ("ref", "target", "corresp", "who", "next", "prev", "resp")

# English sentences deliberately left without a Latvian counterpart, with the reason.
UNALIGNED_HEN = {
    "hen-s6": "general assessment (the pact as a shift in Estonia's foreign policy and military "
              "strategy); the Latvian article says nothing corresponding",
    "hen-s9": "general assessment (the pact's influence on Estonia's political landscape and its "
              "relations with the Soviet Union and the Western powers); no Latvian counterpart",
}

# What a mention element may point to in the register.
MENTION_TARGETS = {
    "persName": {"person", "personGrp"},
    "placeName": {"place"},
    "orgName": {"org"},
}
NAME_TYPE_TARGETS = {"ship": {"object"}, "treaty": {"event"}, "event": {"event"}}
RS_TYPE_TARGETS = {"person": {"person", "personGrp"}, "place": {"place"}, "org": {"org"},
                   "object": {"object"}, "event": {"event"}}
REGISTER_KINDS = {"person", "personGrp", "place", "org", "object", "event"}

ISO_DATE = re.compile(
    r"^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def tei_elements(tree: etree._ElementTree):
    return (el for el in tree.iter() if isinstance(el.tag, str))


def reading_docs(docs) -> dict[str, etree._ElementTree]:
    """Documents with a text element (the others are stand-off files)."""
    return {name: tree for name, tree in docs.items()
            if tree.getroot().find("t:text", NS) is not None}


def resolve(pointer: str, from_file: str, ids_by_file) -> tuple[str, etree._Element | None]:
    """-> (file name, element or None). A pointer without a fragment points to a file."""
    if "#" in pointer:
        file_part, frag = pointer.split("#", 1)
        file_name = file_part or from_file
        return file_name, ids_by_file.get(file_name, {}).get(frag)
    return pointer, None


def all_pointers(docs):
    """(file, element, attribute, pointer) for every pointer in the edition."""
    for name, tree in docs.items():
        for el in tei_elements(tree):
            for attr in POINTER_ATTRS:
                value = el.get(attr)
                if value is None:
                    continue
                for pointer in value.split():
                    yield name, el, attr, pointer


# ---------------------------------------------------------------- structure and ids

def test_xml_ids_are_unique_across_tei(docs):
    counts = Counter(el.get(XML_ID) for tree in docs.values() for el in tei_elements(tree)
                     if el.get(XML_ID) is not None)
    dupes = sorted(i for i, n in counts.items() if n > 1)
    assert not dupes, f"xml:ids used more than once across tei/: {dupes}"


def test_document_ids_and_languages(docs):
    for name, tree in docs.items():
        root = tree.getroot()
        assert root.get(XML_ID) == name.removesuffix(".xml"), f"{name}: TEI/@xml:id"
        assert ":" not in root.get(XML_ID)
        assert re.fullmatch(r"[a-z]{2}", root.get("{http://www.w3.org/XML/1998/namespace}lang")
                            or ""), f"{name}: TEI/@xml:lang must be an ISO 639-1 code"


def test_every_sentence_has_id_and_n_and_sits_in_a_paragraph(docs):
    problems = []
    for name, tree in docs.items():
        for s in tree.iterfind(".//t:s", NS):
            if s.get(XML_ID) is None or s.get("n") is None:
                problems.append(f"{name} line {s.sourceline}: s without xml:id or @n")
            if local(s.getparent()) != "p":
                problems.append(f"{name} {s.get(XML_ID)}: s is not a direct child of p")
    assert not problems, "\n".join(problems)


def test_citable_structure_follows_the_contract(docs):
    problems = []
    for name, tree in reading_docs(docs).items():
        root = tree.getroot()
        doc = root.get(XML_ID)
        if not root.xpath("t:teiHeader/t:encodingDesc/t:refsDecl/t:citeStructure"
                          "[@match='/TEI/text/body/div' and @use='@n']", namespaces=NS):
            problems.append(f"{name}: no citeStructure for /TEI/text/body/div")
        divs = root.findall("t:text/t:body/t:div", NS)
        if not divs:
            problems.append(f"{name}: body has no div")
        p_count = s_count = 0
        for d_no, div in enumerate(divs, 1):
            if div.get("n") != str(d_no) or div.get(XML_ID) != f"{doc}-d{d_no}":
                problems.append(f"{name}: div {d_no} has n={div.get('n')} id={div.get(XML_ID)}")
            if div.find("t:head", NS) is None:
                problems.append(f"{name}: div {d_no} has no head")
            for p_no, p in enumerate(div.findall("t:p", NS), 1):
                p_count += 1
                if p.get("n") != str(p_no) or p.get(XML_ID) != f"{doc}-p{p_count}":
                    problems.append(f"{name}: p {d_no}.{p_no} has n={p.get('n')} "
                                    f"id={p.get(XML_ID)}")
                for s_no, s in enumerate(p.findall("t:s", NS), 1):
                    s_count += 1
                    if s.get("n") != str(s_no) or s.get(XML_ID) != f"{doc}-s{s_count}":
                        problems.append(f"{name}: s {d_no}.{p_no}.{s_no} has n={s.get('n')} "
                                        f"id={s.get(XML_ID)} (expected {doc}-s{s_count})")
        if s_count != len(root.findall("t:text/t:body//t:s", NS)):
            problems.append(f"{name}: sentences outside body/div/p")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- pointers

def test_every_pointer_resolves(docs, ids_by_file):
    problems = []
    for name, el, attr, pointer in all_pointers(docs):
        if "://" in pointer or pointer.startswith(("mailto:", "urn:")):
            problems.append(f"{name} line {el.sourceline}: external pointer {attr}={pointer!r} "
                            "(the edition points only inside tei/)")
            continue
        file_name, target = resolve(pointer, name, ids_by_file)
        if "#" in pointer:
            if file_name not in ids_by_file:
                problems.append(f"{name} line {el.sourceline}: {attr}={pointer!r}: "
                                f"no file {file_name} in tei/")
            elif target is None:
                problems.append(f"{name} line {el.sourceline}: {attr}={pointer!r}: "
                                f"no xml:id in {file_name}")
        elif not (TEI_DIR / file_name).is_file():
            problems.append(f"{name} line {el.sourceline}: {attr}={pointer!r}: no such file")
    assert not problems, "\n".join(problems)


def test_entity_pointers_go_to_the_right_kind_of_register_entry(docs, ids_by_file):
    problems = []
    for name, el, attr, pointer in all_pointers(docs):
        kind = local(el)
        if attr == "ref" and kind in MENTION_TARGETS | {"name": None, "rs": None}:
            if kind in MENTION_TARGETS:
                allowed = MENTION_TARGETS[kind]
            elif kind == "name":
                allowed = NAME_TYPE_TARGETS.get(el.get("type"), set())
            else:
                allowed = RS_TYPE_TARGETS.get(el.get("type"), set())
        elif attr == "who":
            allowed = {"person", "personGrp", "org"}
        else:
            continue
        file_name, target = resolve(pointer, name, ids_by_file)
        where = f"{name} line {el.sourceline} <{kind} {attr}={pointer!r}>"
        if file_name != "register.xml":
            problems.append(f"{where}: entity pointers go to register.xml")
        elif target is None or local(target) not in allowed:
            problems.append(f"{where}: points to "
                            f"{None if target is None else local(target)}, expected {allowed}")
    assert not problems, "\n".join(problems)


def test_every_mention_element_points_to_the_register(docs):
    missing = [f"{name} line {el.sourceline}: <{local(el)}>{''.join(el.itertext())}"
               for name, tree in reading_docs(docs).items()
               for el in tree.getroot().find("t:text", NS).iter(
                   f"{{{TEI_NS}}}persName", f"{{{TEI_NS}}}placeName", f"{{{TEI_NS}}}orgName",
                   f"{{{TEI_NS}}}rs", f"{{{TEI_NS}}}name")
               if not el.get("ref")]
    assert not missing, "entity mentions without @ref:\n" + "\n".join(missing)


def test_every_register_entry_is_used(docs, ids_by_file):
    register = docs["register.xml"].getroot()
    assert register.find("t:text", NS) is None, "register.xml is a stand-off file: no text"
    entries = {el.get(XML_ID) for el in register.iterfind("t:standOff//*", NS)
               if local(el) in REGISTER_KINDS and el.get(XML_ID)}
    assert entries, "the register is empty"
    used = set()
    for name, _el, _attr, pointer in all_pointers(docs):
        file_name, target = resolve(pointer, name, ids_by_file)
        if file_name == "register.xml" and target is not None:
            used.add(target.get(XML_ID))
    unused = sorted(entries - used)
    assert not unused, f"register entries never pointed to: {unused}"


def test_register_entries_have_names_in_english_and_latvian(docs):
    problems = []
    for el in docs["register.xml"].getroot().iterfind("t:standOff//*", NS):
        if local(el) not in REGISTER_KINDS:
            continue
        langs = {n.get("{http://www.w3.org/XML/1998/namespace}lang")
                 for n in el.xpath("t:persName|t:placeName|t:orgName|t:label|t:name|"
                                   "t:objectIdentifier/t:objectName", namespaces=NS)}
        if not {"en", "lv"} <= langs:
            problems.append(f"{el.get(XML_ID)}: names in {sorted(filter(None, langs))}")
        if el.find("t:note", NS) is None:
            problems.append(f"{el.get(XML_ID)}: no note")
    assert not problems, "\n".join(problems)


def test_quotation_chains_are_reciprocal(docs, ids_by_file):
    problems = []
    for name, tree in docs.items():
        for el in tei_elements(tree):
            for attr, back in (("next", "prev"), ("prev", "next")):
                if el.get(attr):
                    _, other = resolve(el.get(attr), name, ids_by_file)
                    if other is None or other.get(back) != f"#{el.get(XML_ID)}":
                        problems.append(f"{name} {el.get(XML_ID)}: @{attr} not reciprocated")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- alignment and notes

def _alignment_links(docs):
    return [link for tree in docs.values()
            for link in tree.iterfind(".//t:linkGrp[@type='alignment']/t:link", NS)]


def _sentence_files(el, name, ids_by_file, problems: list[str]) -> set[str]:
    """The files whose sentences ``el``'s @target points at; a problem for each pointer that
    names no sentence."""
    files = set()
    for pointer in el.get("target", "").split():
        file_name, target = resolve(pointer, "align-hen-lv.xml", ids_by_file)
        if target is None or local(target) != "s":
            problems.append(f"{name}: target {pointer} is not a sentence")
        files.add(file_name)
    return files


def test_alignment_links_join_sentences_of_two_documents(docs, ids_by_file):
    links = _alignment_links(docs)
    assert links, "no alignment links"
    problems = []
    for link in links:
        files = _sentence_files(link, link.get(XML_ID), ids_by_file, problems)
        if len(files) < 2:
            problems.append(f"{link.get(XML_ID)}: links sentences of one document only")
    assert not problems, "\n".join(problems)


def test_every_english_sentence_with_a_counterpart_is_aligned(docs):
    hen_sentences = [s.get(XML_ID) for s in docs["hen.xml"].iterfind(".//t:body//t:s", NS)]
    aligned = {p.split("#", 1)[1] for link in _alignment_links(docs)
               for p in link.get("target", "").split() if p.startswith("hen.xml#")}
    aligned |= {s.get(XML_ID) for s in docs["hen.xml"].iterfind(".//t:s[@corresp]", NS)}
    not_aligned = [s for s in hen_sentences if s not in aligned and s not in UNALIGNED_HEN]
    assert not not_aligned, f"English sentences without alignment: {not_aligned}"
    wrongly_listed = sorted(set(UNALIGNED_HEN) & aligned)
    assert not wrongly_listed, f"listed as unaligned but aligned: {wrongly_listed}"
    assert set(UNALIGNED_HEN) <= set(hen_sentences)


def test_editorial_notes_point_at_both_documents(docs, ids_by_file):
    notes = docs["align-hen-lv.xml"].getroot().findall(".//t:note", NS)
    assert notes, "no editorial notes"
    problems = []
    for note in notes:
        nid = note.get(XML_ID)
        if not nid or note.get("type") != "editorial" or not note.get("subtype"):
            problems.append(f"note line {note.sourceline}: needs xml:id, type=editorial, subtype")
        files = _sentence_files(note, nid, ids_by_file, problems)
        if not {"hen.xml", "lv.xml"} <= files:
            problems.append(f"{nid}: must point at sentences of both hen.xml and lv.xml")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("hen_sentence", "subtype", "words"), [
    ("hen-s2", "disagreement", ("30,000", "25,000", "35,000")),
    ("hen-s3", "inaccuracy", ("Latvian border",)),
    ("hen-s3", "inaccuracy", ("Latvian airspace",)),
    ("hen-s4", "disagreement", ("Stalin",)),
])
def test_the_known_disagreements_are_annotated(docs, hen_sentence, subtype, words):
    notes = docs["align-hen-lv.xml"].getroot().xpath(
        f".//t:note[@subtype='{subtype}'][contains(concat(' ', @target, ' '), "
        f"' hen.xml#{hen_sentence} ')]", namespaces=NS)
    texts = [" ".join("".join(n.itertext()).split()) for n in notes]
    assert any(all(w in t for w in words) for t in texts), (
        f"no {subtype} note on {hen_sentence} mentioning {words}")


# ---------------------------------------------------------------- dates and quantities

def _iso_ok(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        if "T" in value:
            dt.datetime.fromisoformat(value)
        elif len(value) == 10:
            dt.date.fromisoformat(value)
        elif len(value) == 7:
            dt.date.fromisoformat(value + "-01")
    except ValueError:
        return False
    return True


def test_every_date_is_normalised(docs):
    problems = []
    for name, tree in docs.items():
        for el in tei_elements(tree):
            for attr in ("when", "from", "to", "notBefore", "notAfter"):
                value = el.get(attr)
                if value is not None and not _iso_ok(value):
                    problems.append(f"{name} line {el.sourceline}: {local(el)}/@{attr}={value!r}")
            if local(el) != "date":
                continue
            has_when = el.get("when") is not None
            has_span = el.get("from") is not None and el.get("to") is not None
            in_header = bool(el.xpath("ancestor::t:teiHeader", namespaces=NS))
            text = " ".join("".join(el.itertext()).split())
            if not (has_when or has_span) and not (in_header and text == "unknown"):
                problems.append(f"{name} line {el.sourceline}: <date>{text}</date> has neither "
                                "@when nor @from/@to")
            if has_span and el.get("from") > el.get("to"):
                problems.append(f"{name} line {el.sourceline}: @from after @to")
    assert not problems, "\n".join(problems)


def test_every_quantity_is_normalised(docs):
    problems = []
    for name, tree in docs.items():
        for el in tree.iterfind(".//t:num", NS):
            if not PLAIN_NUMBER.match(el.get("value", "")):
                problems.append(f"{name} line {el.sourceline}: num/@value={el.get('value')!r}")
        for el in tree.iterfind(".//t:measure", NS):
            if not PLAIN_NUMBER.match(el.get("quantity", "")) or not el.get("unit"):
                problems.append(f"{name} line {el.sourceline}: measure needs a plain @quantity "
                                f"and a @unit ({el.get('quantity')!r}, {el.get('unit')!r})")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- interventions

PAIRS = ({"sic", "corr"}, {"orig", "reg"}, {"abbr", "expan"})


def test_interventions_are_well_formed(docs):
    problems = []
    for name, tree in docs.items():
        for choice in tree.iterfind(".//t:choice", NS):
            kids = [local(c) for c in choice]
            if len(kids) != 2 or set(kids) not in PAIRS:
                problems.append(f"{name} line {choice.sourceline}: choice of {kids}")
            if any(not "".join(c.itertext()).strip() for c in choice):
                problems.append(f"{name} line {choice.sourceline}: empty choice member")
        for gap in tree.iterfind(".//t:gap", NS):
            if not gap.get("reason") or gap.find("t:desc", NS) is None:
                problems.append(f"{name} line {gap.sourceline}: gap needs @reason and desc")
        for supplied in tree.iterfind(".//t:supplied", NS):
            if not supplied.get("reason"):
                problems.append(f"{name} line {supplied.sourceline}: supplied needs @reason")
        for note in tree.iterfind(".//t:text//t:note", NS):
            if not note.get("type") or not note.get(XML_ID):
                problems.append(f"{name} line {note.sourceline}: inline note needs type and id")
    assert not problems, "\n".join(problems)
