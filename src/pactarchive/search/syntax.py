"""The query language, parsed into a small syntax tree (pure Python, no Whoosh).

    Molotovs Selters          both words (AND is implied)
    Selters OR Seltera        either word
    Selters NOT Molotovs      the first without the second
    (flote OR kuģi) Tallina   parentheses group
    "Baltijas flote"          the words in this order
    lang:lv doc:hen           language or document
    person:Päts place:Tallinn passages mentioning this person or place (any language)
    date:1939-09-28           a day (also 1939-09, 1939, or a range 1939-09-20..1939-09-30)
    okupāc*  Sel?ers          wildcards (* any letters, ? one letter)
    Molotow~  Seltrs~2        fuzzy: up to 1 (or 2) letters different

Anything the parser cannot understand raises QueryError with a message saying how to fix it.
"""

from __future__ import annotations

from ..errors import QueryError
from .lexer import FIELDS, MAX_LENGTH, OPERATORS, clean, lex
from .tree import And, Field, Not, Or, Phrase, Word, leaves, positive

MAX_TERMS = 32
MAX_DEPTH = 12
__all__ = ["parse", "clean", "lex", "leaves", "positive", "And", "Or", "Not", "Field", "Phrase", "Word",
           "FIELDS", "MAX_LENGTH", "MAX_TERMS"]


def parse(q: str):
    """The syntax tree of ``q``. Raises QueryError."""
    tokens = lex(clean(q))
    tree = _Parser(tokens).parse()
    if not positive(tree):
        raise QueryError("NOT needs something to exclude from, e.g. Selters NOT Molotovs "
                         "(and OR cannot join a NOT)")
    if sum(1 for _ in leaves(tree)) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} words; search for fewer at a time")
    return tree


class _Parser:
    """Recursive descent: or := and (OR and)* ; and := unary (AND? unary)* ;
    unary := NOT unary | primary ; primary := ( or ) | WORD | PHRASE | FIELD."""

    def __init__(self, tokens):
        self.tokens, self.i, self.depth = tokens, 0, 0

    def parse(self):
        if not self.tokens:
            raise QueryError("type one or more words to search for")
        tree = self._or()
        if self.i < len(self.tokens):
            kind = self.tokens[self.i][0]
            if kind == ")":
                raise QueryError("a closing parenthesis ')' has no opening '(' before it")
            raise QueryError(f"unexpected '{kind}'")  # pragma: no cover - the grammar consumes all else
        return tree

    def _peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def _or(self):
        items = [self._and()]
        while self._peek() == "OR":
            self.i += 1
            items.append(self._and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def _and(self):
        items = [self._unary()]
        while self._peek() not in (None, ")", "OR"):
            if self._peek() == "AND":
                self.i += 1
            items.append(self._unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def _unary(self):
        if self._peek() == "NOT":
            self.i += 1
            return Not(self._unary())
        return self._primary()

    def _primary(self):
        kind = self._peek()
        if kind is None or kind in ("AND", "OR", ")"):
            return self._missing(kind)
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind != "(":
            return value
        return self._group()

    def _group(self):
        if self._peek() == ")":
            raise QueryError("the parentheses '()' are empty: put words between them")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"parentheses are nested more than {MAX_DEPTH} deep")
        tree = self._or()
        if self._peek() != ")":
            raise QueryError("a parenthesis '(' is not closed: add ')' after the grouped words")
        self.i += 1
        self.depth -= 1
        return tree

    def _missing(self, kind):
        before = self.tokens[self.i - 1][0] if self.i else None
        if before in OPERATORS:
            after = f"'{kind}'" if kind else "the end of the query"
            raise QueryError(f"{before} must be followed by a word or phrase, not {after} "
                             f"(e.g. Selters {before} Molotovs)")
        if kind == ")":
            raise QueryError("a closing parenthesis ')' has no opening '(' before it")
        raise QueryError(f"{kind} needs a word or phrase on both sides, e.g. Selters {kind} Molotovs")
