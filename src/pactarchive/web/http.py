"""The HTTP surface every response shares: security headers, trusted hosts, CORS, caching
(ETags, 304s, Cache-Control, fingerprinted static files), compression and the search rate limit.

``init_app(app)`` is called once by ``create_app``; views know nothing of it.

| concern | rule | source |
|---|---|---|
| CSP | pages: only this origin's files (no inline script or style, no other host); every other response (JSON, TEI, text) ``default-src 'none'; sandbox``, so a ``<script>`` inside a TEI file never runs | CSP Level 3 §6 |
| framing | ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` | CSP Level 3 §6.4.2 |
| sniffing, referrer | ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin`` | Fetch §3.5, Referrer Policy §3 |
| hosts | ``Host`` must be trusted (``PACTARCHIVE_TRUSTED_HOSTS``, else loopback names, the address ``serve`` binds to and the host of ``PACTARCHIVE_BASE_URL``); anything else → 400 | Flask ``TRUSTED_HOSTS`` |
| CORS | ``Access-Control-Allow-Origin: *`` on the read-only ``/api/`` and ``/tei/`` | Fetch §3.2 |
| ETag | strong, known **before the view runs**: the served generation, the code, the URL, the UI language and whatever else the body varies with (``view_tag``); ``If-None-Match`` naming it → 304 without rendering. Responses it cannot describe: the generation and a SHA-256 of the body | RFC 9110 §8.8.3, §13.1.2 |
| Cache-Control | pages and API ``no-cache`` (revalidate: URLs outlive generations); static files under their content hash ``immutable``; errors 429/5xx ``no-store`` | RFC 9111 §5.2, RFC 8246 |
| compression | gzip, brotli, zstd by Flask-Compress, ``Vary: Accept-Encoding`` | RFC 9110 §8.4 |
| rate limit | search (``/search``, ``/api/search``) per client address, Flask-Limiter with memory storage; 429 with ``Retry-After`` | RFC 6585 §4 |
"""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path
from urllib.parse import urlsplit

from flask import after_this_request, current_app, g, request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ..config import Settings
from . import openapi, searching

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SANDBOX_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")
WILDCARD_BINDS = ("0.0.0.0", "::", "")
CORS_PREFIXES = ("/api/", "/tei/")
CORS_EXPOSED = "ETag, Link, X-Total-Count, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
SEARCH_RATE_LIMIT = "120 per minute"
IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSED = ["text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
              "application/json", "application/xml", "application/tei+xml", "image/svg+xml", "text/csv"]


def init_app(app) -> None:
    """Install the hooks. Reads from ``app.config`` (defaults from Settings, i.e. the
    environment): ``TRUSTED_HOSTS_LIST`` (comma-separated names; ``*`` trusts every host),
    ``BIND_HOST`` (the address ``serve`` binds), ``BASE_URL``, ``SEARCH_RATE_LIMIT`` (a
    Flask-Limiter rate string such as ``"120 per minute"``), ``RATELIMIT_ENABLED`` (default: on,
    off for a TESTING app)."""
    settings = Settings()
    app.config.setdefault("TRUSTED_HOSTS_LIST", settings.trusted_hosts)
    app.config.setdefault("SEARCH_RATE_LIMIT", settings.search_rate_limit or SEARCH_RATE_LIMIT)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config["TRUSTED_HOSTS_LIST"], app.config.get("BIND_HOST"),
                                                app.config.get("BASE_URL"))
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])  # static files are streamed
    app.config.setdefault("RATELIMIT_ENABLED", not app.config.get("TESTING"))
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    Compress(app)  # its after_request runs after ours (Flask runs them last-registered first)
    limiter = Limiter(get_remote_address, app=app)
    # search costs the most per request: one budget per client shared by every search route
    limiter.shared_limit(lambda: current_app.config["SEARCH_RATE_LIMIT"], scope="search")(searching.bp)
    app.url_defaults(_fingerprint_static)
    app.register_blueprint(openapi.bp)
    app.before_request(_not_modified)  # after the limiter's: a search over the limit still gets its 429
    app.after_request(_headers)


def trusted_hosts(listed: str | None, bind_host: str | None, base_url: str | None) -> list[str] | None:
    """The host names a request may name in ``Host`` (None: any). ``listed`` (comma-separated)
    replaces the default of the loopback names plus ``bind_host``; the host of ``base_url`` is
    always trusted. A wildcard bind (0.0.0.0, ::) adds this machine's host names.

    >>> trusted_hosts(None, "192.0.2.7", "https://pact.example.org/edition")
    ['localhost', '127.0.0.1', '::1', '[::1]', '192.0.2.7', 'pact.example.org']
    >>> trusted_hosts("*", None, None) is None
    True
    """
    names = [h.strip() for h in (listed or "").split(",") if h.strip()]
    if "*" in names:
        return None
    if not names:
        names = list(LOOPBACK)
        if bind_host in WILDCARD_BINDS:
            names += [socket.gethostname(), socket.getfqdn()]
        elif bind_host:
            names.append(bind_host)
    if base_url and urlsplit(base_url).hostname:
        names.append(urlsplit(base_url).hostname)
    return list(dict.fromkeys(names))


# -- static files under their content hash ----------------------------------------------------

_hashes: dict[tuple[str, int, int], str] = {}


def static_hash(app, filename: str) -> str | None:
    """The first 12 hex digits of the SHA-256 of a static file (cached per size and mtime), or
    None when there is no such file."""
    path = Path(app.static_folder or "", filename)
    try:
        st = path.stat()
    except OSError:
        return None
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _hashes:
        _hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _hashes[key]


def _fingerprint_static(endpoint: str, values: dict) -> None:
    """``url_for('static', filename=...)`` gains ``?v=<content hash>``: a changed file gets a
    new URL, so the old one can be cached for ever."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        digest = static_hash(current_app, values["filename"])
        if digest:
            values["v"] = digest


# -- every response --------------------------------------------------------------------------

def _headers(response):
    h = response.headers
    html = response.mimetype == "text/html"
    h.setdefault("Content-Security-Policy", PAGE_CSP if html else SANDBOX_CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.path.startswith(CORS_PREFIXES):
        h["Access-Control-Allow-Origin"] = "*"
        h["Access-Control-Expose-Headers"] = CORS_EXPOSED
        if request.method == "OPTIONS":
            h["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            h["Access-Control-Allow-Headers"] = "If-None-Match, Accept, Accept-Language"
            h["Access-Control-Max-Age"] = "86400"
    return _caching(response)


def _caching(response):
    """Cache-Control for every response; a strong ETag and a 304 for a successful GET."""
    status = response.status_code
    if status == 429 or status >= 500:
        response.headers["Cache-Control"] = "no-store"
        return response
    if request.endpoint == "static":
        fresh = request.args.get("v") and request.args.get("v") == static_hash(current_app, request.view_args.get("filename", ""))
        response.headers["Cache-Control"] = IMMUTABLE if fresh and status in (200, 304) else "no-cache"
        return response
    response.headers.setdefault("Cache-Control", "no-cache")
    if status != 200 or request.method not in ("GET", "HEAD"):
        return response
    if "ETag" not in response.headers:
        if response.is_streamed:  # a view that streams sets its own tag (see ``tag``)
            return response
        response.set_etag(etag(response.get_data()))
    return _conditional(response)


def etag(body: bytes) -> str:
    """A strong entity tag: the served generation's id and the SHA-256 of the body, so two
    representations share a tag only when they are byte for byte the same (RFC 9110 §8.8.3).
    For a TEI download the body is the document, so the tag is the document's hash."""
    return tag(hashlib.sha256(body).hexdigest())


def tag(sha256_hex: str) -> str:
    """The entity tag of a body whose SHA-256 (hex) is known without reading it, e.g. a TEI
    file streamed from disk whose hash the index manifest records: a view sets it with
    ``response.set_etag(tag(sha))`` and the 304 logic here still applies."""
    return f"{generation_id()}-{sha256_hex[:32]}"


def generation_id() -> str:
    """A short id of the index generation being served ("none" before the first build): the
    one this request's Edition belongs to, else the one ``index/CURRENT`` names."""
    served = g.get("edition")
    if served is not None:
        name = served.generation
    else:
        from ..search import current_generation
        gen = current_generation(current_app.config["INDEX_DIR"])
        name = gen.name if gen else None
    return hashlib.sha256(name.encode()).hexdigest()[:8] if name else "none"


# -- 304 before the view runs -----------------------------------------------------------------

_code: list[str] = []


def code_version() -> str:
    """A SHA-256 (hex, 12 digits) of every file of the pactarchive package (code, templates,
    static files, translations), computed once per process: a new release changes every
    pre-view tag, since it may render the same generation differently."""
    if not _code:
        root = Path(__file__).resolve().parents[1]
        h = hashlib.sha256()
        for f in sorted(root.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
        _code.append(h.hexdigest()[:12])
    return _code[0]


def is_page() -> bool:
    """Whether this request's answer is an HTML page (what varies with the UI language, and
    what ``Vary: Accept-Language, Cookie`` is said of): every route but the JSON API, TEI and
    the downloads, and besides ``/api`` (the API's own page) and a DTS document asked for as
    HTML."""
    path = request.path
    if path == "/api" or (request.endpoint == "dts.document" and request.args.get("mediaType") == "text/html"):
        return True
    return not (path.startswith(("/api/", "/tei/")) or path.endswith((".xml", ".txt", ".csv", ".json")))


def view_tag() -> str | None:
    """The strong entity tag of the answer to this GET, computed without running the view:
    ``<generation>-<key>[-<ui language>]``. The key is a SHA-256 of what the body is made of
    besides the generation: the code (``code_version``), the URL with its query, the base of
    absolute links (``BASE_URL``, else the request's scheme and host), today's date in UTC
    (citations carry the access date) and the UI language (``?ui=``, the ``ui`` cookie,
    ``Accept-Language``; a page's tag ends in it, and pages and ``LOCALISED`` JSON say
    ``Vary: Accept-Language, Cookie``). A TEI download's key is its
    document's SHA-256, as the manifest records it. None where the answer is not a function
    of these (static files, other methods, an unknown document)."""
    if request.method not in ("GET", "HEAD") or request.endpoint in (None, "static"):
        return None
    from . import edition
    from ..cite import today
    from ..errors import IndexMissing
    from ..search import current_generation
    from ..store import STORE_FILE
    gen = current_generation(current_app.config["INDEX_DIR"]) if g.get("edition") is None else None
    if g.get("edition") is None and (gen is None or not (gen / STORE_FILE).is_file()):
        return None  # no edition store yet: the view builds one or says what is missing (503), untagged
    try:
        served = edition()  # picks the generation (and, with WATCH_TEI, notices changed files first)
    except IndexMissing:  # the view says so (or does not need one: /accessibility, the OpenAPI)
        return None
    if request.endpoint == "api.tei_source":
        row = served._one("SELECT sha256 FROM documents WHERE id = ?", (request.view_args.get("doc_id"),))
        return tag(row[0]) if row and row[0] else None
    from .i18n import ui_lang
    base = current_app.config.get("BASE_URL") or request.host_url
    lang = ui_lang()  # in every key, so a JSON answer in the UI language (LOCALISED) is covered too
    parts = [code_version(), request.path, request.query_string.decode("latin-1"), base, today().isoformat(), lang]
    key = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{generation_id()}-{key}" + (f"-{lang}" if is_page() else "")


LOCALISED = ("accessibility.api",)  # JSON answers in the UI language: they vary as pages do


def _vary_language(response) -> None:
    if request.endpoint in LOCALISED:
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")


def _not_modified():
    """A before-request hook: a conditional GET naming this request's ``view_tag`` (or the
    tag Flask-Compress gives its compressed body) is answered 304 before the view runs; any
    other answer of the view gets the tag (``_tag_answer``)."""
    found = view_tag()
    if found is None:
        return None
    page = is_page()

    @after_this_request
    def _tag_answer(response):
        # only a 200 of the kind announced (a page or not) gets the tag: its Vary must match
        if (response.status_code == 200 and "ETag" not in response.headers
                and (response.mimetype == "text/html") == page):
            response.set_etag(found)
        _vary_language(response)
        return response

    sent = request.if_none_match
    if not sent:
        return None
    for suffix in ("", ":br", ":gzip", ":deflate"):
        if sent.contains(found + suffix):
            from flask import Response
            answer = Response(status=304, mimetype="text/html" if page else "application/json")
            answer.set_etag(found + suffix)
            return answer
    return None


def _conditional(response):
    """304 when ``If-None-Match`` names this ETag, or the ETag Flask-Compress will give the
    compressed body (``<etag>:gzip``): a revalidation then costs no compression."""
    tag, _ = response.get_etag()
    sent = request.if_none_match
    if not sent:
        return response
    for suffix in ("", ":br", ":gzip"):
        if sent.contains(tag + suffix):
            if suffix:
                response.set_etag(tag + suffix)
            break
    return response.make_conditional(request)
