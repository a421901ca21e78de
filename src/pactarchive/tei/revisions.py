"""The changes a TEI file records in ``teiHeader/revisionDesc`` (TEI Guidelines §2.6, "The
Revision Description"), as plain data, and the order of edition versions. Pure lxml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import NS, XML_ID

UNVERSIONED = "unversioned"


@dataclass(frozen=True)
class Change:
    version: str
    targets: tuple[str, ...]  # xml:ids
    when: str
    text: str
    id: str = ""  # the change's own xml:id, if it has one (an anchor for the changelog page)


def changes(tei, file_name: str) -> list[Change]:
    """The revisionDesc changes of a TEI element; targets are the xml:ids pointed at in this
    file (``#id`` or ``FILE#id`` with FILE this file's name)."""
    out = []
    for c in tei.xpath("tei:teiHeader/tei:revisionDesc//tei:change", namespaces=NS):
        ids = []
        for ptr in (c.get("target") or "").split():
            file, _, frag = ptr.partition("#")
            if frag and (not file or Path(file).name == file_name):
                ids.append(frag)
        out.append(Change(c.get("n", ""), tuple(ids), c.get("when", ""), " ".join("".join(c.itertext()).split()),
                          c.get(XML_ID, "")))
    return out


def version_key(version: str | None) -> tuple:
    """Sort key of an edition version: dotted numbers numerically, "unversioned" first.

    >>> version_key("1.10") > version_key("1.9") > version_key("unversioned")
    True
    """
    if not version or version == UNVERSIONED:
        return ()
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", version.strip()))
