"""Entities (people, places, organisations, objects such as ships, events) as registers
declare them: ``listPerson/person``, ``listPlace/place``, ``listOrg/org``,
``listObject/object``, ``listEvent/event`` — in a standOff, a header or a file of their own."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import NS, XML_ID, XML_LANG, local
from .text import normalise_space

ENTITY_TAGS = {"person": "person", "personGrp": "person", "place": "place", "org": "org",
               "object": "object", "event": "event"}
MENTION_TAGS = {"persName": "person", "placeName": "place", "orgName": "org", "name": None,
                "objectName": "object", "rs": None, "q": None, "quote": None, "said": None,
                "title": None, "sp": None, "u": None, "date": None, "term": None}
_NAME_XPATH = ("tei:persName | tei:placeName | tei:orgName | tei:name | tei:label | tei:head"
               " | tei:objectIdentifier/tei:objectName | tei:objectName | tei:eventName")


@dataclass
class Entity:
    id: str
    kind: str  # person, place, org, object, event
    type: str | None
    names: dict[str, list[str]]  # language -> names ("und" when unlabelled)
    note: str
    dates: dict[str, str] = field(default_factory=dict)
    idnos: list[dict] = field(default_factory=list)
    file: str = ""
    line: int | None = None
    geo: tuple[float, float] | None = None  # (lat, lon) from location/geo, WGS84 decimal degrees

    def label(self, lang: str = "en") -> str:
        """The entity's name in ``lang``, else English, else any name, else its id."""
        for key in (lang, "en", "und"):
            if self.names.get(key):
                return self.names[key][0]
        return next((v[0] for v in self.names.values() if v), self.id)

    def all_names(self) -> list[str]:
        return [n for names in self.names.values() for n in names]

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "type": self.type, "label": self.label(),
                "names": self.names, "note": self.note, "dates": self.dates, "idnos": self.idnos,
                "geo": list(self.geo) if self.geo else None}


def read_entities(root, file: str) -> list[Entity]:
    """Every entity with an xml:id declared anywhere under ``root``."""
    out = []
    for el in root.iter():
        name = local(el)
        if name in ENTITY_TAGS and el.get(XML_ID):
            out.append(_entity(el, ENTITY_TAGS[name], file))
    return out


def _entity(el, kind: str, file: str) -> Entity:
    names: dict[str, list[str]] = {}
    for n in el.xpath(_NAME_XPATH, namespaces=NS):
        text = normalise_space("".join(n.itertext()))
        lang = n.get(XML_LANG) or "und"
        if text and text not in names.setdefault(lang, []):
            names[lang].append(text)
    note = " ".join(normalise_space("".join(n.itertext())) for n in el.xpath("tei:note | tei:desc", namespaces=NS))
    dates = {}
    for d in el.xpath("tei:birth | tei:death | tei:floruit | tei:date", namespaces=NS):
        when = d.get("when") or "/".join(x for x in (d.get("from") or d.get("notBefore"), d.get("to") or d.get("notAfter")) if x)
        if when:
            dates[local(d)] = when
    if el.get("when"):
        dates["when"] = el.get("when")
    elif el.get("from") or el.get("to"):  # a span on the entity itself (an event: a war)
        dates["when"] = "/".join(x for x in (el.get("from"), el.get("to")) if x)
    idnos = [{"type": i.get("type", ""), "value": normalise_space(i.text or "")}
             for i in el.xpath("tei:idno", namespaces=NS)]
    return Entity(el.get(XML_ID), kind, el.get("type"), names, note, dates, idnos, file, el.sourceline,
                  _geo(el))


def _geo(el) -> tuple[float, float] | None:
    """``(lat, lon)`` of the first ``location/geo`` ("lat long" in decimal degrees, the TEI
    default, Guidelines 13.3.4.1 "Place"), or None when absent or not two numbers in range."""
    found = el.xpath("string(tei:location/tei:geo[1])", namespaces=NS)
    try:
        lat, lon = (float(x) for x in found.replace(",", " ").split())
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
