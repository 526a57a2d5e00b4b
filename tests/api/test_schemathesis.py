"""Property-based requests from the OpenAPI document (schemathesis 4, in-process over
WSGI): no 5xx, and no status an operation does not document.

Runs through schemathesis's programmatic API inside a pytest-django `db` test (the WSGI
app runs in this thread, on the test's connection, so everything is rolled back).
Each operation is exercised with valid data (client ids generated, and pinned to a
client the caller treats so the happy path runs too) and with invalid data.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.conftest import issue_token
from tests.api.conftest import OPENAPI_URL

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance]


def _passes(operation, client_id):
    """(label, strategy kwargs) for one operation."""
    passes = [("positive", GenerationMode.POSITIVE, None), ("negative", GenerationMode.NEGATIVE, None)]
    if "{client_id}" in operation.path:
        passes.append(("positive, treated client", GenerationMode.POSITIVE, {"client_id": client_id}))
    return passes


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the connection when a request starts and finishes; inside
    a test transaction on PostgreSQL that ends the test's transaction. Django's test
    Client disconnects the same receiver while it runs a request; we do it for the run."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_schemathesis_no_5xx_and_only_documented_statuses(staff, cid, db, keep_connection):
    schema = schemathesis.openapi.from_wsgi(OPENAPI_URL, get_wsgi_application())
    headers = {"Authorization": f"Bearer {issue_token(staff['marsh'])}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    seen: dict[str, set[int]] = {}
    for operation in operations:
        statuses = seen.setdefault(f"{operation.method.upper()} {operation.path}", set())
        for _label, mode, path_parameters in _passes(operation, str(cid["c1"])):
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case):
                response = case.call(headers=headers)
                statuses.add(response.status_code)
                case.validate_response(response, checks=CHECKS, headers=headers)

            run()
    assert all(statuses and max(statuses) < 500 for statuses in seen.values()), seen
    # the happy path was reached, not only refusals
    assert 200 in seen["GET /api/v1/clients/{client_id}"] and 201 in seen["POST /api/v1/clients/{client_id}/progress-notes"], seen
