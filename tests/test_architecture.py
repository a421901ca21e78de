"""Dependencies point one way: tei knows nothing of the rest; only search imports whoosh;
only web imports flask; nothing below web imports web; every route is documented. The order
(each imports only what is to its right): cli -> web -> cite -> incremental -> build -> store -> search, render ->
corpus, crosslinks -> tei; refs, errors, config at the bottom. Every module is covered."""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "pactarchive"
DOCS = Path(__file__).resolve().parent.parent / "docs"


def imports(path: Path, source: str | None = None) -> set[str]:
    """Absolute module names imported by a file (relative imports resolved); ``source``
    stands for the file's text when given."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    pkg = ".".join(("pactarchive",) + path.relative_to(SRC).parent.parts)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # `from .. import web` imports the module pactarchive.web: count each name as a
            # possible submodule too
            found |= {f"{module}.{a.name}" for a in node.names}
    return found


def files_in(sub: str):
    return sorted((SRC / sub).rglob("*.py")) if (SRC / sub).is_dir() else [SRC / sub]


ABOVE_STORE = ("pactarchive.web", "pactarchive.cite", "pactarchive.cli", "pactarchive.build", "pactarchive.incremental")
ABOVE_CORPUS = ABOVE_STORE + ("pactarchive.store", "pactarchive.search", "pactarchive.render")
RULES = [
    ("tei", ("flask", "whoosh", "pactarchive.corpus", "pactarchive.crosslinks") + ABOVE_CORPUS),
    ("corpus.py", ("flask", "whoosh") + ABOVE_CORPUS),
    ("crosslinks.py", ("flask", "whoosh", "pactarchive.corpus") + ABOVE_CORPUS),
    ("parts.py", ("flask", "whoosh") + ABOVE_CORPUS),
    ("search", ("flask", "pactarchive.render") + ABOVE_STORE + ("pactarchive.store",)),
    ("render", ("flask", "whoosh", "pactarchive.search") + ABOVE_STORE + ("pactarchive.store",)),
    ("store", ("flask", "whoosh") + ABOVE_STORE),
    ("build.py", ("flask", "pactarchive.web", "pactarchive.cite", "pactarchive.cli", "pactarchive.incremental")),
    ("incremental.py", ("flask", "whoosh", "pactarchive.web", "pactarchive.cite", "pactarchive.cli")),
    ("registers.py", ("flask", "whoosh", "pactarchive.search") + ABOVE_STORE + ("pactarchive.store",)),
    ("dts", ("flask", "whoosh", "pactarchive.web", "pactarchive.cli", "pactarchive.search")),
    ("changelog.py", ("flask", "whoosh", "pactarchive.corpus") + ABOVE_CORPUS),
    ("numbers.py", ("flask", "whoosh", "pactarchive.tei", "pactarchive.corpus") + ABOVE_CORPUS),
    ("cite", ("flask", "whoosh", "pactarchive.web", "pactarchive.cli", "pactarchive.search", "pactarchive.render")),
    ("web", ("whoosh", "pactarchive.cli")),
    ("cli.py", ("flask", "whoosh")),
    ("serving.py", ("flask", "whoosh", "pactarchive.cli")),
    ("refs.py", ("flask", "whoosh", "pactarchive.tei", "pactarchive.corpus") + ABOVE_CORPUS),
    ("errors.py", ("flask", "whoosh", "pactarchive.refs", "pactarchive.tei", "pactarchive.corpus") + ABOVE_CORPUS),
    ("config.py", ("flask", "whoosh", "pactarchive.tei", "pactarchive.corpus") + ABOVE_CORPUS),
    ("__init__.py", ("flask", "whoosh", "pactarchive.tei", "pactarchive.corpus") + ABOVE_CORPUS),
]


@pytest.mark.parametrize("sub,forbidden", RULES)
def test_dependency_direction(sub, forbidden):
    for path in files_in(sub):
        if not path.exists():
            continue
        bad = {m for m in imports(path) if any(m == f or m.startswith(f + ".") for f in forbidden)}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_every_module_is_covered_by_a_rule():
    covered = {path for sub, _ in RULES for path in files_in(sub)}
    missing = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if p not in covered]
    assert not missing, f"modules no dependency rule covers (add them to RULES): {missing}"


def test_relative_package_imports_are_seen(tmp_path):
    """``from .. import web`` in a module of a subpackage is an import of pactarchive.web."""
    assert "pactarchive.web" in imports(SRC / "store" / "probe.py", "from .. import web\n")
    assert "pactarchive.web" in imports(SRC / "probe.py", "from . import web\n")


def test_every_route_is_documented(app):
    documented = (DOCS / "api.md").read_text(encoding="utf-8")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        route = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"<\1>", rule.rule)
        assert f"`{route}`" in documented or f"`GET {route}`" in documented, f"{route} is not in docs/api.md"
