"""Dependencies point one way: tei knows nothing of the rest; only search imports whoosh;
only web imports flask; nothing below web imports web; every route is documented."""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "pactarchive"
DOCS = Path(__file__).resolve().parent.parent / "docs"


def imports(path: Path) -> set[str]:
    """Absolute module names imported by a file (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = ".".join(("pactarchive",) + path.relative_to(SRC).parent.parts)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            else:
                found.add(node.module or "")
    return found


def files_in(sub: str):
    return sorted((SRC / sub).rglob("*.py")) if (SRC / sub).is_dir() else [SRC / sub]


RULES = [
    ("tei", ("flask", "whoosh", "pactarchive.web", "pactarchive.search", "pactarchive.corpus",
             "pactarchive.render", "pactarchive.cli")),
    ("corpus.py", ("flask", "whoosh", "pactarchive.web", "pactarchive.search", "pactarchive.render")),
    ("crosslinks.py", ("flask", "whoosh", "pactarchive.web", "pactarchive.search", "pactarchive.render",
                       "pactarchive.corpus")),
    ("registers.py", ("flask", "whoosh", "pactarchive.web", "pactarchive.search", "pactarchive.render")),
    ("search", ("flask", "pactarchive.web", "pactarchive.render")),
    ("render", ("flask", "whoosh", "pactarchive.web", "pactarchive.search")),
    ("cite", ("flask", "whoosh", "pactarchive.web", "pactarchive.search", "pactarchive.render")),
    ("dts", ("flask", "whoosh", "pactarchive.web", "pactarchive.search", "pactarchive.cli")),
    ("web", ("whoosh",)),
]


@pytest.mark.parametrize("sub,forbidden", RULES)
def test_dependency_direction(sub, forbidden):
    for path in files_in(sub):
        if not path.exists():
            continue
        bad = {m for m in imports(path) if any(m == f or m.startswith(f + ".") for f in forbidden)}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_every_route_is_documented(app):
    documented = (DOCS / "api.md").read_text(encoding="utf-8")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        route = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"<\1>", rule.rule)
        assert f"`{route}`" in documented or f"`GET {route}`" in documented, f"{route} is not in docs/api.md"
