"""The citable structure of a TEI document.

Three sources, tried in order; the first that *actually matches* the file wins (real files
declare wrong patterns):

1. ``refsDecl/citeStructure`` (TEI P5 4.x). A top level that matches a single ``TEI``, ``text``
   or ``body`` element (e.g. Perseus' ``match="/TEI/text/body" use="@xml:base"``) is a wrapper,
   not a level of the citation: its children become the top levels.
2. ``refsDecl/cRefPattern`` with ``#xpath(...)`` replacement patterns, one per level.
3. The file's own nesting: ``div``/``div1``–``div7``/``text`` in ``group``, then ``p``/``ab``/
   ``lg``/``sp``/``u``, then ``s``, ``seg`` (where segs partition a ``p``/``u``), ``l``.
   A level uses the elements' ``@n`` when every sibling has a distinct usable one, else their
   position (1, 2, …). Every other text-bearing child of a division (``head``, ``opener``,
   ``closer``, ``list``, ``table``, ``listBibl`` …) is a passage named after its element
   (``2.head``, ``2.list``, ``2.list2``; items, rows and bibls numbered below it), so that every
   word of the body is in some passage and the numbered units keep their refs; ``front`` and
   ``back`` are passages named ``front`` and ``back``. A lone division that only wraps the text
   (EpiDoc ``div[@type='edition']``, or one whose ``@n`` is a URN) is not a level.

"Matches" means: at least one passage, every identifier non-empty and without ``.``, ``:`` or
white space, and no two passages with the same path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from . import NS, XML_ID, local
from .text import plain_text
from .xpath import select, value

WRAPPERS = {"TEI", "text", "body"}
DIVS = {"div", *(f"div{i}" for i in range(1, 8))}
CONTAINER_UNITS = DIVS | {"p", "ab", "lg", "sp", "u", "l", "s"}
UNIT_NAMES = {"div": "section", "p": "paragraph", "s": "sentence", "l": "line", "lg": "stanza",
              "sp": "speech", "u": "utterance", "seg": "segment", "ab": "block", "text": "text"}
_BAD_ID = re.compile(r"[.:\s]")


@dataclass(eq=False)
class Passage:
    """A citable unit: its path within the document (``2.3.1``), unit name and element."""

    path: str
    unit: str
    element: etree._Element = field(repr=False)
    children: list["Passage"] = field(default_factory=list, repr=False)
    parent: "Passage | None" = field(default=None, repr=False)

    @property
    def xml_id(self) -> str | None:
        return self.element.get(XML_ID)

    def text(self, reading: str = "edited") -> str:
        return plain_text(self.element, reading)

    def iter(self):
        """This passage and all below it, in reading order."""
        yield self
        for child in self.children:
            yield from child.iter()


@dataclass
class Structure:
    method: str  # "citeStructure", "cRefPattern" or "nesting"
    passages: list[Passage]
    notes: list[str]  # why declared structures were not used


class Mismatch(Exception):
    """A declared structure does not match the file."""


def find_structure(tei) -> Structure:
    """The passage tree of a ``TEI`` element, by the first method that matches.
    Raises Mismatch (saying why each method failed) when none does."""
    notes: list[str] = []
    decls = tei.xpath("tei:teiHeader/tei:encodingDesc/tei:refsDecl", namespaces=NS)
    trees = _tree_decls(decls)
    if len(trees) > 1:  # several citation trees: the default one is the document's citation
        decls = [trees[0][1]] + [d for d in decls if not d.xpath("tei:citeStructure", namespaces=NS)]
    cite = [c for d in decls for c in d.xpath("tei:citeStructure", namespaces=NS)]
    if cite:
        try:
            return Structure("citeStructure", _checked(_from_cite_structure(tei, cite)), notes)
        except (Mismatch, etree.XPathError) as exc:
            notes.append(f"declared citeStructure (line {cite[0].sourceline}) not used: {exc}")
    patterns = [c for d in decls for c in d.xpath("tei:cRefPattern", namespaces=NS)]
    if patterns:
        try:
            return Structure("cRefPattern", _checked(_from_cref_patterns(tei, patterns)), notes)
        except (Mismatch, etree.XPathError) as exc:
            notes.append(f"declared cRefPattern (line {patterns[0].sourceline}) not used: {exc}")
    try:
        return Structure("nesting", _checked(_from_nesting(tei)), notes)
    except Mismatch as exc:
        raise Mismatch("; ".join(notes + [f"the file's own nesting: {exc}"])) from None


def _tree_decls(decls) -> list[tuple[str | None, object]]:
    """The ``refsDecl`` elements that declare a citeStructure, the default first: the one with
    ``@default="true"``, else the first (TEI Guidelines, "The Reference System Declaration":
    several refsDecl may declare alternative reference schemes; att.declarable's ``@default``
    marks the default). Each with its name (``@n``, else ``@xml:id``, else None; MyDapytains
    names DTS trees by ``refsDecl/@n`` too)."""
    found = [d for d in decls if d.xpath("tei:citeStructure", namespaces=NS)]
    found.sort(key=lambda d: d.get("default") != "true")
    return [(d.get("n") or d.get(XML_ID), d) for d in found]


def other_trees(tei) -> dict[str, list[Passage]]:
    """The citation trees a document declares besides its default one (DTS 1.0 "tree"), by name
    (``refsDecl/@n``, else ``@xml:id``, else ``tree-N``): each the passages its citeStructure
    matches. A tree that does not match the file (no passage, duplicate or unusable
    identifiers) is left out."""
    decls = tei.xpath("tei:teiHeader/tei:encodingDesc/tei:refsDecl", namespaces=NS)
    out: dict[str, list[Passage]] = {}
    for i, (name, decl) in enumerate(_tree_decls(decls)[1:], 2):
        try:
            out[name or f"tree-{i}"] = _checked(_from_cite_structure(tei, decl.xpath("tei:citeStructure", namespaces=NS)))
        except (Mismatch, etree.XPathError):
            continue
    return out


def tree_typologies(tei) -> list[dict]:
    """The declared typology of every non-default tree, from the header alone (no matching):
    ``[{"identifier", "citeStructure": [{"citeType", "citeStructure": [...]}]}]`` (DTS 1.0
    "CitationTree"), so a collection can list a resource's trees without reading its text."""
    decls = tei.xpath("tei:teiHeader/tei:encodingDesc/tei:refsDecl", namespaces=NS)

    def typology(structures) -> list[dict]:
        out = []
        for cs in structures:
            node = {"@type": "CiteStructure", "citeType": cs.get("unit") or "unit"}
            below = typology(cs.xpath("tei:citeStructure", namespaces=NS))
            if below:
                node["citeStructure"] = below
            out.append(node)
        return out
    return [{"identifier": name or f"tree-{i}", "citeStructure": typology(d.xpath("tei:citeStructure", namespaces=NS))}
            for i, (name, d) in enumerate(_tree_decls(decls)[1:], 2)]


def _checked(passages: list[Passage]) -> list[Passage]:
    if not passages:
        raise Mismatch("it matches no element")
    seen: set[str] = set()
    for root in passages:
        for p in root.iter():
            if p.path in seen:
                raise Mismatch(f"two passages share the path {p.path!r} (line {p.element.sourceline})")
            seen.add(p.path)
    return passages


# -- 1. citeStructure ---------------------------------------------------------------------

def _from_cite_structure(tei, structures) -> list[Passage]:
    out: list[Passage] = []
    for cs in structures:
        nodes = select(tei, cs.get("match", ""))
        subs = cs.xpath("tei:citeStructure", namespaces=NS)
        if len(nodes) == 1 and local(nodes[0]) in WRAPPERS and subs:
            out.extend(_cite_level(nodes[0], subs, "", None))
        else:
            out.extend(_cite_level(tei, [cs], "", None))
    return out


def _cite_level(context, structures, prefix: str, parent: Passage | None) -> list[Passage]:
    out = []
    for cs in structures:
        delim = cs.get("delim", ".") if prefix else ""
        if delim not in (".", ""):
            delim = "."  # one ref grammar for every document: levels are joined by dots
        for node in select(context, cs.get("match", "")):
            ident = _usable(value(node, cs.get("use", "@n")), node)
            p = Passage(prefix + delim + ident, cs.get("unit") or _unit(node), node, parent=parent)
            p.children = _cite_level(node, cs.xpath("tei:citeStructure", namespaces=NS), p.path, p)
            out.append(p)
    return sorted(out, key=_doc_order) if len(structures) > 1 else out


# -- 2. cRefPattern ------------------------------------------------------------------------

_PRED = re.compile(r"""\[\s*@([\w:]+)\s*=\s*['"]\$(\d+)['"]\s*\]""")


def _from_cref_patterns(tei, patterns) -> list[Passage]:
    by_level: dict[int, list[tuple[tuple[str, ...], etree._Element]]] = {}
    for pat in patterns:
        m = re.fullmatch(r"\s*#xpath\((.*)\)\s*", pat.get("replacementPattern", ""), re.S)
        if not m:
            continue
        found = _enumerate_pattern(tei, m.group(1))
        if found:
            by_level[len(found[0][0])] = found
    if not by_level:
        raise Mismatch("no pattern matches any element")
    index: dict[tuple[str, ...], Passage] = {}
    roots: list[Passage] = []
    for level in sorted(by_level):
        for values, node in by_level[level]:
            parent = index.get(values[:-1])
            p = Passage(".".join(values), _unit(node), node, parent=parent)
            index[values] = p
            (parent.children if parent else roots).append(p)
    return roots


def _enumerate_pattern(tei, xp: str) -> list[tuple[tuple[str, ...], etree._Element]]:
    parts = _PRED.split(xp)
    steps, trail = parts[:-1], parts[-1]
    current = [((), tei)]
    for i in range(0, len(steps), 3):
        path, attr = steps[i], steps[i + 1]
        nxt = []
        for values, ctx in current:
            expr = (path if i == 0 else "." + path) + f"[@{attr}]"
            for node in select(ctx, expr):
                nxt.append((values + (_usable(node.get(_clark(attr), ""), node),), node))
        current = nxt
    if trail.strip():
        current = [(v, n) for v, ctx in current for n in select(ctx, "." + trail)]
    return current


def _usable(ident: str, node) -> str:
    if not ident or _BAD_ID.search(ident):
        raise Mismatch(f"unusable identifier {ident!r} at line {node.sourceline}")
    return ident


def _clark(attr: str) -> str:
    return "{http://www.w3.org/XML/1998/namespace}" + attr[4:] if attr.startswith("xml:") else attr


# -- 3. nesting ----------------------------------------------------------------------------

def _from_nesting(tei) -> list[Passage]:
    return [p for text in tei.xpath("tei:text", namespaces=NS) for p in _text_parts(text, "", None)]


def _text_parts(text, prefix: str, parent: Passage | None) -> list[Passage]:
    """The passages of a ``text``: its ``front`` and ``back`` as passages named ``front`` and
    ``back`` (when they hold text), the units of its ``body`` (or ``group``) numbered as before."""
    out: list[Passage] = []
    for part in text:
        name = local(part)
        if name in ("front", "back"):
            if _has_text(part):
                p = Passage(f"{prefix}.{name}" if prefix else name, name, part, parent=parent)
                p.children = _nest(part, p.path, p)
                out.append(p)
        elif name in ("body", "group"):
            out.extend(_nest(_unwrapped(part), prefix, parent))
    return out


def _unwrapped(body):
    """``body``, or the lone division inside it that only wraps the real top level: an EpiDoc
    ``div[@type='edition']`` or a division whose ``@n`` is a URN (CapiTainS), as citeStructure
    treats ``body`` (see the module docstring)."""
    while True:
        units = [u for u in _child_units(body) if local(u) in DIVS]
        if len(units) != 1 or len(_child_units(body)) != 1:
            return body
        div = units[0]
        n = (div.get("n") or "").strip()
        if div.get("type") != "edition" and not n.lower().startswith("urn:"):
            return body
        if not any(local(u) in DIVS | {"p", "ab", "lg", "sp", "u"} for u in _child_units(div)):
            return body
        body = div


def _child_units(el) -> list:
    name = local(el)
    kids = [c for c in el if local(c)]
    if name in ("p", "ab", "u", "l"):
        sents = [c for c in kids if local(c) == "s"]
        if sents:
            return sents
        segs = [c for c in kids if local(c) == "seg"]
        loose = (el.text or "").strip() or any((c.tail or "").strip() for c in kids)
        return segs if segs and not loose and len(segs) == len(kids) else []
    if name in ("sp", "lg"):
        return [c for c in kids if local(c) in ("l", "p", "lg", "ab", "s")]
    if name == "group":
        return [c for c in kids if local(c) in ("text", "group")]
    if name == "text":
        return [c for body in el.xpath("tei:body | tei:group", namespaces=NS) for c in _child_units(body)]
    if name in BLOCK_ITEMS:
        return [c for c in kids if local(c) in BLOCK_ITEMS[name]]
    units = []
    for c in kids:
        if local(c) in CONTAINER_UNITS:
            units.append(c)
        elif local(c) == "group":
            units.extend(_child_units(c))
    return units


# Blocks that are no unit of the classic nesting but hold text of a division (TEI Guidelines
# §4.2 opener/closer, §3.8 list, §14 table, §3.12 listBibl …): passages named after the
# element (``head``, ``list``, ``list2``), so the numbered units keep their refs. Their own
# parts become numbered passages below them.
BLOCK_ITEMS = {"list": ("item",), "listBibl": ("bibl", "biblStruct", "msDesc"), "table": ("row",),
               "castList": ("castItem", "castGroup")}
_NOT_BLOCKS = {"note", "noteGrp", "fw", "pb", "lb", "cb", "milestone", "anchor", "gap", "index",
               "teiHeader", "facsimile", "standOff", "sourceDoc",
               "speaker"}  # a speech's speaker is its heading (tei/coverage.py), not a passage
_BLOCK_PARENTS = DIVS | {"body", "front", "back", "postscript", "floatingText", "sp"}


def _block_units(el, taken: set[str]) -> list[tuple]:
    """(element, ident) of the text-bearing children of a division that are no unit."""
    if local(el) not in _BLOCK_PARENTS:
        return []
    out, count = [], {}
    for c in el:
        name = local(c)
        if not name or name in CONTAINER_UNITS or name in _NOT_BLOCKS or name == "group" or not _has_text(c):
            continue
        count[name] = count.get(name, 0) + 1
        ident = name if count[name] == 1 else f"{name}{count[name]}"
        while ident in taken:
            ident += "x"
        taken.add(ident)
        out.append((c, ident))
    return out


def _has_text(el) -> bool:
    return bool(plain_text(el).strip())


def _nest(el, prefix: str, parent: Passage | None) -> list[Passage]:
    units = _child_units(el)
    # sp/@n and u/@n name speakers, not positions in a sequence
    ns = [u.get("n", "").strip() if local(u) not in ("sp", "u") else "" for u in units]
    use_n = all(ns) and len(set(ns)) == len(ns) and not any(_BAD_ID.search(n) or "-" in n for n in ns)
    idents = [(u, ns[i] if use_n else str(i + 1)) for i, u in enumerate(units)]
    blocks = _block_units(el, {i for _, i in idents})
    if blocks:
        position = {c: i for i, c in enumerate(el)}
        idents = sorted(idents + blocks, key=lambda pair: position.get(pair[0], 0))
    out = []
    for u, ident in idents:
        p = Passage(f"{prefix}.{ident}" if prefix else ident, _unit(u), u, parent=parent)
        p.children = _text_parts(u, p.path, p) if local(u) == "text" else _nest(u, p.path, p)
        out.append(p)
    return out


def _unit(el) -> str:
    name = local(el)
    if name == "head":  # a heading the editors supplied says so (TEI Guidelines §11.3.1.1)
        supplied = [c for c in el if local(c) == "supplied"]
        loose = (el.text or "").strip() or any((c.tail or "").strip() for c in el)
        return "editorial heading" if supplied and not loose and len(supplied) == len(el) else "heading"
    return UNIT_NAMES.get("div" if name in DIVS else name, name)


def _doc_order(p: Passage):
    return p.element.sourceline or 0
