"""What a rendering knows besides the element: the document and corpus, the document shown
opposite (in the parallel view), the link hook, the deep-link target, and the notes and
entities collected while walking."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

from .. import refs
from ..tei import XML_ID, XML_LANG
from ..tei.text import clean, normalise_space
from .labels import translate

_SCHEME = re.compile(r"^(https?|mailto):", re.I)


@dataclass
class Links:
    """The one hook where refs, entity ids and TEI pointers become URLs.

    ``root`` is the application's URL prefix; ``shown`` the documents rendered on the page:
    their passages are linked in-page (``#lv:2.3.1``), others open in the reading view.

    >>> links = Links(shown=("lv",))
    >>> links.passage("lv:2.3.1"), links.passage("hen:1.1.1"), links.cite_aligned("lv:1")
    ('#lv:2.3.1', '/read?at=hen:1.1.1#hen:1.1.1', '/passage/lv:1?with=aligned')
    """

    root: str = ""
    shown: tuple[str, ...] = ()

    def permalink(self, ref: str) -> str:
        return f"{self.root}/passage/{_q(ref)}"

    def cite_aligned(self, ref: str) -> str:
        return self.permalink(ref) + "?with=aligned"

    def passage(self, ref: str) -> str:
        doc_id = ref.split(":", 1)[0]
        return f"#{ref}" if doc_id in self.shown else f"{self.root}/read?at={_q(ref)}#{ref}"

    def entity(self, entity_id: str) -> str:
        return f"#entity-{entity_id}"

    def pointer(self, ptr: str, ctx: "Context") -> str | None:
        """URL for a TEI pointer (``@target``): a web address as it is, a pointer to an entity
        or a passage of the corpus in the edition, anything else None (shown as text)."""
        if _SCHEME.match(ptr):
            return ptr
        if ctx.corpus is None:
            return None
        target = ctx.corpus.target(ptr, ctx.doc.path)
        if target is None:
            return None
        if target.get(XML_ID) in ctx.corpus.entities:
            return self.entity(target.get(XML_ID))
        located = ctx.corpus.locate(target)
        return self.passage(located.ref) if located else None


def _q(ref: str) -> str:
    return quote(ref, safe=":.-_~")


@dataclass
class Context:
    """State of one rendering of one document.

    ``other`` is the document shown opposite: alignment is then reported against it only
    (``aligned``/``unaligned``). ``side`` prefixes generated ids so that two documents on one
    page never share an id. ``target`` (a ref, or several: a range) and ``words`` mark the
    deep-linked passage."""

    doc: object  # tei.document.Document
    corpus: object | None = None  # corpus.Corpus
    links: Links = field(default_factory=Links)
    other: str | None = None
    side: str = "doc"
    base_level: int = 3
    target: str | tuple[str, ...] | None = None
    words: tuple[str, ...] = ()
    names: bool = True  # entity mentions as links to their cards (False: plain text)
    notes_open: bool = True  # notes shown open (False: folded to their first words)
    ui_lang: str = "en"  # the interface language: margin labels, notes' frames, titles
    labels: dict = field(default_factory=dict)  # msgid -> translation (render.labels.MESSAGES)
    # notes printed in full in the other column of the page: note key -> its element id there
    elsewhere: dict = field(default_factory=dict)
    # collected while walking
    pending: list[str] = field(default_factory=list)
    note_count: int = 0
    inline_notes: set = field(default_factory=set)
    placed_notes: dict = field(default_factory=dict)  # note key -> (number, id) in this rendering
    mentioned: dict = field(default_factory=dict)  # entity id -> None, in order of mention
    marking: bool = False
    mark_plan: dict = field(default_factory=dict)  # (node, "text"|"tail") -> spans to mark
    in_link: bool = False
    _refs: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._refs = {p.element: refs.format_ref(self.doc.id, p.path) for p in self.doc.all_passages()}
        self._leaves = {p.element for p in self.doc.leaves()}
        self.word_pattern = _word_pattern(self.words)

    def t(self, message: str, **values) -> str:
        """An interface message (one of ``render.labels.MESSAGES``) in the UI language."""
        return translate(self.labels, message, **values)

    def ui_attr(self, el=None) -> str | None:
        """``lang`` for interface words inside the text (at ``el``, a TEI element: its own or
        nearest ``xml:lang``, else the document's): None when that is the UI language."""
        found = next((a.get(XML_LANG) for a in (el, *el.iterancestors()) if a.get(XML_LANG)), None) if el is not None else None
        text_lang = found or getattr(self.doc, "lang", None) or ""
        return None if text_lang.split("-")[0] == self.ui_lang else self.ui_lang

    def ref_of(self, el) -> str | None:
        """The ref of ``el`` when it is a citable passage, else None."""
        return self._refs.get(el)

    def is_target(self, ref: str) -> bool:
        return ref == self.target if isinstance(self.target, str) else ref in (self.target or ())

    def is_leaf(self, el) -> bool:
        """``el`` is a passage at the finest level (a sentence)."""
        return el in self._leaves

    def aligned(self, ref: str) -> list[str]:
        """Refs aligned with ``ref`` (in the opposite document only, when there is one)."""
        if self.corpus is None:
            return []
        found = self.corpus.aligned(ref)
        return [r for r in found if r.startswith(self.other + ":")] if self.other else found

    def note_key(self, el) -> tuple:
        """The identity of a note element, as ``note_key_of`` gives it for a corpus Note."""
        name = self.corpus.display_name(self.doc.path) if self.corpus is not None else str(self.doc.path)
        return (name, el.sourceline, normalise_space("".join(el.itertext())))

    def notes_for(self, ref: str) -> list:
        """Notes attached to ``ref`` that are not inline in the text (those render in place)."""
        if self.corpus is None:
            return []
        return [n for n in self.corpus.notes_for(ref) if note_key_of(n) not in self.inline_notes]

    def entity_of(self, el):
        """The register entity ``el/@ref`` points to (recorded as mentioned), or None."""
        if self.corpus is None:
            return None
        for ptr in (el.get("ref") or "").split():
            target = self.corpus.target(ptr, self.doc.path)
            entity = self.corpus.entities.get(target.get(XML_ID)) if target is not None else None
            if entity is not None:
                self.mentioned.setdefault(entity.id, None)
                return entity
        return None

    def next_note_id(self) -> tuple[int, str]:
        self.note_count += 1
        return self.note_count, f"{self.side}-note-{self.note_count}"


def note_key_of(note) -> tuple:
    return (note.file, note.line, note.text)


def _word_pattern(words) -> re.Pattern | None:
    """Words to mark, matched at a word start, allowing inflected endings:
    ``Molotovs`` also marks ``Molotovu`` (the stem before a final vowel or -s is used)."""
    stems = sorted({_stem(clean(w)) for w in words if w.strip()}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"(?<![\w" + _MARKS + r"])(?:" + "|".join(_letters(s) for s in stems) + r")[\w" + _MARKS + r"]*",
                      re.I)


# combining marks of Latin, Cyrillic, Hebrew and Arabic text: kept inside a word, and optional
# after each letter of a word asked for (``שלום`` marks the pointed ``שָׁלוֹם``)
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"


def _letters(stem: str) -> str:
    return "".join(re.escape(c) + f"[{_MARKS}]*" for c in stem if not unicodedata.combining(c))


def _stem(word: str) -> str:
    word = word.strip().strip("\"'*?")
    if len(word) >= 5:
        word = re.sub(r"(?:[aeiouāēīū]s|[aeiouāēīūsš])$", "", word, flags=re.I)
    return word
