"""Signing in: the second factor, failures that read the same, lockout, idle expiry,
redirects that stay on the site."""

from __future__ import annotations

import pytest
from django.test import Client

from confide.services.demo.data import DEMO_PASSWORD
from tests.web.signin import otp_code, without_csrf


def test_staff_need_the_one_time_code(staff):
    response = Client().post("/login/", {"username": "marsh", "password": DEMO_PASSWORD, "otp": "000000"})
    assert response.status_code == 401
    assert b"sign-in failed" in response.content


def test_wrong_password_and_unknown_user_read_the_same(staff):
    a = Client().post("/login/", {"username": "marsh", "password": "wrong-password", "otp": ""})
    b = Client().post("/login/", {"username": "nobody-here", "password": "wrong-password", "otp": ""})
    assert a.status_code == b.status_code == 401
    assert without_csrf(a.content) == without_csrf(b.content)


def test_idle_sessions_expire(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 15 * 60


@pytest.mark.parametrize("path", ["/", "/clients/x/", "/portal/"])
def test_anonymous_is_sent_to_sign_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_sign_in_never_redirects_off_site(staff, target):
    response = Client().post(f"/login/?next={target}", {"username": "lvarga", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
