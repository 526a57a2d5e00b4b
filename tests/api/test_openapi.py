"""The OpenAPI document and the operations table agree, both ways (Zulip-style): every
operation is documented with its method, path, id, summary and declared statuses, and
every documented operation is one of ours."""

from __future__ import annotations

import re

import pytest

from confide.api.operations import COMMON
from confide.api.registry import ALL_OPERATIONS as OPERATIONS
from tests.api.conftest import API_PREFIX, api_operations, openapi_document

DOC = openapi_document()
DOCUMENTED = {(method, path): op for method, path, op in api_operations(DOC)}


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.__name__ for o in OPERATIONS])
def test_every_operation_is_documented(operation):
    key = (operation.method, API_PREFIX + operation.path)
    assert key in DOCUMENTED, f"{operation.__name__}: {key} not in the document"
    doc = DOCUMENTED[key]
    assert doc["operationId"] == operation.__name__
    assert doc["summary"] == operation.summary
    declared = set(operation.responses())  # COMMON, plus 403 where a disclosure may be refused
    assert {int(s) for s in doc["responses"]} == declared
    error_ref = "#/components/schemas/ErrorOut"
    for status in COMMON:
        assert doc["responses"][str(status)]["content"]["application/json"]["schema"] == {"$ref": error_ref}
    assert doc.get("security"), f"{operation.__name__} is documented without authentication"
    if operation.method == "POST":
        body = doc["requestBody"]
        assert body["required"] is True
        assert list(body["content"]) == ["application/json"]
    else:
        assert "requestBody" not in doc
    path_params = {p["name"] for p in doc.get("parameters", []) if p["in"] == "path"}
    assert path_params == {part[1:-1] for part in operation.path.split("/") if part.startswith("{")}


def test_every_documented_operation_is_ours():
    ours = {(o.method, API_PREFIX + o.path): o.__name__ for o in OPERATIONS}
    assert set(DOCUMENTED) == set(ours), set(DOCUMENTED) ^ set(ours)
    assert {op["operationId"] for op in DOCUMENTED.values()} == {o.__name__ for o in OPERATIONS}
    assert len({o.__name__ for o in OPERATIONS}) == len(OPERATIONS)


def test_only_json_and_no_stray_routes():
    """Nothing is served under /api/v1/ that the document does not describe (the
    document itself aside): the URL patterns of the API match the documented paths.
    ninja's root pattern (`api-root`, only there to locate the API) answers 404."""
    from django.urls import get_resolver

    from tests.api.conftest import _walk

    served = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("api/v1/") and pattern.name not in ("openapi-json", "api-root"):
            served.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    documented = {path for _, path in DOCUMENTED}
    assert served == documented, served ^ documented


def test_inputs_forbid_unknown_fields():
    for name, schema in DOC["components"]["schemas"].items():
        if name.endswith("In"):
            assert schema.get("additionalProperties") is False, name


def test_api_root_is_not_found_in_json(staff, api_client):
    response = api_client(staff["marsh"]).get(f"{API_PREFIX}/")
    assert response.status_code == 404
    assert response.content == b'{"error": "not_found", "message": "not found"}'
