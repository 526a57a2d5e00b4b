"""The privacy officer's API: break-glass reviews and the practice-wide audit report.
Each body is what the service returns for the same question; every other role is
refused; bad filters answer one line and change nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import BreakGlassGrant
from confide.services import audit_report, break_glass, charting

API = "/api/v1"
REASON = "Client in crisis at the front desk, need the safety plan."
NOT_OFFICERS = ("marsh", "okafor", "lindqvist", "pellham", "fontaine", "lvarga")


def _same(body, service) -> None:
    assert body == json.loads(json.dumps(service, default=str))


def _grant(staff, cid) -> str:
    out = break_glass.break_glass_open(user=staff["marsh"], client_id=cid["c2"], reason=REASON)
    charting.chart_open(user=staff["marsh"], client_id=cid["c2"])
    return out["grant_id"]


def test_pending_reviews_and_one_grant_are_the_services_answers(staff, cid, api_client):
    gid = _grant(staff, cid)
    officer = staff["haddad"]
    api = api_client(officer)
    pending = api.get(f"{API}/break-glass/reviews")
    assert pending.status_code == 200, pending.content
    _same(pending.json(), break_glass.break_glass_reviews_pending(user=officer))
    assert gid in {g["grant_id"] for g in pending.json()}
    one = api.get(f"{API}/break-glass/reviews/{gid}")
    assert one.status_code == 200, one.content
    assert one.json()["reason"] == REASON
    expected = break_glass.break_glass_grant_detail(user=officer, grant_id=gid)
    _same(one.json(), expected)
    assert "Varga" not in one.content.decode()


def test_the_finding_is_recorded_through_the_api(staff, cid, api_client):
    gid = _grant(staff, cid)
    api = api_client(staff["haddad"])
    bad = api.post(f"{API}/break-glass/reviews", {"grant_id": gid, "finding": "inappropriate"},
                   content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"].startswith("note:")
    assert BreakGlassGrant.objects.get(id=gid).reviewed_at is None
    done = api.post(f"{API}/break-glass/reviews", {"grant_id": gid, "finding": "appropriate",
                                                    "note": "Crisis confirmed with the front desk."},
                    content_type="application/json")
    assert done.status_code == 200, done.content
    grant = BreakGlassGrant.objects.get(id=gid)
    assert done.json() == {"grant_id": gid, "finding": "appropriate", "reviewed_at": grant.reviewed_at.isoformat()}
    assert grant.reviewed_by == staff["haddad"]
    assert gid not in {g["grant_id"] for g in api.get(f"{API}/break-glass/reviews").json()}
    again = api.post(f"{API}/break-glass/reviews", {"grant_id": gid, "finding": "appropriate"},
                     content_type="application/json")
    assert again.status_code in (400, 404)  # reviewed: the door no longer opens the grant
    missing = api.post(f"{API}/break-glass/reviews", {"grant_id": "00000000-0000-0000-0000-000000000009",
                                                       "finding": "appropriate"}, content_type="application/json")
    assert missing.status_code == 404


@pytest.mark.parametrize("username", NOT_OFFICERS)
def test_only_the_officer_reviews_and_reads_the_report(staff, cid, api_client, username):
    gid = _grant(staff, cid)
    api = api_client(staff[username])
    before = AuditEvent.objects.filter(action__in=("audit.report", "audit.exported")).count()
    for path in ("/break-glass/reviews", f"/break-glass/reviews/{gid}", "/audit-report", "/audit-report.csv"):
        response = api.get(API + path)
        assert response.status_code == 403, (path, response.content)
    finding = api.post(f"{API}/break-glass/reviews", {"grant_id": gid, "finding": "appropriate"},
                       content_type="application/json")
    assert finding.status_code == 403
    assert BreakGlassGrant.objects.get(id=gid).reviewed_at is None
    assert AuditEvent.objects.filter(action__in=("audit.report", "audit.exported")).count() == before


def test_the_report_pages_and_filters_as_the_service_does(staff, cid, api_client):
    _grant(staff, cid)
    officer = staff["haddad"]
    api = api_client(officer)
    marsh = str(staff["marsh"].pk)
    first = api.get(f"{API}/audit-report", {"user": marsh})
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["rows"] and all(r["user_id"] == marsh for r in body["rows"])
    assert body["filters"] == {"user": marsh}
    # the same question of the service answers the same page (it audits the reading too)
    _same(body["rows"], audit_report.audit_report(user=officer, actor=marsh)["rows"])
    if body["next_before"]:
        older = api.get(f"{API}/audit-report", {"user": marsh, "before": body["next_before"]}).json()
        assert older["rows"] and all(r["seq"] < body["next_before"] for r in older["rows"])
    grants = api.get(f"{API}/audit-report", {"action": "read", "user": marsh, "from": "2020-01-01"}).json()
    assert grants["filters"] == {"user": marsh, "action": "read", "from": "2020-01-01"}
    assert all(r["action"] == "read" for r in grants["rows"])
    ref = grants["rows"][0]["client_ref"]
    by_client = api.get(f"{API}/audit-report", {"client_ref": ref}).json()
    assert by_client["rows"] and {r["client_ref"] for r in by_client["rows"]} == {ref}
    assert AuditEvent.objects.filter(action="audit.report", actor=str(officer.pk)).exists()


@pytest.mark.parametrize("query, message", [
    ({"user": "nobody"}, "user:"), ({"action": "nothing.at.all"}, "action:"), ({"from": "yesterday"}, "from"),
    ({"from": "2026-02-02", "to": "2026-01-01"}, "to:"), ({"client_ref": "<script>"}, "client reference"),
    ({"before": "0"}, "before:"), ({"before": "x"}, "before"),
])
def test_bad_filters_answer_one_line_and_read_nothing(staff, api_client, query, message):
    api = api_client(staff["haddad"])
    before = AuditEvent.objects.filter(action="audit.report").count()
    response = api.get(f"{API}/audit-report", query)
    assert response.status_code in (400, 422), response.content
    raw = response.content.decode()
    assert "\n" not in raw and message in json.loads(raw)["message"], raw
    assert AuditEvent.objects.filter(action="audit.report").count() == before


def test_the_export_is_the_services_csv(staff, cid, api_client):
    _grant(staff, cid)
    officer = staff["haddad"]
    api = api_client(officer)
    marsh = str(staff["marsh"].pk)
    response = api.get(f"{API}/audit-report.csv", {"user": marsh})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(audit_report.CSV_COLUMNS)
    assert len(rows) > 1 and {r[2] for r in rows[1:]} == {staff["marsh"].full_name}
    service = "".join(audit_report.audit_export_csv(user=officer, actor=marsh))
    # the service's export, taken after, holds the same events (and the API's own reading of them)
    assert set(map(tuple, rows[1:])) <= set(map(tuple, csv.reader(io.StringIO(service))))
    assert AuditEvent.objects.filter(action="audit.exported", actor=str(officer.pk)).count() >= 2
    bad = api.get(f"{API}/audit-report.csv", {"to": "tomorrow-ish"})
    assert bad.status_code == 400 and "to" in bad.json()["message"]
