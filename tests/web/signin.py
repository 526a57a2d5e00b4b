"""Signing in through the real /login/ form, with a current one-time code for staff."""

from __future__ import annotations

import re

from django.test import Client

from confide.apps.practice.models import SealedTOTPDevice
from confide.services.accounts import login_of
from confide.services.demo.data import DEMO_PASSWORD
from confide.services.second_factor import totp_code_now

_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def otp_code(user) -> str:
    return totp_code_now(SealedTOTPDevice.objects.get(user=user))


def without_csrf(page: bytes) -> bytes:
    """Pages differ by their per-request CSRF token only; everything else must match."""
    return _CSRF.sub(b"", page)


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": login_of(user), "password": DEMO_PASSWORD,
                                       "otp": otp_code(user) if user.is_staff_member else ""})
    assert response.status_code == 302, response.content
    return client
