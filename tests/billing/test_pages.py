"""The billing pages: who enters (biller, clinicians for their own clients, the admin
for the settings; front desk none), existence secrecy (a client one may not see answers
exactly as one that does not exist), the bulk charge form, the claim builder and the
downloads, the restriction shown in words, and the portal's superbill."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from confide.apps.records.models import Charge, Claim
from confide.services.billing.x12 import validate_837p
from tests.billing.conftest import CASCADIA
from tests.dates import practice_today
from tests.web.signin import signed_in, without_csrf


def test_who_enters_the_queue_and_the_settings(staff):
    for username, queue_status, settings_status in (("pellham", 200, 200), ("marsh", 200, 404), ("okafor", 200, 404),
                                                    ("fontaine", 404, 404), ("haddad", 404, 200)):
        web = signed_in(staff[username])
        assert web.get("/billing/").status_code == queue_status, username
        assert web.get("/billing/settings/").status_code == settings_status, username


def test_the_queue_shows_sessions_to_charge_and_records_them_in_bulk(staff, cid, lena_sessions):
    web = signed_in(staff["pellham"])
    # The sessions were yesterday and the day before: on a Monday or a Tuesday that is
    # last week, and the queue opens on this week, so ask for their days.
    today = practice_today()
    period = {"from": (today - timedelta(days=2)).isoformat(), "to": today.isoformat()}
    page = web.get("/billing/", period)
    body = page.content.decode()
    assert page.status_code == 200 and "Sessions to charge" in body
    for appt in lena_sessions:
        assert f'value="{appt}"' in body
    form = {"pick": [str(a) for a in lena_sessions], **period}
    for appt in lena_sessions:
        form.update({f"cpt_{appt}": "90834", f"fee_{appt}": "150.00", f"units_{appt}": "1", f"pos_{appt}": "11"})
    response = web.post("/billing/", form)
    assert response.status_code == 302
    assert Charge.objects.filter(appointment_id__in=lena_sessions).count() == 2
    after = web.get(response["Location"], follow=True).content.decode()
    assert "2 charges recorded." in after and f'value="{lena_sessions[0]}"' not in after


def test_a_bad_fee_is_one_line_and_records_nothing(staff, lena_sessions):
    web = signed_in(staff["pellham"])
    appt = lena_sessions[0]
    response = web.post("/billing/", {"pick": [str(appt)], f"cpt_{appt}": "90834", f"fee_{appt}": "a lot",
                                      f"units_{appt}": "1"}, follow=True)
    assert "Not recorded: fee: an amount such as 150.00" in response.content.decode()
    assert not Charge.objects.filter(appointment_id=appt).exists()


def test_the_biller_builds_a_claim_and_downloads_the_837p(staff, cid, lena_sessions):
    web = signed_in(staff["pellham"])
    web.post("/billing/", {"pick": [str(a) for a in lena_sessions],
                           **{f"cpt_{a}": "90834" for a in lena_sessions}, **{f"fee_{a}": "150.00" for a in lena_sessions}})
    page = web.get(f"/clients/{cid['c1']}/billing/")
    assert page.status_code == 200 and "Build a claim" in page.content.decode()
    first = min(c.isoformat() for c in [practice_today()])  # noqa: C416
    response = web.post(f"/clients/{cid['c1']}/billing/", {"payer": CASCADIA, "first": "2000-01-01", "last": first})
    # the demo's older charges are in that period too: the claim holds them all, once
    assert response.status_code == 302, response.content.decode()[:500]
    claim = Claim.objects.get(client_id=cid["c1"])
    assert response["Location"] == f"/clients/{cid['c1']}/billing/claims/{claim.id}/"
    shown = web.get(response["Location"]).content.decode()
    assert "Claim" in shown and "Download the 837P file" in shown and "F41.1" in shown
    x12 = web.get(response["Location"] + "?download=x12")
    assert x12.status_code == 200 and x12["Content-Disposition"].startswith("attachment")
    assert validate_837p(x12.content.decode()) == []
    pdf = web.get(response["Location"] + "?download=pdf")
    assert pdf.content.startswith(b"%PDF")
    # again for the same days: one line, nothing built
    again = web.post(f"/clients/{cid['c1']}/billing/", {"payer": CASCADIA, "first": "2000-01-01", "last": first})
    assert again.status_code == 400 and "on a claim already" in again.content.decode()
    assert Claim.objects.filter(client_id=cid["c1"]).count() == 1


def test_the_restricted_client_s_page_says_in_words_why_no_claim(staff, cid):
    body = signed_in(staff["pellham"]).get(f"/clients/{cid['c5']}/billing/").content.decode()
    assert "No claims for this client." in body and "asked that no health plan hear of their care" in body
    assert "Blocked from the plan." in body and "Build the claim" not in body


def test_existence_is_secret_on_the_client_pages(staff, cid, other_practice):
    """A client one may not see answers exactly as one that does not exist."""
    for username in ("okafor", "fontaine", "haddad"):
        web = signed_in(staff[username])
        seen = web.get(f"/clients/{cid['c1']}/billing/")
        nobody = web.get(f"/clients/{uuid.uuid4()}/billing/")
        assert seen.status_code == nobody.status_code == 404, username
        assert without_csrf(seen.content) == without_csrf(nobody.content)
    biller = signed_in(staff["pellham"])
    elsewhere = biller.get(f"/clients/{other_practice['client_id']}/billing/")
    nobody = biller.get(f"/clients/{uuid.uuid4()}/billing/")
    assert elsewhere.status_code == nobody.status_code == 404
    assert without_csrf(elsewhere.content) == without_csrf(nobody.content)
    claim = biller.get(f"/clients/{cid['c1']}/billing/claims/{uuid.uuid4()}/?download=x12")
    assert claim.status_code == 404


def test_a_clinician_sees_their_own_client_s_charges(staff, cid):
    body = signed_in(staff["marsh"]).get(f"/clients/{cid['c1']}/billing/").content.decode()
    assert "Charges" in body and "90791" in body


def test_the_settings_page_saves_and_refuses_in_one_line(staff):
    web = signed_in(staff["haddad"])
    ok = web.post("/billing/settings/", {"form": "fees", "fee_cpt": ["90834", "90837"],
                                         "fee_amount": ["155.00", "185.00"]})
    assert ok.status_code == 302
    bad = web.post("/billing/settings/", {"form": "practice", "npi": "1234567890", "tax_id": "911234567",
                                          "line": "1 Main St", "city": "Tacoma", "state": "WA", "zip": "984031234"})
    assert bad.status_code == 400 and "valid check digit" in bad.content.decode()


def test_the_portal_superbill(staff, cid):
    web = signed_in(staff["lvarga"])
    page = web.get("/portal/billing/")
    assert page.status_code == 200 and "superbill" in page.content.decode().lower()
    pdf = web.get("/portal/billing/superbill.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # a parent's login finds no such page; staff are sent to theirs
    assert signed_in(staff["acastellanos"]).get("/portal/billing/superbill.pdf").status_code == 404
    assert signed_in(staff["pellham"]).get("/portal/billing/")["Location"] == "/"


@pytest.mark.parametrize("username", ["pellham", "marsh"])
def test_the_biller_and_clinician_produce_the_superbill(staff, cid, username):
    response = signed_in(staff[username]).get(f"/clients/{cid['c1']}/billing/superbill.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
