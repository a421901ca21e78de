"""Text analysis: every analyzer the index uses, in one place.

Each analyzer is a Whoosh pipeline ``tokenizer | filter | ...``; its docstring shows the tokens
it produces (the examples are doctests, run by tests/search/test_analysis.py). Index and query
text go through the same pipeline, so whatever a reader types is normalised exactly like the
text: lower case, no diacritics, no function words, and (for English and Latvian) no inflection.
Words are found with their combining marks and read in NFC before folding (``WordTokenizer``),
so text stored decomposed and a query typed composed (or the reverse) meet, in any script.

The stop list is shared by every analyzer on purpose: a query word such as "in" or "un" must
vanish from every field at once, or an AND query across fields would demand it in a passage.
The choice of the Latvian stemmer is measured in benchmarks/stemmers.py (see docs/search.md).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import LatvianStemmer
from whoosh.analysis import Filter, LowercaseFilter, StemFilter, StopFilter, Token, Tokenizer

from ..tei.text import clean

WORD = r"\w+"  # split at everything that is not a letter or digit: "Molotova-Ribentropa" is two words
_WORD = re.compile(WORD)
# Inside a word, not between words: zero-width joiners (Persian, Indic), soft hyphens, zero-width
# spaces, word joiners. They are removed from the token; combining marks are kept (then folded).
WORD_INTERNAL = "\u200c\u200d\u00ad\u200b\u2060\ufeff"

# Letters that carry no decomposition in Unicode but are still "a letter with a diacritic" to a
# reader (Polish Orzeł, Danish ø, German ß ...).
_SPECIAL = str.maketrans({"\u0640": "", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h",
                          "ı": "i", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th"})

# Function words of English and Latvian (folded). Shared by all analyzers (see module docstring).
# "may" and "us" are kept searchable (the month, the country).
ENGLISH_STOP = frozenset("""a an and are as at be by for from have if in is it of on or that the
this to was were we will with which its their there been has had than into also""".split())
LATVIAN_STOP = frozenset("""un ar par uz no pie pa pec lidz bez pret starp caur aiz ap ka ja bet vai
ari jau vel tikai lai jo tad kas kurs kura kuri kuru kura ta tas tie to tam tai tiem tam tos tajos
taja sis si so sie ir bija bus but tika tiek nav ne nevis gan pat ari tapec tacu vien""".split())
STOP_WORDS = ENGLISH_STOP | LATVIAN_STOP


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """``text`` without diacritics (canonical decomposition, combining marks dropped).

    >>> fold("Staļins okupācija Päts Königsberg Orzeł Ņikitins")
    'Stalins okupacija Pats Konigsberg Orzel Nikitins'
    >>> fold("Молотов")
    'Молотов'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def latvian_stem(word: str) -> str:
    """Lucene's light Latvian stemmer (LatvianStemmer on PyPI): removes case, number and
    gender endings of nouns and adjectives.

    >>> [latvian_stem(w) for w in ("ligums", "ligumu", "liguma", "kareivju", "seltera")]
    ['ligum', 'ligum', 'ligum', 'kareiv', 'selter']
    """
    return LatvianStemmer.stem(word)


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every word of ``text``: runs of letters and digits together with the
    combining marks and invisible joiners inside them, so a decomposed letter (``a`` + U+0304),
    pointed Hebrew or vocalised Arabic stays one word.

    >>> t = "okupa\u0304cijas Pa\u0308ts inter\u00adnational"
    >>> [t[s:e] for s, e in word_spans(t)] == ["okupa\u0304cijas", "Pa\u0308ts", "inter\u00adnational"]
    True
    >>> [t for t in map(lambda se: "שָׁלוֹם עוֹלָם"[se[0]:se[1]], word_spans("שָׁלוֹם עוֹלָם"))] == ["שָׁלוֹם", "עוֹלָם"]
    True
    """
    out: list[list[int]] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        while end < len(text) and _inside_word(text[end]):
            end += 1
        if out and out[-1][1] == start:
            out[-1][1] = end
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _inside_word(c: str) -> bool:
    return c in WORD_INTERNAL or unicodedata.category(c)[0] == "M"


class WordTokenizer(Tokenizer):
    """Words as ``word_spans`` finds them; each token's text in NFC without invisible
    characters (so "inter\u00adnational" is "international"), offsets those of the original."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        spans = word_spans(value) if tokenize else [(0, len(value))]
        for pos, (start, end) in enumerate(spans):
            t.text = token_text(value[start:end])
            t.boost, t.stopped = 1.0, False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def token_text(word: str) -> str:
    """A word as it is indexed before folding: NFC without invisible characters."""
    return word if word.isascii() else clean(word).replace("\u200c", "").replace("\u200d", "")


class FoldFilter(Filter):
    """Removes diacritics from every token (see ``fold``)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def _base():
    return WordTokenizer() | LowercaseFilter() | FoldFilter() | StopFilter(STOP_WORDS, minsize=2)


def words_analyzer():
    """Surface words of any language: lower case, folded, function words removed, no stemming.
    Used for wildcards, fuzzy terms, exact-form ranking, headings and did-you-mean.

    >>> tokens(words_analyzer(), "Igaunijas un PSRS pakts, 25 000 kareivju; Молотов")
    ['igaunijas', 'psrs', 'pakts', '25', '000', 'kareivju', 'молотов']
    """
    return _base()


def latvian_analyzer():
    """Latvian: tokenizer | lowercase | diacritic folding | stop words | Latvian stemmer.

    >>> tokens(latvian_analyzer(), "Līgums, līgumu un līguma; kareivis, kareivju, kareivji")
    ['ligum', 'ligum', 'ligum', 'kareiv', 'kareiv', 'kareiv']
    >>> tokens(latvian_analyzer(), "Selters Seltera Selteram; Staļins un Stalinu; okupācijai")
    ['selter', 'selter', 'selter', 'stalin', 'stalin', 'okupacij']
    """
    return _base() | StemFilter(latvian_stem, cachesize=-1)


def english_analyzer():
    """English: tokenizer | lowercase | diacritic folding | stop words | Porter stemmer.

    >>> tokens(english_analyzer(), "30,000 Soviet troops and the shifting alliances of Päts")
    ['30', '000', 'soviet', 'troop', 'shift', 'allianc', 'pat']
    """
    return _base() | StemFilter(cachesize=-1)


def names_analyzer():
    """Entity names from the register in every language, so "Päts", "Petss" and "Petsu"
    meet: the Latvian analysis (its light stemmer only strips endings, which also makes
    English, Estonian and German names comparable with their Latvian inflections).

    >>> tokens(names_analyzer(), "Konstantin Päts / Konstantīns Petss; Königsberg, Kēnigsberga")
    ['konstantin', 'pat', 'konstantin', 'pets', 'konigsberg', 'kenigsberg']
    """
    return latvian_analyzer()


# The stemming analyzer of each language with one; other languages get words_analyzer only.
LANGUAGE_ANALYZERS = {"lv": latvian_analyzer, "en": english_analyzer}


def tokens(analyzer, text: str, mode: str = "query") -> list[str]:
    """The token texts ``analyzer`` produces for ``text``."""
    return [t.text for t in analyzer(text, mode=mode)]


def spans(analyzer, text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every token of ``text``, with character offsets."""
    return [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="index")]
