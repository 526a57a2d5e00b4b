"""Field encryption under a client's data key (AES-256-GCM).

Each encrypted field is stored as one blob (the stable on-disk format)::

    1 byte version (=1) | 12 bytes random nonce | ciphertext + 16-byte GCM tag

The associated data is the version byte plus `field_aad(table, field, row_id)`, so a
ciphertext copied to another row, another field or another table fails to decrypt.
"""

from __future__ import annotations

import json
import secrets
import struct
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from confide.core.errors import IntegrityError, KeyUnavailable

FIELD_VERSION = 1
DATA_KEY_BYTES = 32
NONCE_BYTES = 12
_TAG_BYTES = 16
_AAD_PREFIX = b"confide.field.v1"

Blob = bytes | bytearray | memoryview


def new_data_key() -> bytes:
    """A fresh random 256-bit data key (one per client)."""
    return secrets.token_bytes(DATA_KEY_BYTES)


def field_aad(table: str, field: str, row_id: str) -> bytes:
    """Associated data binding a ciphertext to its table, field and row.

    Each part is length-prefixed, so ("ab", "c") and ("a", "bc") cannot collide.
    """
    parts = (table, field, str(row_id))
    if not all(parts):
        raise ValueError("table, field and row id must be non-empty")
    out = bytearray(_AAD_PREFIX)
    for part in parts:
        encoded = part.encode("utf-8")
        out += struct.pack(">I", len(encoded)) + encoded
    return bytes(out)


def _aesgcm(data_key: bytes) -> AESGCM:
    if not isinstance(data_key, (bytes, bytearray)) or len(data_key) != DATA_KEY_BYTES:
        raise KeyUnavailable("data key must be 32 bytes")
    return AESGCM(bytes(data_key))


def encrypt_field(data_key: bytes, plaintext: str | None, *, aad: bytes) -> bytes | None:
    """Encrypt a text field. None stays None (an empty string is encrypted)."""
    if plaintext is None:
        return None
    if not isinstance(plaintext, str):
        raise TypeError("encrypt_field takes str or None")
    header = bytes([FIELD_VERSION])
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _aesgcm(data_key).encrypt(nonce, plaintext.encode("utf-8"), header + aad)
    return header + nonce + sealed


def decrypt_field(data_key: bytes, blob: Blob | None, *, aad: bytes) -> str | None:
    """Decrypt a blob from `encrypt_field`. None stays None.

    Accepts memoryview (Django BinaryField on PostgreSQL). IntegrityError when the blob
    was altered, belongs to another row or field, or was sealed under another key.
    """
    if blob is None:
        return None
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + _TAG_BYTES:
        raise IntegrityError("encrypted field is malformed")
    if blob[0] != FIELD_VERSION:
        raise IntegrityError("encrypted field has an unknown version")
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        plain = _aesgcm(data_key).decrypt(nonce, sealed, blob[:1] + aad)
    except InvalidTag:
        raise IntegrityError("encrypted field failed authentication") from None
    return plain.decode("utf-8")  # authenticated, so it is the utf-8 we wrote


def encrypt_json(data_key: bytes, value: Any, *, aad: bytes) -> bytes | None:
    """Encrypt a small JSON-able value (dict, list, ...) as sorted, compact JSON. None stays None."""
    if value is None:
        return None
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return encrypt_field(data_key, text, aad=aad)


def decrypt_json(data_key: bytes, blob: Blob | None, *, aad: bytes) -> Any:
    """Inverse of `encrypt_json`."""
    text = decrypt_field(data_key, blob, aad=aad)
    return None if text is None else json.loads(text)
