"""The Latvian catalogue is complete: every message the web layer's templates and Python mark
(extracted afresh by pybabel into a temporary file) has a Latvian translation in
``web/translations/lv/LC_MESSAGES/messages.po`` that is neither missing, empty nor fuzzy, keeps
its placeholders and markup, has all three Latvian plural forms, and is what the committed
``.mo`` says."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "src" / "pactarchive" / "web" / "translations"
PO = TRANSLATIONS / "lv" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?(\w+)")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "N_", "--no-location", "-o", str(pot), str(ROOT)], check=True, capture_output=True)
    with pot.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def lv():
    with PO.open("rb") as f:
        return read_po(f, locale="lv")


def test_every_message_has_a_latvian_translation(extracted, lv):
    problems = []
    for m in extracted:
        if not m.id:
            continue
        t = lv.get(m.id, context=m.context)
        if t is None:
            problems.append(f"missing: {m.id!r}")
        elif t.fuzzy:
            problems.append(f"fuzzy: {m.id!r}")
        elif not all(t.string if isinstance(t.string, (list, tuple)) else [t.string]):
            problems.append(f"empty: {m.id!r}")
    assert not problems, ("the Latvian catalogue is incomplete; run the steps in docs/i18n.md:\n"
                          + "\n".join(problems[:40]))


def test_the_catalogue_has_no_stale_messages(extracted, lv):
    ids = {m.id for m in extracted if m.id}
    stale = [m.id for m in lv if m.id and m.id not in ids]
    assert not stale, f"messages no longer in the code (pybabel update removes them): {stale[:20]}"


def test_latvian_has_three_plural_forms(lv):
    assert lv.num_plurals == 3
    for m in lv:
        if m.pluralizable and m.id:
            assert len(m.string) == 3 and all(m.string), m.id


def test_translations_keep_placeholders_and_markup(lv):
    for m in lv:
        if not m.id:
            continue
        source = " ".join(m.id) if isinstance(m.id, (list, tuple)) else m.id
        for s in (m.string if isinstance(m.string, (list, tuple)) else [m.string]):
            missing = set(PLACEHOLDER.findall(s)) - set(PLACEHOLDER.findall(source))
            assert not missing, f"{m.id!r}: unknown placeholders {missing}"
            assert set(TAG.findall(s)) <= set(TAG.findall(source)) | {"span"}, f"{m.id!r}: markup changed"


def test_the_committed_mo_is_compiled_from_the_po(lv):
    with MO.open("rb") as f:
        mo = gettext.GNUTranslations(f)
    for m in lv:
        if not m.id or m.pluralizable:
            continue
        found = mo.pgettext(m.context, m.id) if m.context else mo.gettext(m.id)
        assert found == m.string, f"{m.id!r}: the .mo is stale; run pybabel compile (docs/i18n.md)"
