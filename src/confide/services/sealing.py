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


def client_body(row) -> dict:
    """A client-owned row's sealed `body_enc`, opened under the client's key ({} if none)."""
    from confide.services.keys import data_key_of

    return unseal(data_key_of(row), type(row), "body_enc", row.id, row.body_enc) or {}


def client_body_store(row, body: dict, *fields: str) -> None:
    """Seal `body` into the row's `body_enc` under the client's key and save it (with `fields`)."""
    from confide.services.keys import data_key_of

    row.body_enc = seal(data_key_of(row), type(row), "body_enc", row.id, body)
    row.save(update_fields=["body_enc", *fields])
