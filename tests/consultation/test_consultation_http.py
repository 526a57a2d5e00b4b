"""The consultation packet over the API and on the clinician's review page."""

from __future__ import annotations

import re

from confide.apps.records.models import Disclosure
from tests.api.conftest import web_client  # noqa: F401 - the signed-in web session fixture
from tests.consultation.helpers import chart_values, leaks, make_notes

API = "/api/v1"


def test_api_draft_review_release_and_packet(staff, cid, api_client):
    marsh = staff["marsh"]
    notes = make_notes(marsh, cid["c1"])
    client = api_client(marsh)
    base = f"{API}/clients/{cid['c1']}/consultations"
    made = client.post(base, data={"note_ids": notes, "mode": "redact", "keep_first_name": False},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    draft = made.json()
    assert draft["status"] == "draft" and draft["safe_harbor"] and draft["replacements"]["NAME"] >= 4
    assert not leaks(made.content.decode(), chart_values())
    assert client.get(f"{base}/{draft['id']}").json()["notes"] == draft["notes"]
    assert [row["id"] for row in client.get(base).json()] == [draft["id"]]
    before = Disclosure.objects.count()
    assert client.get(f"{base}/{draft['id']}/packet").status_code == 404  # not released: nothing to fetch
    released = client.post(f"{base}/release", data={"draft_id": draft["id"], "reviewed": True,
                                                    "recipient": {"name": "Dr. Priya Consult"}},
                           content_type="application/json")
    assert released.status_code == 200, released.content
    assert released.json()["basis"] == "deidentified_consultation"
    assert Disclosure.objects.count() == before + 1
    pdf = client.get(f"{base}/{draft['id']}/packet", {"format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = client.get(f"{base}/{draft['id']}/packet")
    assert text["Content-Type"].startswith("text/plain") and "Session 2" in text.content.decode()
    assert not leaks(text.content.decode(), chart_values())


def test_an_unrelated_clinician_gets_404_from_the_api(staff, cid, api_client):
    notes = make_notes(staff["marsh"], cid["c1"])
    answer = api_client(staff["okafor"]).post(f"{API}/clients/{cid['c1']}/consultations", data={"note_ids": notes},
                                              content_type="application/json")
    assert answer.status_code == 404 and answer.json() == {"error": "not_found", "message": "not found"}


def test_review_page_highlights_each_replacement_and_releases_only_on_the_button(staff, cid, web_client):
    marsh = staff["marsh"]
    notes = make_notes(marsh, cid["c1"])
    page = web_client(marsh)
    chart = page.get(f"/clients/{cid['c1']}/notes/")  # the chart's notes tab links to it
    assert f"/clients/{cid['c1']}/consultation/" in chart.content.decode()
    form = page.get(f"/clients/{cid['c1']}/consultation/")
    assert form.status_code == 200 and all(n in form.content.decode() for n in notes)
    made = page.post(f"/clients/{cid['c1']}/consultation/", {"note_ids": notes, "mode": "surrogates",
                                                             "purpose": "HOPERAT"})
    assert made.status_code == 302
    review_url = made["Location"]
    before = Disclosure.objects.count()
    review = page.get(review_url)
    html = review.content.decode()
    assert review.status_code == 200 and "Nothing has left the practice" in html
    types = set(re.findall(r'<mark class="t-([A-Z]+)', html))
    assert {"NAME", "CONTACT", "DATE", "ID", "LOCATION"} <= types
    assert "Release</button>" in html
    body = re.sub(r"<[^>]+>", " ", html)
    assert not leaks(body, chart_values()), leaks(body, chart_values())
    assert Disclosure.objects.count() == before  # viewing sends nothing
    refused = page.post(review_url, {"recipient_name": "Dr. Priya Consult"})  # not confirmed as reviewed
    assert refused.status_code == 400 and Disclosure.objects.count() == before
    sent = page.post(review_url, {"recipient_name": "Dr. Priya Consult", "reviewed": "on"})
    assert sent.status_code == 302 and Disclosure.objects.count() == before + 1
    after = page.get(review_url).content.decode()
    assert "released" in after and "Release</button>" not in after
    pdf = page.get(review_url, {"download": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_unrelated_clinician_gets_the_not_found_page(staff, cid, web_client):
    page = web_client(staff["okafor"])
    assert page.get(f"/clients/{cid['c1']}/consultation/").status_code == 404
