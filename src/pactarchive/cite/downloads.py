"""Downloads of the edition's data: a passage as plain text or as a TEI fragment, the
alignment of a document pair as a TEI ``linkGrp`` or JSON, and text-fragment links.

The TEI fragment keeps the passage elements exactly as encoded, inside a DTS wrapper element
(``dts:wrapper``, as the Distributed Text Services API returns passages), preceded by a comment
naming the source file, the ref, the edition version and the permalink.
"""

from __future__ import annotations

import copy
from urllib.parse import quote

from lxml import etree

from .. import refs
from ..dts import DTS_NS  # the namespace of dts:wrapper, defined once (DTS 1.0)
from ..tei import TEI_NS, XML_ID



def plain_text(located: list, citation: str) -> str:
    """The edited text of the passages (sentences joined by a space, larger units by a blank
    line), a blank line, and the citation."""
    sep = " " if all(not loc.passage.children for loc in located) else "\n\n"
    return sep.join(loc.passage.text() for loc in located) + "\n\n" + citation + "\n"


def tei_fragment(located: list, ref: str, version: str, permalink: str) -> bytes:
    """The passage element(s) as encoded, wrapped and introduced by a comment."""
    doc = located[0].doc
    wrapper = etree.Element(f"{{{DTS_NS}}}wrapper", nsmap={"dts": DTS_NS, None: TEI_NS})
    wrapper.set("source", doc.path.name)
    wrapper.set("ref", ref)
    wrapper.set("version", version)
    for loc in located:
        el = copy.deepcopy(loc.passage.element)
        el.tail = None
        wrapper.append(el)
    note = (f" pactarchive: passage {ref} ({located[0].passage.unit}) of {doc.path.name}, document '{doc.id}', "
            f"edition version {version}; permalink {permalink} ")
    comment = etree.Comment(note.replace("--", "- -"))
    body = etree.tostring(comment, encoding="unicode") + "\n" + etree.tostring(wrapper, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def alignment(corpus, left: str, right: str) -> dict:
    """``{"left", "right", "links": [{"left": ref, "right": [refs]}]}``: every passage of
    ``left`` aligned with passages of ``right``, in reading order. Raises UnknownDocument."""
    ldoc, _ = corpus.document(left), corpus.document(right)
    links = []
    for p in ldoc.all_passages():
        ref = refs.format_ref(left, p.path)
        there = [r for r in corpus.aligned(ref) if refs.split(r)[0] == right]
        if there:
            links.append({"left": ref, "right": there})
    return {"left": left, "right": right, "links": links}


def alignment_tei(corpus, data: dict, url_for_ref) -> bytes:
    """The alignment as a TEI ``linkGrp``; each ``link/@target`` points at the xml:ids of
    the passages (``lv.xml#lv-s12``), or at the permalink of a passage without one."""
    docs = [corpus.document(data["left"]), corpus.document(data["right"])]
    grp = etree.Element(f"{{{TEI_NS}}}linkGrp", nsmap={None: TEI_NS})
    grp.set("type", "alignment")
    grp.set("corresp", " ".join(d.path.name for d in docs))
    for link in data["links"]:
        targets = [link["left"], *link["right"]]
        etree.SubElement(grp, f"{{{TEI_NS}}}link").set("target", " ".join(_pointer(corpus, r, url_for_ref) for r in targets))
    comment = etree.Comment(f" pactarchive: alignment of '{data['left']}' with '{data['right']}' ")
    body = etree.tostring(comment, encoding="unicode") + "\n" + etree.tostring(grp, encoding="unicode", pretty_print=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def _pointer(corpus, ref: str, url_for_ref) -> str:
    loc = corpus.resolve(ref)[0]
    xml_id = loc.passage.element.get(XML_ID)
    return f"{loc.doc.path.name}#{xml_id}" if xml_id else url_for_ref(ref)


def pairs(corpus) -> list[tuple[str, str]]:
    """Document pairs with at least one aligned passage, each pair once in corpus order."""
    order = list(corpus.documents)
    found = set()
    for doc in corpus.documents.values():
        for p in doc.all_passages():
            for other in corpus.aligned(refs.format_ref(doc.id, p.path)):
                pair = sorted((doc.id, refs.split(other)[0]), key=order.index)
                found.add(tuple(pair))
    return sorted(found, key=lambda pr: (order.index(pr[0]), order.index(pr[1])))


def text_fragment(text: str, words: int = 4) -> str:
    """A text directive (``#:~:text=start,end``) for ``text``: the whole text when short, else
    its first and last ``words`` words.

    >>> text_fragment("Estonia signed the pact - in Moscow, 28 September.", 3)
    '#:~:text=Estonia%20signed%20the,Moscow%2C%2028%20September.'
    """
    ws = text.split()
    if len(ws) <= 2 * words:
        return "#:~:text=" + _enc(" ".join(ws))
    return "#:~:text=" + _enc(" ".join(ws[:words])) + "," + _enc(" ".join(ws[-words:]))


def _enc(s: str) -> str:
    return quote(s, safe="").replace("-", "%2D")

