"""The OpenAPI 3.1 description at /api/openapi.json: it names every route of the app, it is
rendered at /api, and schemathesis finds no server error and no answer that breaks it."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from pactarchive.web import create_app
from pactarchive.web.openapi import spec

MAX_EXAMPLES = 12  # per operation: bounded, so the run takes about a minute on two cores


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_route_is_in_the_openapi_document(app, client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = _openapi_path(rule.rule)
        assert path in paths, f"{path} ({rule.endpoint}) is missing from the OpenAPI document (web/openapi.py)"
        assert "get" in paths[path]


def test_the_document_is_openapi_3_1_and_every_operation_is_documented(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    for path, item in doc["paths"].items():
        for op in item.values():
            assert op["summary"] and op["responses"], path
            assert "200" in op["responses"] or "302" in op["responses"], path


@pytest.mark.parametrize("path", ["/api/documents", "/api/entities", "/api/changes"])
def test_every_paged_list_declares_its_parameters_and_headers(client, path):
    """The lists paged by ``page`` and ``size`` (Link and X-Total-Count headers, issue 10) say
    so in the description, and answer with those headers."""
    op = client.get("/api/openapi.json").get_json()["paths"][path]["get"]
    assert {"page", "size"} <= {p["name"] for p in op["parameters"]}, path
    assert {"Link", "X-Total-Count"} <= set(op["responses"]["200"]["headers"]), path
    answer = client.get(f"{path}?page=1&size=1")
    assert answer.status_code == 200 and answer.headers["X-Total-Count"].isdigit(), path


def test_the_api_page_shows_every_operation(client):
    html = client.get("/api").get_data(as_text=True)
    for path in client.get("/api/openapi.json").get_json()["paths"]:
        assert f"GET {path}</code>" in html.replace("&#39;", "'"), path
    assert 'href="/api/openapi.json"' in html


def test_api_md_points_to_the_openapi_document():
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    assert "/api/openapi.json" in text and "`GET /api`" in text


# The document is pure data, so the operations are known at collection time; the app (which
# needs the session's index) is attached by a fixture. (schemathesis.pytest.from_fixture does
# not run under pytest 9.)
schema = schemathesis.openapi.from_dict(spec())


@pytest.fixture(scope="module")
def served(tei_dir, index_dir):
    schema.app = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir})
    return schema.app


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_server_error_and_answers_conform(case, served):
    case.operation.schema.app = served
    # the in-process WSGI client does not decompress: ask for the identity encoding
    case.call_and_validate(app=served, headers={"Accept-Encoding": "identity"}, checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance])
