"""teiHeader metadata as plain data: titles, people responsible, publication, source, language."""

from __future__ import annotations

from . import NS, XML_LANG
from .citation import tree_typologies
from .text import normalise_space

# ISO 639-2/3 codes seen in TEI files, mapped to ISO 639-1 where one exists.
_ISO1 = {
    "eng": "en", "lav": "lv", "est": "et", "rus": "ru", "deu": "de", "ger": "de", "fra": "fr",
    "fre": "fr", "pol": "pl", "lit": "lt", "fin": "fi", "swe": "sv", "lat": "la", "ita": "it",
    "spa": "es", "nld": "nl", "dut": "nl", "ell": "el", "gre": "el", "ukr": "uk", "ces": "cs",
}


def iso639_1(code: str | None) -> str:
    """Normalise a language tag to ISO 639-1 where possible ('eng' -> 'en', 'lv-LV' -> 'lv').
    Codes without a two-letter form (e.g. 'grc') are kept; no code gives 'und'."""
    if not code:
        return "und"
    primary = code.strip().split("-")[0].lower()
    return _ISO1.get(primary, primary) or "und"


def _texts(el, xpath: str) -> list[str]:
    found = (normalise_space(n if isinstance(n, str) else "".join(n.itertext()))
             for n in el.xpath(xpath, namespaces=NS))
    return [t for t in found if t]


def _first(el, xpath: str) -> str | None:
    found = _texts(el, xpath)
    return found[0] if found else None


def language(tei) -> str:
    """The document's language: TEI/@xml:lang, else text/@xml:lang, else langUsage's first."""
    for xp in ("@xml:lang", "tei:text/@xml:lang", "tei:text/tei:body/@xml:lang",
               "tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident"):
        found = tei.xpath(xp, namespaces=NS)
        if found:
            return iso639_1(str(found[0]))
    return "und"


def title(tei, lang: str | None = None) -> str:
    """The main title, preferring one in the document's language."""
    stmt = "tei:teiHeader/tei:fileDesc/tei:titleStmt/"
    for xp in (f"{stmt}tei:title[@type='main'][@xml:lang='{lang}']", f"{stmt}tei:title[@type='main']",
               f"{stmt}tei:title[not(@type) or @type!='sub' and @type!='short'][@xml:lang='{lang}']",
               f"{stmt}tei:title[not(@type) or @type!='sub' and @type!='short']", f"{stmt}tei:title"):
        found = _first(tei, xp)
        if found:
            return found
    return "Untitled"


def metadata(tei) -> dict:
    """Header fields a reader or a citation needs; absent fields are left out."""
    fd = "tei:teiHeader/tei:fileDesc/"
    meta = {
        "titles": _texts(tei, f"{fd}tei:titleStmt/tei:title"),
        "authors": _texts(tei, f"{fd}tei:titleStmt/tei:author"),
        "editors": _texts(tei, f"{fd}tei:titleStmt/tei:editor"),
        "responsibility": [
            {"resp": _first(r, "tei:resp") or "", "names": _texts(r, "tei:persName|tei:name|tei:orgName")}
            for r in tei.xpath(f"{fd}tei:titleStmt/tei:respStmt", namespaces=NS)
        ],
        "edition": _first(tei, f"{fd}tei:editionStmt/tei:edition"),
        "edition_n": _first(tei, f"{fd}tei:editionStmt/tei:edition/@n"),
        "publisher": _first(tei, f"{fd}tei:publicationStmt/tei:publisher"),
        "authority": _first(tei, f"{fd}tei:publicationStmt/tei:authority"),
        "pub_place": _first(tei, f"{fd}tei:publicationStmt/tei:pubPlace"),
        "date": _first(tei, f"{fd}tei:publicationStmt/tei:date/@when") or _first(tei, f"{fd}tei:publicationStmt/tei:date"),
        "licence": _first(tei, f"{fd}tei:publicationStmt/tei:availability/tei:licence/@target")
        or _first(tei, f"{fd}tei:publicationStmt/tei:availability//tei:licence"),
        "availability": _first(tei, f"{fd}tei:publicationStmt/tei:availability"),
        "idnos": [{"type": i.get("type", ""), "value": normalise_space(i.text or "")}
                  for i in tei.xpath(f"{fd}tei:publicationStmt/tei:idno", namespaces=NS)],
        "source": _texts(tei, f"{fd}tei:sourceDesc/*"),
        "extent": _first(tei, f"{fd}tei:extent"),
        "languages": [{"ident": l.get("ident", ""), "name": normalise_space("".join(l.itertext()))}
                      for l in tei.xpath("tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language", namespaces=NS)],
        "keywords": _texts(tei, "tei:teiHeader/tei:profileDesc/tei:textClass/tei:keywords/tei:term"),
        "changes": [{"when": c.get("when", ""), "text": normalise_space("".join(c.itertext()))}
                    for c in tei.xpath("tei:teiHeader/tei:revisionDesc/tei:change", namespaces=NS)],
    }
    meta["lang_declared"] = tei.get(XML_LANG)
    meta["citation_trees"] = tree_typologies(tei)  # the non-default citation trees (DTS "tree")
    return {k: v for k, v in meta.items() if v not in (None, [], "")}
