"""The portal's pages and the staff pages that answer them: who may enter, existence
secrecy, one-line errors that change nothing, and what each page shows."""

from __future__ import annotations

import uuid

import pytest

from confide.apps.records.models import AppointmentRequest, FormResponse, PortalMessage
from confide.services.portal import correspondence, forms, notice, requests
from tests.web.signin import signed_in

CLIENT_PAGES = ("/portal/notice/", "/portal/forms/phq9/", "/portal/forms/gad7/", "/portal/forms/intake/",
                "/portal/appointments/", "/portal/messages/", "/portal/preferences/", "/portal/access/",
                "/portal/parent-view/")


@pytest.mark.parametrize("path", CLIENT_PAGES)
def test_a_client_opens_each_page_and_a_parent_sees_only_the_guardian_view(staff, path):
    assert signed_in(staff["lvarga"]).get(path).status_code == 200
    assert signed_in(staff["acastellanos"]).get(path).status_code == 404
    assert signed_in(staff["marsh"]).get(path)["Location"] == "/"


def test_an_unknown_form_is_not_found(staff):
    assert signed_in(staff["lvarga"]).get("/portal/forms/nope/").status_code == 404


def test_home_says_what_is_waiting(staff, cid):
    page = signed_in(staff["lvarga"]).get("/portal/").content.decode()
    for words in ("Your next appointments", "Before your next session", "Mood questionnaire (PHQ-9)",
                  "Please read and acknowledge our notice", "Who has opened your record"):
        assert words in page, words
    assert "What your parent sees" not in page
    assert "What your parent sees" in signed_in(staff["jcastellanos"]).get("/portal/").content.decode()


def test_notice_acknowledged_from_the_page_shows_on_the_chart(staff, cid):
    web = signed_in(staff["lvarga"])
    assert web.post("/portal/notice/", {"version": notice.NOTICE_VERSION}).status_code == 302
    chart = signed_in(staff["marsh"]).get(f"/clients/{cid['c1']}/").content.decode()
    assert "Acknowledged in the portal on" in chart


def test_phq9_page_needs_every_answer_and_item9_shows_help(staff, cid):
    web = signed_in(staff["lvarga"])
    bad = web.post("/portal/forms/phq9/", {f"item{n}": "0" for n in range(1, 9)})
    assert bad.status_code == 400 and "Please answer question 9." in bad.content.decode()
    lenas = FormResponse.objects.filter(client_id=cid["c1"])  # the demo's other clients have theirs
    assert not lenas.exists()
    done = web.post("/portal/forms/phq9/", {**{f"item{n}": "0" for n in range(1, 9)}, "item9": "1"}, follow=True)
    assert "988" in done.content.decode()
    marsh = signed_in(staff["marsh"])
    queue = marsh.get("/forms/").content.decode()
    assert "needs attention: item 9" in queue
    response_id = lenas.get().id
    assert marsh.get(f"/forms/{response_id}/").status_code == 200
    for who in ("okafor", "lindqvist"):  # no relationship: as if it did not exist
        other = signed_in(staff[who])
        assert other.get(f"/forms/{response_id}/").status_code == 404
        assert other.get(f"/forms/{uuid.uuid4()}/").status_code == 404
    for who in ("fontaine", "pellham", "haddad"):
        assert signed_in(staff[who]).get(f"/forms/{response_id}/").status_code == 404
    assert marsh.post(f"/forms/{response_id}/").status_code == 302
    assert lenas.get().reviewed_at is not None


def test_appointment_request_from_the_page_to_the_front_desk(staff, cid):
    web = signed_in(staff["lvarga"])
    bad = web.post("/portal/appointments/", {"slot": "", "preference": ""})
    assert bad.status_code == 400 and "Choose an open time" in bad.content.decode()
    assert web.post("/portal/appointments/", {"slot": "not-a-time"}).status_code == 400
    lenas = AppointmentRequest.objects.filter(client_id=cid["c1"])  # the demo's other clients have theirs
    assert not lenas.exists()
    assert web.post("/portal/appointments/", {"preference": "Mornings, please"}).status_code == 302
    desk = signed_in(staff["fontaine"])
    listed = desk.get("/appointment-requests/").content.decode()
    assert "Mornings, please" in listed
    rid = lenas.get().id
    refused = desk.post(f"/appointment-requests/{rid}/decline/", {"reason": ""}, follow=True)
    assert "reason" in refused.content.decode() and lenas.get().status == "open"
    desk.post(f"/appointment-requests/{rid}/decline/", {"reason": "We will call you to find a morning."})
    assert "We will call you to find a morning." in web.get("/portal/appointments/").content.decode()
    assert signed_in(staff["pellham"]).get("/appointment-requests/").status_code == 404


def test_the_front_desk_books_a_chosen_time(staff, cid):
    slot = requests.open_times(user=staff["lvarga"], client_id=cid["c1"])["clinicians"][0]["times"][0]
    rid = requests.appointment_request_create(user=staff["lvarga"], client_id=cid["c1"], slot=slot["value"])
    done = signed_in(staff["fontaine"]).post(f"/appointment-requests/{rid}/book/")
    assert done.status_code == 302 and done["Location"].startswith("/calendar/appointments/")
    assert "booked" in signed_in(staff["lvarga"]).get("/portal/appointments/").content.decode()


def test_messages_pages_and_who_may_open_a_thread(staff, cid, outbox):
    web = signed_in(staff["lvarga"])
    assert web.post("/portal/messages/", {"text": "  "}).status_code == 400
    lenas = PortalMessage.objects.filter(client_id=cid["c1"])  # the demo's other clients have theirs
    assert not lenas.exists()
    assert web.post("/portal/messages/", {"text": "Hello from Lena"}).status_code == 302
    marsh = signed_in(staff["marsh"])
    assert "Hello from Lena" in marsh.get(f"/clients/{cid['c1']}/messages/").content.decode()
    assert marsh.post(f"/clients/{cid['c1']}/messages/", {"text": "Hello Lena"}).status_code == 302
    for who in ("fontaine", "pellham", "haddad", "lindqvist"):
        other = signed_in(staff[who])
        assert other.get(f"/clients/{cid['c1']}/messages/").status_code == 404, who
        assert other.get(f"/clients/{uuid.uuid4()}/messages/").status_code == 404, who
        if who == "fontaine":
            assert other.post(f"/clients/{cid['c1']}/messages/", {"text": "x"}).status_code == 404
    assert lenas.count() == 2
    assert "Hello Lena" in web.get("/portal/messages/").content.decode()


def test_preferences_page_saves_without_asking_why_and_refuses_bad_input(staff, cid):
    web = signed_in(staff["lvarga"])
    page = web.get("/portal/preferences/").content.decode()
    assert "why" in page and "reason" not in page.lower().replace("never need to tell us why", "")
    bad = web.post("/portal/preferences/", {"voicemail": "none", "text": "none", "email": "none", "postal": "none",
                                            "alternate_phone": "call me maybe"})
    assert bad.status_code == 400 and "alternate_phone" in bad.content.decode()
    ok = web.post("/portal/preferences/", {"voicemail": "none", "text": "neutral", "email": "none",
                                           "postal": "alternate", "alternate_address": "PO Box 12, Tacoma WA",
                                           "alternate_phone": "253-555-0199", "timezone": "America/Chicago"})
    assert ok.status_code == 302
    assert "America/Chicago" in web.get("/portal/").content.decode()


def test_access_page_speaks_in_words_and_pages(staff, cid):
    signed_in(staff["marsh"]).get(f"/clients/{cid['c1']}/")
    page = signed_in(staff["lvarga"]).get("/portal/access/?page=abc").content.decode()
    assert f"{staff['marsh'].full_name}, your clinician, for your care" in page
    assert "TREAT" not in page


def test_parent_view_page_for_a_minor(staff, cid):
    web = signed_in(staff["jcastellanos"])
    assert web.post("/portal/parent-view/", {"allows": ["progress_notes"]}).status_code == 302
    assert signed_in(staff["acastellanos"]).get("/portal/").status_code == 200
    web.post("/portal/parent-view/", {"allows": ["appointments", "identity"]})
    assert "Appointments" in signed_in(staff["acastellanos"]).get("/portal/").content.decode()
    adult = signed_in(staff["lvarga"]).get("/portal/parent-view/").content.decode()
    assert "talk with your clinician" in adult


def test_staff_queues_are_empty_for_roles_that_do_not_act_on_them(staff):
    assert forms.forms_to_review(user=staff["fontaine"]) == []
    assert correspondence.threads_mine(user=staff["fontaine"]) == []
    assert requests.appointment_requests_open(user=staff["haddad"]) == []


def test_a_supervisor_reads_a_supervisees_clients_thread_and_is_told_why_they_do_not_reply(staff, cid, outbox):
    """INT-SUPERVISOR lets a supervisor read the record of a supervisee's client, never
    write to it: the page says so in words instead of offering a reply box."""
    from django.utils.html import escape

    from confide.services.portal.correspondence import NO_REPLY

    words = escape(NO_REPLY["supervising"])

    before = PortalMessage.objects.count()
    lindqvist = signed_in(staff["lindqvist"])  # treating c5
    assert lindqvist.post(f"/clients/{cid['c5']}/messages/", {"text": "See you Thursday"}).status_code == 302
    page = lindqvist.get(f"/clients/{cid['c5']}/messages/").content.decode()
    assert '<textarea' in page and words not in page
    okafor = signed_in(staff["okafor"])  # supervises lindqvist
    page = okafor.get(f"/clients/{cid['c5']}/messages/").content.decode()
    assert "See you Thursday" in page
    assert '<textarea' not in page and words in page
    assert okafor.post(f"/clients/{cid['c5']}/messages/", {"text": "From the supervisor"}).status_code == 404
    assert PortalMessage.objects.count() == before + 1
    # a supervisor who treats the client replies as any treating clinician
    page = okafor.get(f"/clients/{cid['c2']}/messages/").content.decode()
    assert '<textarea' in page and words not in page
