"""Measure Latvian stemmers/lemmatisers on the edition's own Latvian text.

    .venv/bin/python benchmarks/stemmers.py [--tei tei]

Candidates: no stemming (folding only), ``LatvianStemmer`` (Lucene's light stemmer) before or
after diacritic folding, and ``simplemma`` (dictionary lemmatiser) before or after folding.
For inflection families taken from tei/lv.xml (common nouns and inflected proper nouns) it
reports:

* conflated   families whose forms all get one key (of N),
* pair recall share of form pairs within a family that get the same key,
* no-diacr.   share of forms that, typed without diacritics, get the key of the real form,
* q-recall    mean recall of a one-word query (each form, with and without diacritics) over the
              sentences containing any form of the family,
* q-precision mean precision of those queries (sentences matched that hold no family form),
* keys        distinct keys among all word types of the Latvian text (fewer = more conflation),
* µs/word     time per word (best of 5 passes; simplemma caches its look-ups).

The figures go into docs/search.md; the analyzer in src/pactarchive/search/analysis.py uses the
winner.
"""

from __future__ import annotations

import argparse
import itertools
import re
import time
from pathlib import Path

import simplemma

from pactarchive.corpus import Corpus
from pactarchive.search.analysis import STOP_WORDS, latvian_stem
from pactarchive.search.analysis import fold as _cached_fold

fold = _cached_fold.__wrapped__  # time the work, not the cache

FAMILIES = {
    # common nouns (the examples first)
    "līgums": "līgums līgumu līguma līgumā līgumi līgumus",
    "kareivis": "kareivis kareivju kareivji kareivjiem",
    "delegācija": "delegācija delegācijas delegāciju delegācijai",
    "flote": "flote flotes flotei floti",
    "vēstnieks": "vēstnieks vēstnieku vēstnieka vēstniekam",
    "okupācija": "okupācija okupācijai okupāciju",
    "bāze": "bāze bāzes bāzi bāzu bāzēm bāzēs bāzei",
    "osta": "osta ostas ostu ostā",
    "armija": "armija armijas armiju armijā",
    "sarunas": "sarunas sarunu sarunām sarunās",
    "ministrs": "ministrs ministru ministram",
    "valdība": "valdība valdības valdību",
    "pakts": "pakts pakta paktu",
    "kuģis": "kuģis kuģi kuģa",
    "prasība": "prasība prasības prasību prasībām",
    "robeža": "robeža robežas robežu robežām",
    "uzbrukums": "uzbrukums uzbrukuma uzbrukumam",
    "garnizons": "garnizons garnizoni garnizonu",
    "pārstāvis": "pārstāvis pārstāvji pārstāvjiem",
    "zemūdene": "zemūdene zemūdenes",
    # proper nouns, inflected in Latvian
    "Selters": "Selters Seltera Selteram Selteru",
    "Molotovs": "Molotovs Molotova Molotovu",
    "Staļins": "Staļins Staļina Staļinu",
    "Laidoners": "Laidoners Laidonera Laidoneru",
    "Petss": "Petss Petsa Petsu",
    "Pīps": "Pīps Pīpa Pīpu",
    "Uluots": "Uluots Uluotsa Uluotsu",
    "Ribentrops": "Ribentrops Ribentropa Ribentropu",
    "Tallina": "Tallina Tallinas Tallinā Tallinai",
    "Maskava": "Maskava Maskavā Maskavu",
    "Igaunija": "Igaunija Igaunijas Igaunijai Igaunijā",
    "Latvija": "Latvija Latvijas Latvijai",
    "Vācija": "Vācija Vācijas Vāciju",
    "Kremlis": "Kremlis Kremli Kremlī",
    "Paldiski": "Paldiski Paldisku Paldiskos",
}


def _lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="lv")


CANDIDATES = {
    "fold only (no stemming)": fold,
    "LatvianStemmer, fold then stem (chosen)": lambda w: latvian_stem(fold(w)),
    "LatvianStemmer, stem then fold": lambda w: fold(latvian_stem(w)),
    "simplemma, lemmatise then fold": lambda w: fold(_lemma(w)),
    "simplemma, fold then lemmatise": lambda w: fold(_lemma(fold(w))),
}


def sentences(tei: Path) -> list[list[str]]:
    corpus = Corpus.load(tei)
    out = []
    for doc in corpus.documents.values():
        if doc.lang == "lv":
            out += [re.findall(r"\w+", p.text().lower()) for p in doc.leaves()]
    return out


def measure(key, sents: list[list[str]]) -> dict:
    families = {k: v.lower().split() for k, v in FAMILIES.items()}
    conflated, pairs, same, typed_ok, typed = 0, 0, 0, 0, 0
    recalls, precisions = [], []
    sent_keys = [{key(w) for w in s} for s in sents]
    for forms in families.values():
        keys = [key(f) for f in forms]
        conflated += len(set(keys)) == 1
        for a, b in itertools.combinations(keys, 2):
            pairs, same = pairs + 1, same + (a == b)
        typed_ok += sum(key(fold(f)) == k for f, k in zip(forms, keys))
        typed += len(forms)
        relevant = {i for i, s in enumerate(sents) if set(forms) & set(s)}
        if not relevant:
            continue
        for q in set(forms) | {fold(f) for f in forms}:
            found = {i for i, ks in enumerate(sent_keys) if key(q) in ks}
            recalls.append(len(found & relevant) / len(relevant))
            precisions.append(len(found & relevant) / len(found) if found else 1.0)
    types = {w for s in sents for w in s if w not in STOP_WORDS}
    keys = {key(w) for w in types}
    micro = min(_timed(key, types) for _ in range(5)) / len(types) * 1e6
    return {"conflated": f"{conflated}/{len(families)}", "pair recall": same / pairs,
            "no-diacr.": typed_ok / typed, "q-recall": sum(recalls) / len(recalls),
            "q-precision": sum(precisions) / len(precisions), "keys": f"{len(keys)}/{len(types)}",
            "µs/word": micro}


def _timed(key, words) -> float:
    started = time.perf_counter()
    for w in words:
        key(w)
    return time.perf_counter() - started


def failures(key) -> list[str]:
    out = []
    for name, forms in FAMILIES.items():
        keys = {f: key(f.lower()) for f in forms.split()}
        if len(set(keys.values())) > 1:
            out.append(f"{name}: " + ", ".join(f"{f}→{k}" for f, k in keys.items()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tei", type=Path, default=Path("tei"))
    args = ap.parse_args()
    sents = sentences(args.tei)
    simplemma.lemmatize("līgums", lang="lv")  # load the dictionary before timing
    cols = ["conflated", "pair recall", "no-diacr.", "q-recall", "q-precision", "keys", "µs/word"]
    print(f"{len(sents)} Latvian sentences, {len(FAMILIES)} inflection families\n")
    print("| candidate | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for name, key in CANDIDATES.items():
        row = measure(key, sents)
        cells = [f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c]) for c in cols]
        cells[-1] = f"{row['µs/word']:.1f}"
        print(f"| {name} | " + " | ".join(cells) + " |")
    for name in ("LatvianStemmer, fold then stem (chosen)", "simplemma, lemmatise then fold"):
        print(f"\nFamilies not conflated by {name}:")
        for line in failures(CANDIDATES[name]):
            print("  " + line)


if __name__ == "__main__":
    main()
