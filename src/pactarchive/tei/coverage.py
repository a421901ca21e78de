"""Coverage: does every character of a document's reading text lie in a finest passage?

The reading text of ``text`` (its ``front``, ``body``, ``back``, and the texts of a ``group``) is
read by the text model (tei/text.py). Each character is then:

* in a passage: its innermost passage is a finest passage (a leaf of the citation tree), or it
  is in a ``head``/``speaker`` of its innermost passage (a heading, cited with its passage and
  searched as its context);
* apparatus or notes: ``note``, ``rdg``, ``witDetail`` … (counted apart, never "lost");
* uncovered: anything else (text in a division that is in none of its sub-passages).

White space and the ``[…]`` of a ``gap`` (an editorial mark, not text) are not counted. The report names the first uncovered element by its line.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import NS, local
from .text import content_text, pieces

HEADINGS = frozenset({"head", "speaker"})


@dataclass
class Coverage:
    """Characters (without white space) of a document's reading text, by where they lie."""

    characters: int = 0   # reading text, in total
    covered: int = 0      # of which in a finest passage or a passage's heading
    passages: int = 0     # finest passages
    apparatus: int = 0    # characters of notes and apparatus, kept out of the reading text
    first_uncovered: tuple[str, int | None] | None = None  # (element name, line)

    @property
    def percent(self) -> float:
        """Covered share of the reading text, 0–100 (100 for a text without characters)."""
        return 100.0 if not self.characters else 100.0 * self.covered / self.characters

    @property
    def complete(self) -> bool:
        return self.covered == self.characters

    def summary(self) -> str:
        """``coverage: 100.0% of 41,233 characters in 1,207 passages`` (+ notes, first gap)."""
        pct = f"{self.percent:.1f}" if self.complete or self.percent < 99.95 else "99.9"
        out = f"coverage: {pct}% of {self.characters:,} characters in {self.passages:,} passages"
        if self.apparatus:
            out += f" (and {self.apparatus:,} characters of notes and apparatus)"
        if self.first_uncovered:
            name, line = self.first_uncovered
            out += f"; first text in no passage: <{name}> at line {line}"
        return out

    def to_dict(self) -> dict:
        return {"characters": self.characters, "covered": self.covered, "passages": self.passages,
                "apparatus": self.apparatus, "percent": round(self.percent, 1)}


def coverage(tei, passages) -> Coverage:
    """How the reading text of the ``TEI`` element ``tei`` lies in ``passages`` (every passage of
    its citation tree, any order: objects with ``element`` and ``children``)."""
    status_of_passage = {p.element: ("leaf" if not p.children else "inner") for p in passages}
    result = Coverage(passages=sum(1 for p in passages if not p.children))
    memo: dict = {}
    for text_el in tei.xpath("tei:text", namespaces=NS):
        for piece, owner in pieces(text_el):
            if piece is None:
                result.apparatus += _count(content_text(owner))
            elif isinstance(piece, str) and piece.strip() and local(owner) != "gap":
                n = _count(piece)
                result.characters += n
                if _covered(owner, status_of_passage, memo):
                    result.covered += n
                elif result.first_uncovered is None:
                    result.first_uncovered = (local(owner), owner.sourceline)
    return result


def _covered(el, passages: dict, memo: dict) -> bool:
    """Text owned by ``el`` lies in a finest passage or in the heading of its innermost passage."""
    if el in memo:
        return memo[el]
    heading, found = False, False
    node = el
    while node is not None:
        if node in memo:
            found = memo[node] or heading
            break
        if node in passages:
            found = passages[node] == "leaf" or heading
            break
        heading = heading or local(node) in HEADINGS
        node = node.getparent()
    memo[el] = found
    return found


def _count(text: str) -> int:
    return sum(1 for c in text if not c.isspace())
