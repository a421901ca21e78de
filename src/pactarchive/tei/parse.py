"""Safe XML parsing for files from anywhere.

No DTD is loaded, no entity is expanded, nothing is fetched from the network; files are bounded
in size and in nesting depth, both checked on the document after XInclude (xinclude.py: only
files inside the TEI directory). Whatever goes wrong reading a file (it cannot be opened, it is
not valid in its encoding, it is not well-formed, lxml fails in any other way) is raised as a
TEIError with file, line and column and what to do: never an OSError or a traceback.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from pathlib import Path

from lxml import etree

from ..errors import Problem, TEIError
from . import TEI_NS
from .xinclude import XI_NS, Includer, display, file_sha256, record

__all__ = ["MAX_BYTES", "MAX_DEPTH", "XI_NS", "parse_file", "parse_bytes", "declared_encoding", "display"]

MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 256
ROOTS = (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus")
PREDEFINED = "&amp; &lt; &gt; &quot; &apos;"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_file(path: Path, root_dir: Path | None = None, included: set | None = None,
               problems: list[Problem] | None = None, sha256: dict | None = None) -> etree._ElementTree:
    """Parse a TEI file safely and expand its XIncludes (only files inside ``root_dir``,
    default the file's folder). Resolved paths of included files are added to ``included``;
    warnings (entity references left out, an xi:fallback used) are appended to ``problems``.
    ``sha256`` (a dict) is given the SHA-256 hex of the bytes of every file read, when it is
    read (``xinclude.record``): ``path`` as given, included files by resolved path; None for an
    included file that was missing or could not be read. These are the versions the tree is
    made of, whatever the files on disk hold by the time the caller asks (even when this raises).

    Raises TEIError (with file, line and column) when the file cannot be read, is not valid in
    its encoding, is not well-formed, is too large or nested too deeply (after XInclude),
    includes what it may not, or is not TEI.
    """
    path = Path(path)
    name = display(path)
    problems = problems if problems is not None else []
    tree = _read(path, name, problems, sha256)
    root = tree.getroot()
    if root.tag not in ROOTS:  # checked first: a fragment is not expanded on its own
        raise TEIError(
            name,
            f"not a TEI document: the root element is <{etree.QName(root).localname}>"
            f" in namespace '{etree.QName(root).namespace or ''}'; expected <TEI> or <teiCorpus>"
            f" in {TEI_NS}.",
            root.sourceline,
        )
    includer = Includer(root_dir or path.parent, lambda p, n: _read(p, n, problems, sha256), MAX_BYTES, problems,
                        sha256)
    ok = False
    try:
        includer.run(tree, path, name, _size(path, name))
        _check_depth(tree, name, bool(includer.loaded))
        ok = True
    finally:
        # what this file includes is part of it, not a document of its own; when it fails, only
        # the fragments (not whole TEI files, whose own problems must still be heard)
        if included is not None:
            included.update(includer.loaded if ok else includer.fragments)
    return tree


def _size(path: Path, name: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise TEIError(name, f"cannot be read: {exc.strerror or exc}; check that the file exists and is readable") from None


def _read(path: Path, name: str, problems: list[Problem], sha256: dict | None = None) -> etree._ElementTree:
    """Read and parse one file (no XInclude); entity references left out become warnings.
    The SHA-256 of the bytes read goes to ``sha256`` (``xinclude.record``) before they are
    parsed: a file that is not well-formed is recorded too (its error belongs to that version)."""
    try:
        size = path.stat().st_size
        data = None if size > MAX_BYTES else path.read_bytes()
    except OSError as exc:
        record(sha256, path, None)
        raise TEIError(name, f"cannot be read: {exc.strerror or exc}; check that the file exists and is readable") from None
    if data is None:
        record(sha256, path, file_sha256(path))  # the version the error is about
        raise TEIError(name, f"file is {size} bytes; the limit is {MAX_BYTES}. Split it into smaller documents.")
    record(sha256, path, hashlib.sha256(data).hexdigest())
    tree = _parse(data, name, os.path.realpath(path))
    problems.extend(_entity_warnings(tree, name))
    return tree


def parse_bytes(data: bytes, name: str = "<string>") -> etree._ElementTree:
    """Parse XML held in memory with the same safety settings (no XInclude). Raises TEIError."""
    tree = _parse(data, name, None)
    _check_depth(tree, name)
    return tree


def _parse(data: bytes, name: str, url: str | None) -> etree._ElementTree:
    try:
        root = etree.fromstring(data, _parser(), base_url=url)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, None)
        raise TEIError(name, _explain(exc.msg or "", data), line, col) from None
    except (etree.LxmlError, ValueError, OSError, RecursionError, MemoryError) as exc:
        # lxml may raise these for input libxml2 gives up on; a hostile file must not escape as a traceback
        raise TEIError(name, f"cannot be parsed ({exc.__class__.__name__}: {exc}); check that it is an XML file") from None
    return root.getroottree()


def _explain(msg: str, data: bytes) -> str:
    """libxml2's message, made actionable."""
    msg = msg.rsplit(", line", 1)[0].strip()
    if "Excessive depth" in msg:
        return f"elements nested deeper than {MAX_DEPTH} levels; flatten the markup."
    dup = re.match(r"ID (\S+) already defined", msg)
    if dup:
        first = _first_line_of(data, dup.group(1))
        where = f" (first at line {first})" if first else ""
        return f"xml:id '{dup.group(1)}' is used twice{where}; make each xml:id unique."
    if "Invalid bytes in character encoding" in msg or "not proper UTF-8" in msg:
        return (f"bytes that are not valid {declared_encoding(data)} ({msg}); save the file as UTF-8, or declare "
                "its real encoding in the XML declaration (<?xml version=\"1.0\" encoding=\"...\"?>).")
    if msg.startswith("Unsupported encoding"):
        return f"{msg}; declare an encoding such as UTF-8 in the XML declaration, or save the file as UTF-8."
    entity = re.match(r"Entity '([^']+)' not defined", msg)
    if entity:
        return (f"the entity &{entity.group(1)}; is not declared (without a DTD only {PREDEFINED} may be used, "
                "XML 1.0 §4.1); write the character itself or a character reference such as &#x2014;.")
    return f"not well-formed XML: {msg}. Fix the XML and build again."


def _first_line_of(data: bytes, xml_id: str) -> int | None:
    pattern = re.compile(rb"xml:id\s*=\s*[\"']" + re.escape(xml_id.encode("utf-8")) + rb"[\"']")
    for number, line in enumerate(data.splitlines(), 1):
        if pattern.search(line):
            return number
    return None


def _entity_warnings(tree, name: str) -> list[Problem]:
    """Entity references are never expanded (no DTD is read): each one left in the tree would
    vanish from the text, so say where, one warning per entity name."""
    seen: dict[str, list[int | None]] = {}
    for ent in tree.getroot().iter(etree.Entity):
        seen.setdefault(ent.name, []).append(ent.sourceline)
    out = []
    for entity, lines in seen.items():
        times = f" ({len(lines)} times; first here)" if len(lines) > 1 else ""
        out.append(Problem("warning", name, lines[0],
                           f"the entity reference &{entity};{times} is not expanded (no DTD is read and no entity "
                           "is expanded, for safety), so its text is missing; write the text or character itself"))
    return out


def _check_depth(tree, name: str, included: bool = False) -> None:
    # libxml2 refuses a single file nested deeper than 256 without huge_tree; XInclude can
    # nest files inside files, so the depth is counted again on the whole document
    depth = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        if depth > MAX_DEPTH + 1:
            after = " with what it XIncludes" if included else ""
            raise TEIError(name, f"elements nested deeper than {MAX_DEPTH} levels{after}; flatten the markup",
                           el.sourceline)


_BOMS = ((codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF8, "UTF-8"),
         (codecs.BOM_UTF16_BE, "UTF-16"), (codecs.BOM_UTF16_LE, "UTF-16"))
_DECLARATION = re.compile(rb"^<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._\-]*)[\"']")


def declared_encoding(data: bytes) -> str:
    """The character encoding of an XML file's bytes, as XML 1.0 Appendix F detects it: a
    byte-order mark, else UTF-16 without one ('<?' in two bytes), else the XML declaration's
    ``encoding``, else UTF-8. For the charset of a download; the name is the one declared."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if data[:4] in (b"\x00<\x00?", b"<\x00?\x00"):
        return "UTF-16BE" if data[0] == 0 else "UTF-16LE"
    m = _DECLARATION.match(data[:256])
    return m.group(1).decode("ascii") if m else "UTF-8"
