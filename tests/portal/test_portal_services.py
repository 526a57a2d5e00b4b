"""The client's portal, service by service: each write and read through the door,
audited, refused to anyone the PDP does not let in (as "not found")."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import (
    Assessment,
    FormResponse,
    GroundRules,
    Message,
    PortalMessage,
)
from confide.core.errors import InvalidInput, NotFound
from confide.services.disclosures import minors
from confide.services.messages import (
    contact_preferences_get,
    contact_preferences_set,
    revealing_words,
)
from confide.services.outbox import outbox_read
from confide.services.portal import (
    access_log,
    correspondence,
    forms,
    home,
    notice,
    requests,
)

PHQ_CALM = [0, 1, 0, 1, 0, 0, 0, 0, 0]


def _events(action: str | None = None) -> int:
    rows = AuditEvent.objects.all()
    return rows.filter(action=action).count() if action else rows.count()


# --- notice ---------------------------------------------------------------------------

def test_client_acknowledges_the_notice_and_the_clinician_sees_it(staff, cid):
    assert notice.notice_status(user=staff["marsh"], client_id=cid["c1"]) is None
    done = notice.notice_acknowledge(user=staff["lvarga"], client_id=cid["c1"], version=notice.NOTICE_VERSION)
    assert done["version"] == notice.NOTICE_VERSION and done["current"]
    seen = notice.notice_status(user=staff["marsh"], client_id=cid["c1"])
    assert seen["current"] and seen["by_client"] and seen["when"]
    with pytest.raises(NotFound):  # the front desk does not read consents
        notice.notice_status(user=staff["fontaine"], client_id=cid["c1"])


def test_an_old_version_is_not_acknowledged(staff, cid):
    with pytest.raises(InvalidInput):
        notice.notice_acknowledge(user=staff["lvarga"], client_id=cid["c1"], version="2001-01-01")


def test_another_client_cannot_acknowledge_for_someone_else(staff, cid):
    with pytest.raises(NotFound):
        notice.notice_acknowledge(user=staff["lvarga"], client_id=cid["c2"], version=notice.NOTICE_VERSION)


# --- forms ----------------------------------------------------------------------------

def test_phq9_item9_flags_the_form_for_the_clinician_and_nothing_leaves(staff, cid):
    disclosures_before = _events("disclose")
    out = forms.form_submit(user=staff["lvarga"], client_id=cid["c1"], slug="phq9", answers=[1, 1, 1, 1, 0, 0, 0, 0, 2])
    assert out["help"] is True
    row = FormResponse.objects.get(id=out["id"])
    assert row.assessment_id and Assessment.objects.filter(id=row.assessment_id).exists()
    queue = forms.forms_to_review(user=staff["marsh"])
    assert queue[0]["id"] == out["id"] and queue[0]["flag"] == "item9" and queue[0]["score"] == 6
    assert [i["n"] for i in queue[0]["items"] if i["flagged"]] == [9]
    assert _events("disclose") == disclosures_before
    assert forms.forms_to_review(user=staff["okafor"]) == [] or all(
        f["id"] != out["id"] for f in forms.forms_to_review(user=staff["okafor"]))
    forms.form_review(user=staff["marsh"], response_id=out["id"])
    assert all(f["id"] != out["id"] for f in forms.forms_to_review(user=staff["marsh"]))


def test_a_calm_phq9_is_not_flagged_and_the_gad7_scores(staff, cid):
    assert forms.form_submit(user=staff["lvarga"], client_id=cid["c1"], slug="phq9", answers=PHQ_CALM)["help"] is False
    forms.form_submit(user=staff["lvarga"], client_id=cid["c1"], slug="gad7", answers=[3, 3, 3, 3, 0, 0, 0])
    done = {f["kind"]: f for f in forms.forms_of_client(user=staff["marsh"], client_id=cid["c1"])}
    assert done["GAD-7"]["score"] == 12 and done["GAD-7"]["severity"] == "moderate"
    assert done["PHQ-9"]["flag"] is None
    assert [f["slug"] for f in forms.forms_due(user=staff["lvarga"], client_id=cid["c1"])] == ["intake"]


@pytest.mark.parametrize("answers", [[0] * 8, [0] * 8 + [4], "nine", [0] * 8 + [True]])
def test_bad_answers_are_refused_in_one_line_and_nothing_is_kept(staff, cid, answers):
    with pytest.raises(InvalidInput) as err:
        forms.form_submit(user=staff["lvarga"], client_id=cid["c1"], slug="phq9", answers=answers)
    assert "\n" not in str(err.value)
    assert not FormResponse.objects.filter(client_id=cid["c1"]).exists()  # the demo's Adrian has his


def test_the_intake_form_needs_the_reason_and_keeps_the_words(staff, cid):
    with pytest.raises(InvalidInput, match="What brings you here"):
        forms.form_submit(user=staff["lvarga"], client_id=cid["c1"], slug="intake", answers={"reason": " "})
    out = forms.form_submit(user=staff["lvarga"], client_id=cid["c1"], slug="intake",
                            answers={"reason": "Sleep has been hard since the move.", "medications": ""})
    view = forms.form_response_get(user=staff["marsh"], response_id=out["id"])
    assert view["answers"][0]["text"] == "Sleep has been hard since the move."
    with pytest.raises(NotFound):
        forms.form_response_get(user=staff["fontaine"], response_id=out["id"])


def test_a_client_cannot_file_a_form_in_another_record(staff, cid):
    with pytest.raises(NotFound):
        forms.form_submit(user=staff["lvarga"], client_id=cid["c2"], slug="phq9", answers=PHQ_CALM)


# --- appointment requests -------------------------------------------------------------

def test_request_an_open_time_and_the_front_desk_books_it(staff, cid):
    offered = requests.open_times(user=staff["lvarga"], client_id=cid["c1"])
    times = offered["clinicians"][0]["times"]
    assert offered["clinicians"][0]["clinician"] == staff["marsh"].full_name and times
    # the demo's Adrian asked for one before (a preference in words)
    demo = {r["id"] for r in requests.appointment_requests_open(user=staff["fontaine"])}
    assert len(demo) == 1
    rid = requests.appointment_request_create(user=staff["lvarga"], client_id=cid["c1"], slot=times[0]["value"])
    waiting = [r for r in requests.appointment_requests_open(user=staff["fontaine"]) if r["id"] not in demo]
    assert [r["id"] for r in waiting] == [rid] and waiting[0]["client_name"]
    assert [r["id"] for r in requests.appointment_requests_open(user=staff["marsh"]) if r["id"] not in demo] == [rid]
    assert requests.appointment_requests_open(user=staff["pellham"]) == []
    appointment_id = requests.appointment_request_book(user=staff["fontaine"], request_id=rid)
    mine = requests.appointment_requests_mine(user=staff["lvarga"], client_id=cid["c1"])
    assert mine[0]["status"] == "booked" and mine[0]["appointment_id"] == appointment_id
    # the time is no longer open
    again = requests.open_times(user=staff["lvarga"], client_id=cid["c1"])["clinicians"][0]["times"]
    assert times[0]["value"] not in [t["value"] for t in again]
    with pytest.raises(InvalidInput):
        requests.appointment_request_create(user=staff["lvarga"], client_id=cid["c1"], slot=times[0]["value"])


def test_a_preference_in_words_is_declined_with_a_reason_the_client_reads(staff, cid):
    with pytest.raises(InvalidInput):
        requests.appointment_request_create(user=staff["lvarga"], client_id=cid["c1"])
    rid = requests.appointment_request_create(user=staff["lvarga"], client_id=cid["c1"],
                                              preference="Any weekday after 5 PM")
    with pytest.raises(InvalidInput):  # nothing to book at without a time
        requests.appointment_request_book(user=staff["fontaine"], request_id=rid)
    with pytest.raises(InvalidInput):
        requests.appointment_request_decline(user=staff["fontaine"], request_id=rid, reason="")
    requests.appointment_request_decline(user=staff["fontaine"], request_id=rid,
                                         reason="No evening times this month; we will call you.")
    mine = requests.appointment_requests_mine(user=staff["lvarga"], client_id=cid["c1"])
    assert mine[0]["status"] == "declined" and mine[0]["reason"].startswith("No evening")


def test_a_request_of_another_practice_is_not_found(staff, cid, other_practice):
    rid = requests.appointment_request_create(user=staff["lvarga"], client_id=cid["c1"], preference="mornings")
    with pytest.raises(NotFound):
        requests.appointment_request_decline(user=other_practice["clinician"], request_id=rid, reason="no")
    with pytest.raises(NotFound):
        requests.appointment_request_book(user=staff["pellham"], request_id=rid)


# --- secure messages ------------------------------------------------------------------

def test_a_message_round_trip_with_a_neutral_notice(staff, cid, outbox):
    out = correspondence.message_send(user=staff["lvarga"], client_id=cid["c1"], text="Can we talk about sleep?")
    assert out["notice"] is None
    def lenas_unread():  # Marsh's other threads: the demo's Adrian
        return [t["unread"] for t in correspondence.threads_mine(user=staff["marsh"]) if t["client_id"] == str(cid["c1"])]
    assert lenas_unread() == [1]
    seen = correspondence.thread(user=staff["marsh"], client_id=cid["c1"])
    assert seen["messages"][0]["text"] == "Can we talk about sleep?" and seen["messages"][0]["new"]
    assert lenas_unread() == [0]
    reply = correspondence.message_send(user=staff["marsh"], client_id=cid["c1"], text="Yes: bring a sleep diary.")
    assert reply["notice"]["status"] == "sent" and reply["notice"]["channel"] == "email"
    files = outbox()
    assert len(files) == 1
    mail = outbox_read(files[0]).decode("utf-8")
    assert "sleep" not in mail.lower() and "Marsh" not in mail and "Counseling" not in mail
    assert "A message is waiting for you" in mail and "HL Appointments" in mail
    # the stored text is encrypted (not in clear in the row)
    row = PortalMessage.objects.get(id=reply["id"])
    assert b"sleep diary" not in bytes(row.body_enc)
    client_view = correspondence.thread(user=staff["lvarga"], client_id=cid["c1"])
    assert [m["who"] for m in client_view["messages"]] == ["You", staff["marsh"].full_name]
    assert Message.objects.filter(client_id=cid["c1"], status="sent").count() == 1


@pytest.mark.parametrize("channel", ["email", "text"])
def test_the_notice_says_nothing_revealing(channel):
    subject, text = correspondence.notice_render("Lena", "HL Appointments", channel)
    assert not revealing_words(f"{subject} {text}")


def test_no_allowed_channel_means_no_notice_recorded_as_refused(staff, cid, outbox):
    contact_preferences_set(user=staff["lvarga"], client_id=cid["c1"],
                            prefs={"voicemail": "none", "text": "none", "email": "none", "postal": "none"})
    reply = correspondence.message_send(user=staff["marsh"], client_id=cid["c1"], text="See you Tuesday.")
    assert reply["notice"]["status"] == "refused" and outbox() == []


def test_the_confidential_alternative_email_receives_the_notice(staff, cid, outbox):
    contact_preferences_set(user=staff["lvarga"], client_id=cid["c1"],
                            prefs={"voicemail": "none", "text": "none", "email": "neutral", "postal": "none",
                                   "alternate_email": "lv.private@example.net"})
    assert contact_preferences_get(user=staff["lvarga"], client_id=cid["c1"])["alternate_email"] == \
        "lv.private@example.net"
    correspondence.message_send(user=staff["marsh"], client_id=cid["c1"], text="Hello")
    assert "lv.private@example.net" in outbox_read(outbox()[0]).decode("utf-8")


def test_the_front_desk_and_other_clients_never_read_messages(staff, cid):
    correspondence.message_send(user=staff["lvarga"], client_id=cid["c1"], text="private")
    for who, client in (("fontaine", "c1"), ("pellham", "c1"), ("awhitford", "c1"), ("okafor", "c1")):
        with pytest.raises(NotFound):
            correspondence.thread(user=staff[who], client_id=cid[client])
    with pytest.raises(NotFound):
        correspondence.message_send(user=staff["fontaine"], client_id=cid["c1"], text="hi")


def test_an_empty_message_is_refused(staff, cid):
    with pytest.raises(InvalidInput):
        correspondence.message_send(user=staff["lvarga"], client_id=cid["c1"], text="   ")


# --- preferences ----------------------------------------------------------------------

@pytest.mark.parametrize("field,value", [("alternate_phone", "call me"), ("alternate_email", "nope"),
                                         ("timezone", "Mars/Olympus")])
def test_bad_alternatives_are_refused(staff, cid, field, value):
    with pytest.raises(InvalidInput, match=field):
        contact_preferences_set(user=staff["lvarga"], client_id=cid["c1"],
                                prefs={"voicemail": "none", "text": "none", "email": "none", "postal": "none",
                                       field: value})


# --- access log -----------------------------------------------------------------------

def test_the_access_log_says_who_in_words_and_pages(staff, cid):
    from confide.services import charting

    charting.chart_open(user=staff["marsh"], client_id=cid["c1"])
    log = access_log.access_log(user=staff["lvarga"], client_id=cid["c1"])
    first = log["entries"][0]["sentence"]
    assert first.startswith(f"{staff['marsh'].full_name}, your clinician, for your care, ")
    assert log["pages"] >= 1 and log["total"] >= 1
    assert all(not e["sentence"].startswith("You") for e in log["entries"])  # the client's own visits are left out
    last = access_log.access_log(user=staff["lvarga"], client_id=cid["c1"], page=999)
    assert last["page"] == last["pages"]
    with pytest.raises(NotFound):
        access_log.access_log(user=staff["lvarga"], client_id=cid["c2"])


def test_break_glass_entries_say_so(staff, cid):
    from confide.services import break_glass

    break_glass.break_glass_open(user=staff["okafor"], client_id=cid["c1"], reason="Client in crisis at the door")
    log = access_log.access_log(user=staff["lvarga"], client_id=cid["c1"])
    assert any(e["break_glass"] and "emergency" in e["sentence"] for e in log["entries"])


# --- home -----------------------------------------------------------------------------

def test_home_shows_upcoming_in_the_clients_own_zone(staff, cid):
    summary = home.portal_home(user=staff["lvarga"], client_id=cid["c1"])
    assert summary["upcoming"] and summary["zone"] == "America/Los_Angeles"
    contact_preferences_set(user=staff["lvarga"], client_id=cid["c1"],
                            prefs={"voicemail": "none", "text": "none", "email": "none", "postal": "none",
                                   "timezone": "America/New_York"})
    moved = home.portal_home(user=staff["lvarga"], client_id=cid["c1"])
    assert moved["zone"] == "America/New_York" and moved["upcoming"][0]["when"] != summary["upcoming"][0]["when"]
    assert [f["slug"] for f in moved["forms_due"]] == ["phq9", "gad7", "intake"] and moved["notice"] is None


# --- the minor decides what the parent sees -------------------------------------------

def test_a_minor_who_consented_alone_changes_what_the_parent_sees(staff, cid):
    before = minors.guardian_views_mine(user=staff["acastellanos"])
    assert "appointments" not in before[0]["categories"] and "attendance" in before[0]["categories"]
    mine = minors.minor_parent_view_get(user=staff["jcastellanos"], client_id=cid["c3"])
    assert mine["decides"] and mine["allows"] == ["attendance", "progress_summary"]
    minors.minor_parent_view_set(user=staff["jcastellanos"], client_id=cid["c3"], allows=["appointments"])
    after = minors.guardian_views_mine(user=staff["acastellanos"])
    assert after[0]["categories"] == ["appointments"]
    minors.minor_parent_view_set(user=staff["jcastellanos"], client_id=cid["c3"], allows=[])
    assert minors.guardian_views_mine(user=staff["acastellanos"]) == []
    latest = GroundRules.objects.filter(client_id=cid["c3"]).order_by("created_at").last()
    assert latest.recorded_by == staff["jcastellanos"]


def test_only_the_minor_and_only_known_choices(staff, cid):
    with pytest.raises(NotFound):
        minors.minor_parent_view_set(user=staff["acastellanos"], client_id=cid["c3"], allows=["diagnosis"])
    with pytest.raises(NotFound):
        minors.minor_parent_view_set(user=staff["lvarga"], client_id=cid["c3"], allows=["diagnosis"])
    with pytest.raises(InvalidInput):
        minors.minor_parent_view_set(user=staff["jcastellanos"], client_id=cid["c3"], allows=["progress_notes"])
    with pytest.raises(InvalidInput):  # an adult client did not consent as a minor
        minors.minor_parent_view_set(user=staff["lvarga"], client_id=cid["c1"], allows=["diagnosis"])
