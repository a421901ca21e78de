"""The fixed vocabulary of behaviours, part 2: the edition's annotations.

    entity        a mention of a register entity: a link to its card, styled by kind
    normalised    a date or quantity that reveals its normalised value (title + hidden text)
    alternatives  choice: every alternative is rendered; CSS shows one reading at a time
    apparatus     app: the chosen reading in the text, the other readings as a note
    reading       one alternative of a choice (received: sic/orig/abbr, edited: corr/reg/expan)
    gap           a gap, shown as […] with its reason
    supplied      text supplied by the editors, in ⟨ ⟩
    note          a note in the text: a numbered marker, the note after the passage
"""

from __future__ import annotations

import re

from ..tei import local
from ..tei.text import others, chosen, normalise_space
from . import html, walker
from .behaviours import behaviour, inline
from .labels import KINDS
from .notes import note_marker

KIND_LABELS = KINDS  # kind -> its English label (a msgid of render.labels)
_CSS = re.compile(r"[^a-z0-9-]+")


def kind_of(el, entity, kind: str | None) -> str:
    """person, place, org, ship, treaty, event, … (the element's type wins over the register's)."""
    found = kind or el.get("type") or entity.type or entity.kind
    if found == "object" and entity.type:
        found = entity.type
    return _CSS.sub("-", found.lower()) or "other"


@behaviour
def entity(el, ctx, kind: str | None = None, cls: str | None = None) -> str:
    ent = ctx.entity_of(el)
    kind = kind_of(el, ent, kind)
    # the kind is in the class; a mention is known by its link to the entity (``#entity-ID``), or
    # by data-entity when it is no link (CSS and read.js select ``[href^="#entity-"], [data-entity]``)
    attrs = walker.base_attrs(el, f"entity-{kind}", cls)
    # @ref becomes the entity it resolves to (data-entity, the link); the kind and name for the
    # tooltip are in the page's name index, from which read.js sets each mention's title
    del attrs["data-ref"]
    if ctx.in_link or not ctx.names:
        attrs["data-entity"] = ent.id
        return html.element("span", attrs, walker.children(el, ctx))
    attrs["href"] = ctx.links.entity(ent.id)  # names the entity (read.js reads it from there)
    ctx.in_link = True
    try:
        return html.element("a", attrs, walker.children(el, ctx))
    finally:
        ctx.in_link = False


def normal_value(el, what: str, ctx=None) -> str:
    """The normalised value a date or quantity carries, as a short phrase (a range in the UI
    language of ``ctx``, else English)."""
    if what in ("date", "time"):
        if el.get("when"):
            return el.get("when")
        span = [el.get(a) for a in ("from", "to")] if el.get("from") or el.get("to") else \
            [el.get(a) for a in ("notBefore", "notAfter")]
        if not any(span):
            return ""
        start, end = (x or "…" for x in span)
        return ctx.t("%(start)s to %(end)s", start=start, end=end) if ctx is not None else f"{start} to {end}"
    value = el.get("quantity") or el.get("value")
    extra = " ".join(x for x in (el.get("unit"), el.get("commodity")) if x)
    return " ".join(x for x in (value, extra) if x)


@behaviour
def normalised(el, ctx, tag: str = "span", what: str = "date") -> str:
    value = normal_value(el, what, ctx)
    if not value:
        return inline(el, ctx)
    attrs = walker.base_attrs(el, "normalised")
    if tag == "time":  # @when is the datetime (not repeated as data-when)
        attrs["datetime"] = el.get("when")
        attrs.pop("data-when", None)
    elif tag == "data":  # @quantity or @value is the value (not repeated)
        attrs["value"] = el.get("quantity") or el.get("value") or value
        attrs.pop("data-quantity" if el.get("quantity") else "data-value", None)
    word = ctx.t(what.capitalize()).lower()
    # the value is said once, for screen readers; read.js shows it as the tooltip as well
    return html.element(tag, attrs, walker.children(el, ctx) + html.hidden(f" ({word}: {value})", ctx.ui_attr(el)))


@behaviour
def alternatives(el, ctx) -> str:
    """A ``choice``. Received/edited pairs (sic/corr, orig/reg, abbr/expan) are all rendered for
    the reading switch; any other choice (between ``unclear`` readings, ``seg``s …) shows the
    one child the text model gives, the others in its title."""
    from .rules import CHOICE_PARTS
    kids = [c for c in el if local(c)]
    if any(local(c) in CHOICE_PARTS for c in kids):
        return html.element("span", walker.base_attrs(el), walker.children(el, ctx))
    one = chosen(el)
    rest = [normalise_space("".join(c.itertext())) for c in kids if c is not one]
    attrs = walker.base_attrs(el)
    if rest:
        attrs["title"] = ctx.t("Other possible readings: %(readings)s", readings="; ".join(r for r in rest if r))
    return html.element("span", attrs, walker.render(one, ctx) if one is not None else "")


@behaviour
def reading(el, ctx, side: str, verb: str) -> str:
    """One alternative of a choice. Both are in the page; the reading switch (CSS class
    ``reading-edited`` or ``reading-received`` on a container) shows one."""
    partner, verb = _partner(el, "received" if side == "edited" else "edited"), ctx.t(verb)
    if side == "edited":
        note = ctx.t("%(verb)s by the editors; the source has “%(other)s”", verb=verb, other=partner) if partner \
            else ctx.t("%(verb)s by the editors", verb=verb)
    else:
        note = ctx.t("as in the source; %(verb)s: “%(other)s”", verb=verb, other=partner) if partner \
            else ctx.t("as in the source")
    attrs = walker.base_attrs(el, "alt", f"alt-{side}")
    attrs["title"] = note[0].upper() + note[1:]
    return html.element("span", attrs, walker.children(el, ctx) + html.hidden(f" ({note})", ctx.ui_attr(el)))


def _partner(el, side: str) -> str:
    from .rules import CHOICE_PARTS
    for sib in el.getparent():
        if sib is not el and CHOICE_PARTS.get(local(sib), ("",))[0] == side:
            return normalise_space("".join(sib.itertext()))
    return ""


@behaviour
def gap(el, ctx) -> str:
    reason = (el.get("reason") or "").replace("-", " ").replace("_", " ")
    desc = normalise_space(" ".join("".join(d.itertext()) for d in el if local(d) == "desc"))
    extent = " ".join(x for x in (el.get("quantity") or el.get("extent"), el.get("unit")) if x)
    detail = "; ".join(x for x in (desc, extent) if x)
    attrs = dict(walker.base_attrs(el, "gap-mark"), lang=ctx.ui_lang)
    attrs["title"] = ctx.t("Gap in the text") + (f" ({reason})" if reason else "") + (f": {detail}" if detail else "")
    content = html.hidden(ctx.t("gap in the text")) + '<span aria-hidden="true">[…]</span>'
    if reason:
        content += " " + html.element("span", {"class": "gap-reason"}, html.escape(reason))
    if detail:
        content += html.hidden(f": {detail}")
    return html.element("span", attrs, content)


@behaviour
def supplied(el, ctx) -> str:
    reason = (el.get("reason") or "").replace("-", " ")
    attrs = walker.base_attrs(el, "edited-only")
    attrs["title"] = ctx.t("Supplied by the editors") + (f" ({reason})" if reason else "")
    return html.element("span", attrs, '<span class="bracket" aria-hidden="true">⟨</span>'
                        + walker.children(el, ctx) + '<span class="bracket" aria-hidden="true">⟩</span>'
                        + html.hidden(" ({})".format(ctx.t("supplied by the editors")), ctx.ui_attr(el)))


@behaviour
def note(el, ctx) -> str:
    """A note written in the text: a marker where it stands, its content after the passage."""
    key = ctx.note_key(el)
    ctx.inline_notes.add(key)
    note = _InlineNote(key, el.get("type") or "", el.get("subtype") or "", normalise_space("".join(el.itertext())))
    return note_marker(ctx, _enclosing_ref(el, ctx), note, walker.children(el, ctx))


@behaviour
def apparatus(el, ctx) -> str:
    """An inline critical apparatus (``app``): the reading the text model chooses (the ``lem``,
    else the first ``rdg``) in the text, the other readings as an apparatus note."""
    one = chosen(el)
    body = walker.children(one, ctx) if one is not None else ""
    variants = [_variant(v, ctx) for v in others(el, one) if local(v) != "note"]
    attrs = walker.base_attrs(el)
    if not variants:
        return html.element("span", attrs, body)
    note = _InlineNote(ctx.note_key(el), "apparatus", "", ctx.t("Other readings: %(readings)s", readings="; ".join(variants)))
    return html.element("span", attrs, body) + note_marker(ctx, _enclosing_ref(el, ctx), note)


def _variant(el, ctx) -> str:
    text = normalise_space("".join(el.itertext())) or ctx.t("(omitted)")
    wit = " ".join(w.lstrip("#") for w in (el.get("wit") or "").split())
    return f"{text} ({wit})" if wit else text


class _InlineNote:
    def __init__(self, key, type_: str, subtype: str, text: str):
        self.key, self.type, self.subtype, self.text, self.targets = key, type_, subtype, text, []


def _enclosing_ref(el, ctx) -> str | None:
    for a in el.iterancestors():
        if ctx.ref_of(a):
            return ctx.ref_of(a)
    return None
