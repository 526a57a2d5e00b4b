"""Setting up a practice without the demo: the service, the command, the first-visit
page, and the second factor its administrator enrols before anything else."""

from __future__ import annotations

import pytest
from django.test import Client

from confide.apps.auditlog.models import AuditEvent
from confide.apps.practice.models import Practice, User
from confide.cli import main
from confide.core.errors import InvalidInput
from confide.services.practice import enrolment
from tests.practice.helpers import PASSWORD, current_code, new_practice


def test_practice_and_admin_created_and_audited(db):
    created = new_practice()
    practice = Practice.objects.get(pk=created.practice.pk)
    assert (practice.name, practice.message_sender, practice.timezone, practice.jurisdiction) == (
        "Cedar Street Counseling", "CS Appointments", "America/New_York", "US-NY")
    admin = User.objects.get(username="cedaradmin")
    assert admin.role == "practice_admin" and admin.practice_id == practice.pk and admin.check_password(PASSWORD)
    actions = list(AuditEvent.objects.filter(chain=str(practice.pk)).values_list("action", flat=True))
    assert "practice.created" in actions and "user.created" in actions
    assert enrolment.enrolment_required(admin)


def test_a_new_practice_can_book_from_the_start(db):
    """A practice made without the demo has rooms and neutral appointment types to book
    with; the administrator changes them in settings."""
    from confide.apps.practice.models import AppointmentType, Room

    created = new_practice()
    assert Room.objects.filter(practice=created.practice).count() == 3
    assert "Session" in set(AppointmentType.objects.filter(practice=created.practice).values_list("label", flat=True))


@pytest.mark.parametrize("field, value, message", [
    ("sender_name", "Cedar Street Counseling", "sender name: must not say"),
    ("time_zone", "Mars/Olympus", "time zone"),
    ("state", "US-XX", "state"),
    ("admin_password", "short", "password"),
    ("admin_email", "not-an-address", "email"),
    ("admin_username", "a b", "username"),
    ("name", "", "name: required"),
])
def test_bad_input_is_one_line_and_changes_nothing(db, counts, field, value, message):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        new_practice(**{field: value})
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert counts() == before


def test_a_taken_username_leaves_no_practice_behind(staff, counts):
    before = counts()
    with pytest.raises(InvalidInput, match="username: already taken"):
        new_practice(admin_username="marsh")
    assert counts() == before


def test_first_visit_setup_is_refused_once_a_practice_exists(staff):
    with pytest.raises(InvalidInput, match="already has a practice"):
        new_practice(first_visit=True)
    response = Client().get("/setup/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert Client().get("/login/").status_code == 200


def test_the_command_creates_a_practice(db, monkeypatch, capsys):
    monkeypatch.setenv("CONFIDE_ADMIN_PASSWORD", PASSWORD)
    assert main(["practice", "create", "--name", "Birch Lane Therapy", "--sender-name", "BL Office",
                 "--state", "US-WA", "--admin-username", "birchadmin", "--admin-name", "Ben Birch",
                 "--admin-email", "ben@example.org"]) == 0
    assert "created the practice 'Birch Lane Therapy'" in capsys.readouterr().out
    assert User.objects.get(username="birchadmin").practice.jurisdiction == "US-WA"


def test_the_command_refuses_bad_input_in_one_line(db, monkeypatch, capsys):
    monkeypatch.setenv("CONFIDE_ADMIN_PASSWORD", PASSWORD)
    assert main(["practice", "create", "--name", "X", "--sender-name", "X Therapy Center", "--state", "US-WA",
                 "--admin-username", "xadmin", "--admin-name", "X", "--admin-email", "x@example.org"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("confide: sender name") and "\n" not in err
    assert not User.objects.filter(username="xadmin").exists()


def test_admin_enrols_a_second_factor_before_anything_else(db):
    created = new_practice()
    web = Client()
    response = web.post("/login/", {"username": "cedaradmin", "password": PASSWORD, "otp": ""})
    assert response.status_code == 302 and response["Location"] == "/enrol/"
    # every staff page sends them back to enrolment until it is done
    for path in ("/", "/review/", "/clients/"):
        away = web.get(path)
        assert away.status_code == 302 and away["Location"] == "/enrol/", path
    page = web.get("/enrol/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg " in body and 'aria-label="QR code for your authenticator app"' in body
    assert "<script" not in body.split("</head>", 1)[1] and " style=" not in body
    done = web.post("/enrol/", {"code": current_code(created.admin, confirmed=False)})
    assert done.status_code == 302 and done["Location"] == "/"
    assert web.get("/").status_code == 200
    assert not enrolment.enrolment_required(User.objects.get(pk=created.admin.pk))
    assert web.get("/enrol/")["Location"] == "/"
    assert AuditEvent.objects.filter(chain=str(created.practice.pk), action="otp.enrolled").count() == 1


def test_an_enrolled_admin_needs_the_code(db):
    created = new_practice()
    enrolment.enrolment_start(user=created.admin)
    enrolment.enrolment_confirm(user=created.admin, code=current_code(created.admin, confirmed=False))
    web = Client()
    refused = web.post("/login/", {"username": "cedaradmin", "password": PASSWORD, "otp": ""})
    assert refused.status_code == 401
    # once enrolled, a password alone no longer opens enrolment again
    assert "/enrol/" not in refused.get("Location", "")


def test_a_wrong_code_enrols_nothing(db):
    created = new_practice()
    web = Client()
    web.post("/login/", {"username": "cedaradmin", "password": PASSWORD, "otp": ""})
    web.get("/enrol/")
    right = current_code(created.admin, confirmed=False)
    wrong = web.post("/enrol/", {"code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 400 and b"not the current code" in wrong.content
    assert web.post("/enrol/", {"code": "12ab"}).status_code == 400
    assert enrolment.enrolment_required(User.objects.get(pk=created.admin.pk))
    assert web.get("/")["Location"] == "/enrol/"
