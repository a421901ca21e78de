"""Corpus -> index records: everything a reader can read is findable. One record per
finest-level passage (``kind`` "passage"), per division head not inside one (``head``, cited
by its division's ref), per editorial note (``note``) and per register entry (``register``),
plus the tables the query side needs (entities with their analysed names, the display form of
every indexed word)."""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict

from ..corpus import Corpus
from ..tei import NS, XML_ID, XML_LANG, local
from ..tei import header
from ..tei.text import plain_text
from . import analysis, values
from .schema import TEXT_FIELDS

# Markup whose content the edited reading (what is indexed) leaves out.
_HIDDEN = {"note", "fw", "sic", "orig", "abbr", "del", "teiHeader"}


# Front and back matter (a bibliography, related articles) is found like the text but ranks below
# narrative passages that match as well: a reader naming a person wants the story first.
FRAME_BOOST = 0.25


# A record's ``order`` (reading order across the archive) is its document's position times
# STRIDE plus its place in the document, so that a document's records do not change when another
# document grows or shrinks (an incremental build reindexes only what changed). Positions are
# spaced GAP apart, so a document added between two others usually finds a free position
# (``document_positions``). Register entries come after every text, from ENTRY_BASE.
STRIDE = 1 << 24  # records of one document: at most 16.7 million
GAP = 1 << 10
ENTRY_BASE = 1 << 62


def records(corpus: Corpus, progress=None, positions: dict[str, int] | None = None,
            entries_before: int = 0, note_keys: Counter | None = None):
    """Every record, in reading order: each document's heads and passages, then the notes
    (ordered after the first passage they annotate), then the register entries.
    ``positions``: document id -> position (``document_positions``; default: a fresh
    numbering). ``progress("records", documents done, documents)`` is called after each
    document. For a part of the archive (``pactarchive.parts``, built in reading order):
    ``entries_before``, the register entries of the parts before it (entries are numbered
    across the archive), and ``note_keys``, the note keys counted so far (``_note``)."""
    try:
        return _records(corpus, progress, positions, entries_before, Counter() if note_keys is None else note_keys)
    finally:
        _HEADS.clear()


def _records(corpus: Corpus, progress, positions: dict[str, int] | None, entries_before: int,
             keys: Counter) -> list[dict]:
    mentions = _mentions_by_ref(corpus)
    positions = positions or document_positions(list(corpus.documents))
    rows = []
    for d, doc in enumerate(corpus.documents.values(), 1):
        if progress:
            progress("records", d - 1, len(corpus.documents))
        leaves = {p.element for p in doc.leaves()}
        base = positions[doc.id] * STRIDE
        local_order = 0
        for p in doc.all_passages():
            ref = f"{doc.id}:{p.path}"
            if not p.children:
                local_order += 1
                rows.append(_record(corpus, ref, doc, p.element, p.text(), base + local_order, mentions.get(ref, [])))
            elif (head := _own_head(p.element, leaves)) is not None and plain_text(head):
                local_order += 1
                rows.append(_head(corpus, ref, doc, head, base + local_order, mentions.get(ref, [])))
    if progress:
        progress("records", len(corpus.documents), len(corpus.documents))
    _align_heads(corpus, rows)
    order = _orders(rows)
    langs = _note_langs(corpus)
    # a note's ref must be unique (see _note): ``keys`` counts them
    rows += [_note(corpus, n, order(n.targets[0]), langs.get(n.id or (n.file, n.line)), keys) for n in corpus.notes if n.text]
    entries = [e for e in corpus.entities.values() if e.all_names() or e.note]
    rows += [_entry(corpus, e, ENTRY_BASE + i) for i, e in enumerate(entries, entries_before + 1)]
    return rows


def document_positions(documents: list[str], previous: dict[str, int] | None = None, last: int = -1) -> dict[str, int]:
    """Document id -> position, increasing in the order of ``documents`` (reading order).
    A document keeps its ``previous`` position whenever that still fits between its
    neighbours' (so its records keep their ``order``); the others take the next free number,
    or ``GAP`` past the one before on a fresh numbering. ``last``: the position of the
    document before the first of ``documents`` (a part of the archive after others), -1 for none.

    >>> document_positions(["a", "b", "c"])
    {'a': 0, 'b': 1024, 'c': 2048}
    >>> document_positions(["a", "new", "c"], {"a": 0, "b": 1024, "c": 2048})
    {'a': 0, 'new': 1, 'c': 2048}
    """
    previous = previous or {}
    out: dict[str, int] = {}
    for doc_id in documents:
        was = previous.get(doc_id)
        if was is not None and was > last:
            out[doc_id] = last = was
        else:
            out[doc_id] = last = last + 1 if previous else last + (GAP if last >= 0 else 1)
    if len(documents) and (max(out.values()) + 1) * STRIDE >= ENTRY_BASE:
        raise ValueError("too many documents for the reading-order numbering")  # 2^38: not reachable
    return out


def unit_of(row: dict) -> str:
    """What a record is rebuilt with: its document (``doc:<id>``, for passages and heads), or
    itself (a note, a register entry: their ``ref``). An incremental build reindexes the
    records of a unit whose records changed, and only those."""
    return f"doc:{row['doc']}" if row.get("kind", "passage") in ("passage", "head") else row["ref"]


def passages(rows: list[dict]) -> int:
    """How many of ``rows`` are passages of the texts (not heads, notes, register entries)."""
    return sum(1 for r in rows if r.get("kind", "passage") == "passage")


def _orders(rows: list[dict]):
    """ref -> reading order of its record, or of the first record below it (a note may
    annotate a paragraph or a division), else 0. Every ancestor's minimum is indexed once
    (an ancestor of ``doc:1.2.3`` is any prefix ending before a ".": ``doc:1.2``, ``doc:1``)."""
    known = {r["ref"]: r["order"] for r in rows}
    below: dict[str, int] = {}
    for ref, o in known.items():
        for i, ch in enumerate(ref):
            if ch == "." and o < below.get(ref[:i], o + 1):
                below[ref[:i]] = o

    def order(ref: str) -> int:
        return known[ref] if ref in known else below.get(ref, 0)
    return order


def _record(corpus: Corpus, ref: str, doc, element, text: str, order: int,
            mentioned: list[tuple[str, str]], kind: str = "passage") -> dict:
    lang = _lang(element, doc.lang)
    ids = sorted({e for e, _ in mentioned})
    row = {"ref": ref, "kind": kind, "doc": doc.id, "lang": lang, "order": order, "text": text, "words": text,
           "title": doc.title, "context": " › ".join(_headings(element)), "aligned": corpus.aligned(ref),
           "entities": " ".join(ids), "marks": [("entity", (e,), s) for e, s in mentioned]}
    if lang in TEXT_FIELDS:
        row[TEXT_FIELDS[lang]] = text
    if any(local(a) in ("back", "front") for a in element.iterancestors()):
        row["_boost"], row["frame"] = FRAME_BOOST, True
    row.update(_entity_fields(corpus, ids))
    row.update(_dates(element, row["marks"]))
    row.update(_quantities(element, text, row["marks"]))
    return row


def _own_head(division, leaves: set):
    """The division's ``head`` when no finest passage holds it (else it is indexed with that
    passage: a text model that makes heads citable passages needs no head records)."""
    head = division.find(f"{{{NS['tei']}}}head")
    if head is None or any(el in leaves for el in (head, *head.iterancestors())):
        return None
    return head


def _head(corpus: Corpus, ref: str, doc, head, order: int, mentioned: list) -> dict:
    """A division head, cited by its division's ref (counterparts: see ``_align_heads``)."""
    row = _record(corpus, ref, doc, head, plain_text(head), order, mentioned, kind="head")
    row["context"] = " › ".join(_headings(head.getparent()))
    return row


def _align_heads(corpus: Corpus, rows: list[dict]) -> None:
    """A head's counterparts are the heads of the divisions aligned with its whole division
    (``Corpus.aligned_within``: section 3 with section 3 of the translation), both ways."""
    heads = {r["ref"]: r for r in rows if r["kind"] == "head"}
    both: dict[str, set[str]] = defaultdict(set)  # a head -> its counterparts, either direction
    for a in heads:
        for b in corpus.aligned_within(a):
            if b in heads:
                both[a].add(b)
                both[b].add(a)
    for a, row in heads.items():
        row["aligned"] = sorted(both.get(a, ()), key=lambda r: heads[r]["order"])


def _note_langs(corpus: Corpus) -> dict:
    """A note's xml:id (else its (file, line)) -> the language it declares itself (its own
    ``xml:lang``; the language it inherits is the text's, not necessarily the editors')."""
    return {n.get(XML_ID) or (corpus.display_name(path), n.sourceline): n.get(XML_LANG).split("-")[0].lower()
            for path, root in corpus.roots() for n in root.iter(f"{{{NS['tei']}}}note") if n.get(XML_LANG)}


def _note(corpus: Corpus, note, order: int, lang: str | None = None, keys: Counter | None = None) -> dict:
    """An editorial note, found in its own language (its ``xml:lang``, else English, the
    language the edition's notes are written and shown in), listed with the document of the
    first passage it annotates and shown there (``targets``). Its ref is ``note:<xml:id>``,
    else ``note:<file stem>-<line>``; ``keys`` counts those made so far, so that a second note
    with the same one (two notes without ids on one line, an xml:id used in two files) gets
    ``-2`` and so on, in reading order."""
    first = note.targets[0]
    doc = corpus.document(first.split(":", 1)[0])
    lang = lang or "en"
    text = f"{note.label}: {note.text}" if note.label else note.text
    key = note.id or f"{note.file.rsplit('/', 1)[-1].rsplit('.', 1)[0]}-{note.line}"
    if keys is not None:
        keys[key] += 1
        key = key if keys[key] == 1 else f"{key}-{keys[key]}"
    row = {"ref": f"note:{key}", "kind": "note", "doc": doc.id, "lang": lang, "order": order,
           "text": text, "words": text, "title": doc.title, "targets": list(note.targets), "note_id": note.id,
           "context": f"{note.type} note" + (f" ({note.subtype})" if note.subtype else "")}
    row[TEXT_FIELDS.get(lang, "words")] = text
    return row


def _entry(corpus: Corpus, entity, order: int) -> dict:
    """A register entry: the entity's names in every language and its note, found by any of
    them; listed under the register file and linked to the entity's first mention."""
    names = list(dict.fromkeys(entity.all_names()))
    text = " · ".join(names) + (f" — {entity.note}" if entity.note else "")
    file_id, title = _register_file(corpus, entity.file)
    first = corpus.mentions.get(entity.id, [])
    row = {"ref": f"entity:{entity.id}", "kind": "register", "doc": file_id, "lang": "en", "order": order,
           "text": text, "words": text, "text_en": text, "title": title, "at": first[0].ref if first else None,
           "entity": entity.id, "context": entity.kind, "entities": entity.id,
           "marks": [("entity", (entity.id,), n) for n in names]}
    row.update(_entity_fields(corpus, [entity.id]))
    return row


def _register_file(corpus: Corpus, display: str) -> tuple[str, str]:
    """(file id, title) of the register file a display name names (the first such file)."""
    return _register_files(corpus).get(display, ("register", "Register"))


def _register_files(corpus: Corpus) -> dict[str, tuple[str, str]]:
    """display name -> (file id, title) of every file, computed once per corpus (asked for
    every register entry: a walk of every file each time would make the build quadratic)."""
    found = _REGISTER_FILES.get(corpus)
    if found is None:
        found = {}
        for path, root in corpus.roots():
            tei = root if local(root) == "TEI" else root.find(f"{{{NS['tei']}}}TEI")
            found.setdefault(corpus.display_name(path),
                             (path.stem, (header.title(tei) if tei is not None else "") or path.stem))
        _REGISTER_FILES[corpus] = found
    return found


_REGISTER_FILES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


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
    """The non-empty heads of ``element``'s ancestors, outermost first (the record's context)."""
    parent = element.getparent()
    return list(_heads_down_to(parent)) if parent is not None else []


_HEADS: dict = {}  # element -> its heads and its ancestors' (emptied after each ``records``)


def _heads_down_to(element) -> tuple[str, ...]:
    """The non-empty heads of ``element`` and its ancestors, outermost first; each ancestor's
    read once per tree (asked for every passage: re-reading the heads above each one cost 4 %
    of a build)."""
    found = _HEADS.get(element)
    if found is None:
        parent = element.getparent()
        own = tuple(t for h in element.iterchildren(f"{{{NS['tei']}}}head") if (t := plain_text(h)))
        found = _HEADS[element] = (_heads_down_to(parent) if parent is not None else ()) + own
    return found


def entity_table(corpus: Corpus) -> dict[str, dict]:
    """Every entity with its kind, labels and analysed name tokens (for query-time lookups,
    facet labels and marking entity mentions in snippets)."""
    names = analysis.names_analyzer()
    return {e.id: {"kind": e.kind, "label": e.label("en"), "labels": {k: v[0] for k, v in e.names.items() if v},
                   "tokens": sorted({t for n in e.all_names() for t in analysis.tokens(names, n)})}
            for e in corpus.entities.values()}


def vocabulary(rows: list[dict]) -> dict[str, str]:
    """Folded indexed word -> its most frequent written form (lower case, with diacritics),
    for showing did-you-mean suggestions as readers write them: ``choose_forms`` of
    ``written_forms``."""
    return choose_forms(written_forms(rows))


def written_forms(rows) -> Counter:
    """Written form (lower case) -> how often the records' texts hold it. The words are those
    of ``analysis.WordTokenizer`` (``word_spans``, each cleaned as a token is); each written
    form is counted first and folded once later (folding every occurrence cost most of the
    vocabulary's time). Counts of two sets of records add up (an incremental build subtracts
    those of the records it deletes and adds those it indexes)."""
    written: Counter = Counter()
    for row in rows:
        text = row["text"]
        written.update(analysis.token_text(text[start:end]).lower() for start, end in analysis.word_spans(text))
    return written


def choose_forms(written) -> dict[str, str]:
    """Folded word -> the written form of ``written`` (form -> count) counted most; a tie goes
    to the form first in code point order (so the choice does not depend on the order the
    records were counted in: an incremental build's vocabulary is a full build's)."""
    best: dict[str, tuple[int, str]] = {}
    for word, n in written.items():
        if n <= 0:
            continue
        key = analysis.fold(word)
        found = best.get(key)
        if found is None or (-n, word) < (-found[0], found[1]):
            best[key] = (n, word)
    return {k: w for k, (_, w) in best.items()}
