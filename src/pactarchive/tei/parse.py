"""Safe XML parsing for files from anywhere.

No DTD is loaded, no entity is expanded, nothing is fetched from the network; files are bounded
in size and (by libxml2) in nesting depth; XInclude is honoured only for files inside the TEI
directory.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..errors import TEIError
from . import TEI_NS

MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 256
XI_NS = "http://www.w3.org/2001/XInclude"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_file(path: Path, root_dir: Path | None = None, included: set | None = None) -> etree._ElementTree:
    """Parse a TEI file safely. Paths it XIncludes are added to ``included``.

    Raises TEIError (with file, line and column) when the file is too large, not well-formed,
    nested too deeply, includes a file outside ``root_dir``, or is not TEI.
    """
    name = str(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise TEIError(name, f"file is {size} bytes; the limit is {MAX_BYTES}. Split it into smaller documents.")
    try:
        tree = etree.parse(str(path), _parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, None)
        raise TEIError(name, _explain(exc.msg or "", path), line, col) from None
    _check_depth(tree, name)
    _xinclude(tree, path, root_dir or path.parent, name, included if included is not None else set())
    root = tree.getroot()
    if root.tag not in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus"):
        raise TEIError(
            name,
            f"not a TEI document: the root element is <{etree.QName(root).localname}>"
            f" in namespace '{etree.QName(root).namespace or ''}'; expected <TEI> or <teiCorpus>"
            f" in {TEI_NS}.",
            root.sourceline,
        )
    return tree


def _explain(msg: str, path: Path) -> str:
    """libxml2's message, made actionable."""
    msg = msg.rsplit(", line", 1)[0]
    if "Excessive depth" in msg:
        return f"elements nested deeper than {MAX_DEPTH} levels; flatten the markup."
    dup = re.match(r"ID (\S+) already defined", msg)
    if dup:
        first = _first_line_of(path, dup.group(1))
        where = f" (first at line {first})" if first else ""
        return f"xml:id '{dup.group(1)}' is used twice{where}; make each xml:id unique."
    return f"not well-formed XML: {msg}. Fix the XML and build again."


def _first_line_of(path: Path, xml_id: str) -> int | None:
    pattern = re.compile(r"xml:id\s*=\s*[\"']" + re.escape(xml_id) + r"[\"']")
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if pattern.search(line):
                return number
    return None


def parse_bytes(data: bytes, name: str = "<string>") -> etree._ElementTree:
    """Parse XML held in memory with the same safety settings (no XInclude)."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, None)
        raise TEIError(name, f"not well-formed XML: {exc.msg}", line, col) from None
    tree = root.getroottree()
    _check_depth(tree, name)
    return tree


def _check_depth(tree, name: str) -> None:
    # libxml2 already refuses documents nested deeper than 256 without huge_tree; this keeps
    # the guarantee explicit and independent of the library version.
    for el in tree.iter():
        depth = sum(1 for _ in el.iterancestors())
        if depth > MAX_DEPTH:
            raise TEIError(name, f"elements nested deeper than {MAX_DEPTH} levels", el.sourceline)


def _xinclude(tree, path: Path, root_dir: Path, name: str, included: set) -> None:
    includes = tree.getroot().findall(f".//{{{XI_NS}}}include")
    if not includes:
        return
    root_dir = root_dir.resolve()
    for inc in includes:
        href = inc.get("href", "")
        if "://" in href or href.startswith("/"):
            raise TEIError(name, f"XInclude of '{href}' refused: only relative files inside the TEI directory may be included.", inc.sourceline)
        target = (path.parent / href).resolve()
        if root_dir not in target.parents:
            raise TEIError(name, f"XInclude of '{href}' refused: it is outside the TEI directory {root_dir}.", inc.sourceline)
        if not target.is_file():
            raise TEIError(name, f"XInclude of '{href}': no such file {target}.", inc.sourceline)
        included.add(target)
    try:
        tree.xinclude()
    except etree.XIncludeError as exc:
        raise TEIError(name, f"XInclude failed: {exc}") from None
