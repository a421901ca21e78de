"""The vocabulary of did-you-mean (search.records.vocabulary): folded word -> the written form
readers see most, computed from the words the index's tokenizer finds."""

from collections import Counter, defaultdict

from pactarchive.corpus import Corpus
from pactarchive.search import analysis, records


def _by_tokens(rows) -> dict[str, str]:
    """The definition, token by token through the index's own tokenizer."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        for t in analysis.WordTokenizer()(row["text"]):
            forms[analysis.fold(t.text.lower())][t.text.lower()] += 1
    return {k: min(c, key=lambda w: (-c[w], w)) for k, c in forms.items()}


def test_the_vocabulary_of_the_edition_is_the_tokenizers(tei_dir):
    rows = records.records(Corpus.load(tei_dir))
    vocabulary = records.vocabulary(rows)
    assert vocabulary == _by_tokens(rows) and len(vocabulary) > 1000
    assert vocabulary["okupacija"] == "okupācija" and vocabulary["pats"] == "päts"


def test_the_most_written_form_wins_and_a_tie_goes_to_the_first_in_code_point_order():
    rows = [{"text": "Päts Pats Päts"}, {"text": "Selter SELTER selter"}, {"text": "in\u00adter"}]
    assert records.vocabulary(rows) == {"pats": "päts", "selter": "selter", "inter": "inter"}
    # counted in either order (a full build, an incremental one): the same choice
    assert records.vocabulary([{"text": "Rīga"}, {"text": "Riga"}]) == {"riga": "riga"}
    assert records.vocabulary([{"text": "Riga"}, {"text": "Rīga"}]) == {"riga": "riga"}
