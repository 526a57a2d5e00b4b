"""core.crypto: envelope encryption, the master key ring, blind indexes, pseudonyms."""

from __future__ import annotations

import base64
import json
import os
import stat
import threading

import pytest

from confide.core.crypto import (
    KeyRing,
    blind_index,
    decrypt_field,
    decrypt_json,
    derive_subkey,
    encrypt_field,
    encrypt_json,
    field_aad,
    new_data_key,
    normalize,
    pseudonym,
)
from confide.core.crypto import keyring as keyring_module
from confide.core.errors import IntegrityError, InvalidInput, KeyUnavailable

AAD = field_aad("clients_client", "legal_name", "row-1")
SECRET = "Ada Lovelace, DOB 1815-12-10"


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def flip(blob: bytes, index: int) -> bytes:
    out = bytearray(blob)
    out[index] ^= 0x01
    return bytes(out)


# -- envelope ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "plaintext",
    ["", "a", SECRET, "Zoë Ñúñez 😀", "line1\nline2\x00", "x" * 100_000],
    ids=["empty", "one-char", "ascii", "unicode", "control-chars", "large"],
)
def test_field_roundtrip(plaintext):
    key = new_data_key()
    blob = encrypt_field(key, plaintext, aad=AAD)
    assert decrypt_field(key, blob, aad=AAD) == plaintext
    assert decrypt_field(key, memoryview(blob), aad=AAD) == plaintext
    assert decrypt_field(key, bytearray(blob), aad=AAD) == plaintext


def test_field_format_version_nonce_tag():
    key = new_data_key()
    blob = encrypt_field(key, "abc", aad=AAD)
    assert blob[0] == 1
    assert len(blob) == 1 + 12 + 3 + 16
    assert encrypt_field(key, "abc", aad=AAD) != blob  # fresh nonce every time
    assert b"abc" not in blob


def test_none_stays_none():
    key = new_data_key()
    assert encrypt_field(key, None, aad=AAD) is None
    assert decrypt_field(key, None, aad=AAD) is None
    assert encrypt_json(key, None, aad=AAD) is None
    assert decrypt_json(key, None, aad=AAD) is None


def test_new_data_key_is_32_random_bytes():
    a, b = new_data_key(), new_data_key()
    assert len(a) == 32 and len(b) == 32 and a != b


def test_tamper_anywhere_in_blob_is_detected():
    key = new_data_key()
    blob = encrypt_field(key, SECRET, aad=AAD)
    for i in range(len(blob)):
        with pytest.raises(IntegrityError):
            decrypt_field(key, flip(blob, i), aad=AAD)


@pytest.mark.parametrize(
    "blob",
    [b"", b"\x01", b"\x01" + b"\x00" * 27, b"\x02" + b"\x00" * 40],
    ids=["empty", "version-only", "too-short", "unknown-version"],
)
def test_malformed_blob_is_integrity_error(blob):
    with pytest.raises(IntegrityError):
        decrypt_field(new_data_key(), blob, aad=AAD)


def test_truncated_blob_is_detected():
    key = new_data_key()
    blob = encrypt_field(key, SECRET, aad=AAD)
    with pytest.raises(IntegrityError):
        decrypt_field(key, blob[:-1], aad=AAD)


@pytest.mark.parametrize(
    "other_aad",
    [
        field_aad("clients_client", "legal_name", "row-2"),  # swapped between rows
        field_aad("clients_client", "preferred_name", "row-1"),  # swapped between fields
        field_aad("clients_contact", "legal_name", "row-1"),  # swapped between tables
        field_aad("clients_client", "legal_nam", "erow-1"),  # shifted boundary
        b"",
    ],
    ids=["other-row", "other-field", "other-table", "shifted-boundary", "no-aad"],
)
def test_swapped_ciphertext_is_detected(other_aad):
    key = new_data_key()
    blob = encrypt_field(key, SECRET, aad=AAD)
    with pytest.raises(IntegrityError):
        decrypt_field(key, blob, aad=other_aad)


def test_wrong_key_is_detected():
    blob = encrypt_field(new_data_key(), SECRET, aad=AAD)
    with pytest.raises(IntegrityError):
        decrypt_field(new_data_key(), blob, aad=AAD)


@pytest.mark.parametrize("bad_key", [b"", b"x" * 16, b"x" * 31, "k" * 32], ids=["empty", "16", "31", "str"])
def test_bad_data_key_length_is_refused(bad_key):
    with pytest.raises(KeyUnavailable):
        encrypt_field(bad_key, "x", aad=AAD)


@pytest.mark.parametrize(
    "parts",
    [("", "f", "r"), ("t", "", "r"), ("t", "f", "")],
)
def test_field_aad_refuses_empty_parts(parts):
    with pytest.raises(ValueError):
        field_aad(*parts)


def test_field_aad_is_unambiguous():
    assert field_aad("ab", "c", "1") != field_aad("a", "bc", "1")
    assert field_aad("t", "f", "12") != field_aad("t", "f1", "2")


def test_integrity_error_message_is_one_line_and_has_no_plaintext():
    key = new_data_key()
    blob = encrypt_field(key, SECRET, aad=AAD)
    with pytest.raises(IntegrityError) as info:
        decrypt_field(key, blob, aad=field_aad("clients_client", "legal_name", "row-2"))
    message = str(info.value)
    assert "\n" not in message and message == message.lower()
    assert "ada" not in message and "row-2" not in message


@pytest.mark.parametrize("value", [{"b": 1, "a": [1, 2]}, [1, "two", None], {"nested": {"é": True}}, 0, "s"])
def test_json_roundtrip(value):
    key = new_data_key()
    assert decrypt_json(key, encrypt_json(key, value, aad=AAD), aad=AAD) == value


def test_json_is_sorted():
    key = new_data_key()
    assert decrypt_field(key, encrypt_json(key, {"b": 1, "a": 2}, aad=AAD), aad=AAD) == '{"a":2,"b":1}'


# -- key ring ----------------------------------------------------------------------


@pytest.fixture
def key_path(tmp_path):
    return tmp_path / "var" / "keys" / "master.key"


def test_load_or_create_creates_0600_file_and_parent_dirs(key_path):
    ring, created = KeyRing.load_or_create(key_path)
    assert created is True
    assert mode_of(key_path) == 0o600
    assert ring.insecure_mode is False
    doc = json.loads(key_path.read_text())
    assert doc["version"] == 1 and doc["current"] == ring.current_id
    assert list(doc["keys"]) == [ring.current_id]
    assert ring.current_id.startswith("mk-")
    _, stamp, suffix = ring.current_id.split("-")
    assert len(stamp) == 21 and stamp[8] == "T" and len(suffix) == 6  # microseconds: ids sort by creation
    assert not [p for p in key_path.parent.iterdir() if p.name != "master.key"]  # no temp left


def test_load_or_create_loads_an_existing_file(key_path):
    first, _ = KeyRing.load_or_create(key_path)
    second, created = KeyRing.load_or_create(key_path)
    assert created is False
    assert second.current_id == first.current_id


def test_wrap_unwrap_roundtrip(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    data_key = new_data_key()
    key_id, blob = ring.wrap(data_key, context=b"client:1")
    assert key_id == ring.current_id
    assert data_key not in blob
    assert ring.unwrap(key_id, blob, context=b"client:1") == data_key
    assert ring.unwrap(key_id, memoryview(blob), context=b"client:1") == data_key


def test_unwrap_with_wrong_context_or_tamper_is_integrity_error(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    key_id, blob = ring.wrap(new_data_key(), context=b"client:1")
    with pytest.raises(IntegrityError):
        ring.unwrap(key_id, blob, context=b"client:2")
    for i in (0, 5, len(blob) - 1):
        with pytest.raises(IntegrityError):
            ring.unwrap(key_id, flip(blob, i), context=b"client:1")
    with pytest.raises(IntegrityError):
        ring.unwrap(key_id, blob[:10], context=b"client:1")


def test_unwrap_under_another_key_id_is_refused(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    old_id, blob = ring.wrap(new_data_key(), context=b"c")
    new_id = ring.add_key()
    with pytest.raises(IntegrityError):
        ring.unwrap(new_id, blob, context=b"c")  # relabelled blob


def test_unwrap_unknown_key_id_is_key_unavailable(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    _, blob = ring.wrap(new_data_key(), context=b"c")
    with pytest.raises(KeyUnavailable) as info:
        ring.unwrap("mk-19990101T000000-abcdef", blob, context=b"c")
    assert "\n" not in str(info.value)


def test_rotation_keeps_old_keys_and_retire_removes_them(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    data_key = new_data_key()
    old_id, old_blob = ring.wrap(data_key, context=b"c")

    new_id = ring.add_key()
    assert new_id != old_id and ring.current_id == new_id
    assert set(ring.key_ids) == {old_id, new_id}
    assert mode_of(key_path) == 0o600
    assert ring.unwrap(old_id, old_blob, context=b"c") == data_key  # old blobs still open
    wrapped_id, new_blob = ring.wrap(data_key, context=b"c")  # rewrap under the new key
    assert wrapped_id == new_id

    ring.retire([old_id])
    assert ring.key_ids == (new_id,)
    assert mode_of(key_path) == 0o600
    assert list(json.loads(key_path.read_text())["keys"]) == [new_id]
    with pytest.raises(KeyUnavailable):
        ring.unwrap(old_id, old_blob, context=b"c")
    assert ring.unwrap(new_id, new_blob, context=b"c") == data_key
    assert KeyRing.load(key_path).key_ids == (new_id,)


def test_derived_subkeys_and_kept_subkeys_of_retired_keys(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    first = ring.current_id
    key_id, sub = ring.derive("audit")
    assert key_id == first and len(sub) == 32
    assert ring.derive("audit", key_id=first) == (first, sub) and ring.derive("backup")[1] != sub
    second = ring.add_key()
    assert second > first  # ids sort by creation, even within one second
    assert ring.derive_all("audit") == {first: sub, second: ring.derive("audit")[1]}
    ring.retire([first], keep=["audit"])
    assert ring.key_ids == (second,)
    with pytest.raises(KeyUnavailable):
        ring.derive("audit", key_id=first)  # the master key itself is gone ...
    reloaded = KeyRing.load(key_path)
    assert reloaded.derive_all("audit")[first] == sub  # ... its audit subkey stays
    assert first not in reloaded.derive_all("backup")
    assert base64.b64encode(sub).decode() in key_path.read_text()
    third = reloaded.add_key()  # a later change keeps what was kept
    assert KeyRing.load(key_path).derive_all("audit").keys() == {first, second, third}


def test_new_key_ids_sort_after_every_existing_one():
    ids = ["mk-20991231T235959999999-ffffff"]
    with pytest.raises(KeyUnavailable):  # a clock behind the newest key
        keyring_module._new_key_id(ids)
    assert keyring_module._new_key_id(["mk-20000101T000000-abcdef"]) > "mk-20000101T000000-abcdef"


def test_retire_refuses_the_current_key_and_unknown_keys(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    before = key_path.read_bytes()
    with pytest.raises(InvalidInput):
        ring.retire([ring.current_id])
    with pytest.raises(InvalidInput):
        ring.retire(["mk-nope"])
    assert key_path.read_bytes() == before


def test_another_instance_sees_a_key_added_by_the_first(key_path):
    writer, _ = KeyRing.load_or_create(key_path)
    reader = KeyRing.load(key_path)
    new_id = writer.add_key()
    key_id, blob = writer.wrap(b"k" * 32, context=b"c")
    assert key_id == new_id
    assert new_id not in reader.key_ids
    assert reader.unwrap(key_id, blob, context=b"c") == b"k" * 32  # reloaded once
    assert reader.current_id == new_id


def test_wrap_picks_up_a_rotation_done_by_another_instance(key_path):
    first, _ = KeyRing.load_or_create(key_path)
    second = KeyRing.load(key_path)
    new_id = second.add_key()
    key_id, _ = first.wrap(b"k" * 32, context=b"c")
    assert key_id == new_id


def test_add_key_does_not_lose_a_key_added_by_another_instance(key_path):
    first, _ = KeyRing.load_or_create(key_path)
    second = KeyRing.load(key_path)
    a = first.add_key()
    b = second.add_key()
    assert {a, b} <= set(KeyRing.load(key_path).key_ids)


def test_write_is_atomic_a_failed_replace_leaves_the_old_file(key_path, monkeypatch):
    ring, _ = KeyRing.load_or_create(key_path)
    before = key_path.read_bytes()

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(keyring_module.os, "replace", failing_replace)
    with pytest.raises(OSError):
        ring.add_key()
    assert key_path.read_bytes() == before
    assert [p.name for p in key_path.parent.iterdir()] == ["master.key"]  # temp cleaned up


def test_write_goes_through_a_temp_file_in_the_same_directory(key_path, monkeypatch):
    ring, _ = KeyRing.load_or_create(key_path)
    seen = []
    real_replace = os.replace

    def spying_replace(src, dst):
        seen.append((os.path.dirname(src), mode_of(src), dst))
        real_replace(src, dst)

    monkeypatch.setattr(keyring_module.os, "replace", spying_replace)
    ring.add_key()
    assert seen == [(str(key_path.parent), 0o600, key_path)]


def test_add_key_restores_0600_on_a_loosened_file(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    os.chmod(key_path, 0o644)
    assert KeyRing.load(key_path).insecure_mode is True
    ring.add_key()
    assert mode_of(key_path) == 0o600


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        b'{"version": 2, "current": "a", "keys": {"a": "AAAA"}}',
        b'{"version": 1, "current": "a", "keys": {}}',
        b'{"version": 1, "current": "a", "keys": {"a": "not base64!"}}',
        b'{"version": 1, "current": "a", "keys": {"a": "AAAA"}}',  # 3 bytes, not 32
        b'{"version": 1, "current": "b", "keys": {"a": "'
        + __import__("base64").b64encode(b"k" * 32)
        + b'"}}',
    ],
    ids=["empty", "not-json", "list", "version-2", "no-keys", "bad-base64", "short-key", "current-missing"],
)
def test_malformed_key_file_is_key_unavailable(tmp_path, content):
    path = tmp_path / "master.key"
    path.write_bytes(content)
    with pytest.raises(KeyUnavailable) as info:
        KeyRing.load(path)
    message = str(info.value)
    assert "\n" not in message and message[0].islower()
    assert "AAAA" not in message and "a2tr" not in message  # no key material


def test_missing_key_file_is_key_unavailable(tmp_path):
    with pytest.raises(KeyUnavailable, match="not found"):
        KeyRing.load(tmp_path / "nope.key")


def test_concurrent_unwraps_of_an_unknown_key_reload_safely(key_path):
    writer, _ = KeyRing.load_or_create(key_path)
    reader = KeyRing.load(key_path)
    writer.add_key()
    key_id, blob = writer.wrap(b"k" * 32, context=b"c")
    results, errors = [], []

    def work():
        try:
            results.append(reader.unwrap(key_id, blob, context=b"c"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [b"k" * 32] * 8


def test_repr_shows_no_key_material(key_path):
    ring, _ = KeyRing.load_or_create(key_path)
    encoded = json.loads(key_path.read_text())["keys"][ring.current_id]
    assert encoded not in repr(ring)


# -- blind indexes and pseudonyms --------------------------------------------------

INDEX_KEY = b"i" * 32


@pytest.mark.parametrize(
    "kind, value, expected",
    [
        ("email", "  Ada@Example.COM ", "ada@example.com"),
        ("email", "STRASSE@example.de", "strasse@example.de"),
        ("email", "straße@example.de", "strasse@example.de"),
        ("phone", "+1 (555) 123-4567", "5551234567"),
        ("phone", "555.123.4567", "5551234567"),
        ("phone", "1-555-123-4567", "5551234567"),
        ("phone", "+44 20 7946 0958", "442079460958"),
        ("phone", "15551234567890", "15551234567890"),  # not 11 digits: kept
        ("phone", "٥٥٥١٢٣٤٥٦٧", "5551234567"),  # Arabic-Indic digits
        ("phone", "n/a", ""),
        ("name", "  José   García ", "jose garcia"),
        ("name", "JOSÉ GARCÍA", "jose garcia"),
        ("name", "Jose\u0301 Garci\u0301a", "jose garcia"),  # decomposed accents
        ("name", "O'Brien", "obrien"),
        ("name", "O’Brien", "obrien"),
        ("name", "Smith-Jones", "smith jones"),
        ("name", "Smith – Jones", "smith jones"),
        ("name", "Martin Luther King, Jr.", "martin luther king jr"),
        ("name", "Zoë\tÅngström", "zoe angstrom"),
        ("name", "Straße", "strasse"),
        ("name", "ｊｏｈｎ", "john"),  # full-width
        ("name", "Jo\u200bhn", "john"),  # zero-width space
        ("name", "Henry VIII", "henry viii"),
    ],
)
def test_normalize(kind, value, expected):
    assert normalize(kind, value) == expected


def test_normalize_unknown_kind():
    with pytest.raises(ValueError):
        normalize("ssn", "123")


@pytest.mark.parametrize(
    "kind, a, b",
    [
        ("email", "Ada@Example.com", " ada@example.COM"),
        ("phone", "+1 555 123 4567", "(555) 123-4567"),
        ("name", "Zoë O'Brien-Smith", "zoe obrien smith"),
    ],
)
def test_blind_index_equal_after_normalization(kind, a, b):
    assert blind_index(INDEX_KEY, kind, a) == blind_index(INDEX_KEY, kind, b)


@pytest.mark.parametrize(
    "key_a, kind_a, a, key_b, kind_b, b",
    [
        (INDEX_KEY, "email", "ada@example.com", INDEX_KEY, "email", "ada@example.org"),
        (INDEX_KEY, "phone", "5551234567", INDEX_KEY, "phone", "5551234568"),
        (INDEX_KEY, "name", "Ada", INDEX_KEY, "name", "Adam"),
        (INDEX_KEY, "name", "5551234567", INDEX_KEY, "phone", "5551234567"),  # kinds separate
        (INDEX_KEY, "email", "ada@example.com", b"j" * 32, "email", "ada@example.com"),  # keys separate
    ],
)
def test_blind_index_differs(key_a, kind_a, a, key_b, kind_b, b):
    assert blind_index(key_a, kind_a, a) != blind_index(key_b, kind_b, b)


def test_blind_index_shape_and_no_plaintext():
    index = blind_index(INDEX_KEY, "email", "ada@example.com")
    assert len(index) == 32 and all(c in "0123456789abcdef" for c in index)
    assert "ada" not in index


def test_blind_index_refuses_empty_value():
    with pytest.raises(ValueError):
        blind_index(INDEX_KEY, "phone", "n/a")


def test_pseudonym_is_stable_distinct_and_separate_from_indexes():
    p = pseudonym(INDEX_KEY, "client-42")
    assert p == pseudonym(INDEX_KEY, "client-42")
    assert p != pseudonym(INDEX_KEY, "client-43")
    assert p != pseudonym(b"j" * 32, "client-42")
    assert p.startswith("c_") and len(p) == 26
    assert p[2:] not in blind_index(INDEX_KEY, "name", "client-42")


def test_derive_subkey_separates_purposes():
    a = derive_subkey(INDEX_KEY, "a")
    assert len(a) == 32
    assert a == derive_subkey(INDEX_KEY, "a")
    assert a != derive_subkey(INDEX_KEY, "b")
    assert a != derive_subkey(b"j" * 32, "a")


def test_an_ascii_name_normalizes_as_the_general_path_does():
    """ASCII names take a lookup table (search scores every candidate's names); it is
    the general path's answer, character by character and for whole names."""
    import unicodedata

    from confide.core.crypto import blind

    def general(value):
        decomposed = unicodedata.normalize("NFKD", value.casefold())
        return blind._WHITESPACE.sub(" ", "".join(blind._name_char(ch) for ch in decomposed)).strip()

    every = "".join(chr(i) for i in range(128))
    samples = [every, every[::-1], "O'Brien-Smith", "  Mary  Ann\tO`Neil ", "J.R.R. Tolkien", "A\x00B\x7fC",
               "Smith_Jones", "DR. ELENA  VARGA-TRENT (LENA)", "x\x1cy\x1fz", ""]
    for value in samples + list(every):
        assert blind.normalize("name", value) == general(value), repr(value)
    assert blind.normalize("name", "Zoë O’Brien") == "zoe obrien"  # the general path still serves the rest
