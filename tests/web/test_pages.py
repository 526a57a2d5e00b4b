"""Server-rendered pages: sign-in with a second factor, lists, charts, the portal."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.services.demo.data import DEMO_PASSWORD


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def without_csrf(page: bytes) -> bytes:
    """Pages differ by their per-request CSRF token only; everything else must match."""
    return _CSRF.sub(b"", page)


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": DEMO_PASSWORD,
                                       "otp": _code(user) if user.is_staff_member else ""})
    assert response.status_code == 302, response.content
    return client


def test_staff_need_the_one_time_code(staff):
    response = Client().post("/login/", {"username": "marsh", "password": DEMO_PASSWORD, "otp": "000000"})
    assert response.status_code == 401
    assert b"sign-in failed" in response.content


def test_wrong_password_and_unknown_user_read_the_same(staff):
    a = Client().post("/login/", {"username": "marsh", "password": "wrong-password", "otp": ""})
    b = Client().post("/login/", {"username": "nobody-here", "password": "wrong-password", "otp": ""})
    assert a.status_code == b.status_code == 401
    assert without_csrf(a.content) == without_csrf(b.content)


def test_clinician_home_lists_only_their_clients(staff, cid):
    page = signed_in(staff["marsh"]).get("/").content.decode()
    assert "Lena" in page and "June" in page
    assert "Desmond" not in page and "Russ" not in page


def test_chart_page_shows_sections_and_own_process_notes(staff, cid):
    page = signed_in(staff["marsh"]).get(f"/clients/{cid['c1']}/").content.decode()
    assert "Generalized anxiety disorder" in page
    assert "Your psychotherapy notes" in page


def test_front_desk_chart_has_nothing_clinical(staff, cid):
    page = signed_in(staff["fontaine"]).get(f"/clients/{cid['c1']}/").content.decode()
    assert "Appointments" in page
    assert "Generalized anxiety disorder" not in page and "Progress notes" not in page


def test_unrelated_chart_is_the_not_found_page(staff, cid):
    web = signed_in(staff["marsh"])
    real = web.get(f"/clients/{cid['c2']}/")
    fake = web.get("/clients/00000000-0000-4000-8000-000000000000/")
    assert real.status_code == fake.status_code == 404
    assert without_csrf(real.content) == without_csrf(fake.content)


def test_admin_sees_review_queue_not_clients(staff, cid):
    page = signed_in(staff["haddad"]).get("/").content.decode()
    assert "Break-glass grants awaiting review" in page
    assert "Lena" not in page


def test_portal_shows_own_record_and_access_report(staff, cid):
    page = signed_in(staff["lvarga"]).get("/portal/").content.decode()
    assert "Elena Marisol Varga-Trent" in page
    assert "Who has opened your record" in page
    assert "Your psychotherapy notes" not in page


def test_idle_sessions_expire(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 15 * 60


@pytest.mark.parametrize("path", ["/", "/clients/x/", "/portal/"])
def test_anonymous_is_sent_to_sign_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_repeated_failures_lock_the_account_out(staff):
    for _ in range(5):
        Client().post("/login/", {"username": "pellham", "password": "not-the-password", "otp": ""})
    locked = Client().post("/login/", {"username": "pellham", "password": DEMO_PASSWORD,
                                       "otp": _code(staff["pellham"])})
    assert locked.status_code != 302  # django-axes refuses even the right password now


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_sign_in_never_redirects_off_site(staff, target):
    response = Client().post(f"/login/?next={target}", {"username": "lvarga", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
