"""The diplomatic reading of each TEI document reproduces its received plain text, word for word.

Each reading document names the received text it encodes in its teiHeader:
``sourceDesc//ref[@type='received-text']/@target`` = ``sources/<file>.txt`` (relative to tei/).

The diplomatic reading is computed here, independently of the application code:
- kept: the text of ``text`` in document order, including ``sic``, ``orig``, ``abbr`` and the page
  furniture ``fw`` (the furniture of the HEN article lives in ``fw``);
- dropped: ``corr``, ``reg``, ``expan``, ``supplied``, ``note`` (editorial additions), and ``gap``
  (lost material contributes nothing), with everything inside them;
- the teiHeader is not read: no furniture of these documents lives there, only descriptions.
Texts are compared as whitespace-split token lists.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
TEI_DIR = Path(__file__).resolve().parents[2] / "tei"
SOURCES_DIR = TEI_DIR / "sources"

# Elements whose content is an editorial addition, or stands for lost material: not part of the
# received text.
EDITORIAL = {"corr", "reg", "expan", "supplied", "note", "gap"}


def diplomatic_tokens(root: etree._Element) -> list[str]:
    """The received text of a TEI document, as whitespace-split tokens."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if isinstance(el.tag, str) and etree.QName(el).localname not in EDITORIAL:
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
        # comments and processing instructions contribute nothing, but their tails do
        if el.tail:
            parts.append(el.tail)

    for text in root.iterfind("t:text", NS):
        if text.text:
            parts.append(text.text)
        for child in text:
            walk(child)
    return "".join(parts).split()


def received_text_of(root: etree._Element) -> Path | None:
    refs = root.xpath("t:teiHeader/t:fileDesc/t:sourceDesc//t:ref[@type='received-text']/@target",
                      namespaces=NS)
    assert len(refs) <= 1, "a document names more than one received text"
    return (TEI_DIR / refs[0]) if refs else None


def reading_documents() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(TEI_DIR.glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        source = received_text_of(root)
        if source is not None:
            out.append((path.name, source))
    return out


READING_DOCS = reading_documents()


def readable_diff(expected: list[str], actual: list[str], limit: int = 60) -> str:
    lines = list(difflib.unified_diff(expected, actual, fromfile="received text",
                                      tofile="diplomatic reading", lineterm="", n=4))
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more diff lines)"]
    return "\n".join(lines)


def test_both_received_texts_are_encoded():
    sources = {src.name for _, src in READING_DOCS}
    on_disk = {p.name for p in SOURCES_DIR.glob("*.txt")}
    assert on_disk, "tei/sources/ holds no received text"
    assert sources == on_disk, f"received texts without a TEI document: {on_disk - sources}"
    assert {name for name, _ in READING_DOCS} >= {"hen.xml", "lv.xml"}


@pytest.mark.parametrize(("name", "source"), READING_DOCS, ids=[n for n, _ in READING_DOCS])
def test_diplomatic_reading_reproduces_the_received_text(name, source):
    assert source.is_file(), f"{name} names {source}, which does not exist"
    expected = source.read_text(encoding="utf-8").split()
    actual = diplomatic_tokens(etree.parse(str(TEI_DIR / name)).getroot())
    assert actual == expected, (
        f"{name}: the diplomatic reading differs from {source.name} "
        f"({len(actual)} tokens vs {len(expected)}):\n{readable_diff(expected, actual)}")


def test_the_diplomatic_walk_drops_additions_and_keeps_the_received_form():
    root = etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><teiHeader/><text><body><p><s>a <choice><sic>moblizācija</sic>'
        '<corr>mobilizācija</corr></choice> b<note>n</note> <gap/><supplied>1.</supplied> c'
        ' <fw>furniture</fw></s></p></body></text></TEI>')
    assert diplomatic_tokens(root) == ["a", "moblizācija", "b", "c", "furniture"]
