"""Signing in through the real /login/ form, with a current one-time code for staff."""

from __future__ import annotations

import re

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.services.demo.data import DEMO_PASSWORD

_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def otp_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def without_csrf(page: bytes) -> bytes:
    """Pages differ by their per-request CSRF token only; everything else must match."""
    return _CSRF.sub(b"", page)


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": DEMO_PASSWORD,
                                       "otp": otp_code(user) if user.is_staff_member else ""})
    assert response.status_code == 302, response.content
    return client
