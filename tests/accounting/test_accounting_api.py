"""The accounting and stored packets over the API and in the client's portal."""

from __future__ import annotations

import uuid

import pytest

from confide.apps.records.models import Disclosure
from tests.api.conftest import API_PREFIX, one_line_json, web_client  # noqa: F401 (fixture)


def _latest(client_id) -> str:
    return str(Disclosure.objects.filter(client_id=client_id).order_by("-made_at").first().id)


def test_accounting_json_and_pdf_for_the_treating_clinician(staff, cid, api_client):
    client = api_client(staff["marsh"])
    body = client.get(f"{API_PREFIX}/clients/{cid['c1']}/accounting").json()
    assert body["practice"] == "Harbor Light Counseling" and body["years"] == 6
    assert {e["basis"]["kind"] for e in body["entries"]} == {"payer_claim", "client_request"}
    assert all(e["required"] is False and e["not_required_reason"] for e in body["entries"])
    pdf = client.get(f"{API_PREFIX}/clients/{cid['c1']}/accounting.pdf", {"years": 2})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_signed_in_client_gets_their_own(staff, cid, api_client):
    client = api_client(staff["lvarga"])
    body = client.get(f"{API_PREFIX}/me/accounting").json()
    assert len(body["entries"]) == 2
    assert body["entries"] == api_client(staff["marsh"]).get(f"{API_PREFIX}/clients/{cid['c1']}/accounting").json()[
        "entries"]
    pdf = client.get(f"{API_PREFIX}/me/accounting.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # not another client's
    assert client.get(f"{API_PREFIX}/clients/{cid['c6']}/accounting").status_code == 404


@pytest.mark.parametrize("username", ["marsh", "pellham", "acastellanos"])
def test_me_accounting_is_not_found_without_a_record_of_ones_own(staff, api_client, username):
    # staff have no record; a parent of a minor is not given the minor's accounting
    response = api_client(staff[username]).get(f"{API_PREFIX}/me/accounting")
    assert response.status_code == 404
    assert one_line_json(response) == {"error": "not_found", "message": "not found"}


@pytest.mark.parametrize("query", [{"years": 0}, {"years": 7}, {"years": "six"}])
def test_bad_years_is_a_one_line_422(staff, cid, api_client, query):
    response = api_client(staff["marsh"]).get(f"{API_PREFIX}/clients/{cid['c1']}/accounting", query)
    assert response.status_code == 422
    one_line_json(response)


def test_a_stored_packet_in_each_format(staff, cid, api_client):
    client = api_client(staff["marsh"])
    url = f"{API_PREFIX}/clients/{cid['c1']}/disclosures/{_latest(cid['c1'])}"
    packet = client.get(url).json()
    assert packet["recipient"]["kind"] in ("client", "insurer") and "sections" in packet
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    fhir = client.get(url, {"format": "fhir"})
    assert fhir["Content-Type"] == "application/fhir+json" and fhir.json()["resourceType"] == "Bundle"
    assert client.get(url, {"format": "xml"}).status_code == 422


def test_a_packet_of_another_client_or_none_is_not_found(staff, cid, api_client):
    client = api_client(staff["marsh"])
    other = Disclosure.objects.exclude(client_id=cid["c1"]).first()
    for did in (uuid.uuid4(), "nope", other.id if other else uuid.uuid4()):
        response = client.get(f"{API_PREFIX}/clients/{cid['c1']}/disclosures/{did}")
        assert response.status_code == 404
        assert one_line_json(response) == {"error": "not_found", "message": "not found"}


def test_portal_accounting_page_and_pdf(staff, web_client):
    client = web_client(staff["lvarga"])
    page = client.get("/portal/accounting/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your accounting of disclosures" in text and "Cascadia Health Plan" in text
    assert "for treatment, payment or health care operations" in text
    assert "/portal/accounting/" in client.get("/portal/").content.decode()
    # the PDF is prepared in the background (tests/accounting/test_prepared_documents.py)
    asked = client.post("/portal/accounting.pdf")
    assert asked.status_code == 302 and asked["Location"].startswith("/portal/documents/")
    # staff are sent to their own pages
    assert web_client(staff["marsh"]).get("/portal/accounting/").status_code == 302
