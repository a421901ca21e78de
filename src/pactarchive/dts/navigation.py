"""Citation trees as DTS ``CitableUnit``s (DTS 1.0, "Navigation Endpoint").

A ``Unit`` is one node of a document's citation tree: its identifier is the ref path the rest
of the archive uses (``3.1.5`` in ``lv:3.1.5``), its level counts from 1 at the top, its
``citeType`` is the citeStructure's ``@unit`` or the unit name the citation fallback gives
(section, paragraph, sentence, line…). ``select`` implements the table "Usage of down, ref,
start and end" of the specification, row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import DTSError


@dataclass(frozen=True)
class Unit:
    identifier: str
    level: int             # 1 for the top of the tree
    parent: str | None     # the parent's identifier; None at the top
    cite_type: str
    title: str | None = None  # the unit's head, where it has one
    lang: str = "und"

    def to_dict(self) -> dict:
        """A CitableUnit: identifier, @type, level, parent, citeType, dublinCore.title."""
        d = {"identifier": self.identifier, "@type": "CitableUnit", "level": self.level,
             "parent": self.parent, "citeType": self.cite_type}
        if self.title:
            d["dublinCore"] = {"title": [{"lang": self.lang, "value": self.title}]}
        return d


class Tree:
    """The units of one citation tree in document order (pre-order, depth first: XPath 3.1
    document order, as DTS 1.0 "Order of CitableUnits in member" requires)."""

    def __init__(self, units: list[Unit]):
        self.units = units
        self._pos = {u.identifier: i for i, u in enumerate(units)}
        self.depth = max((u.level for u in units), default=0)

    def unit(self, identifier: str, what: str = "ref") -> Unit:
        """Raises DTSError(404) when the tree has no such unit."""
        if identifier not in self._pos:
            raise DTSError(404, f"the citation tree has no citable unit '{identifier}' (the {what} parameter); "
                                "the navigation endpoint with down=-1 lists every identifier")
        return self.units[self._pos[identifier]]

    def _end_of(self, unit: Unit) -> int:
        """The position of ``unit``'s last descendant (itself when it has none)."""
        i = self._pos[unit.identifier]
        j = i + 1
        while j < len(self.units) and self.units[j].level > unit.level:
            j += 1
        return j - 1

    def subtree(self, unit: Unit, down: int) -> list[Unit]:
        """``unit`` and its descendants at most ``down`` levels below it (-1: all)."""
        i, j = self._pos[unit.identifier], self._end_of(unit)
        return [u for u in self.units[i:j + 1] if down < 0 or u.level <= unit.level + down]

    def siblings(self, unit: Unit) -> list[Unit]:
        return [u for u in self.units if u.parent == unit.parent and u.level == unit.level]

    def top(self, down: int) -> list[Unit]:
        return [u for u in self.units if down < 0 or u.level <= down]

    def span(self, start: Unit, end: Unit, down: int) -> list[Unit]:
        """The units from ``start`` to the end of ``end``'s subtree, no higher than the higher
        of the two, down to ``down`` levels below the deeper of the two (-1: all).
        Raises DTSError(400) when ``end`` comes before ``start``."""
        i, j = self._pos[start.identifier], self._end_of(end)
        if self._pos[end.identifier] < i:
            raise DTSError(400, f"the range {start.identifier}–{end.identifier} ends before it starts; "
                                "give start before end in document order")
        low = min(start.level, end.level)
        deep = max(start.level, end.level)
        return [u for u in self.units[i:j + 1]
                if u.level >= low and (down < 0 or u.level <= deep + down)]


def parse_down(value: str | None) -> int | None:
    """``down`` as an int (-1 or ≥ 0), None when absent. Raises DTSError(400)."""
    if value is None or value == "":
        return None
    v = value.strip()
    if not (v == "-1" or (v.isascii() and v.isdigit())):
        raise DTSError(400, f"down must be -1 or a whole number ≥ 0, not '{value}'")
    return int(v)


def select(tree: Tree, ref: str | None, start: str | None, end: str | None,
           down: int | None) -> dict:
    """What a Navigation response holds besides ``resource``: ``ref`` or ``start``/``end``
    (CitableUnit dicts) and ``member`` (a list of Units, absent when DTS says so), per the
    table "Usage of down, ref, start and end" of DTS 1.0. Raises DTSError (400 for the
    combinations the table rejects, 404 for unknown identifiers)."""
    if ref and (start or end):
        raise DTSError(400, "ref cannot be combined with start or end; ask for one unit (ref) or a range (start and end)")
    if bool(start) != bool(end):
        raise DTSError(400, "start and end go together: give both to ask for a range")
    out: dict = {}
    if ref:
        unit = tree.unit(ref)
        out["ref"] = unit
        if down is None:
            return out
        out["member"] = tree.siblings(unit) if down == 0 else tree.subtree(unit, down)
        return out
    if start:
        a, b = tree.unit(start, "start"), tree.unit(end, "end")
        out["start"], out["end"] = a, b
        if down == 0:
            raise DTSError(400, "down=0 asks for the siblings of one unit: use it with ref, not with start and end")
        if down is None:
            tree.span(a, b, 0)  # checks the order
            return out
        out["member"] = tree.span(a, b, down)
        return out
    if down is None or down == 0:
        raise DTSError(400, "give ref, start and end, or down (e.g. down=1 for the top level, down=-1 for the whole tree)")
    out["member"] = tree.top(down)
    return out


def page_of(members: list, page: int | None, size: int | None = None) -> tuple[list, int, int]:
    """``(the members of page, page, last page)``. Pages count from 1; a page past the last
    raises DTSError(404)."""
    from .. import dts
    size = size or dts.NAV_PAGE_SIZE
    last = max(1, -(-len(members) // size))
    page = page or 1
    if page < 1 or page > last:
        raise DTSError(404, f"page {page} does not exist; pages run from 1 to {last}")
    return members[(page - 1) * size: page * size], page, last


def parse_page(value: str | None) -> int | None:
    """``page`` as a positive int, None when absent. Raises DTSError(400)."""
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise DTSError(400, f"page must be a whole number ≥ 1, not '{value}'")
    return int(value)


def cite_structure(units: list[Unit]) -> list[dict]:
    """The typology of a tree as nested CiteStructures: for each citeType at a level, the
    citeTypes found below it (DTS 1.0 "CiteStructure"; Example 7).

    >>> cite_structure([Unit("1", 1, None, "section"), Unit("1.1", 2, "1", "paragraph")])
    [{'@type': 'CiteStructure', 'citeType': 'section', 'citeStructure': [{'@type': 'CiteStructure', 'citeType': 'paragraph'}]}]
    """
    by_id = {u.identifier: u for u in units}
    paths: list[tuple[str, ...]] = []
    for u in units:
        chain, p = [u.cite_type], u
        while p.parent is not None and p.parent in by_id:
            p = by_id[p.parent]
            chain.append(p.cite_type)
        paths.append(tuple(reversed(chain)))
    return typology(paths)


def typology(paths) -> list[dict]:
    """Nested CiteStructures from the chains of citeTypes from the top of a tree down to each
    unit (``("section", "paragraph")``), in document order; repeated chains count once. What
    ``cite_structure`` gives, from chains the edition store aggregates in one query.

    >>> typology([("section",), ("section", "paragraph"), ("section",)])
    [{'@type': 'CiteStructure', 'citeType': 'section', 'citeStructure': [{'@type': 'CiteStructure', 'citeType': 'paragraph'}]}]
    """
    paths = list(dict.fromkeys(tuple(p) for p in paths))

    def build(prefix: tuple) -> list[dict]:
        kids = list(dict.fromkeys(t[len(prefix)] for t in paths if len(t) > len(prefix) and t[:len(prefix)] == prefix))
        out = []
        for k in kids:
            node = {"@type": "CiteStructure", "citeType": k}
            below = build(prefix + (k,))
            if below:
                node["citeStructure"] = below
            out.append(node)
        return out

    return build(())
