"""A search's whole result list as rows for a historian's notes: JSON, or CSV with one row per
result and a group of columns per language (ref, text, permalink), so a Latvian sentence and
its English translation stand side by side in a spreadsheet (docs/api.md, "Export")."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Callable

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
_FORMULA = ("=", "+", "-", "@")  # a cell starting so is a formula to a spreadsheet (CSV injection)


def rows(data: dict, absolute: Callable[[str], str], passage_path: Callable[[str], str]) -> dict:
    """The export of ``data`` (the /api/search dict of every result): per result its type, lead
    ref and link, and every passage it holds (the lead first) with its language, text and
    absolute permalink. ``absolute(path)`` makes a URL absolute, ``passage_path(ref)`` is the
    path of a passage's permalink page."""
    results = []
    for n, hit in enumerate(data["hits"], 1):
        lead_link = absolute(hit["url"]) if hit["type"] in ("note", "register") else absolute(passage_path(hit["ref"]))
        held = [dict(_passage(hit, absolute, passage_path), permalink=lead_link, matched=True)]
        held += [_passage(a, absolute, passage_path) for a in hit["aligned"]]
        results.append({"result": n, "type": hit["type"], "ref": hit["ref"], "url": absolute(hit["url"]),
                        "score": hit.get("score"), "passages": held})
    return {"query": data["query"], "filters": data["filters"], "group": data["group"], "total": data["total"],
            "passages": data["passages"], "results": results}


def _passage(p: dict, absolute, passage_path) -> dict:
    return {"ref": p["ref"], "doc": p["doc"], "lang": p["lang"], "text": p["text"],
            "permalink": absolute(passage_path(p["ref"])), "reading": absolute(p["url"]),
            "matched": p.get("matched", True)}


def as_csv(export: dict) -> str:
    """CSV (RFC 4180, with a byte-order mark so that spreadsheets read it as UTF-8): one row per
    result; columns ``result, type, ref, link``, then ``ref (xx), text (xx), permalink (xx)``
    per language in order of appearance; several passages of one language in a result are
    joined by line breaks."""
    langs = list(dict.fromkeys(p["lang"] for r in export["results"] for p in r["passages"]))
    header = ["result", "type", "ref", "link"] + [f"{col} ({lang})" for lang in langs
                                                   for col in ("ref", "text", "permalink")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in export["results"]:
        row = [r["result"], r["type"], r["ref"], r["url"]]
        for lang in langs:
            ps = [p for p in r["passages"] if p["lang"] == lang]
            row += ["\n".join(p[col] for p in ps) for col in ("ref", "text", "permalink")]
        writer.writerow([_cell(c) for c in row])
    return "\ufeff" + out.getvalue()


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def filename(query: str, fmt: str) -> str:
    """``search-<the query in ASCII letters>.<fmt>`` (safe in a Content-Disposition header)."""
    ascii_ = unicodedata.normalize("NFKD", query).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-")[:40] or "results"
    return f"search-{slug}.{fmt}"
