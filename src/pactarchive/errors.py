"""Domain errors. Raised deep, turned into messages at exactly one boundary per interface
(the CLI wrapper and the web error handler)."""

from __future__ import annotations

from dataclasses import dataclass


class PactArchiveError(Exception):
    """Base class: every error here has a message fit for a user."""


@dataclass(frozen=True)
class Problem:
    """One finding about an input file: where it is, how bad, what to do."""

    severity: str  # "error" or "warning"
    file: str
    line: int | None
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"


class TEIError(PactArchiveError):
    """A file cannot be read as TEI (not well-formed, not TEI, unsafe, too large)."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None):
        self.problem = Problem("error", file, line, message, column)
        super().__init__(str(self.problem))


class CorpusError(PactArchiveError):
    """The corpus has errors (one or more Problems of severity "error")."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RefError(PactArchiveError):
    """A passage ref is malformed or does not resolve."""


class MalformedRef(RefError):
    """A ref does not follow the ref grammar (refs.py); the message states the grammar.
    The web layer answers 400, where an unknown but well-formed ref is 404."""


class UnknownDocument(RefError):
    """No document has this id."""


class UnknownPassage(RefError):
    """The document exists, the passage does not."""


class IndexMissing(PactArchiveError):
    """The search index has not been built."""


class QueryError(PactArchiveError):
    """A search query cannot be understood; the message says how to fix it."""


class SearchBusy(QueryError):
    """The search could not get its turn to expand wildcard and fuzzy words within its time
    budget (search/budget.py): the server is busy, not the query wrong; worth retrying."""
