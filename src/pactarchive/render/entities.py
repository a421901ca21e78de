"""Entity cards: for each entity mentioned on a page, its names in every language, note,
dates, identifiers and its mentions grouped by document (the page's documents first)."""

from __future__ import annotations

from .. import registers

LANGUAGES = {"en": "English", "lv": "Latvian", "et": "Estonian", "ru": "Russian", "pl": "Polish",
             "de": "German", "fi": "Finnish", "lt": "Lithuanian", "sv": "Swedish", "fr": "French",
             "und": "Unspecified language"}
IDNO_URLS = {"wikidata": "https://www.wikidata.org/wiki/{}", "viaf": "https://viaf.org/viaf/{}",
             "geonames": "https://www.geonames.org/{}"}


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def entity_cards(corpus, ids, shown: tuple[str, ...], links) -> list[dict]:
    """One card per entity id (unknown ids are skipped), in the order given."""
    return [entity_card(corpus, corpus.entities[i], shown, links) for i in ids if i in corpus.entities]


def entity_card(corpus, entity, shown: tuple[str, ...], links) -> dict:
    from .annotate import KIND_LABELS
    kind = entity.type if entity.kind == "object" and entity.type else entity.kind
    return {"id": entity.id, "kind": kind, "kind_label": KIND_LABELS.get(kind, kind.capitalize()),
            "label": entity.label("en"),
            "names": [{"lang": lang, "language": language_name(lang), "names": names}
                      for lang, names in entity.names.items()],
            "note": entity.note, "dates": entity.dates,
            "note_parts": [{"text": t, "url": links.passage(r) if r else None}
                           for t, r in registers.split_pointers(corpus, entity.note)],
            "page": f"{links.root}/entities/{entity.id}",
            "idnos": [dict(i, url=_idno_url(i)) for i in entity.idnos],
            "mentions": _mentions(corpus, entity.id, shown, links)}


def _idno_url(idno: dict) -> str | None:
    value = idno.get("value", "")
    if value.startswith(("http://", "https://")):
        return value
    pattern = IDNO_URLS.get(idno.get("type", "").lower())
    return pattern.format(value) if pattern and value else None


def _mentions(corpus, entity_id: str, shown: tuple[str, ...], links) -> list[dict]:
    by_doc: dict[str, dict[str, list[str]]] = {}
    for m in corpus.mentions.get(entity_id, []):
        texts = by_doc.setdefault(m.ref.split(":", 1)[0], {}).setdefault(m.ref, [])
        if m.text not in texts:
            texts.append(m.text)
    order = [d for d in shown if d in by_doc] + [d for d in corpus.documents if d in by_doc and d not in shown]
    return [{"doc": d, "title": corpus.documents[d].title, "lang": corpus.documents[d].lang, "shown": d in shown,
             "items": [{"ref": ref, "text": " / ".join(texts), "url": links.passage(ref)}
                       for ref, texts in by_doc[d].items()]}
            for d in order]
