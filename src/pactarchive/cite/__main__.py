"""``python -m pactarchive.cite --update-published | --check-published [--tei DIR] [--force]``

Regenerates (deliberately) or checks tei/published-refs.json. Exit codes: 0 fine, 1 the TEI
input has errors or published refs changed without a recorded change, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Settings
from ..corpus import Corpus
from ..errors import PactArchiveError
from . import published


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path = args.output or args.tei / published.FILENAME
    try:
        corpus = Corpus.load(args.tei)
        corpus.raise_errors()
        if args.update_published:
            data = published.update(corpus, path, force=args.force)
            count = sum(len(d["refs"]) for d in data["documents"].values())
            print(f"wrote {path}: {count} refs in {len(data['documents'])} documents")
            return 0
        return _check(corpus, path)
    except PactArchiveError as exc:
        print(f"pactarchive.cite: {exc}", file=sys.stderr)
        return 1


def _check(corpus, path: Path) -> int:
    data = published.load(path)
    breaches = published.check(corpus, data)
    for b in breaches:
        print(b, file=sys.stderr)
    new = published.unpublished(corpus, data)
    print(f"{path}: {len(breaches)} unrecorded change(s), {len(new)} ref(s) not yet published")
    return 1 if breaches else 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pactarchive.cite",
                                description="Maintain the list of published passage refs (see docs/citation.md).")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--update-published", action="store_true", help="regenerate the list from the TEI files")
    what.add_argument("--check-published", action="store_true", help="report refs that changed without a recorded change")
    p.add_argument("--tei", type=Path, default=Settings().tei_dir, metavar="DIR", help="TEI directory (default: %(default)s)")
    p.add_argument("--output", type=Path, metavar="FILE", help="the list (default: DIR/published-refs.json)")
    p.add_argument("--force", action="store_true", help="regenerate even when published refs changed without a record "
                                                        "(only before the refs are first published)")
    return p


if __name__ == "__main__":
    sys.exit(main())
