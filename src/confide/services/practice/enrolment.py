"""The second factor every staff member enrols before doing anything else: a TOTP
authenticator, shown as a QR code (an SVG drawn by the `qrcode` package, no script)
and as its secret for typing in by hand. The device stays unconfirmed until the person
proves it with a current code; only a confirmed device signs anyone in."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django_otp import user_has_device
from confide.apps.practice.models import SealedTOTPDevice as TOTPDevice
from confide.services.second_factor import totp_device_create

from confide.apps.practice.models import User
from confide.core.errors import InvalidInput
from confide.services.audit import audit_append, audited_transaction

PORTAL_ROLES = ("client", "representative")
ISSUER = "Confide"


@dataclass(frozen=True)
class Enrolment:
    device_id: int
    secret: str  # base32, grouped by four for typing
    otpauth_url: str
    qr_svg: str


def enrolment_required(user: User) -> bool:
    """Staff with no confirmed authenticator must enrol one before anything else."""
    return user.is_authenticated and user.role not in PORTAL_ROLES and not user_has_device(user, confirmed=True)


def _svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    # An accessible name for the image; the secret below is the text alternative.
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" class="qr" ', 1)


def pending_authenticator(user: User) -> Enrolment:
    """The person's pending (unconfirmed) authenticator, made on first call and reused
    until confirmed, with its QR code. The caller decides whether one may be enrolled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = totp_device_create(user=user, name="authenticator", confirmed=False)
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    label = quote(f"{ISSUER}:{user.username}")
    url = f"otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&digits={device.digits}&period={device.step}"
    return Enrolment(device_id=device.pk, secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                     otpauth_url=url, qr_svg=_svg(url))


def enrolment_start(*, user: User) -> Enrolment:
    """The staff member's pending authenticator, made on first call and reused until
    confirmed, with its QR code."""
    if not enrolment_required(user):
        raise InvalidInput("second factor: already enrolled")
    return pending_authenticator(user)


def pending_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the person's pending authenticator with a current code; other pending
    ones go. Audited: otp.enrolled. The caller decides whether one may be enrolled."""
    code = (code or "").replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        raise InvalidInput("code: the six digits your authenticator app shows")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise InvalidInput("second factor: nothing to confirm; start again")
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        raise InvalidInput("code: too many tries; wait a few seconds and enter the newest code")
    if not device.verify_token(code):
        raise InvalidInput("code: not the current code; check the time on your phone and try again")
    with audited_transaction():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="otp.enrolled", purpose="HOPERAT", detail={"user": user.pk, "device": device.pk})
    return device


def enrolment_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the staff member's pending authenticator with a current code. Audited:
    otp.enrolled."""
    if not enrolment_required(user):
        code = (code or "").replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise InvalidInput("code: the six digits your authenticator app shows")
        raise InvalidInput("second factor: nothing to confirm; start again")
    return pending_confirm(user=user, code=code)


__all__ = ["Enrolment", "enrolment_required", "enrolment_start", "enrolment_confirm", "pending_authenticator",
           "pending_confirm"]
