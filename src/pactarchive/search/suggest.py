"""Did-you-mean: when a query finds nothing, a corrected query that does find something.

Each word of the query that is not in the index is replaced by the nearest indexed word
(Whoosh's corrector over the surface words, up to two letters different), written as the texts
write it (with its diacritics). Failing that, a query of several words is offered joined by OR.
A suggestion is only offered when it finds passages.

"In the index" means held by a record not deleted (``compiler.Lexicon``, its terms and their
frequencies): after an incremental build, a word an editor corrected away is unknown and gets
its correction, as after a full build.
"""

from __future__ import annotations

from typing import Callable

from . import analysis, budget
from .compiler import Lexicon
from .syntax import And, Word, leaves


def suggestion(searcher, tree, query: str, vocabulary: dict[str, str], count: Callable[[str], int]) -> str | None:
    """A better query than ``query`` (whose syntax tree is ``tree``), or None. ``count(q)``
    tells how many passages a query finds."""
    for candidate in (_respelled(searcher, tree, query, vocabulary), _either(tree, query)):
        if candidate and candidate != query and count(candidate):
            return candidate
    return None


def _plain_words(tree) -> list[Word]:
    return [leaf for leaf, negated in leaves(tree)
            if isinstance(leaf, Word) and not negated and not leaf.wildcard and not leaf.fuzzy]


def _respelled(searcher, tree, query: str, vocabulary: dict[str, str]) -> str | None:
    lexicon = Lexicon(searcher.reader())
    corrector = lexicon.corrector("words")
    changed, tries = False, 0
    for w in sorted(_plain_words(tree), key=lambda w: -w.start):  # from the end: offsets stay valid
        toks = analysis.tokens(analysis.words_analyzer(), w.text)
        if len(toks) != 1 or lexicon.has("words", toks[0]):
            continue
        tries += 1
        if tries > budget.MAX_WORDS:  # each respelling walks the lexicon: bounded like fuzzy words
            break
        found = corrector.suggest(toks[0], limit=1, maxdist=2, prefix=1)
        if found:
            query = query[:w.start] + _as_typed(vocabulary.get(found[0], found[0]), w.text) + query[w.end:]
            changed = True
    return query if changed else None


def _as_typed(word: str, typed: str) -> str:
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


def _either(tree, query: str) -> str | None:
    if isinstance(tree, And) and all(isinstance(n, Word) for n in tree.items):
        return " OR ".join(n.text for n in tree.items)
    return None
