"""The text model: the plain text of a TEI element, one rule per element, in one of two readings.

Search, citation, the downloads and the reader's highlighting all read text through this module,
so a word is the same word everywhere. Every element has one *role* (``ROLES``, documented with
its TEI Guidelines source in docs/text-model.md):

* ``text``        reading text (the default for any element without a rule): its content runs on.
* ``separator``   a block- or line-like element (``p``, ``item``, ``addrLine``, ``cell`` …): its
                  content is set apart from its neighbours by a word boundary.
* ``break``       ``lb``/``pb``/``cb``: a word boundary, except with ``break="no"``, where the
                  break is inside a word and the white space around it is dropped (§3.11.3).
* ``alternative`` ``choice`` contributes exactly one child, ``app`` its ``lem`` (else its first
                  ``rdg``); text between the alternatives is markup layout, not text (§3.5, §12.1).
* ``apparatus``   ``rdg``, ``rdgGrp``, ``witDetail`` … outside the chosen reading: kept out.
* ``note``        ``note``: kept out of the running text (shown as a note).
* ``omitted``     ``teiHeader``, ``fw``, ``facsimile`` …: not text of the work.
* ``gap``         ``[…]`` in the edited reading, nothing in the diplomatic one.

The two readings differ only in which alternative a ``choice`` gives and in ``del``/``supplied``:

* ``edited`` (default): ``corr``, ``reg``, ``expan`` (else the highest ``@cert``, else the first)
  and ``supplied``; ``del`` dropped.
* ``diplomatic``: the text as received: ``sic``, ``orig``, ``abbr``; ``supplied`` dropped.

Unicode: text is read in NFC; soft hyphens (U+00AD), zero-width spaces (U+200B), word joiners
(U+2060) and BOMs (U+FEFF) are removed. Every walk is iterative (no recursion, whatever the depth).

>>> from lxml import etree
>>> el = etree.fromstring('<s xmlns="http://www.tei-c.org/ns/1.0">a <choice><sic>moblizācija</sic>'
...                       '<corr>mobilizācija</corr></choice> <gap/>.</s>')
>>> plain_text(el), plain_text(el, "diplomatic")
('a mobilizācija […].', 'a moblizācija .')
>>> el = etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">har<lb break="no"/>\\n   bour in '
...                       '<app><lem>autumn</lem><rdg>spring</rdg></app></p>')
>>> plain_text(el)
'harbour in autumn'
"""

from __future__ import annotations

import re
import unicodedata

from . import local

GAP_MARK = "[…]"
READINGS = ("edited", "diplomatic")

# element -> role, for both readings (see the module docstring and docs/text-model.md)
SEPARATORS = frozenset({
    "p", "ab", "head", "s", "l", "lg", "sp", "speaker", "stage", "u", "item", "list", "listBibl",
    "table", "row", "cell", "byline", "docTitle", "titlePart", "docImprint", "docAuthor", "docDate",
    "docEdition", "titlePage", "closer", "opener", "postscript", "text", "body", "front", "back",
    "group", "trailer", "argument", "epigraph", "floatingText", "addrLine", "address", "salute",
    "signed", "dateline", "figure", "figDesc", "castList", "castGroup", "castItem", "role",
    "roleDesc", "spGrp", "biblStruct", "listPerson", "listPlace", "listOrg", "listEvent",
    "div", *(f"div{i}" for i in range(1, 8)),
})
# Separators only where they stand as blocks (in a division, list, letter part …); inside
# running text (``see <bibl>Smith 1999</bibl>.``) they are phrases and run on.
BLOCK_ONLY_SEPARATORS = frozenset({"bibl", "label", "quote", "cit"})
BLOCK_PARENTS = SEPARATORS - {"p", "ab", "s", "l", "head", "item", "cell", "speaker", "stage", "u",
                              "addrLine", "salute", "signed", "dateline", "figDesc", "byline",
                              "docAuthor", "docDate", "docEdition", "roleDesc", "role"}
BREAKS = frozenset({"lb", "pb", "cb"})
ALTERNATIVES = frozenset({"choice", "app"})
APPARATUS = frozenset({"rdg", "rdgGrp", "witDetail", "wit"})
NOTES = frozenset({"note", "noteGrp"})
OMITTED = frozenset({"teiHeader", "fw", "standOff", "facsimile", "sourceDoc", "witStart", "witEnd",
                     "lacunaStart", "lacunaEnd", "anchor", "index"})
_DROPPED_IN = {"edited": frozenset({"del"}), "diplomatic": frozenset({"supplied"})}
# the child a choice gives in each reading, by preference; else the highest @cert, else the first
CHOICE_PREFERENCE = {"edited": ("corr", "reg", "expan"), "diplomatic": ("sic", "orig", "abbr")}
_CERT = {"high": 3, "medium": 2, "low": 1, "unknown": 0}

# invisible characters that are not text: removed wherever they stand
INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_WS = re.compile(r"\s+")



class _Mark:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


SEP, JOIN = _Mark("SEP"), _Mark("JOIN")  # a word boundary; a break inside a word (no white space around)


def role(el, reading: str = "edited") -> str:
    """The role of ``el`` in ``reading``: text, separator, break, join, alternative,
    apparatus, note, omitted or gap (the table in docs/text-model.md)."""
    name = local(el)
    if not name or name in OMITTED or name in _DROPPED_IN[reading]:
        return "omitted"
    if name in NOTES:
        return "note"
    if name in APPARATUS:
        return "apparatus"
    if name in ALTERNATIVES:
        return "alternative"
    if name == "gap":
        return "gap"
    if name in BREAKS:
        return "join" if el.get("break") == "no" else "break"
    if name in SEPARATORS:
        return "separator"
    if name in BLOCK_ONLY_SEPARATORS:
        parent = el.getparent()
        return "separator" if parent is None or local(parent) in BLOCK_PARENTS else "text"
    return "text"


def chosen(alternative, reading: str = "edited"):
    """The one child a ``choice`` or ``app`` contributes to ``reading`` (None when empty).

    ``app``: its ``lem``, else its first ``rdg`` (TEI Guidelines §12.1.1). ``choice``: the first
    of ``CHOICE_PREFERENCE[reading]`` present, else the child with the highest ``@cert``, else
    the first child (§3.5.1)."""
    kids = [c for c in alternative if local(c)]
    if not kids:
        return None
    if local(alternative) == "app":
        for name in ("lem", "rdg"):
            found = next((c for c in kids if local(c) == name), None)
            if found is None:
                found = next((r for g in kids if local(g) == "rdgGrp" for r in g if local(r) == name), None)
            if found is not None:
                return found
        return None
    for name in CHOICE_PREFERENCE[reading]:
        found = next((c for c in kids if local(c) == name), None)
        if found is not None:
            return found
    return max(kids, key=lambda c: _CERT.get(c.get("cert", ""), -1))  # first among equals


def pieces(element, reading: str = "edited", top: bool = True):
    """The reading text of ``element`` as a stream of ``(piece, owner)``: ``piece`` is a string
    (NFC, invisible characters removed), ``SEP`` or ``JOIN``; ``owner`` the element whose text
    or tail it is. Elements kept out of the text (notes, apparatus) yield ``(None, element)``.
    Iterative: any depth. Raises ValueError for an unknown reading."""
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; use 'edited' or 'diplomatic'")
    stack: list[tuple] = [("el", element, top)]
    while stack:
        kind, value, extra = stack.pop()
        if kind == "text":
            yield _clean(value), extra
            continue
        if kind == "mark":
            yield value, extra
            continue
        stack.extend(reversed(_expand(value, reading, extra, kind == "chosen")))


def _expand(el, reading: str, is_top: bool, is_chosen: bool = False) -> list[tuple]:
    """What one element stands for, in order: text, marks and child elements to expand."""
    tail = [] if is_top or not el.tail else [("text", el.tail, el.getparent())]
    r = "text" if is_chosen else role(el, reading)
    if r in ("note", "apparatus"):
        return [("mark", None, el)] + tail
    if r == "omitted":
        return tail
    if r == "gap":
        return ([("text", GAP_MARK, el)] if reading == "edited" else []) + tail
    if r in ("break", "join"):
        return [("mark", SEP if r == "break" else JOIN, el)] + tail
    if r == "alternative":
        one = chosen(el, reading)
        out = [("mark", None, c) for c in others(el, one)]
        return out + ([("chosen", one, True)] if one is not None else []) + tail  # text between alternatives is layout
    sep = [("mark", SEP, el)] if r == "separator" else []
    inner = [("text", el.text, el)] if el.text else []
    for child in el:
        inner.append(("el", child, False))
    return sep + inner + sep + tail


def others(alternative, one) -> list:
    """The readings, groups and notes of an ``app`` or ``choice`` besides the chosen ``one``
    (inside a ``rdgGrp`` holding it: its other members)."""
    out = []
    for c in alternative:
        if c is one or local(c) not in APPARATUS | NOTES:
            continue
        if one is not None and one.getparent() is c:
            out += [g for g in c if g is not one and local(g)]
        else:
            out.append(c)
    return out


# the elements whose text depends on the reading (the rules above: _DROPPED_IN, CHOICE_PREFERENCE, gap)
READING_DEPENDENT = ("{*}del", "{*}supplied", "{*}gap", "{*}choice")


def readings_differ(element) -> bool:
    """Whether ``element``'s two readings can differ: it is or holds a ``del``, ``supplied``,
    ``gap`` or ``choice`` (in any namespace) — the only elements whose rule depends on the
    reading. False means ``plain_text(element, "diplomatic") == plain_text(element)``; one
    C-level walk (lxml's ``iter`` with ``{*}`` wildcards), far cheaper than a second reading.

    >>> from lxml import etree
    >>> readings_differ(etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">a <hi>b</hi></p>'))
    False
    >>> readings_differ(etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">a <gap/></p>'))
    True
    """
    return next(element.iter(*READING_DEPENDENT), None) is not None


def readings(element) -> tuple[str, str]:
    """``(edited, diplomatic)``: the plain text of ``element`` in both readings, the second
    read only when ``readings_differ`` (a passage without such elements is read once)."""
    edited = plain_text(element)
    return edited, (plain_text(element, "diplomatic") if readings_differ(element) else edited)


def plain_text(element, reading: str = "edited") -> str:
    """Whitespace-normalised text of ``element`` in ``reading`` ("edited" or "diplomatic"),
    by the rules of this module. Raises ValueError for an unknown reading."""
    return join(pieces(element, reading))


def join(stream) -> str:
    """The text of a ``pieces`` stream: ``SEP`` a space, ``JOIN`` no space and none around it."""
    out: list[str] = []
    joining = False
    for piece, _owner in stream:
        if piece is None:
            continue
        if piece is SEP:
            out.append(" ")
        elif piece is JOIN:
            while out and out[-1].rstrip() != out[-1]:
                out[-1] = out[-1].rstrip()
                if not out[-1]:
                    out.pop()
            joining = True
        else:
            if joining:
                piece = piece.lstrip()
                joining = bool(not piece)
            out.append(piece)
    return normalise_space("".join(out))


def content_text(element, reading: str = "edited", skip: tuple[str, ...] = ()) -> str:
    """Text of ``element``'s content even when the element itself is of a kind the readings
    keep out (a ``note``, an ``fw``); children named in ``skip`` are left out."""
    stream = [(_clean(element.text or ""), element)]
    for child in element:
        if local(child) in skip:
            stream.append((_clean(child.tail or ""), element))
        else:
            stream.extend(pieces(child, reading, top=False))
    return join(stream)


def clean(text: str) -> str:
    """``text`` in NFC without invisible characters (soft hyphen, zero-width space, word joiner,
    BOM): how every text node is read.

    >>> clean("inter\u00adnational okupa\u0304cijas") == "international okupācijas"
    True
    """
    return _clean(text)


def _clean(text: str) -> str:
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


# Languages written right to left (ISO 639-1/-3); a script subtag (``-Arab``, ``-Hebr`` …) wins.
RTL_LANGS = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr", "arc",
                       "hbo", "jrb", "jpr", "lad", "ku-arab", "ms-arab", "pa-arab"})
RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "samr", "mand", "adlm", "rohg"})


def direction(lang: str | None) -> str | None:
    """``"rtl"`` for a language (BCP 47 tag) written right to left, ``"ltr"`` for another
    known language, None when unknown ("und" or empty).

    >>> direction("he"), direction("ar-EG"), direction("az-Arab"), direction("lv"), direction(None)
    ('rtl', 'rtl', 'rtl', 'ltr', None)
    """
    if not lang or lang.lower() in ("und", "mul", "zxx"):
        return None
    parts = lang.lower().split("-")
    if any(p in RTL_SCRIPTS for p in parts[1:]):
        return "rtl"
    if any(len(p) == 4 and p.isalpha() for p in parts[1:]):
        return "ltr"  # another script subtag (Latn, Cyrl …)
    return "rtl" if parts[0] in RTL_LANGS else "ltr"


def has_rtl(text: str) -> bool:
    """``text`` contains a strong right-to-left character (Hebrew, Arabic, Syriac, Thaana …)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text if ord(c) >= 0x0590)


def normalise_space(text: str) -> str:
    """``text`` with every run of white space one space, stripped, in NFC without invisible
    characters (``clean``): how header fields, register names and notes are read too."""
    return _WS.sub(" ", _clean(text)).strip()
