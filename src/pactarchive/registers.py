"""The context a reader needs around the texts, as plain data: the register of entities with
every mention, the editorial notes numbered once across the edition, the dated events and
mentions, and the places with coordinates.

Works on a loaded ``Corpus`` and on the edition store (``store.Edition``). What needs the TEI
trees (the role of each mention, the dated items, the @who pointers no register declares, the
note numbers, which xml:id a note names) is computed here from a Corpus by the ``build_*``,
``register_stats``, ``speaker_rows`` and ``note_numbers`` functions; the store compiles their
results at build time (store/compile.py) and an Edition answers them by lookups
(``Edition.register_stats``, ``speaker_rows``, ``dated``, ``note_number``, ``ref_of_id``), so
that nothing here parses TEI or walks every document on a request. Costly results are cached
per Corpus object. Knows nothing of Flask: the web layer (``web/context.py``) adds URLs and
renders. Any TEI archive works, not only ours.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
import weakref
from dataclasses import dataclass
from functools import lru_cache

from . import refs
from .tei import TEI_NS, local
from .tei.text import normalise_space, plain_text

KINDS = ("person", "place", "org", "object", "event")
KIND_NAMES = {"person": "People", "place": "Places", "org": "Organisations", "object": "Objects and ships",
              "event": "Events and treaties"}
KWIC = 60  # characters of context either side of a mention
QUOTING = {"q", "quote", "said", "cit"}  # @who on these: the person is quoted, not named
SPEAKING = {"u", "sp"}  # @who on these: the person speaks (a transcript, a play)
UNDATED_TYPES = {"accessed", "archived"}  # dates of a web copy, not of what the text tells


# -- collation ------------------------------------------------------------------------------

# CLDR's Latvian tailoring (unicode-org/cldr common/collation/lv.xml, "standard"): each letter
# is a primary letter of its own, reset before the next base letter: č before D, ģ before H,
# ķ before L, ļ before M, ņ before O, ŗ before S, š before T, ž before Ʒ. Long vowels (ā ē ī ū)
# differ from a e i u only at the secondary level, as in the root collation.
TAILORINGS = {"lv": {"č": "d", "ģ": "h", "ķ": "l", "ļ": "m", "ņ": "o", "ŗ": "s", "š": "t", "ž": "ʒ"}}


@lru_cache(maxsize=1)
def _collator():
    import pyuca  # Unicode Collation Algorithm with the DUCET (see README: why pyuca)
    return pyuca.Collator()


@lru_cache(maxsize=16)
def collation_key(lang: str):
    """A sort key function for names in the UI language ``lang``: the Unicode Collation
    Algorithm (UTS #10, DUCET via pyuca), tailored as CLDR tailors it for Latvian (``lv``: č
    after every c, before d; likewise ģ ķ ļ ņ ŗ š ž). Other languages use the root order.

    >>> sorted(["čaula", "dzērve", "cukurs"], key=collation_key("lv"))
    ['cukurs', 'čaula', 'dzērve']
    >>> sorted(["čaula", "dzērve", "cukurs"], key=collation_key("en"))
    ['čaula', 'cukurs', 'dzērve']
    """
    collator = _collator()
    tailoring = TAILORINGS.get(lang, {})
    # a tailored letter gets a primary weight just below its "before" letter's first primary
    lowered = {ch: _first_primary(collator, before) - 0.5 for ch, before in tailoring.items()}

    def key(text: str) -> tuple:
        text = unicodedata.normalize("NFC", text)
        if not lowered:
            return collator.sort_key(text)
        primaries, rest = [], []
        for ch in text:
            base = lowered.get(ch.lower())
            if base is not None:
                primaries.append(base)
                rest.append(collator.sort_key(ch))
            else:
                k = collator.sort_key(ch)
                primaries += list(k[: k.index(0)]) if 0 in k else list(k)
                rest.append(k)
        return (tuple(primaries), tuple(rest))
    return key


def _first_primary(collator, ch: str) -> int:
    k = collator.sort_key(ch)
    return k[0]


def initial(text: str, lang: str) -> str:
    """The letter a name is filed under in an A–Z index: its first letter, accents removed
    unless the UI language's alphabet has the accented letter as a letter of its own."""
    ch = next((c for c in text if c.isalnum()), "#")
    if ch.lower() in TAILORINGS.get(lang, {}):
        return ch.upper()
    base = unicodedata.normalize("NFD", ch)[0]
    return base.upper() if base.isalpha() else "#"


# -- per-corpus cache -----------------------------------------------------------------------

_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _cached(corpus, name: str, build):
    per = _CACHE.setdefault(corpus, {})
    if name not in per:
        per[name] = build(corpus)
    return per[name]


# -- entities -------------------------------------------------------------------------------

def _stored(corpus) -> bool:
    """The corpus is an edition store (answers by lookups what a Corpus computes from trees)."""
    return hasattr(corpus, "register_stats")


def role(mention) -> str:
    """``mention`` (a @ref naming the entity), ``quoted`` (@who on q, quote, said, cit: the
    person's words, not the person's name) or ``speaker`` (@who on u or sp: an utterance or
    speech). TEI Guidelines 3.3.3 "Quotation" (``@who`` of ``said``/``q``), 8.3.1 "Utterances"
    (``u``), 7.2.2 "Speeches and Speakers" (``sp``).
    A mention read from the store carries the role computed at build time."""
    stored = getattr(mention, "role", None)
    if stored:
        return stored
    el = mention.element
    if el is None or el.get("ref"):
        return "mention"
    name = local(el)
    return "quoted" if name in QUOTING else "speaker" if name in SPEAKING else "mention"


def _docs_of(corpus, ref: str) -> str:  # the document id of a ref
    return refs.split(ref)[0]


def native_names(entity) -> list[str]:
    """Names in languages other than English and Latvian (the entity's own), deduplicated."""
    return list(dict.fromkeys(n for lang, names in entity.names.items() if lang not in ("en", "lv")
                              for n in names))


def entity_summary(corpus, entity, lang: str = "en") -> dict:
    """One register entry: ``{"id", "kind", "type", "kind_label", "label" (in ``lang``),
    "names": {"en", "lv", "native", "other"}, "mentions", "quoted", "speaker" (counts by
    ``role``), "documents" (ids naming it), "dates", "idnos"}``."""
    roles = register_stats(corpus).get(entity.id, {})
    docs = roles.get("documents", [])
    kind = entity.type if entity.kind == "object" and entity.type else entity.kind
    return {"id": entity.id, "kind": entity.kind, "type": entity.type, "kind_label": kind.capitalize() if kind != "org" else "Organisation",
            "label": entity.label(lang), "names": {"en": entity.names.get("en", []), "lv": entity.names.get("lv", []),
                                                   "native": native_names(entity), "other": entity.names.get("und", [])},
            "mentions": roles.get("mention", 0), "quoted": roles.get("quoted", 0), "speaker": roles.get("speaker", 0),
            "documents": docs, "dates": entity.dates, "idnos": entity.idnos}


def register_stats(corpus) -> dict[str, dict]:
    """Entity id -> ``{"mention", "quoted", "speaker"}`` (mentions counted by ``role``) and
    ``"documents"`` (ids of the documents mentioning it, in reading order), for every mentioned
    entity. From the store's entity rows (``Edition.register_stats``), else from the mentions."""
    if _stored(corpus):
        return corpus.register_stats()

    def build(c):
        out: dict[str, dict] = {}
        for entity_id, ms in c.mentions.items():
            counts = out.setdefault(entity_id, {"mention": 0, "quoted": 0, "speaker": 0, "documents": []})
            for m in ms:
                counts[role(m)] += 1
                if _docs_of(c, m.ref) not in counts["documents"]:
                    counts["documents"].append(_docs_of(c, m.ref))
        return out
    return _cached(corpus, "roles", build)


def entity_index(corpus, lang: str = "en", kind: str | None = None, doc: str | None = None,
                 letter: str | None = None) -> dict:
    """The register: every entity (optionally of one ``kind``, mentioned in document ``doc``,
    filed under ``letter``), sorted by its name in ``lang`` with that language's collation.

    Returns ``{"lang", "kind", "doc", "letter", "total", "counts": {kind: n}, "letters": [...],
    "entries": [entity_summary...]}``; ``letters`` are the initials present before the letter
    filter (so the A–Z bar never offers an empty letter)."""
    key = collation_key(lang)
    every = list(corpus.entities.values())
    chosen = [e for e in every if (kind is None or e.kind == kind)]
    if doc:
        stats = register_stats(corpus)
        chosen = [e for e in chosen if doc in stats.get(e.id, {}).get("documents", [])]
    counts = {k: sum(1 for e in every if e.kind == k) for k in KINDS}
    counts.update({e.kind: counts.get(e.kind, 0) for e in every if e.kind not in counts})
    chosen.sort(key=lambda e: key(e.label(lang)))
    letters = sorted({initial(e.label(lang), lang) for e in chosen}, key=key)
    if letter:
        chosen = [e for e in chosen if initial(e.label(lang), lang) == letter]
    return {"lang": lang, "kind": kind, "doc": doc, "letter": letter, "total": len(corpus.entities),
            "counts": counts, "letters": letters, "entries": [entity_summary(corpus, e, lang) for e in chosen]}


def unregistered_speakers(corpus, doc: str | None = None) -> list[dict]:
    """Speakers and quoted persons that a text names by ``@who`` but no register of the archive
    declares (ParlaMint's speeches point to a person list kept in another file): ``[{"pointer",
    "label", "count", "refs": [first refs]}]``, most frequent first. The label is the pointer's
    fragment, the only name the archive has for them. Reads ``speaker_rows`` (the store's
    ``speakers`` table through ``Edition.speaker_rows``)."""
    rows = corpus.speaker_rows(doc) if _stored(corpus) else \
        [r for r in _cached(corpus, "speakers", speaker_rows) if doc is None or r["doc"] == doc]
    found: dict[str, dict] = {}
    for row in rows:
        entry = found.setdefault(row["pointer"], {"pointer": row["pointer"], "label": row["label"], "count": 0, "refs": []})
        entry["count"] += row["count"]
        entry["refs"] += [r for r in row["refs"] if r not in entry["refs"]][:SPEAKER_REFS - len(entry["refs"])]
    return sorted(found.values(), key=lambda e: (-e["count"], e["label"]))


SPEAKER_REFS = 5  # passages listed for a speaker not in a register


def speaker_rows(corpus) -> list[dict]:
    """Build time (walks every document's tree): one ``{"pointer", "label", "doc", "count",
    "refs"}`` per ``@who`` pointer of a text that names no entity of the corpus and per document,
    in order of first occurrence; ``refs`` are the first ``SPEAKER_REFS`` passages it is in."""
    found: dict[tuple[str, str], dict] = {}
    for d in corpus.documents.values():
        owner = {p.element: refs.format_ref(d.id, p.path) for p in d.all_passages()}
        for el in d.element.iterfind(".//{%s}text//*[@who]" % TEI_NS):
            ref = next((owner[a] for a in (el, *el.iterancestors()) if a in owner), None)
            for ptr in el.get("who").split():
                fragment = ptr.rsplit("#", 1)[-1]
                if not fragment or fragment in corpus.entities or ref is None:
                    continue
                row = found.setdefault((ptr, d.id), {"pointer": ptr, "label": fragment, "doc": d.id, "count": 0, "refs": []})
                row["count"] += 1
                if len(row["refs"]) < SPEAKER_REFS and ref not in row["refs"]:
                    row["refs"].append(ref)
    return list(found.values())


def kwic(text: str, match: str, start: int = 0) -> tuple[dict, int]:
    """The key word ``match`` in context: ``{"left", "match", "right"}`` (at most ``KWIC``
    characters either side, cut at a word), and where to look for the next occurrence.

    >>> kwic("Molotov and Selter signed the pact.", "Selter")[0]
    {'left': 'Molotov and ', 'match': 'Selter', 'right': ' signed the pact.'}
    """
    at = _find(text, match, start)
    if at < 0:
        at = _find(text, match, 0)
    if at < 0:  # the name is not in the passage's text as shown (e.g. a whole quotation)
        return {"left": "", "match": match, "right": ""}, start
    left, right = text[:at], text[at + len(match):]
    if len(left) > KWIC:
        left = "… " + left[-KWIC:].split(" ", 1)[-1]
    if len(right) > KWIC:
        right = right[:KWIC].rsplit(" ", 1)[0] + " …"
    return {"left": left, "match": match, "right": right}, at + len(match)


def _find(text: str, match: str, start: int) -> int:
    """Where ``match`` stands in ``text`` from ``start``: as a whole word if it can, else anywhere."""
    if not match:
        return -1
    word = re.compile(r"(?<!\w)" + re.escape(match) + r"(?!\w)")
    found = word.search(text, start)
    return found.start() if found else text.find(match, start)


def entity_page(corpus, entity_id: str, doc: str | None = None, lang: str = "en") -> dict:
    """One entity with every mention in every document (or in ``doc``), grouped by document,
    each a KWIC line with its ref and the passages aligned with it; quotations attributed to
    the entity (@who) are listed apart as ``quoted``. Raises KeyError for an unknown id."""
    entity = corpus.entities[entity_id]
    data = entity_summary(corpus, entity, lang)
    data.update({"note": entity.note, "file": entity.file, "line": entity.line, "geo": getattr(entity, "geo", None),
                 "all_names": [{"lang": l, "names": n} for l, n in entity.names.items()]})
    groups: dict[str, dict] = {}
    cursor: dict[str, int] = {}
    mentions = corpus.mentions_in(entity_id, [doc]) if doc and _stored(corpus) else corpus.mentions.get(entity_id, [])
    for m in mentions:
        doc_id = _docs_of(corpus, m.ref)
        if doc and doc_id != doc:
            continue
        if doc_id not in groups:
            d = corpus.documents[doc_id]
            groups[doc_id] = {"doc": doc_id, "title": d.title, "lang": d.lang, "mention": [], "quoted": [], "speaker": []}
        group = groups[doc_id]
        text = _passage_text(corpus, m.ref)
        line, cursor[(m.ref, m.text)] = kwic(text, m.text, cursor.get((m.ref, m.text), 0)) if role(m) == "mention" \
            else ({"left": "", "match": m.text, "right": ""}, 0)
        group[role(m)].append(dict(line, ref=m.ref, aligned=[{"ref": a, "doc": _docs_of(corpus, a),
                                                               "text": _passage_text(corpus, a)}
                                                              for a in corpus.aligned(m.ref)]))
    data["groups"] = list(groups.values())
    return data


def _passage_text(corpus, ref: str) -> str:
    if _stored(corpus):  # a lookup; not remembered (an edition serves for a long time)
        return " ".join(loc.passage.text() for loc in corpus.resolve(ref))
    texts = _cached(corpus, "texts", lambda c: {})
    if ref not in texts:
        texts[ref] = " ".join(loc.passage.text() for loc in corpus.resolve(ref))
    return texts[ref]


# -- notes ----------------------------------------------------------------------------------

def note_numbers(corpus) -> dict[tuple, int]:
    """``(file, line) -> n``: every note of the edition numbered once, 1, 2, …, in the order the
    corpus lists them (files in path order, then document order). The same number wherever the
    note is shown. Build time (the store keeps each note's number: ``notes.n``)."""
    return _cached(corpus, "note_numbers", lambda c: {(n.file, n.line): i for i, n in enumerate(c.notes, 1)})


def note_number(corpus, file: str, line) -> int | None:
    """The edition number of the note at ``file`` (as the corpus displays it) and ``line``, or
    None for a note the corpus does not list. (A store answers by one lookup.)"""
    if hasattr(corpus, "note_number"):
        return corpus.note_number(file, line)
    return note_numbers(corpus).get((file, line))


def id_refs(corpus) -> dict[str, str]:
    """xml:id of every passage -> its public ref (``lv-s57`` -> ``lv:5.1.2``), the first in
    reading order where files share an id. Walks every passage: for a Corpus (a store answers
    one id at a time, ``Edition.ref_of_id``)."""
    def build(c):
        out = {}
        for d in c.documents.values():
            for p in d.all_passages():
                if p.xml_id:
                    out.setdefault(p.xml_id, refs.format_ref(d.id, p.path))
        return out
    return _cached(corpus, "id_refs", build)


_ID_TOKEN = re.compile(r"(?<![\w:#/.-])([A-Za-z][\w.-]*?[A-Za-z_-]\d+)(?:[–-](\d+))?(?![\w-])")


def ids_named(text: str) -> set[str]:
    """The xml:ids ``split_pointers`` looks up first in ``text``: what a note's words may link
    to in any file of the archive (``parts.plan`` keeps those files together). A span's last
    id is left out: a span is linked only when it ends in the document its first id is in, and
    two files declaring one id are together anyway."""
    return {m.group(1) for m in _ID_TOKEN.finditer(text)}


def split_pointers(corpus, text: str) -> list[tuple[str, str | None]]:
    """``text`` cut into ``(text, None)`` and ``(label, ref)`` parts: a passage's xml:id named
    in the text (``lv-s57``, a span ``lv-s45–46``) becomes its public ref (``lv:5.1.2``,
    ``lv:3.2.1-3.2.2``), so that no note speaks in internal ids.

    The ids are the TEI's own (``@xml:id`` of a citable passage); text that names no passage is
    left as it is."""
    ref_of = corpus.ref_of_id if hasattr(corpus, "ref_of_id") else id_refs(corpus).get  # a store: one lookup per id
    out: list[tuple[str, str | None]] = []
    pos = 0
    for m in _ID_TOKEN.finditer(text):
        first = ref_of(m.group(1))
        if first is None:
            continue
        ref = first
        if m.group(2):
            last = ref_of(re.sub(r"\d+$", m.group(2), m.group(1)))
            if last is None or refs.split(last)[0] != refs.split(first)[0]:
                continue
            ref = f"{first}-{refs.split(last)[1]}"
        out += [(text[pos:m.start()], None), (ref, ref)]
        pos = m.end()
    out.append((text[pos:], None))
    return [p for p in out if p[0]]


def compared(corpus, note) -> list[str]:
    """The documents a note speaks about (in the corpus' order): those its targets are in."""
    docs = {refs.split(t)[0] for t in note.targets}
    return [d for d in corpus.documents if d in docs]


def note_entry(corpus, note) -> dict:
    """One note as the notes page and its JSON show it."""
    targets = note.targets
    cited = [r for part, r in split_pointers(corpus, note.text) if r]
    return {"n": note_number(corpus, note.file, note.line), "id": note.id, "type": note.type,
            "subtype": note.subtype, "label": note.label, "text": note.text,
            "parts": [{"text": t, "ref": r} for t, r in split_pointers(corpus, note.text)],
            "targets": targets, "cited": list(dict.fromkeys(cited)), "documents": compared(corpus, note),
            "file": note.file, "line": note.line}


def notes_index(corpus, doc: str | None = None, kind: str | None = None) -> dict:
    """Every note (those about document ``doc``; of subtype or type ``kind``), grouped by kind
    in order of first appearance: ``{"doc", "kind", "total", "kinds": {kind: n}, "groups":
    [{"kind", "notes": [note_entry...]}]}``."""
    entries = [note_entry(corpus, n) for n in corpus.notes]
    kinds: dict[str, int] = {}
    for e in entries:
        kinds[_kind(e)] = kinds.get(_kind(e), 0) + 1
    chosen = [e for e in entries if (doc is None or doc in e["documents"]) and (kind is None or _kind(e) == kind)]
    groups: dict[str, list] = {}
    for e in chosen:
        groups.setdefault(_kind(e), []).append(e)
    return {"doc": doc, "kind": kind, "total": len(entries), "kinds": kinds,
            "groups": [{"kind": k, "notes": v} for k, v in groups.items()]}


def _kind(entry: dict) -> str:
    return entry["subtype"] or entry["type"] or "note"


# -- dates ----------------------------------------------------------------------------------

@dataclass
class Dated:
    start: str  # ISO date, full (YYYY-MM-DD)
    end: str  # ISO date, full; equal to start for a single day
    when: str  # the value as encoded (1939, 1939-09, 1939-09-28T21:00:00, 1939-06/1939-08)
    label: str
    kind: str  # "mention" (a date in a text) or "event" (a register event)
    ref: str | None = None
    entity: str | None = None

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "when": self.when, "label": self.label,
                "kind": self.kind, "ref": self.ref, "entity": self.entity}


_ISO = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def iso_span(value: str, end: bool = False) -> str | None:
    """The first (or, with ``end``, the last) day an ISO 8601 value (TEI ``data.temporal.w3c``)
    covers, as ``YYYY-MM-DD``; None for a value that is not a calendar date of the common era.

    >>> iso_span("1939-09"), iso_span("1939-09", end=True), iso_span("1939", end=True)
    ('1939-09-01', '1939-09-30', '1939-12-31')
    >>> iso_span("1939-09-28T21:00:00"), iso_span("--09-28")
    ('1939-09-28', None)
    """
    m = _ISO.match(value or "")
    if not m:
        return None
    year = int(m.group(1))
    if year <= 0:  # years before the common era: not placed on the axis (ISO strings do not sort)
        return None
    month = int(m.group(2) or (12 if end else 1))
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1] if year > 0 else 31
    day = int(m.group(3) or (last if end else 1))
    if not 1 <= day <= last:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_range(el_or_attrs) -> tuple[str, str, str] | None:
    """``(start, end, when)`` of a TEI dating (``@when``, or ``@from``/``@to``,
    ``@notBefore``/``@notAfter``), or None when it has no calendar value."""
    get = el_or_attrs.get
    when = get("when") or get("when-iso")
    if when:
        start, end = iso_span(when), iso_span(when, end=True)
        return (start, end, when) if start else None
    lo, hi = get("from") or get("notBefore") or get("from-iso"), get("to") or get("notAfter") or get("to-iso")
    start, end = iso_span(lo or hi or ""), iso_span(hi or lo or "", end=True)
    if not start or not end:
        return None
    return start, end, "/".join(v for v in (lo, hi) if v)


def dated(corpus, doc: str | None = None) -> list[Dated]:
    """Every dated mention (a ``date`` with a calendar value in a document's text, except the
    access and archive dates of web copies) and every dated register event, in date order."""
    items = corpus.dated() if _stored(corpus) else list(_cached(corpus, "dated", build_dated))
    if doc:
        mentioned = {e for e, s in register_stats(corpus).items() if doc in s["documents"]}
        items = [i for i in items if (i.ref and _docs_of(corpus, i.ref) == doc) or (i.entity and i.entity in mentioned)]
    return items


def build_dated(corpus) -> list[Dated]:
    """Build time (walks every document's tree): the items of ``dated``, in date order."""
    out: list[Dated] = []
    for d in corpus.documents.values():
        owner = {p.element: refs.format_ref(d.id, p.path) for p in d.all_passages()}
        for el in d.element.iter(f"{{{TEI_NS}}}date"):
            if el.get("type") in UNDATED_TYPES or any(local(a) == "teiHeader" for a in el.iterancestors()):
                continue
            span = date_range(el)
            ref = next((owner[a] for a in el.iterancestors() if a in owner), None)
            if span and ref:
                out.append(Dated(*span, label=normalise_space(plain_text(el)), kind="mention", ref=ref))
    for e in corpus.entities.values():
        if e.kind == "event" and (e.dates.get("when") or e.dates.get("date")):
            value = e.dates.get("when") or e.dates.get("date")
            lo, _, hi = value.partition("/")
            start, end = iso_span(lo), iso_span(hi or lo, end=True)
            if start and end:
                out.append(Dated(start, end, value, e.label("en"), "event", entity=e.id))
    out.sort(key=dated_order)
    return out


def dated_order(item: "Dated") -> tuple:
    """The timeline's order: by start, events before mentions, then by value, end and ref."""
    return (item.start, item.kind != "event", item.when, item.end, item.ref or "")


# -- places ---------------------------------------------------------------------------------

def coordinates(corpus, entity) -> tuple[float, float] | None:
    """``(lat, lon)`` of a place from its register entry's ``location/geo`` (``Entity.geo``),
    or None."""
    return getattr(entity, "geo", None)


def places(corpus, doc: str | None = None, lang: str = "en") -> dict:
    """The register's places (those mentioned in ``doc``) with coordinates, and those without:
    ``{"located": [{"id", "label", "lat", "lon", "mentions", ...}], "unlocated": [...]}``."""
    index = entity_index(corpus, lang, kind="place", doc=doc)
    located, unlocated = [], []
    for entry in index["entries"]:
        where = coordinates(corpus, corpus.entities[entry["id"]])
        if where:
            located.append(dict(entry, lat=where[0], lon=where[1]))
        else:
            unlocated.append(entry)
    return {"doc": doc, "located": located, "unlocated": unlocated}


# -- the timeline ---------------------------------------------------------------------------

SCALES = ("year", "month", "day")


def window(at: str | None, items: list[Dated]) -> dict:
    """The stretch of time a timeline view shows, from ``at`` (``None``: every year with an
    item; ``YYYY``: that year's months; ``YYYY-MM`` or ``YYYY-MM-DD``: that month's days).
    Raises ValueError for an ``at`` that is not such a date."""
    if not at:
        years = [int(i.start[:4]) for i in items] + [int(i.end[:4]) for i in items]
        lo, hi = (min(years), max(years)) if years else (1939, 1939)
        return {"scale": "year", "at": None, "start": f"{lo:04d}-01-01", "end": f"{hi:04d}-12-31",
                "groups": [f"{y:04d}" for y in range(lo, hi + 1)]}
    start = iso_span(at)
    if not start or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", at):
        raise ValueError(f"'{at}' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD")
    if len(at) == 4:
        return {"scale": "month", "at": at, "start": f"{at}-01-01", "end": f"{at}-12-31",
                "groups": [f"{at}-{m:02d}" for m in range(1, 13)]}
    month = at[:7]
    last = iso_span(month, end=True)
    return {"scale": "day", "at": at, "start": f"{month}-01", "end": last,
            "groups": [f"{month}-{d:02d}" for d in range(1, int(last[8:]) + 1)]}


def timeline(corpus, at: str | None = None, doc: str | None = None) -> dict:
    """Dated events and mentions in the window ``at`` names (see ``window``), merged where a
    date in one text and the same date in its aligned counterpart tell one thing, grouped by
    the window's unit (year, month or day). Items spanning more than one unit are ``spans``.

    ``{"scale", "at", "start", "end", "doc", "groups": [{"key", "items": [...]}],
    "spans": [...], "total"}``; an item is ``{"start", "end", "when", "kind", "label",
    "entity", "passages": [{"ref", "doc", "label"}]}``. Raises ValueError (see ``window``)."""
    every = dated(corpus, doc)
    win = window(at, every)
    size = {"year": 4, "month": 7, "day": 10}[win["scale"]]
    merged = _merge(corpus, [i for i in every if i.start <= win["end"] and i.end >= win["start"]])
    groups: dict[str, list] = {g: [] for g in win["groups"]}
    spans = []
    for item in merged:
        first, last = max(item["start"], win["start"])[:size], min(item["end"], win["end"])[:size]
        item["group"] = first
        (groups[first] if first == last else spans).append(item)
    return dict(win, doc=doc, total=len(every), spans=spans,
                groups=[{"key": k, "items": v} for k, v in groups.items()])


def _merge(corpus, items: list[Dated]) -> list[dict]:
    out: list[dict] = []
    for i in items:
        passage = {"ref": i.ref, "doc": _docs_of(corpus, i.ref), "label": i.label} if i.ref else None
        twin = None
        if i.ref:
            near = set(corpus.aligned(i.ref))
            twin = next((o for o in out if o["when"] == i.when and passage["doc"] not in {p["doc"] for p in o["passages"]}
                         and any(p["ref"] in near for p in o["passages"])), None)
        if twin is not None:
            twin["passages"].append(passage)
            continue
        out.append({"start": i.start, "end": i.end, "when": i.when, "kind": i.kind, "label": i.label,
                    "entity": i.entity, "passages": [passage] if passage else []})
    for o in out:  # where no aligned date was found, still offer the counterparts' passages
        o["aligned"] = [a for p in o["passages"] for a in corpus.aligned(p["ref"])
                        if a not in {q["ref"] for q in o["passages"]}]
    return out
