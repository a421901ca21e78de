"""Pure TEI handling with lxml: no Flask, no Whoosh.

    parse.py      safe parsing (no DTDs, no entities, no network; bounded size, depth, XInclude)
    xinclude.py   XInclude done by us: base URI applied, only files inside the TEI directory
    header.py     teiHeader metadata
    text.py       the text model: each element's role, the edited and the diplomatic reading
    coverage.py   how a document's reading text lies in its finest passages
    citation.py   the citable structure: citeStructure, else cRefPattern, else div/p nesting
    pointers.py   pointers (#id, file#id, prefixDef'd prefix:value, bare ids) across files
    document.py   the Document facade: id, title, lang, metadata, passages
    entities.py   entity registers (listPerson, listPlace, ...) and mentions
    validate.py   validation against TEI P5 tei_all (RelaxNG)
"""

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"


def tei(tag: str) -> str:
    """Clark name of a TEI element: tei('p') -> '{http://www.tei-c.org/ns/1.0}p'."""
    return f"{{{TEI_NS}}}{tag}"


def local(el) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
