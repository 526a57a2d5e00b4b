"""The client's portal page for a formal accounting request: asking, the clock, and
reading the accounting the privacy officer sent."""

from __future__ import annotations

from datetime import timedelta

from confide.services.disclosures import accounting_requests as ar
from tests.dates import practice_today
from tests.web.signin import signed_in


def test_the_client_asks_in_the_portal_sees_the_due_day_and_reads_what_was_sent(staff, cid):
    web = signed_in(staff["lvarga"])
    page = web.get("/portal/accounting/requests/")
    assert page.status_code == 200 and b"Ask for the accounting" in page.content
    response = web.post("/portal/accounting/requests/", {"years": "6"})
    assert response.status_code == 302
    (req,) = ar.accounting_request_list(user=staff["lvarga"], client_id=cid["c1"])
    page = web.get(response["Location"]).content.decode()
    due = practice_today() + timedelta(days=60)
    assert f"{due.day} {due.strftime('%b')}" in page and "Being prepared" in page
    assert "Ask for the accounting" not in page  # one open request at a time
    # Not sent yet: the document is not the client's to read.
    assert web.get(f"/portal/accounting/requests/{req['id']}.pdf").status_code == 404
    officer = staff["haddad"]
    ar.accounting_request_prepare(user=officer, client_id=cid["c1"], request_id=req["id"])
    ar.accounting_request_send(user=officer, client_id=cid["c1"], request_id=req["id"])
    page = web.get("/portal/accounting/requests/").content.decode()
    assert "Read your accounting" in page
    pdf = web.get(f"/portal/accounting/requests/{req['id']}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_bad_input_is_one_line_and_files_nothing(staff, cid):
    web = signed_in(staff["lvarga"])
    response = web.post("/portal/accounting/requests/", {"years": "9"})
    assert response.status_code == 400 and b"years: give a whole number from 1 to 6" in response.content
    assert ar.accounting_request_list(user=staff["lvarga"], client_id=cid["c1"]) == []


def test_another_clients_document_is_not_found(staff, cid):
    req = ar.accounting_request_create(user=staff["lvarga"], client_id=cid["c1"], years=6)
    other = signed_in(staff["jcastellanos"])
    assert other.get(f"/portal/accounting/requests/{req['id']}.pdf").status_code == 404
    assert signed_in(staff["acastellanos"]).get("/portal/accounting/requests/").status_code == 404
