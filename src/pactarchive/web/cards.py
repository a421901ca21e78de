"""Entity cards sized to the page: a page's cards list the mentions in the documents it shows
(their links stay in the page); mentions elsewhere in the archive are counted and linked to the
entity's full card (``/read/entities/<id>``, HTML without JavaScript; JSON twin
``/api/entities/<id>``), fetched only when a reader asks. So a card does not grow with the
archive."""

from __future__ import annotations

from flask import url_for

from ..render.entities import entity_cards


class _Shown:
    """What ``render.entities`` reads of a corpus, limited to the documents a page shows."""

    def __init__(self, edition, shown: tuple[str, ...], page: int = 1, size: int | None = None):
        self.entities, self._e, self._shown = edition.entities, edition, shown
        self._page, self._size = page, size
        self.documents = {d: edition.document(d) for d in shown} if shown else _AllDocuments(edition)
        self.mentions = self
        self.ref_of_id = edition.ref_of_id  # registers.split_pointers: ids in notes of any document

    def get(self, entity_id: str, default=None):
        if self._shown:
            return self._e.mentions_in(entity_id, self._shown) or default
        return self._e.mentions_of(entity_id, self._page, self._size) or default


class _AllDocuments(dict):
    """The documents an entity's own card names (looked up as the card asks for them)."""

    def __init__(self, edition):
        super().__init__()
        self._e = edition

    def __missing__(self, doc_id):
        self[doc_id] = found = self._e.document(doc_id)
        return found

    def __iter__(self):
        return iter(self._e.documents)

    def __contains__(self, doc_id):
        return doc_id in self._e.documents


def page_cards(edition, ids, shown: tuple[str, ...], links) -> list[dict]:
    """``render.entities.entity_cards`` with the mentions in ``shown`` only, and ``more``:
    ``{"count", "url"}`` for the mentions in other documents (None when there are none)."""
    cards = entity_cards(_Shown(edition, shown), ids, shown, links)
    for card in cards:
        elsewhere = edition.passages_elsewhere(card["id"], shown)
        card["more"] = {"count": elsewhere, "url": url_for("reading.entity_card", entity_id=card["id"])} if elsewhere else None
    return cards


def name_index(edition, ids, shown: tuple[str, ...], lang: str = "en") -> list[dict]:
    """What /read lists under "Names in these texts" instead of inlining every card (issue 10):
    per entity ``{"id", "kind", "kind_label", "name", "lang", "url"}`` (``name`` in ``lang``, the
    UI language, else English with ``lang`` "en"), where ``url`` is its
    full card (``/read/entities/<id>``). The in-text link ``#entity-<id>`` lands on the entry
    without JavaScript; read.js fetches the card into the dialog with ``?shown=`` the page's
    documents, so its mention links stay in the page."""
    from ..render.annotate import KIND_LABELS
    out = []
    for entity_id in ids:
        entity = edition.entities.get(entity_id)
        if entity is None:
            continue
        kind = entity.type if entity.kind == "object" and entity.type else entity.kind
        out.append({"id": entity.id, "kind": kind, "kind_label": KIND_LABELS.get(kind, kind.capitalize()),
                    "name": (entity.names.get(lang) or [entity.label("en")])[0], "lang": lang if entity.names.get(lang) else "en",
                    "url": url_for("reading.entity_card", entity_id=entity.id)})
    return out


def shown_param(edition, value: str | None) -> tuple[str, ...]:
    """``?shown=hen,lv`` (the documents of the page a card is fetched into), unknown ids dropped."""
    return tuple(d for d in (value or "").split(",")[:2] if d in edition.documents)


def full_card(edition, entity_id: str, links, page: int = 1, size: int | None = None) -> dict:
    """One entity's card with its mentions in every document (a page of ``size`` of them); with
    ``links.shown`` (the reading page it is fetched into), the mentions in those documents only,
    linked in that page, and a count of the others. Raises RefError for an unknown id."""
    edition.entity(entity_id)  # RefError (404) for an unknown id
    if links.shown:
        return page_cards(edition, [entity_id], links.shown, links)[0]
    card = entity_cards(_Shown(edition, (), page, size), [entity_id], (), links)[0]
    card["more"] = None
    return card
