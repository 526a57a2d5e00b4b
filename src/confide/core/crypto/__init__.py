"""Envelope encryption, the master key ring, blind indexes and pseudonyms."""

from confide.core.crypto.blind import blind_index, derive_subkey, normalize, pseudonym, pseudonyms
from confide.core.crypto.envelope import (
    decrypt_field,
    decrypt_json,
    encrypt_field,
    encrypt_json,
    field_aad,
    new_data_key,
)
from confide.core.crypto.keyring import KeyRing

__all__ = [
    "KeyRing",
    "new_data_key",
    "field_aad",
    "encrypt_field",
    "decrypt_field",
    "encrypt_json",
    "decrypt_json",
    "derive_subkey",
    "normalize",
    "blind_index",
    "pseudonym",
    "pseudonyms",
]
