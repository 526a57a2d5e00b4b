"""The privacy officer's pages: requests on their clocks, a formal accounting prepared,
reviewed and sent from the browser, agency suspensions, the audit report (filtered,
paged, exported as CSV, ONC 170.315(d)(3)) and the audit check on the admin home."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from confide.apps.auditlog.models import AuditEvent
from confide.services import audit_report
from confide.services.access import client_ref_in
from confide.services.audit import audit_verify
from confide.services.background import tasks_run_pending
from confide.services.disclosures import accounting_requests as ar
from tests.dates import practice_today
from tests.web.signin import signed_in


def test_the_officer_prepares_reviews_and_sends_from_the_dashboard(staff, cid, django_capture_on_commit_callbacks):
    req = ar.accounting_request_create(user=staff["lvarga"], client_id=cid["c1"], years=6)
    web = signed_in(staff["haddad"])
    page = web.get("/privacy/").content.decode()
    due = practice_today() + timedelta(days=60)
    assert client_ref_in(staff["haddad"].practice_id, cid["c1"]) in page
    assert f"{due.day} {due.strftime('%b')}" in page and "Varga" not in page
    url = f"/privacy/accounting/{cid['c1']}/{req['id']}/"
    assert "Prepare the accounting" in web.get(url).content.decode()
    bad = web.post(url, {"step": "extend", "reason": ""})
    assert bad.status_code == 400 and "reason: one line" in bad.content.decode()
    # six years rendered as a PDF: prepared in the background, the page says so, then links it
    with django_capture_on_commit_callbacks(execute=True):
        asked = web.post(url, {"step": "prepare"})
    assert asked.status_code == 302 and asked["Location"].startswith("/documents/")
    waiting = web.get(asked["Location"]).content.decode()
    assert "Being prepared" in waiting and 'hx-trigger="every 2s"' in waiting
    assert ar.accounting_request_list(user=staff["lvarga"], client_id=cid["c1"])[0]["status"] != "prepared"
    assert tasks_run_pending() >= 1
    ready = web.get(asked["Location"]).content.decode()
    assert "Open the PDF" in ready and url in ready
    assert web.get(asked["Location"].rstrip("/") + ".pdf").content.startswith(b"%PDF")
    assert signed_in(staff["marsh"]).get(asked["Location"]).status_code == 404
    review = web.get(url).content.decode()
    assert "Send to the client" in review and "Cascadia Health Plan" in review
    assert web.get(url + "document.pdf").content.startswith(b"%PDF")
    assert web.post(url, {"step": "send"}).status_code == 302
    assert ar.accounting_request_list(user=staff["lvarga"], client_id=cid["c1"])[0]["status"] == "sent"


def test_the_officers_pages_are_theirs_alone(staff, cid):
    for who in ("marsh", "okafor", "pellham", "fontaine"):
        web = signed_in(staff[who])
        for url in ("/privacy/", "/privacy/audit/", "/privacy/audit.csv", "/privacy/suspensions/"):
            assert web.get(url).status_code == 404, (who, url)


def test_a_suspension_is_recorded_from_the_page_and_bad_input_is_one_line(staff):
    web = signed_in(staff["haddad"])
    end = (practice_today() + timedelta(days=40)).isoformat()
    bad = web.post("/privacy/suspensions/", {"step": "record", "agency": "Tacoma Police Department",
                                             "agency_kind": "law_enforcement", "statement": "oral", "ends_on": end})
    assert bad.status_code == 400 and "at most 30 days" in bad.content.decode()
    ok = web.post("/privacy/suspensions/", {"step": "record", "agency": "Tacoma Police Department",
                                            "agency_kind": "law_enforcement", "statement": "written", "ends_on": end})
    assert ok.status_code == 302
    assert "Tacoma Police Department" in web.get("/privacy/suspensions/").content.decode()


def test_the_audit_report_filters_pages_and_exports(staff, cid):
    marsh, officer = staff["marsh"], staff["haddad"]
    ref = client_ref_in(officer.practice_id, cid["c1"])
    report = audit_report.audit_report(user=officer, actor=str(marsh.pk), client_ref=ref)
    assert report["rows"] and all(r["user"] == marsh.full_name and r["client_ref"] == ref for r in report["rows"])
    today = practice_today().isoformat()
    page = audit_report.audit_report(user=officer, action="read", since=today, until=today)
    assert all(r["action"] == "read" for r in page["rows"])
    one = audit_report.audit_report(user=officer)
    assert len(one["rows"]) == audit_report.PAGE_SIZE and one["next_before"]
    two = audit_report.audit_report(user=officer, before=one["next_before"])
    assert max(r["seq"] for r in two["rows"]) == one["next_before"] - 1  # no gap, no overlap
    web = signed_in(officer)
    html = web.get(f"/privacy/audit/?user={marsh.pk}&client_ref={ref}").content.decode()
    assert ref in html and marsh.full_name in html
    response = web.get(f"/privacy/audit.csv?user={marsh.pk}&client_ref={ref}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["seq", "at", "user"] and len(rows) > 1
    assert all(r[2] == marsh.full_name and r[6] == ref for r in rows[1:])
    assert AuditEvent.objects.filter(action="audit.exported", actor=str(officer.pk)).exists()
    bad = web.get("/privacy/audit/?from=2026-13-40")
    assert bad.status_code == 400 and "from: expected a date" in bad.content.decode()
    assert web.get("/privacy/audit/?user=999999").status_code == 400


def test_the_admin_home_shows_the_last_audit_check(staff):
    web = signed_in(staff["haddad"])
    assert "has not been verified yet" in web.get("/").content.decode()
    report = audit_verify()
    assert report.ok
    page = web.get("/").content.decode()
    assert "Last verified" in page and "intact" in page and "checkpoint written" in page
