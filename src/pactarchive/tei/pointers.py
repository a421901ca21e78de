"""TEI pointers (``#id``, ``file.xml#id``) resolved across the files of a TEI directory."""

from __future__ import annotations

import os
import re
from pathlib import Path

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
POINTER_ATTRS = ("ref", "corresp", "target", "who")


def resolve(pointer: str, from_file: Path) -> tuple[Path, str] | None:
    """``(file, id)`` a local pointer names, or None for an external one (a URL, a prefixed
    pointer such as ``wikidata:Q1``, or a pointer to a whole file).

    >>> resolve("#x", Path("/t/a.xml"))
    (PosixPath('/t/a.xml'), 'x')
    >>> resolve("reg.xml#mol", Path("/t/a.xml"))
    (PosixPath('/t/reg.xml'), 'mol')
    >>> resolve("https://example.org/#x", Path("/t/a.xml")) is None
    True
    """
    if _SCHEME.match(pointer) or "#" not in pointer:
        return None
    file_part, _, frag = pointer.partition("#")
    if not frag:
        return None
    target = Path(os.path.normpath(from_file.parent / file_part)) if file_part else from_file
    return target, frag
