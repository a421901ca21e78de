"""Lists served in pages: ``?page=`` (1-based) and ``?size=`` (default 100) keep a list's JSON
shape; where the list goes on is said in headers (RFC 8288 ``Link`` with first/prev/next/last,
and ``X-Total-Count``), as GitHub's API does."""

from __future__ import annotations

from flask import request, url_for

from ..errors import QueryError

DEFAULT_SIZE = 100
MAX_SIZE = 1000


def params(default: int | None = DEFAULT_SIZE) -> tuple[int, int | None]:
    """``(page, size)`` from the request; ``size`` is ``default`` when not given (None: the
    whole list). Raises QueryError (400) for values that are not whole numbers in range."""
    try:
        page = int(request.args.get("page", "1"))
        size = int(request.args["size"]) if "size" in request.args else default
    except ValueError:
        raise QueryError("page and size must be whole numbers, e.g. ?page=2&size=100") from None
    if page < 1 or (size is not None and not 1 <= size <= MAX_SIZE):
        raise QueryError(f"page must be 1 or more and size between 1 and {MAX_SIZE}")
    return page, size


def headers(page: int, size: int | None, total: int) -> dict[str, str]:
    """``Link`` (RFC 8288: first, prev, next, last of this route with the same arguments)
    and ``X-Total-Count``."""
    out = {"X-Total-Count": str(total)}
    if size is None:
        return out
    last = max(1, -(-total // size))
    rels = {"first": 1, "prev": page - 1 if page > 1 else None,
            "next": page + 1 if page < last else None, "last": last}
    args = dict(request.view_args or {}, **{k: v for k, v in request.args.items() if k not in ("page", "size")})
    links = [f'<{url_for(request.endpoint, **args, page=n, size=size)}>; rel="{rel}"'
             for rel, n in rels.items() if n is not None]
    out["Link"] = ", ".join(links)
    return out


def nav(endpoint: str, page: int, size: int, total: int, anchor: str = "",
        default: int = DEFAULT_SIZE) -> dict[str, str]:
    """The links of an HTML page's navigation to the previous and next page of its list
    (``{"prev"?, "next"?}``); ``size`` is left out of them when it is the list's ``default``."""
    return {rel: url_for(endpoint, page=n, size=size if size != default else None) + anchor
            for rel, n in (("prev", page - 1 if page > 1 else None), ("next", page + 1 if page * size < total else None))
            if n}
