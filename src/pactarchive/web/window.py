"""Long documents in the reading view, a window at a time: a document with more than
``READ_WINDOW`` finest passages (app config, default 400) is shown one top-level division at a
time: the one holding ``at`` (else the first) on its side, and on the other side the
divisions holding that window's counterparts. Each column links to the previous and next
division. Shorter documents are shown whole, as before. So a deep link into a 90,000-sentence
document sends one division, not the document."""

from __future__ import annotations

from ..tei.document import Located

DEFAULT_WINDOW = 400


class Window:
    """The parts of one document a page shows: all of it (``parts`` None) or some top-level
    divisions (``StoredPassage`` rows), with the refs of the divisions before and after."""

    def __init__(self, doc, parts=None):
        self.doc, self.parts = doc, parts
        self.prev = self.next = None
        if parts:
            tops = doc.passages
            i, j = tops.index(parts[0]), tops.index(parts[-1])
            self.prev = tops[i - 1].ref if i > 0 else None
            self.next = tops[j + 1].ref if j + 1 < len(tops) else None

    def leaves(self):
        """The finest passages shown, in reading order."""
        if self.parts is None:
            return self.doc.leaves()
        return [leaf for part in self.parts for leaf in part.iter() if leaf.is_leaf]

    def elements(self, parsed):
        """The TEI elements to render (None: the whole text)."""
        return None if self.parts is None else [parsed.passage(p.path).element for p in self.parts]


def windows(c, left: str, right: str, targets: list[str], size: int) -> dict[str, Window]:
    """The windows of the left and right documents of a reading page."""
    docs = {"left": c.document(left), "right": c.document(right)}
    out = {}
    for side in ("left", "right"):
        doc = docs[side]
        out[side] = Window(doc)
    long = {side for side, doc in docs.items() if doc.leaf_count > size and len(doc.passages) > 1}
    if not long:
        return out
    at_side = next((s for s in ("left", "right") if targets and targets[0].split(":", 1)[0] == docs[s].id), None)
    first = at_side if at_side in long else ("left" if "left" in long else "right")
    out[first] = Window(docs[first], [top_of(c, docs[first], targets if first == at_side else [])])
    other = "right" if first == "left" else "left"
    if other in long:
        prefix = docs[other].id + ":"
        found = {a for leaf in out[first].leaves() for a in c.aligned(leaf.ref) if a.startswith(prefix)}
        tops = _tops_of(c, docs[other], sorted(found))
        out[other] = Window(docs[other], tops or [docs[other].passages[0]])
    return out


def top_of(c, doc, targets: list[str]):
    """The top-level division holding the first target (else the first division)."""
    if targets:
        p = c.resolve(targets[0])[0].passage
        for top in doc.passages:
            if top.position <= p.position <= top.last:
                return top
    return doc.passages[0]


def _tops_of(c, doc, refs: list[str]):
    """The top-level divisions holding any of ``refs``, in reading order."""
    positions = [c.resolve(r)[0].passage.position for r in refs]
    return [top for top in doc.passages if any(top.position <= pos <= top.last for pos in positions)]


class WindowView:
    """What render.parallel.rows reads of a corpus, limited to the windows' passages."""

    def __init__(self, c, wins: dict[str, Window]):
        self._c, self._docs = c, {w.doc.id: _Limited(w) for w in wins.values()}

    @property
    def documents(self):
        return self._docs

    def aligned(self, ref: str) -> list[str]:
        return self._c.aligned(ref)


class _Limited:
    def __init__(self, window: Window):
        self._w = window
        self.id, self.lang, self.title = window.doc.id, window.doc.lang, window.doc.title

    def leaves(self):
        return self._w.leaves()


def located(window: Window) -> list[Located]:
    return [Located(window.doc, p) for p in window.leaves()]
