"""Every API response carries what the decision permits: for each of the eight demo
roles, the body of GET /clients/{id} (and a parent's /me/guardian-view) is exactly what
the service returns, nothing dropped by a response schema, nothing added."""

from __future__ import annotations

import json

import pytest

from confide.core.errors import NotFound
from confide.services import charting
from confide.services.disclosures import minors

API = "/api/v1"
EIGHT = ("marsh", "okafor", "lindqvist", "pellham", "fontaine", "haddad", "lvarga", "jcastellanos",
         "acastellanos")


def _same(body, service) -> None:
    # the service's dates and ids as JSON renders them
    assert body == json.loads(json.dumps(service, default=str))


@pytest.mark.parametrize("username", EIGHT)
@pytest.mark.parametrize("key", ["c1", "c3"])
def test_the_chart_body_is_the_service_result(staff, cid, api_client, username, key):
    user = staff[username]
    response = api_client(user).get(f"{API}/clients/{cid[key]}")
    try:
        expected = charting.chart_open(user=user, client_id=cid[key])
    except NotFound:
        assert response.status_code == 404, response.content
        return
    assert response.status_code == 200, response.content
    _same(response.json(), expected)


def test_the_parents_view_carries_goals_and_dates(staff, cid, api_client):
    parent = staff["acastellanos"]
    response = api_client(parent).get(f"{API}/me/guardian-view")
    assert response.status_code == 200
    expected = minors.guardian_views_mine(user=parent)
    _same(response.json(), expected)
    view = response.json()[0]
    assert view["progress_summary"]["goals"] and all("goal" in g for g in view["progress_summary"]["goals"])
    assert view["attendance"] and all(a["date"] and a["status"] for a in view["attendance"])
