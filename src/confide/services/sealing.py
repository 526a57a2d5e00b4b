"""Field encryption bound to table, column and row."""

from __future__ import annotations

from confide.core.crypto import decrypt_json, encrypt_json, field_aad


def seal(dek: bytes, model, field: str, row_id, value) -> bytes | None:
    if value is None:
        return None
    return encrypt_json(dek, value, aad=field_aad(model._meta.db_table, field, str(row_id)))


def unseal(dek: bytes, model, field: str, row_id, blob):
    if blob is None:
        return None
    return decrypt_json(dek, bytes(blob), aad=field_aad(model._meta.db_table, field, str(row_id)))
