"""BibTeX and RIS from a passage's CSL-JSON record (the record is the single source).

BibTeX: ``@incollection`` with biblatex's ``version``, ``urldate`` and ``translator`` fields;
classic BibTeX ignores those, so ``note`` repeats the ref, the version and the access date.
RIS: ``TY - CHAP`` with the tags Zotero reads for a book section (T2 book title, A2 editor,
A4 translator, ET edition, Y2 access date).
"""

from __future__ import annotations

import re

from .csl import accessed_date, names, year

_BIB_SPECIAL = re.compile(r"([\\{}%&$#_~^])")
_BIB_REPLACE = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_KEY_BAD = re.compile(r"[^A-Za-z0-9:._\-]")


def bib_escape(value: str) -> str:
    r"""Escape LaTeX's special characters.

    >>> bib_escape("50% & {x}_1")
    '50\\% \\& \\{x\\}\\_1'
    """
    return _BIB_SPECIAL.sub(lambda m: _BIB_REPLACE.get(m.group(1), "\\" + m.group(1)), value)


def _bib_names(values: list[str]) -> str:
    # each name is a literal (often an organisation): braces keep BibTeX from splitting it
    return " and ".join("{" + bib_escape(v) + "}" for v in values)


def note(rec: dict) -> str:
    d = accessed_date(rec)
    return f"Passage {rec['id']}, edition version {rec['version']}. Accessed {d.isoformat()}."


def bibtex(rec: dict) -> str:
    """One ``@incollection`` entry whose key is the ref."""
    fields = [("title", bib_escape(rec["title"])), ("booktitle", bib_escape(rec["container-title"]))]
    for field, variable in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        if rec.get(variable):
            fields.append((field, _bib_names(names(rec, variable))))
    fields += [("version", bib_escape(rec["version"])), ("year", year(rec)),
               ("publisher", bib_escape(rec["publisher"])), ("url", rec["URL"]),
               ("urldate", accessed_date(rec).isoformat()), ("language", rec.get("language")),
               ("note", bib_escape(note(rec)))]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@incollection{{{_KEY_BAD.sub('_', rec['id'])},\n{body}\n}}\n"


def ris(rec: dict) -> str:
    """One RIS record (lines ``TAG  - value``, ending with ``ER  - ``)."""
    d = accessed_date(rec)
    lines = [("TY", "CHAP"), ("ID", rec["id"]), ("TI", rec["title"]), ("T2", rec["container-title"])]
    for tag, variable in (("AU", "author"), ("A2", "editor"), ("A4", "translator")):
        lines += [(tag, n) for n in names(rec, variable)]
    lines += [("ET", f"version {rec['version']}"), ("PY", year(rec)), ("PB", rec["publisher"]),
              ("UR", rec["URL"]), ("Y2", f"{d.year}/{d.month:02d}/{d.day:02d}"),
              ("LA", rec.get("language")), ("N1", note(rec))]
    out = [f"{tag}  - {' '.join(str(v).split())}" for tag, v in lines if v]
    return "\n".join(out + ["ER  - ", ""])
