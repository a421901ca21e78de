"""The Whoosh schema: one record per citable passage at the finest level (a sentence).

Every option is chosen on purpose:

* The passage text is analysed into one field per analysis (``text_lv``, ``text_en``,
  ``words``) and stored once, plain, in ``text``. Snippets are cut by re-analysing the stored
  text with character offsets (snippets.py), so no field needs stored vectors or ``chars``.
* Every analysed field keeps positions (``phrase=True``): a quoted phrase, or a word the
  analyzer splits ("Molotova-Ribentropa"), is matched as a phrase in each of them. Keyword
  fields (ids, dates, quantities) need neither positions nor scoring except ``date`` and
  ``quantity``, which rank passages when a reader searches for a date or a number.
* ``kind`` says what a record is (``KINDS``): a finest passage, a division head (cited by its
  division's ref), an editorial note (``note:<id>``, with the refs it annotates in
  ``targets``) or a register entry (``entity:<id>``, shown at its first mention ``at``).
  It is a filter and a facet ("in notes").
* ``ref`` is the unique key (``update_document`` would replace by it). ``doc``, ``lang`` and the
  entity-id keywords are facets; ``order`` gives reading order for sorting.
* Entity names live in ``names`` (every entity mentioned), ``person`` and ``place`` (the
  field filters ``person:`` and ``place:``); ids in keyword fields for facets and URL filters.
* Dates: ``date`` holds ISO keys (day, month, year) for exact search; ``days`` the ISO days
  for the range filter, as keywords: ISO days sort chronologically, so a TermRange over them is
  the date range. (A multi-valued NUMERIC field was tried first: Whoosh's NumericRange then
  returns a passage once per matching value, and mis-ranges unsigned 32-bit values.)
  ``quantity`` holds normalised numbers.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from . import analysis


def make_schema() -> Schema:
    return Schema(
        ref=ID(stored=True, unique=True),
        kind=ID(stored=True),
        doc=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        order=NUMERIC(int, bits=64, stored=True, sortable=True),  # records.STRIDE
        text=STORED(),
        text_lv=TEXT(analyzer=analysis.latvian_analyzer(), phrase=True),
        text_en=TEXT(analyzer=analysis.english_analyzer(), phrase=True),
        words=TEXT(analyzer=analysis.words_analyzer(), phrase=True),
        context=TEXT(analyzer=analysis.words_analyzer(), phrase=True, stored=True),
        names=TEXT(analyzer=analysis.names_analyzer(), phrase=True),
        person=TEXT(analyzer=analysis.names_analyzer(), phrase=True),
        place=TEXT(analyzer=analysis.names_analyzer(), phrase=True),
        entities=KEYWORD(stored=True, scorable=False),
        person_ids=KEYWORD(scorable=False),
        place_ids=KEYWORD(scorable=False),
        date=KEYWORD(stored=True, scorable=True),
        days=KEYWORD(scorable=False),
        quantity=KEYWORD(stored=True, scorable=True),
        marks=STORED(),    # [(kind, key, surface)]: what to mark in the text when key matched
        aligned=STORED(),  # refs aligned with this passage in other documents
        title=STORED(),    # title of the document
        targets=STORED(),  # a note: the refs of the passages it annotates
        note_id=STORED(),  # a note: its xml:id (the anchor where it is shown)
        entity=STORED(),   # a register entry: the entity's id
        at=STORED(),       # a register entry: the ref of its first mention
        frame=STORED(),    # True for front and back matter (ranks after the text)
    )


# What a record is, in the order results of equal relevance are listed: sentence-level before
# section-level (TEI Guidelines §4.1 divisions, §3.9 notes, §13.3 registers).
KINDS = ("passage", "note", "head", "register")


# Fields of the passage text by language; a language without one is searched through `words`.
TEXT_FIELDS = {"lv": "text_lv", "en": "text_en"}
