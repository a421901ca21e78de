"""A passage page costs the same few indexed lookups whatever the archive's size (issue 10:
/passage ≤ ×2 at 5,000 documents against 3).

Every SQL statement a request runs is traced, and SQLite is asked how it runs each one
(``EXPLAIN QUERY PLAN``) with the planner statistics of a large archive: a copy of the test
index whose ``sqlite_stat1`` (written by ``ANALYZE`` at build time) says every table holds
``SCALE`` times as many rows, as many per document, passage and entity as ours. That is the
archive of ``benchmarks/scale.py`` (copies of the same documents). The plans of our
3-document store itself say nothing: on a table of 43 notes a scan is the cheapest plan, and
SQLite rightly takes it. A ``SCAN`` of a table or of a whole index (not of a subquery's
result) grows with the archive and fails the test."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from pactarchive.search import current_generation
from pactarchive.store import STORE_FILE

SCALE = 2000  # 3 documents -> 6,000

# The passage page in all its forms (a sentence, a paragraph, a section, a range, with its
# aligned passages, its downloads) and its JSON twin.
PASSAGE = ["/passage/lv:1.1.2", "/api/passages/lv:1.1.2", "/passage/lv:1.1", "/passage/lv:1", "/api/passages/lv:1.1",
           "/passage/lv:1.1.1-1.1.3", "/passage/lv:1.1.2?with=aligned", "/passage/lv:1.1.2.txt", "/passage/lv:1.1.2.xml",
           "/passage/hen:1.1.2?ui=lv"]


@pytest.fixture(scope="module")
def large_index(index_dir, tmp_path_factory):
    """A copy of the session's index whose store plans as one of ``SCALE`` times the size."""
    copy = tmp_path_factory.mktemp("large-plans") / "index"
    shutil.copytree(index_dir, copy)
    with closing(sqlite3.connect(current_generation(copy) / STORE_FILE)) as db:
        for tbl, idx, stat in db.execute("SELECT tbl, idx, stat FROM sqlite_stat1").fetchall():
            rows, *per_key = stat.split()
            db.execute("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?",
                       (" ".join([str(int(rows) * SCALE), *per_key]), tbl, idx))
        db.commit()
    return copy


@pytest.fixture(scope="module")
def large_app(tei_dir, large_index):
    from pactarchive.web import create_app
    return create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": large_index, "WATCH_TEI": False})


def statements(app, url: str) -> list[str]:
    """The SQL (parameters written in) that two GETs of ``url`` run on the edition store: the
    first (caches empty) and a second one (caches warm). Asserts each answers 200."""
    from pactarchive.web import edition
    with app.test_request_context("/"):
        conn = edition()._conn()  # this thread's connection: the test client's requests use it
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        for _ in range(2):
            response = app.test_client().get(url)
            assert response.status_code == 200, url
    finally:
        conn.set_trace_callback(None)
    return seen


def scans(store, sql: str) -> list[str]:
    """The steps of the plan of ``sql`` that read a whole table or index (``SCAN x``, where x
    is not a subquery's materialised result)."""
    plan = [row[3] for row in store.execute("EXPLAIN QUERY PLAN " + sql)]
    derived = {step.split()[1] for step in plan if step.startswith(("MATERIALIZE ", "CO-ROUTINE "))}
    return [step for step in plan if step.startswith("SCAN ") and step.split()[1] not in derived | {"CONSTANT"}]


@pytest.fixture(scope="module")
def store(large_index):
    uri = (current_generation(large_index) / STORE_FILE).resolve().as_uri() + "?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        yield conn


def test_the_statistics_are_those_of_a_large_archive(store):
    """The copy plans as a large archive: with its own statistics our 43 notes are scanned."""
    assert store.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'notes'").fetchone()[0].split()[0] == str(43 * SCALE)
    assert not scans(store, "SELECT nid FROM notes WHERE nid IN (1, 2, 3) ORDER BY nid")


@pytest.mark.parametrize("url", PASSAGE)
def test_a_passage_page_reads_no_whole_table(large_app, store, url):
    found = {sql: steps for sql in dict.fromkeys(statements(large_app, url))
             if sql.lstrip().upper().startswith(("SELECT", "WITH")) and (steps := scans(store, sql))}
    assert not found, f"{url} reads whole tables:\n" + "\n".join(f"{sql}\n    {steps}" for sql, steps in found.items())
