"""The syntax tree of a query: words, phrases, field filters and the operators joining them."""

from __future__ import annotations

from dataclasses import dataclass

_WILD = set("*?")


@dataclass(frozen=True)
class Word:
    text: str
    start: int = 0
    end: int = 0
    fuzzy: int | None = None

    @property
    def wildcard(self) -> bool:
        return bool(_WILD & set(self.text))


@dataclass(frozen=True)
class Phrase:
    text: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Field:
    name: str
    value: Word | Phrase


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


def positive(node) -> bool:
    """Whether ``node`` matches something by itself (NOT alone matches only by exclusion)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(positive(n) for n in node.items)
    if isinstance(node, Or):
        return all(positive(n) for n in node.items)
    return True


def leaves(node, negated: bool = False):
    """``(leaf, negated)`` for every Word, Phrase and Field of the tree, in query order."""
    if isinstance(node, Not):
        yield from leaves(node.item, not negated)
    elif isinstance(node, (And, Or)):
        for n in node.items:
            yield from leaves(n, negated)
    else:
        yield node, negated
