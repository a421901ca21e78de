"""TEI pointers (``#id``, ``file.xml#id``, ``psn:p-aino``, bare ``p-aino``) resolved across the
files of a TEI directory.

* A prefixed pointer whose prefix a ``listPrefixDef/prefixDef`` of the file declares is first
  rewritten by it: ``matchPattern`` against what follows the colon, ``$1``… of
  ``replacementPattern`` filled in (TEI Guidelines §16.2.3 "Using Abbreviated Pointers").
* A bare id (no ``#``, no scheme, not a file name) names an element by its xml:id: in the same
  file, else the one file of the archive that declares it (as TEI Publisher writes them).
* Web addresses, undeclared prefixes (``wikidata:Q1``) and pointers to whole files are external.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from . import NS

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_FILE = re.compile(r"(^|/)[^/]*\.(xml|tei|html?|txt|pdf|jpe?g|png|gif|svg|tiff?|json|csv)$", re.I)
_DOLLAR = re.compile(r"\$(\d+)")
POINTER_ATTRS = ("ref", "corresp", "target", "who")

Prefixes = dict  # prefix ident -> [(compiled matchPattern, replacementPattern)], in document order


def prefix_defs(root) -> Prefixes:
    """The ``prefixDef`` declarations of a file (any ``listPrefixDef`` in it), by prefix.
    A ``matchPattern`` that is not a regular expression is left out."""
    out: Prefixes = {}
    for d in root.xpath("//tei:listPrefixDef/tei:prefixDef | //tei:prefixDef[not(parent::tei:listPrefixDef)]",
                        namespaces=NS):
        try:
            pattern = re.compile(d.get("matchPattern", ""))
        except re.error:
            continue
        out.setdefault(d.get("ident", ""), []).append((pattern, d.get("replacementPattern", "")))
    return out


def expand(pointer: str, prefixes: Prefixes | None = None) -> str:
    """``pointer`` rewritten by the first declared ``prefixDef`` of its prefix that matches it
    (else unchanged).

    >>> import re
    >>> expand("psn:p-aino", {"psn": [(re.compile("([a-z-]+)"), "people.xml#$1")]})
    'people.xml#p-aino'
    """
    m = _SCHEME.match(pointer)
    if not m or not prefixes or m.group(1) not in prefixes:
        return pointer
    rest = pointer[m.end():]
    for pattern, replacement in prefixes[m.group(1)]:
        found = pattern.fullmatch(rest)
        if found:
            return _DOLLAR.sub(lambda d: _group(found, int(d.group(1))), replacement)
    return pointer


def _group(match, n: int) -> str:
    return (match.group(n) or "") if n <= (match.re.groups) else ""


def is_bare(pointer: str) -> bool:
    """A pointer that is a bare xml:id (``p-aino``): no ``#``, no scheme, not a file name."""
    return bool(pointer) and "#" not in pointer and "/" not in pointer and not _SCHEME.match(pointer) \
        and not _FILE.search(pointer)


def resolve(pointer: str, from_file: Path, prefixes: Prefixes | None = None) -> tuple[Path, str] | None:
    """``(file, id)`` a local pointer names, or None for an external one (a URL, an undeclared
    prefixed pointer such as ``wikidata:Q1``, or a pointer to a whole file). A bare id is looked
    for in ``from_file`` (``find`` looks further).

    >>> resolve("#x", Path("/t/a.xml"))
    (PosixPath('/t/a.xml'), 'x')
    >>> resolve("reg.xml#mol", Path("/t/a.xml"))
    (PosixPath('/t/reg.xml'), 'mol')
    >>> resolve("p-aino", Path("/t/a.xml"))
    (PosixPath('/t/a.xml'), 'p-aino')
    >>> resolve("https://example.org/#x", Path("/t/a.xml")) is None
    True
    """
    pointer = expand(pointer, prefixes)
    if is_bare(pointer):
        return from_file, pointer
    if _SCHEME.match(pointer) or "#" not in pointer:
        return None
    file_part, _, frag = pointer.partition("#")
    if not frag:
        return None
    return (_file_target(from_file, file_part) if file_part else from_file), frag


@functools.lru_cache(maxsize=65536)
def _file_target(from_file: Path, file_part: str) -> Path:
    """The file ``file_part`` names from ``from_file`` (asked for every pointer to another
    file: a build resolves hundreds of thousands, and pathlib is not cheap)."""
    return Path(os.path.normpath(from_file.parent / file_part))


def find(pointer: str, from_file: Path, prefixes: Prefixes | None, ids: dict, first_id: dict):
    """The element a pointer names, or None. ``ids``: ``(file, xml:id) -> element`` of the
    archive; ``first_id``: ``xml:id -> (file, line)`` of its first declaration (for bare ids)."""
    key = resolve(pointer, from_file, prefixes)
    if key is None:
        return None
    found = ids.get(key)
    if found is None and is_bare(expand(pointer, prefixes)) and key[1] in first_id:
        found = ids.get((first_id[key[1]][0], key[1]))
    return found


def unresolved(pointer: str, from_file: Path, prefixes: Prefixes | None, ids: dict, first_id: dict,
               display=str, bare_names: bool = False) -> str | None:
    """Why a local pointer names nothing (the message of a warning), or None when it resolves or
    is external. ``display`` turns a path into the name a message shows. With ``bare_names`` (in
    a teiHeader, where ``change/@who="Lisa"`` is a name more often than an id) an unresolved
    bare word is not reported."""
    expanded = expand(pointer, prefixes)
    m = _SCHEME.match(pointer)
    if m and prefixes and m.group(1) in prefixes and expanded == pointer:
        return (f"the prefix '{m.group(1)}:' is declared (prefixDef) but no matchPattern matches "
                f"'{pointer[m.end():]}'")
    key = resolve(pointer, from_file, prefixes)
    if key is None or find(pointer, from_file, prefixes, ids, first_id) is not None:
        return None
    via = f" (by prefixDef: {expanded})" if expanded != pointer else ""
    if is_bare(expanded):
        if bare_names:
            return None
        return f"no element with xml:id '{key[1]}' in the archive{via}; write '#{key[1]}' or 'file.xml#{key[1]}'"
    where = "this file" if key[0] == from_file else display(key[0])
    return f"no element with xml:id '{key[1]}' in {where}{via}"
