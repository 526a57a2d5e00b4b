"""Second factors (TOTP) whose secrets are sealed at rest.

django-otp keeps a TOTP secret as hex in `TOTPDevice.key`; a copy of the database would
hand every seed to whoever holds it. Here the column holds the secret encrypted with
AES-SIV under a subkey of the `accounts` instance key (itself wrapped by the master
key), bound to the device's id, so a seed cannot be read, nor moved to another device
row, without the master key. AES-SIV fits the column (20-byte secret + 16-byte tag =
72 hex characters of its 80) and needs no nonce.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.exceptions import InvalidTag

from confide.apps.practice.models import SealedTOTPDevice, User
from confide.core.crypto import derive_subkey
from confide.core.errors import IntegrityError
from confide.services.keys import instance_key

SECRET_BYTES = 20


def _cipher() -> AESSIV:
    key = instance_key("accounts")
    return AESSIV(derive_subkey(key, "totp-secret/1") + derive_subkey(key, "totp-secret/2"))


def _aad(device_id) -> list[bytes]:
    return [f"practice_sealedtotpdevice:{device_id}".encode()]


def totp_secret(device) -> bytes:
    """The device's secret, unsealed."""
    try:
        return _cipher().decrypt(bytes.fromhex(device.key), _aad(device.pk))
    except (ValueError, InvalidTag):
        raise IntegrityError("a second factor's secret does not unseal (wrong key, or moved)") from None


def totp_seal(device, secret: bytes) -> None:
    """Store `secret` sealed in the (saved) device."""
    device.key = _cipher().encrypt(secret, _aad(device.pk)).hex()
    device.save(update_fields=["key"])


def totp_device_create(*, user: User, name: str, confirmed: bool = True) -> SealedTOTPDevice:
    """A confirmed TOTP device with a fresh secret, sealed from the first save on (the
    row is created with a random placeholder, then sealed, in the caller's transaction)."""
    device = SealedTOTPDevice.objects.create(user=user, name=name[:64], confirmed=confirmed,
                                             key=secrets.token_hex(SECRET_BYTES))
    totp_seal(device, secrets.token_bytes(SECRET_BYTES))
    return device


def totp_match(user: User, code: str) -> SealedTOTPDevice | None:
    """The user's device the code is current for, or None (django-otp's own throttling
    of each device applies)."""
    if not code or not code.isdigit() or len(code) > 10:
        return None
    for device in SealedTOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def totp_code_now(device) -> str:
    """The device's current code (the demo's `confide otp`, and tests)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):0{device.digits}d}"


def totp_seal_existing() -> int:
    """Seal the secrets of devices made before sealing (their key column is 40 hex
    characters of plain secret); returns how many. Run once by the migration."""
    count = 0
    for device in SealedTOTPDevice.objects.all():
        if len(device.key) == SECRET_BYTES * 2:
            totp_seal(device, bytes.fromhex(device.key))
            count += 1
    return count


__all__ = ["totp_secret", "totp_seal", "totp_device_create", "totp_match", "totp_code_now", "totp_seal_existing"]
