"""Shared helpers of the practice tests: the current code of a pending authenticator,
a fresh practice made through the service."""

from __future__ import annotations

from confide.apps.practice.models import SealedTOTPDevice as TOTPDevice
from confide.services.second_factor import totp_code_now

PASSWORD = "a long enough pass phrase"


def current_code(user, *, confirmed: bool | None = None) -> str:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    device = devices.order_by("pk").last()
    return totp_code_now(device)


def new_practice(**overrides):
    from confide.services.practice.setup import practice_create

    values = {"name": "Cedar Street Counseling", "sender_name": "CS Appointments",
              "time_zone": "America/New_York", "state": "US-NY", "admin_username": "cedaradmin",
              "admin_full_name": "Rosa Admin", "admin_email": "rosa@example.org", "admin_password": PASSWORD}
    return practice_create(**{**values, **overrides})
