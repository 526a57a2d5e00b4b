"""The client's portal page for amendment requests: asking, the due day and any
extension, the decision in writing, and the statement of disagreement after a denial."""

from __future__ import annotations

import uuid
from datetime import timedelta

from confide.apps.records.models import AmendmentRequest
from confide.services.disclosures import amendments as am
from tests.dates import practice_today
from tests.web.signin import signed_in


def _day(d) -> str:
    return f"{d.day} {d.strftime('%b')}"


def test_the_client_asks_sees_the_due_day_the_denial_and_files_a_disagreement(staff, cid):
    web = signed_in(staff["lvarga"])
    page = web.get("/portal/amendments/")
    assert page.status_code == 200 and b"Ask to amend my record" in page.content
    response = web.post("/portal/amendments/", {"change": "I drink once a week, not daily.",
                                                "reason": "The note is wrong.", "record": "last note",
                                                "notify": "Dr. Primary Care\n"})
    assert response.status_code == 302
    (req,) = am.amendment_request_list(user=staff["lvarga"], client_id=cid["c1"])
    assert req["notify"] == ["Dr. Primary Care"]
    page = web.get(response["Location"]).content.decode()
    assert _day(practice_today() + timedelta(days=60)) in page and "waiting for a decision" in page
    am.amendment_request_extend(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                reason="Reading the older notes")
    page = web.get("/portal/amendments/").content.decode()
    assert "Reading the older notes" in page and _day(practice_today() + timedelta(days=90)) in page
    am.amendment_request_deny(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                              ground="accurate_complete", explanation="You said daily in session.")
    page = web.get("/portal/amendments/").content.decode()
    assert "the record is accurate and complete" in page and "You said daily in session." in page
    assert "File my statement" in page
    response = web.post(f"/portal/amendments/{req['id']}/disagree/", {"statement": "Only in one bad week."})
    assert response.status_code == 302
    page = web.get(response["Location"]).content.decode()
    assert "Only in one bad week." in page and "File my statement" not in page


def test_bad_input_is_one_line_and_files_nothing(staff, cid):
    web = signed_in(staff["lvarga"])
    response = web.post("/portal/amendments/", {"change": "", "reason": "why"})
    assert response.status_code == 400 and b"change: is empty" in response.content
    assert not AmendmentRequest.objects.exists()
    response = web.post("/portal/amendments/", {"change": "x", "reason": "why"})
    (req,) = am.amendment_request_list(user=staff["lvarga"], client_id=cid["c1"])
    response = web.post(f"/portal/amendments/{req['id']}/disagree/", {"statement": "no"})
    assert response.status_code == 400 and b"follows a denial" in response.content


def test_another_clients_request_answers_like_a_missing_one(staff, cid):
    web = signed_in(staff["lvarga"])
    missing = web.post(f"/portal/amendments/{uuid.uuid4()}/disagree/", {"statement": "x"})
    assert missing.status_code == 404
    # A request of another client, denied: the same answer.
    from confide.apps.practice.models import User
    other = [u for u in User.objects.filter(role="client") if u.pk != staff["lvarga"].pk]
    for u in other:
        try:
            from confide.services import reports
            their = reports.my_client_id(u)
        except Exception:
            continue
        req = am.amendment_request_create(user=u, client_id=their, change="x", reason="y")
        response = web.post(f"/portal/amendments/{req['id']}/disagree/", {"statement": "x"})
        assert response.status_code == 404 and b"Not found" in response.content and b"Not found" in missing.content
        break
    # A parent's portal is not a client's.
    for u in User.objects.filter(role="parent")[:1]:
        assert signed_in(u).get("/portal/amendments/").status_code == 404
