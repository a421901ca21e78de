"""The TEI→HTML mapping, as data (TEI Publisher's processing model, CETEIcean's behaviours).

``RULES[element name]`` is an ordered list of rules; each rule is a condition, a behaviour
(a name from the fixed vocabulary in behaviours.py and annotations.py) and its parameters.
The first rule whose condition holds is applied; the unconditional rule comes last. An element
with no rule is rendered by ``neutral``: a ``<span class="tei-NAME" data-...>`` (or ``div``)
around its content, so no text is ever lost.

Every element that is a citable passage (a ``div``, ``p`` or ``s`` of the citation structure)
goes through ``passage``, which gives it ``id="<ref>"`` and its margin label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..tei import local


@dataclass(frozen=True)
class Rule:
    behaviour: str
    when: Callable | None = None
    params: dict = field(default_factory=dict)

    def applies(self, el, ctx) -> bool:
        return self.when is None or bool(self.when(el, ctx))


def rule(behaviour: str, when: Callable | None = None, **params) -> Rule:
    return Rule(behaviour, when, params)


# -- conditions: small predicates (element, context) -> bool ----------------------------------

def is_passage(el, ctx) -> bool:
    return ctx.ref_of(el) is not None


def has(attr: str) -> Callable:
    def condition(el, ctx):
        return bool(el.get(attr))
    condition.__name__ = f"has_{attr}"
    return condition


def parent_is(*names: str) -> Callable:
    def condition(el, ctx):
        parent = el.getparent()
        return parent is not None and local(parent) in names
    condition.__name__ = "parent_is_" + "_".join(names)
    return condition


def inside(*names: str) -> Callable:
    def condition(el, ctx):
        return any(local(a) in names for a in el.iterancestors())
    condition.__name__ = "inside_" + "_".join(names)
    return condition


def rend(*values: str) -> Callable:
    def condition(el, ctx):
        return bool(set((el.get("rend") or "").split()) & set(values))
    condition.__name__ = "rend_" + "_".join(values)
    return condition


def names_entity(el, ctx) -> bool:
    """The element's @ref points to an entity of the register."""
    return bool(el.get("ref")) and ctx.entity_of(el) is not None


def citable(tag: str, label: str = "margin") -> Rule:
    """The first rule of every element that can be a passage."""
    return rule("passage", is_passage, tag=tag, label=label)


DIV_RULES = [citable("section"), rule("block", tag="section")]
CHOICE_PARTS = {"sic": ("received", "corrected"), "orig": ("received", "regularised"),
                "abbr": ("received", "expanded"), "corr": ("edited", "corrected"),
                "reg": ("edited", "regularised"), "expan": ("edited", "expanded")}

RULES: dict[str, list[Rule]] = {
    # structure
    "TEI": [rule("pass")], "text": [citable("div"), rule("pass")], "body": [rule("pass")],
    "group": [rule("pass")], "front": [rule("block", tag="div")], "back": [rule("block", tag="div")],
    "teiHeader": [rule("omit")], "standOff": [rule("omit")], "facsimile": [rule("omit")],
    "sourceDoc": [rule("omit")],
    "fw": [rule("block", tag="p", cls="furniture", title="Page furniture of the received text")],
    "div": DIV_RULES, **{f"div{i}": DIV_RULES for i in range(1, 8)},
    "head": [rule("block", parent_is("list", "listBibl", "table", "figure", "lg"), tag="p", cls="caption"),
             rule("heading")],
    "p": [citable("p"), rule("block", tag="p")],
    "ab": [citable("div"), rule("block", tag="div")],
    "s": [citable("span", "inline"), rule("inline")],
    "seg": [citable("span", "inline"), rule("inline")],
    "lg": [citable("div"), rule("block", tag="div")],
    "l": [citable("div", "inline"), rule("block", tag="div")],
    "sp": [citable("div"), rule("block", tag="div")], "u": [citable("div"), rule("block", tag="div")],
    "speaker": [rule("block", tag="p")], "stage": [rule("block", tag="p", cls="stage")],
    "list": [rule("block", tag="ul")], "item": [citable("li"), rule("block", tag="li")],
    "listBibl": [rule("block", tag="ul")],
    "bibl": [citable("li"), rule("block", parent_is("listBibl"), tag="li"), rule("inline", tag="cite")],
    "table": [rule("block", tag="table")], "row": [citable("tr"), rule("block", tag="tr")],
    "cell": [rule("block", tag="td")],
    "quote": [rule("inline")], "q": [rule("inline")], "said": [rule("inline")], "cit": [rule("inline")],
    "lb": [rule("break", tag="br")], "pb": [rule("break", marker="page")],
    "cb": [rule("break", marker="column")], "milestone": [rule("break", marker="milestone")],
    # names, dates, quantities
    "persName": [rule("entity", names_entity, kind="person"), rule("inline")],
    "placeName": [rule("entity", names_entity, kind="place"), rule("inline")],
    "orgName": [rule("entity", names_entity, kind="org"), rule("inline")],
    "objectName": [rule("entity", names_entity, kind="object"), rule("inline")],
    "name": [rule("entity", names_entity), rule("inline")],
    "rs": [rule("entity", names_entity), rule("inline")],
    "date": [rule("normalised", has("when"), tag="time", what="date"),
             rule("normalised", what="date")],
    "time": [rule("normalised", has("when"), tag="time", what="time"), rule("normalised", what="time")],
    "num": [rule("normalised", tag="data", what="number")],
    "measure": [rule("normalised", tag="data", what="quantity")],
    # the edition's interventions
    "choice": [rule("alternatives")], "app": [rule("apparatus")],
    **{name: [rule("reading", parent_is("choice"), side=side, verb=verb), rule("inline")]
       for name, (side, verb) in CHOICE_PARTS.items()},
    "gap": [rule("gap")], "desc": [rule("omit", parent_is("gap")), rule("inline")],
    "supplied": [rule("inline", inside("head"), cls="editorial-heading"), rule("supplied")],
    "unclear": [rule("inline", cls="unclear", title="unclear in the source")],
    "del": [rule("inline", tag="del")], "add": [rule("inline", tag="ins")],
    "note": [rule("note")],
    # phrases and links
    "title": [rule("inline", tag="cite")], "foreign": [rule("inline", tag="i")],
    "hi": [rule("inline", rend("italic", "i"), tag="em"), rule("inline", rend("bold", "b"), tag="strong"),
           rule("inline", rend("sup", "superscript"), tag="sup"), rule("inline")],
    "emph": [rule("inline", tag="em")], "term": [rule("inline", tag="dfn")],
    "mentioned": [rule("inline", tag="i")], "soCalled": [rule("inline")], "label": [rule("inline")],
    "ref": [rule("link", has("target")), rule("inline")],
    "ptr": [rule("link", has("target")), rule("neutral")],
    "textLang": [rule("inline")],
    "gi": [rule("inline", tag="code")], "att": [rule("inline", tag="code")],
}
