"""The text columns of the reading view, rendered once per generation and kept (issue 10, the
step before columns compiled at build): a column's HTML depends on the document, the one
opposite, the documents on the page, the part shown, the names option, the interface language
and the notes the other column printed. The deep-link target does not enter the key: it is
marked on the cached HTML (``is-target`` on the passage). Only ``hl`` words, which mark inside
the passage's text, are rendered per request. So a second ``/read?at=…`` of a pair parses no
XML and renders nothing.

The cache is per process, keyed by the generation: a new generation misses and the old entries
age out (at most ``SIZE`` columns, least recently used first)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from .. import render

SIZE = 32  # columns kept per process (a column of hen|lv is ~110 KB)
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def column(c, doc_id: str, other: str, links, window, *, targets: tuple, words: tuple, names: bool,
           language: dict, elsewhere: dict) -> tuple[str, list, dict]:
    """``(html, mentioned entity ids, placed notes {key: element id})`` of one column; rendered
    from the TEI tree of ``doc_id`` only when this generation has not rendered it yet."""
    parts = tuple(p.ref for p in window.parts) if window.parts is not None else None
    key = (getattr(c, "generation", id(c)), doc_id, other, links.root, links.shown, parts, names,
           language["ui_lang"], tuple(sorted(elsewhere.items())), (targets, words) if words else None)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    if found is None:
        found = _render(c, doc_id, other, links, window, targets if words else (), words, names, language, elsewhere)
        with _lock:
            _cache[key] = found
            while len(_cache) > SIZE:
                _cache.popitem(last=False)
    html, mentioned, placed = found
    return (html if words else mark_targets(html, targets)), list(mentioned), dict(placed)


def _render(c, doc_id, other, links, window, targets, words, names, language, elsewhere):
    doc = c.parsed(doc_id)  # the one file this column shows
    ctx = render.Context(doc, c, links, other=other, side=doc.id, target=targets, words=words, names=names,
                         notes_open=False, elsewhere=elsewhere, **language)
    parts = window.elements(doc)
    html = render.render_text(doc, ctx) if parts is None else "".join(render.render_fragment(el, ctx) for el in parts)
    return html, tuple(ctx.mentioned), {key: note_id for key, (_n, note_id) in ctx.placed_notes.items()}


def mark_targets(html: str, targets) -> str:
    """``html`` with ``is-target`` added to the class of each passage whose id is in ``targets``
    (the passage's start tag: ``class`` comes first, ``id`` later, as render writes them)."""
    for ref in targets:
        html = re.sub(r'(<[a-z0-9]+ class=")([^"]*)("[^>]*? id="' + re.escape(ref) + '")',
                      lambda m: f"{m.group(1)}{m.group(2)} is-target{m.group(3)}", html, count=1)
    return html


def clear() -> None:
    """Forget every column (tests)."""
    with _lock:
        _cache.clear()
