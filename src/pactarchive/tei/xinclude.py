"""XInclude (W3C XInclude 1.1) done by us, never by libxml2, so that every file read goes
through one gate.

libxml2's own XInclude loads whatever URL it computes (``file:``, ``http:``, paths outside the
archive, at any depth); lxml's resolver hooks depend on the libxml2 version. Here each
``xi:include`` is resolved the way XInclude §4.1.1 says: ``href`` against the element's base
URI (``el.base``, libxml2's own ``xmlNodeGetBase``: ``xml:base`` of the element and its
ancestors applied to the file's path), and the resulting URL is the one that is read, with the
same safe parser as the including file. Rules:

- only a relative ``href`` with no scheme, no query and no fragment; the URL it resolves to
  (``xml:base`` applied) must have no scheme or host either: never the network, never ``file:``;
- the file it names (symbolic links resolved) must be inside the TEI directory;
- a refused or missing resource uses the include's ``xi:fallback`` (XInclude §4.4) with a
  warning, or is an error naming the file and line of the ``xi:include``;
- included files may include others, at most ``MAX_CHAIN`` deep, never in a loop, at most
  ``MAX_INCLUDES`` in all; the bytes read for one document, its inclusions counted every time
  they are included, stay within ``MAX_BYTES`` (the check of depth runs on the result).

``parse="text"`` (with ``encoding``, default UTF-8) and shorthand ``xpointer`` (an ``xml:id``,
or ``element(id)``) are supported.

What was read is recorded as it is read (``record``): the SHA-256 of the bytes of every file
included, None for one that was missing or could not be read, so that a build can say which
version of each file it is made of (not the version on disk when the build ends).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import Problem, TEIError
from . import TEI_NS

XI_NS = "http://www.w3.org/2001/XInclude"
INCLUDE = f"{{{XI_NS}}}include"
FALLBACK = f"{{{XI_NS}}}fallback"
MAX_CHAIN = 40  # a file included by a file included by ...; libxml2's own XInclude stops at 40 too
MAX_INCLUDES = 10_000  # inclusions in one document, repeats counted
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # XML 1.0 §2.2 Char
_XPOINTER_ID = re.compile(r"^(?:element\()?([^\s()/]+)\)?$")


class _Unavailable(Exception):
    """A resource error (XInclude §4.4): the include's xi:fallback may stand in for it."""


def record(sha256: dict | None, path: Path, digest: str | None) -> None:
    """Note in ``sha256`` (path -> SHA-256 hex of the bytes read; None: the file was missing or
    could not be read) what one read of ``path`` found. A file read twice in one build with
    different results (saved between the two reads) gets a value no file hashes to, unique to
    this read: whatever was made of it then matches no version of the file, and is remade."""
    if sha256 is None:
        return
    if path in sha256 and sha256[path] != digest:
        digest = f"changed while read ({os.urandom(8).hex()})"
    sha256[path] = digest


def file_sha256(path: Path) -> str | None:
    """SHA-256 hex of a file's bytes as they are now (read in blocks), None when it does not
    exist or cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def display(path: Path) -> str:
    """A path as messages show it: relative to the working directory where it can be."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Includer:
    """Expands the XIncludes of one document.

    ``read(path, name)`` reads and safely parses an included file (the caller's parser, with its
    size check); ``limit`` is the byte budget of the whole document after inclusion. Warnings
    (a fallback used) are appended to ``problems``; errors are raised as TEIError. ``loaded``
    collects the resolved paths of every file included. ``sha256`` (see ``record``) is told of
    every text file read and of every file named that is missing or cannot be read (``read``
    records the XML files it reads)."""

    def __init__(self, root_dir: Path, read, limit: int, problems: list[Problem] | None = None,
                 sha256: dict | None = None):
        self.root = Path(os.path.realpath(root_dir))
        self.read, self.limit = read, limit
        self.problems = problems if problems is not None else []
        self.sha256 = sha256
        self.loaded: set[Path] = set()
        self.fragments: set[Path] = set()  # the loaded files that are not TEI documents themselves
        self.size = 0
        self.count = 0
        self.top = ""

    def run(self, tree, path: Path, name: str, size: int) -> None:
        """Expand every xi:include of ``tree`` (the file ``path``, shown as ``name``, of
        ``size`` bytes) in place. Raises TEIError."""
        self.top, self.size = name, size
        self._expand(tree.getroot(), name, (Path(os.path.realpath(path)),))

    # -- walking ---------------------------------------------------------------------------

    def _expand(self, el, name: str, chain: tuple[Path, ...]) -> None:
        # outermost includes only: an include inside an xi:fallback counts only if the
        # fallback is used, and included content arrives already expanded
        for inc in _outermost(el):
            self._include(inc, name, chain)

    def _include(self, inc, name: str, chain: tuple[Path, ...]) -> None:
        href, line = inc.get("href", ""), inc.sourceline
        if inc.getparent() is None:
            raise TEIError(name, "the root element is an xi:include; include into an element of the document instead", line)
        parse = inc.get("parse", "xml")
        if parse not in ("xml", "text"):
            raise TEIError(name, f"xi:include parse=\"{parse}\" is not allowed; use parse=\"xml\" or parse=\"text\"", line)
        if not href:
            raise TEIError(name, "xi:include without href (an include from the same document) is not supported; "
                                 "give the file to include in href", line)
        try:
            target = self._resolve(inc, href)
            if parse == "text":
                _replace(inc, self._text(target, inc, name), [])
            else:
                _replace(inc, "", [self._xml(target, inc, name, chain)])
        except _Unavailable as why:
            fallback = inc.find(FALLBACK)
            if fallback is None:
                raise TEIError(name, f"XInclude of '{href}' refused: {why}. Include only files inside the TEI "
                                     "directory, by a relative path (or add an xi:fallback)" + self._into(name),
                               line) from None
            self.problems.append(Problem("warning", name, line,
                                         f"XInclude of '{href}' refused: {why}; its xi:fallback is used instead"))
            for child in list(fallback):
                if child.tag == INCLUDE:
                    self._include(child, name, chain)
                else:
                    self._expand(child, name, chain)
            _replace(inc, fallback.text or "", list(fallback))

    def _into(self, name: str) -> str:
        return "" if name == self.top else f" (this file is XIncluded into {self.top})"

    # -- resolving -------------------------------------------------------------------------

    def _resolve(self, inc, href: str) -> Path:
        """The file an include names (the URL libxml2 would load, xml:base applied), if the
        rules allow it. Raises _Unavailable saying why not."""
        if _SCHEME.match(href):
            raise _Unavailable("it is a URL")
        if href.startswith(("/", "\\")):
            raise _Unavailable("it is an absolute path")
        base = inc.base or ""
        url = urljoin(base, href)
        parts = urlsplit(url)
        if _SCHEME.match(url) or parts.netloc:
            raise _Unavailable(f"with the xml:base in effect here it resolves to the URL '{url}'")
        if parts.query or parts.fragment:
            raise _Unavailable("an href may not have a query or a #fragment (point into a file with xpointer)")
        target = Path(unquote(parts.path))
        real = Path(os.path.realpath(target))  # not Path.resolve: it raises on a symlink loop
        if real != self.root and self.root not in real.parents:
            raise _Unavailable(f"it resolves to {real}, outside the TEI directory {display(self.root)}")
        if not real.is_file():
            record(self.sha256, real, None)  # (the build changes when it arrives)
            raise _Unavailable(f"there is no such file {display(real)}")
        return real

    def _charge(self, target: Path, inc, name: str) -> None:
        self.count += 1
        try:
            self.size += target.stat().st_size
        except OSError as exc:
            record(self.sha256, target, None)
            raise _Unavailable(f"{display(target)} cannot be read ({exc.strerror or exc})") from None
        if self.count > MAX_INCLUDES:
            raise TEIError(name, f"more than {MAX_INCLUDES} XIncludes in one document; split it into smaller documents"
                           + self._into(name), inc.sourceline)
        if self.size > self.limit:
            raise TEIError(name, f"the document is over {self.limit} bytes with what it XIncludes (at least {self.size} "
                                 f"bytes when {display(target)} is included); the limit is {self.limit}. "
                                 "Split it into smaller documents" + self._into(name), inc.sourceline)

    # -- loading ---------------------------------------------------------------------------

    def _xml(self, target: Path, inc, name: str, chain: tuple[Path, ...]):
        if target in chain:
            loop = " → ".join(display(p) for p in chain[chain.index(target):] + (target,))
            raise TEIError(name, f"XInclude loop: {loop}; remove one of these includes" + self._into(name), inc.sourceline)
        if len(chain) > MAX_CHAIN:
            raise TEIError(name, f"XIncludes nested more than {MAX_CHAIN} deep (a file included by a file included by ...); "
                                 "include the innermost files directly" + self._into(name), inc.sourceline)
        self._charge(target, inc, name)
        sub_name = display(target)
        tree = self.read(target, sub_name)
        self.loaded.add(target)
        root = tree.getroot()
        if root.tag not in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus"):
            self.fragments.add(target)
        self._expand(root, sub_name, chain + (target,))
        root = tree.getroot()
        pointer = inc.get("xpointer")
        if pointer:
            m = _XPOINTER_ID.match(pointer.strip())
            if not m:
                raise TEIError(name, f"xpointer '{pointer}' is not supported; use the xml:id of the element to include",
                               inc.sourceline)
            found = root.xpath("//*[@xml:id=$id]", id=m.group(1))
            if not found:
                raise TEIError(name, f"xpointer '{pointer}': {sub_name} has no element with xml:id '{m.group(1)}'",
                               inc.sourceline)
            root = found[0]
        root.tail = None
        return root

    def _text(self, target: Path, inc, name: str) -> str:
        self._charge(target, inc, name)
        encoding = inc.get("encoding") or "utf-8"
        try:
            data = target.read_bytes()
        except OSError as exc:
            record(self.sha256, target, None)
            raise _Unavailable(f"{display(target)} cannot be read ({exc.strerror or exc})") from None
        record(self.sha256, target, hashlib.sha256(data).hexdigest())
        self.loaded.add(target)
        try:
            text = data.decode(encoding)
        except LookupError:
            raise TEIError(name, f"xi:include encoding '{encoding}' is not a known encoding; use e.g. encoding=\"UTF-8\"",
                           inc.sourceline) from None
        except UnicodeDecodeError as exc:
            raise TEIError(name, f"XInclude of '{inc.get('href')}' (parse=\"text\"): {display(target)} is not valid "
                                 f"{encoding} (byte {exc.start}); save it as {encoding} or give the xi:include the "
                                 "right encoding attribute", inc.sourceline) from None
        bad = _NOT_XML.search(text)
        if bad:
            raise TEIError(name, f"XInclude of '{inc.get('href')}' (parse=\"text\"): {display(target)} has a character "
                                 f"XML does not allow (U+{ord(bad.group()):04X} at character {bad.start()}); remove it",
                           inc.sourceline)
        return text


def _outermost(el) -> list:
    """The xi:include elements in ``el`` that are not inside another xi:include (those inside
    an xi:fallback are expanded only when the fallback is used)."""
    out = []
    for inc in el.iter(INCLUDE):
        up = inc.getparent()
        while up is not None and up is not el and up.tag != INCLUDE:
            up = up.getparent()
        if up is None or up is el:
            out.append(inc)
    return out


def _replace(inc, text: str, nodes: list) -> None:
    """Put ``text`` and then ``nodes`` where ``inc`` is, keeping its tail."""
    parent = inc.getparent()
    index = parent.index(inc)
    prev = inc.getprevious()
    tail = inc.tail or ""
    parent.remove(inc)
    for k, node in enumerate(nodes):
        parent.insert(index + k, node)
    before = text
    if prev is None:
        parent.text = (parent.text or "") + before
    else:
        prev.tail = (prev.tail or "") + before
    last = nodes[-1] if nodes else prev
    if tail:
        if last is None:
            parent.text = (parent.text or "") + tail
        else:
            last.tail = (last.tail or "") + tail
