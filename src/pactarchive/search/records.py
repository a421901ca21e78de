"""Corpus -> index records: one per finest-level passage, plus the tables the query side needs
(entities with their analysed names, the display form of every indexed word)."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..corpus import Corpus
from ..tei import NS, XML_LANG, local
from ..tei.text import plain_text
from . import analysis, values
from .schema import TEXT_FIELDS

# Markup whose content the edited reading (what is indexed) leaves out.
_HIDDEN = {"note", "fw", "sic", "orig", "abbr", "del", "teiHeader"}


# Front and back matter (a bibliography, related articles) is found like the text but ranks below
# narrative passages that match as well: a reader naming a person wants the story first.
FRAME_BOOST = 0.25


def records(corpus: Corpus):
    """One dict per finest-level passage, in corpus reading order."""
    mentions = _mentions_by_ref(corpus)
    order = 0
    for doc in corpus.documents.values():
        for p in doc.leaves():
            order += 1
            ref = f"{doc.id}:{p.path}"
            yield _record(corpus, ref, doc, p, order, mentions.get(ref, []))


def _record(corpus: Corpus, ref: str, doc, p, order: int, mentioned: list[tuple[str, str]]) -> dict:
    text = p.text()
    lang = _lang(p.element, doc.lang)
    ids = sorted({e for e, _ in mentioned})
    words = " ".join([*doc.headings_before(p), text])  # a division's heading is found with its first passage
    row = {"ref": ref, "doc": doc.id, "lang": lang, "order": order, "text": text, "words": words,
           "title": doc.title, "context": " › ".join(_headings(p.element)), "aligned": corpus.aligned(ref),
           "entities": " ".join(ids), "marks": [("entity", (e,), s) for e, s in mentioned]}
    if lang in TEXT_FIELDS:
        row[TEXT_FIELDS[lang]] = text
    if any(local(a) in ("back", "front") for a in p.element.iterancestors()):
        row["_boost"] = FRAME_BOOST
    row.update(_entity_fields(corpus, ids))
    row.update(_dates(p.element, row["marks"]))
    row.update(_quantities(p.element, text, row["marks"]))
    return row


def _mentions_by_ref(corpus: Corpus) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entity_id, mentions in corpus.mentions.items():
        for m in mentions:
            if m.element is None or _visible(m.element):
                out[m.ref].append((entity_id, m.text))
    return out


def _entity_fields(corpus: Corpus, ids: list[str]) -> dict:
    ents = [corpus.entities[i] for i in ids if i in corpus.entities]
    names = {kind: " . ".join(dict.fromkeys(n for e in ents if kind in (None, e.kind) for n in e.all_names()))
             for kind in (None, "person", "place")}
    return {"names": names[None], "person": names["person"], "place": names["place"],
            "person_ids": " ".join(e.id for e in ents if e.kind == "person"),
            "place_ids": " ".join(e.id for e in ents if e.kind == "place")}


def _dates(element, marks: list) -> dict:
    keys: set[str] = set()
    days: set[str] = set()
    for d in _visible_descendants(element, "date"):
        start = d.get("when") or d.get("from") or d.get("notBefore")
        end = None if d.get("when") else d.get("to") or d.get("notAfter")
        try:
            k, n = values.date_keys(start or end, end) if (start or end) else (set(), [])
        except ValueError:
            continue  # a malformed date is the validator's business, not the index's
        keys |= k
        days |= set(n)
        if k:
            marks.append(("date", tuple(sorted(k)), plain_text(d)))
    return {"date": " ".join(sorted(keys)), "days": " ".join(sorted(days))} if keys else {}


def _quantities(element, text: str, marks: list) -> dict:
    found: set[str] = set()
    for el in _visible_descendants(element, "num", "measure"):
        value = values.normalise_number(el.get("value") or el.get("quantity") or "")
        if value:
            found.add(value)
            marks.append(("quantity", (value,), plain_text(el)))
    for value, surface in values.numbers_in(text):
        found.add(value)
        marks.append(("quantity", (value,), surface))
    return {"quantity": " ".join(sorted(found))} if found else {}


def _visible_descendants(element, *names: str):
    xpath = " | ".join(f".//tei:{n}" for n in names)
    return [el for el in element.xpath(xpath, namespaces=NS) if _visible(el, element)]


def _visible(el, stop=None) -> bool:
    """False when ``el`` sits inside markup that the edited reading leaves out."""
    for a in el.iterancestors():
        if a is stop:
            return True
        if local(a) in _HIDDEN:
            return False
    return True


def _lang(element, default: str) -> str:
    for el in (element, *element.iterancestors()):
        if el.get(XML_LANG):
            return el.get(XML_LANG).split("-")[0].lower()
        if local(el) == "text":
            break
    return default


def _headings(element) -> list[str]:
    heads = [plain_text(h) for a in element.iterancestors() for h in a.xpath("tei:head", namespaces=NS)]
    return [h for h in reversed(heads) if h]


def entity_table(corpus: Corpus) -> dict[str, dict]:
    """Every entity with its kind, labels and analysed name tokens (for query-time lookups,
    facet labels and marking entity mentions in snippets)."""
    names = analysis.names_analyzer()
    return {e.id: {"kind": e.kind, "label": e.label("en"), "labels": {k: v[0] for k, v in e.names.items() if v},
                   "tokens": sorted({t for n in e.all_names() for t in analysis.tokens(names, n)})}
            for e in corpus.entities.values()}


def vocabulary(rows: list[dict]) -> dict[str, str]:
    """Folded indexed word -> its most frequent written form (lower case, with diacritics),
    for showing did-you-mean suggestions as readers write them."""
    forms: dict[str, Counter] = defaultdict(Counter)
    tokenizer = analysis.WordTokenizer()
    for row in rows:
        for t in tokenizer(row["text"]):
            word = t.text.lower()
            forms[analysis.fold(word)][word] += 1
    return {k: c.most_common(1)[0][0] for k, c in forms.items()}
