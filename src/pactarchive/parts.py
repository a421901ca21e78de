"""The archive cut into parts that can be built one after the other (issue 10's peak memory).

A whole archive held as lxml trees costs ~8 times its size in memory (225 MB of TEI: 1.7 GB of
trees, 3 GB with the corpus model). What links files to one another (a pointer into another
file, an XInclude, an xml:id declared in two files, one document id, one CTS work, a speaker
named by a fragment another file declares) is found by ``plan`` in a first pass that keeps no
tree: each file is parsed, reduced to the *keys* it shares with others, and dropped. Files
sharing a key are in one component (union-find); a part is a run of consecutive files of the
archive (in ``corpus.discover`` order) that no component crosses, of about ``PART_BYTES`` of
TEI. Every relation the corpus finds between two files lies within one part, so a part read on
its own (``Corpus.load(only=part)``) makes of its documents what the whole archive would
(``tests/test_parts.py`` holds it to that, on our tei/ and the real-world samples); and since
parts are runs in reading order, numbering across the archive (documents, passages, notes,
register entries) is an offset carried from one part to the next.

The keys over-approximate: a bare word in a pointer attribute (TEI Guidelines §16.2.3,
§1.3.1.1.3 ``teidata.pointer``), the fragment of any ``@who`` and every word of a note that
looks like a passage's xml:id join the files declaring that id. A component that
grows large (every letter pointing to one register file) is one large part: the build is then
as large as before, and as correct.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .corpus import discover
from .crosslinks import cts_urn
from .registers import ids_named
from .errors import TEIError
from .tei import NS, XML_ID, local, pointers
from .tei.document import derive_id
from .tei.parse import parse_file

__all__ = ["Plan", "plan", "parts_of_large", "PART_BYTES"]

_NOTE = f"{{{NS['tei']}}}note"
PART_BYTES = 24 * 1024 * 1024  # TEI read at once (~200 MB of trees and model), unless a component is larger

# attributes whose words are never pointers (a bare word in any other attribute may be an id)
_NOT_POINTERS = frozenset({XML_ID, "{http://www.w3.org/XML/1998/namespace}lang",
                           "{http://www.w3.org/XML/1998/namespace}space", "type", "subtype", "n", "rend",
                           "unit", "when", "notBefore", "notAfter", "cert", "quantity", "extent", "status",
                           "reason", "place", "style", "version", "ident", "matchPattern", "replacementPattern",
                           "width", "height", "ulx", "uly", "lrx", "lry", "points", "url", "mimeType", "value",
                           "level", "role", "sex", "age", "form", "precision", "instant", "full", "part",
                           "default", "org", "sample", "anchored", "break", "atLeast", "atMost", "min", "max",
                           "dur", "from-iso", "to-iso", "when-iso", "notBefore-iso", "notAfter-iso"})


@dataclass
class Plan:
    """``files``: every TEI file of the archive (``discover`` order); ``parts``: those files
    in runs, each a list of paths as ``discover`` gives them; ``bytes``: the TEI of each part
    (its files and what they XInclude)."""
    files: list[Path]
    parts: list[list[Path]] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)


def plan(tei_dir: Path, part_bytes: int = PART_BYTES,
         progress: Callable[[str, int, int], None] | None = None) -> Plan:
    """Cut the archive under ``tei_dir`` into parts of about ``part_bytes`` bytes of TEI
    (a component larger than that is one part). ``progress("planning", files read, files)``.
    A file that cannot be read (not well-formed, not TEI) links with nothing but the files it
    XIncludes: its error is its own. Raises nothing for bad files (the build reports them)."""
    tei_dir = Path(tei_dir)
    files = discover(tei_dir)
    parent = list(range(len(files)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    sizes, refers = [], []
    owner: dict[str, int] = {}  # a key a file declares -> the first file declaring it
    for i, path in enumerate(files):
        declares, refers_to, size = _keys(path, tei_dir)
        sizes.append(size)
        refers.append(refers_to)
        for key in declares:  # declared by two files: an id used twice, one document id, one work
            union(i, owner.setdefault(key, i))
        if progress:
            progress("planning", i + 1, len(files))
    for i, keys in enumerate(refers):  # a pointer joins its file with the file that declares what it names
        for key in keys:
            if key in owner:
                union(i, owner[key])
    last: dict[int, int] = {}  # component -> index of its last file
    for i in range(len(files)):
        last[find(i)] = i
    out = Plan(files)
    start, reach, size = 0, -1, 0
    for i in range(len(files)):
        reach = max(reach, last[find(i)])
        size += sizes[i]
        if reach == i and (size >= part_bytes or i == len(files) - 1):
            out.parts.append(files[start:i + 1])
            out.bytes.append(size)
            start, size = i + 1, 0
    return out


def parts_of_large(tei_dir: Path, progress: Callable[[str, int, int], None] | None = None) -> list[list[Path]] | None:
    """The parts to build the archive under ``tei_dir`` in, or None when it is better read
    whole: under ``PART_BYTES`` of TEI (the plan would cost more than it saves), or one part."""
    if sum(_size(f) for f in discover(tei_dir)) < PART_BYTES:
        return None
    found = plan(tei_dir, PART_BYTES, progress)
    return found.parts if len(found.parts) > 1 else None


def _real(path) -> str:
    return os.path.realpath(path)


def _keys(path: Path, tei_dir: Path) -> tuple[set[str], set[str], int]:
    """``(declares, refers, size)``: the keys a file declares (itself, its xml:ids, its
    documents' ids, their CTS works), those it refers to (the files it XIncludes and points
    into, the ids it names but does not declare), and the bytes of TEI it is made of."""
    included: set[Path] = set()
    sha256: dict = {}
    declares = {"file:" + _real(path)}
    try:
        tree = parse_file(path, tei_dir, included, [], sha256)
    except TEIError:
        return declares, {"file:" + _real(p) for p in included}, _size(path)
    keys = {"file:" + _real(p) for p in included}
    size = _size(path) + sum(_size(p) for p in included)
    root = tree.getroot()
    prefixes = pointers.prefix_defs(root)
    own = set()
    for el in root.iter():
        if isinstance(el.tag, str) and (xml_id := el.get(XML_ID)):
            own.add(xml_id)
    declares |= {"id:" + i for i in own}
    me = _real(path)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if name in _NOT_POINTERS:
                continue
            pointer_attr = name in pointers.POINTER_ATTRS
            for token in value.split():
                found = pointers.resolve(token, path, prefixes)
                if found is None:
                    if token.endswith(".xml") and ":" not in token:  # a whole file (a link to its document)
                        keys.add("file:" + _real(path.parent / token))
                    continue
                target, fragment = found
                real = _real(target)
                if real != me:
                    keys.add("file:" + real)
                elif fragment not in own and pointer_attr and pointers.is_bare(pointers.expand(token, prefixes)):
                    keys.add("id:" + fragment)  # a bare id is looked for in the file that declares it (pointers.find)
        # a speaker is an entity when any entity has the id its pointer ends with, whatever file
        # (or web address) the pointer names (registers.speaker_rows)
        for token in (el.get("who") or "").split():
            if (fragment := token.rsplit("#", 1)[-1]) and fragment not in own:
                keys.add("id:" + fragment)
        # a note's words may name passages of any file by their xml:ids (registers.split_pointers)
        if el.tag == _NOTE:
            keys |= {"id:" + i for i in ids_named("".join(el.itertext())) if i not in own}
    teis = root.xpath("descendant-or-self::tei:TEI", namespaces=NS) if local(root) == "teiCorpus" else [root]
    for n, tei in enumerate(teis, 1):
        if tei.find(f"{{{NS['tei']}}}text") is not None:
            declares.add("doc:" + derive_id(path, tei, n if len(teis) > 1 or local(root) == "teiCorpus" else None))
            urn = cts_urn(tei)
            if urn and urn.count(":") >= 3:
                declares.add("work:" + urn.rsplit(".", 1)[0])
    return declares, keys, size


def _size(path: Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
