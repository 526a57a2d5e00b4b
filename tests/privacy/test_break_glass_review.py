"""The privacy officer reviews an emergency access: the stated reason, the records
touched (from the audit log), and a finding with a note, audited."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import BreakGlassGrant
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import break_glass, charting
from tests.web.signin import signed_in

REASON = "Client in crisis at the front desk, need the safety plan."


def _grant(staff, cid):
    out = break_glass.break_glass_open(user=staff["marsh"], client_id=cid["c2"], reason=REASON)
    charting.chart_open(user=staff["marsh"], client_id=cid["c2"])
    return out["grant_id"]


def test_the_officer_sees_the_reason_and_what_was_opened_then_records_a_finding(staff, cid):
    gid = _grant(staff, cid)
    officer = staff["haddad"]
    detail = break_glass.break_glass_grant_detail(user=officer, grant_id=gid)
    assert detail["reason"] == REASON and detail["clinician"] == staff["marsh"].full_name
    assert any(t["what"] == "chart" or t["action"] == "read" for t in detail["touched"])
    assert all("Varga" not in str(t) for t in detail["touched"])
    with pytest.raises(InvalidInput, match="note"):
        break_glass.break_glass_review(user=officer, grant_id=gid, finding="inappropriate")
    with pytest.raises(InvalidInput, match="finding"):
        break_glass.break_glass_review(user=officer, grant_id=gid, finding="fine")
    out = break_glass.break_glass_review(user=officer, grant_id=gid, finding="inappropriate",
                                         note="No emergency; spoke with the clinician.")
    assert out["finding"] == "inappropriate"
    assert BreakGlassGrant.objects.get(id=gid).reviewed_by == officer
    event = AuditEvent.objects.filter(action="break_glass.review").order_by("-seq").first()
    assert event.detail["finding"] == "inappropriate" and "spoke" not in event.body
    assert gid not in {g["grant_id"] for g in break_glass.break_glass_review_queue(user=officer)}
    # Reviewed: the reason is no longer read, the finding and note recorded are (through
    # the door, audited); a second finding is refused.
    reviewed = break_glass.break_glass_grant_detail(user=officer, grant_id=gid)
    assert reviewed["reason"] is None
    assert (reviewed["finding"], reviewed["note"]) == ("inappropriate", "No emergency; spoke with the clinician.")
    assert reviewed["finding_words"] == break_glass.FINDINGS["inappropriate"]
    read = AuditEvent.objects.filter(detail__view="break_glass_finding").order_by("-seq").first()
    assert read is not None and read.decision == "permit" and read.detail["grant_id"] == gid
    with pytest.raises((InvalidInput, NotFound)):
        break_glass.break_glass_review(user=officer, grant_id=gid, finding="appropriate")


def test_only_the_officer_reviews(staff, cid):
    gid = _grant(staff, cid)
    for who in ("marsh", "okafor", "pellham"):
        with pytest.raises(Forbidden):
            break_glass.break_glass_grant_detail(user=staff[who], grant_id=gid)
    with pytest.raises(NotFound):
        break_glass.break_glass_grant_detail(user=staff["haddad"], grant_id="00000000-0000-0000-0000-000000000009")


def test_the_review_page_shows_the_reason_and_takes_the_finding(staff, cid):
    gid = _grant(staff, cid)
    web = signed_in(staff["haddad"])
    page = web.get(f"/review/{gid}/").content.decode()
    assert REASON in page and "Record the finding" in page
    bad = web.post(f"/review/{gid}/", {"finding": "inappropriate", "note": ""})
    assert bad.status_code == 400 and "note: say what was inappropriate" in bad.content.decode()
    done = web.post(f"/review/{gid}/", {"finding": "appropriate", "note": "Crisis confirmed."})
    assert done.status_code == 302
    assert BreakGlassGrant.objects.get(id=gid).reviewed_at is not None
    assert signed_in(staff["marsh"]).get(f"/review/{gid}/").status_code == 404


def test_the_api_shows_a_reviewed_grants_finding_and_note(staff, cid, api_client):
    gid = _grant(staff, cid)
    officer = api_client(staff["haddad"])
    waiting = officer.get(f"/api/v1/break-glass/reviews/{gid}")
    assert waiting.status_code == 200, waiting.content
    assert waiting.json()["reason"] == REASON and waiting.json()["finding"] is None and waiting.json()["note"] is None
    done = officer.post("/api/v1/break-glass/reviews", {"grant_id": gid, "finding": "appropriate",
                                                         "note": "Crisis confirmed with the front desk."},
                        content_type="application/json")
    assert done.status_code == 200, done.content
    body = officer.get(f"/api/v1/break-glass/reviews/{gid}").json()
    assert body["reason"] is None and body["finding"] == "appropriate"
    assert body["note"] == "Crisis confirmed with the front desk."
    assert api_client(staff["marsh"]).get(f"/api/v1/break-glass/reviews/{gid}").status_code in (403, 404)
    page = signed_in(staff["haddad"]).get(f"/review/{gid}/").content.decode()
    assert "Crisis confirmed with the front desk." in page and "Appropriate: the emergency justified" in page
