"""core.audit.chain: sealing, the stable format, and tamper detection (tables + properties)."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.core.audit import (
    GENESIS_HASH,
    AuditRecord,
    canonical_bytes,
    compute_hash,
    format_head,
    parse_head,
    seal,
    verify,
)

FIXED = dict(
    at="2026-11-21T10:15:00.000001Z",
    actor="u_17",
    actor_role="clinician",
    action="note.read",
    purpose="TREAT",
    client_ref="c_0123456789abcdef01234567",
    decision="permit",
    rule_ids=("hipaa.tpo.treatment", "practice.default"),
    categories=("progress_notes",),
    decision_id="d_1",
    detail={"note_id": "n_9", "fields": ["body", "date"]},
)


def build_chain(n: int, **overrides) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    head = None
    for i in range(n):
        fields = {**FIXED, "decision_id": f"d_{i}", "detail": {"i": i}, **overrides}
        record = seal(head, **fields)
        records.append(record)
        head = record.head
    return records


# -- sealing and the stable format -------------------------------------------------


def test_first_record_starts_the_chain():
    record = seal(None, **FIXED)
    assert record.seq == 1 and record.prev_hash == GENESIS_HASH
    assert record.hash == compute_hash(GENESIS_HASH, record.hashed_fields())


def test_seal_links_to_prev():
    first = seal(None, **FIXED)
    second = seal(first.head, **FIXED)
    assert second.seq == 2 and second.prev_hash == first.hash and second.hash != first.hash


def test_canonical_format_is_stable():
    """Golden bytes and hash: if this fails, the on-disk format changed and old chains break."""
    record = seal((41, "a" * 64), **FIXED)
    expected = (
        b'{"action":"note.read","actor":"u_17","actor_role":"clinician",'
        b'"at":"2026-11-21T10:15:00.000001Z","categories":["progress_notes"],'
        b'"client_ref":"c_0123456789abcdef01234567","decision":"permit","decision_id":"d_1",'
        b'"detail":{"fields":["body","date"],"note_id":"n_9"},"prev_hash":"' + b"a" * 64 + b'",'
        b'"purpose":"TREAT","rule_ids":["hipaa.tpo.treatment","practice.default"],"seq":42}'
    )
    assert canonical_bytes(dataclasses.asdict(record)) == expected
    assert record.hash == hashlib.sha256(b"a" * 64 + expected).hexdigest()


def test_canonical_bytes_is_ascii_and_ignores_hash():
    record = seal(None, **{**FIXED, "detail": {"reason": "café ☕"}})
    data = canonical_bytes(dataclasses.asdict(record))
    data.decode("ascii")
    assert b"\\u00e9" in data
    assert canonical_bytes({**dataclasses.asdict(record), "hash": "x"}) == data


@pytest.mark.parametrize(
    "change",
    [lambda d: d.pop("actor"), lambda d: d.update(extra=1)],
    ids=["missing-field", "extra-field"],
)
def test_canonical_bytes_refuses_other_shapes(change):
    fields = seal(None, **FIXED).hashed_fields()
    change(fields)
    with pytest.raises(ValueError):
        canonical_bytes(fields)


@pytest.mark.parametrize(
    "fields, error",
    [
        ({**FIXED, "seq": 5}, TypeError),
        ({**FIXED, "hash": "x"}, TypeError),
        ({**FIXED, "prev_hash": "x"}, TypeError),
        ({**FIXED, "colour": "red"}, TypeError),
        ({k: v for k, v in FIXED.items() if k != "actor"}, TypeError),
        ({**FIXED, "decision": "maybe"}, ValueError),
        ({**FIXED, "actor": 17}, TypeError),
        ({**FIXED, "rule_ids": (1,)}, TypeError),
        ({**FIXED, "detail": ["not", "a", "dict"]}, TypeError),
        ({**FIXED, "detail": {"x": float("nan")}}, ValueError),
        ({**FIXED, "detail": {"x": object()}}, TypeError),
    ],
    ids=["seq", "hash", "prev_hash", "unknown", "missing-actor", "bad-decision", "actor-int",
         "rule-id-int", "detail-list", "detail-nan", "detail-object"],
)
def test_seal_refuses_bad_fields(fields, error):
    with pytest.raises(error):
        seal(None, **fields)


def test_seal_defaults_and_normalizes():
    record = seal(None, actor="u", actor_role="admin", action="login", purpose="OPS",
                  rule_ids=["r1"], detail={1: (2, 3)})
    assert record.client_ref == "" and record.decision == "-" and record.decision_id == ""
    assert record.rule_ids == ("r1",) and record.categories == ()
    assert record.detail == {"1": [2, 3]}  # what a reader of the stored entry sees
    assert record.at.endswith("Z") and len(record.at) == len("2026-11-21T10:15:00.000001Z")


def test_seal_does_not_alias_the_callers_detail():
    detail = {"k": "v"}
    record = seal(None, **{**FIXED, "detail": detail})
    detail["k"] = "changed"
    assert verify([record]).ok


# -- verify: tables ----------------------------------------------------------------


def test_empty_chain_verifies():
    result = verify([])
    assert result.ok and result.count == 0 and (result.head_seq, result.head_hash) == (0, GENESIS_HASH)
    assert verify([], expect_head=(0, GENESIS_HASH)).ok


def test_untouched_chain_verifies_with_and_without_head():
    chain = build_chain(30)
    result = verify(chain)
    assert result.ok and result.count == 30
    assert (result.head_seq, result.head_hash) == chain[-1].head
    assert result.first_bad_seq is None and result.problem is None
    assert verify(chain, expect_head=chain[-1].head).ok
    assert verify(chain, expect_head=chain[9].head).ok  # entries appended after the noted head


def replace(chain, index, **changes):
    out = list(chain)
    out[index] = dataclasses.replace(out[index], **changes)
    return out


CHAIN = build_chain(30)


@pytest.mark.parametrize(
    "records, expect_head, first_bad, problem",
    [
        (replace(CHAIN, 29, action="note.write"), None, 30,
         "entry 30: hash mismatch (entry modified)"),
        (replace(CHAIN, 9, detail={"i": 99}), None, 10,
         "entry 10: hash mismatch (entry modified)"),
        (CHAIN[:16] + CHAIN[17:], None, 18,
         "entry 18: sequence gap after 16 (entry deleted)"),
        (CHAIN[1:], None, 2,
         "entry 2: chain starts at 2, not 1 (entries deleted from the start)"),
        (CHAIN[:8] + [dataclasses.replace(CHAIN[8], prev_hash="f" * 64)] + CHAIN[9:], None, 9,
         "entry 9: previous hash does not match (entry inserted, removed or reordered)"),
        (CHAIN[:5] + [CHAIN[4]] + CHAIN[5:], None, 5,
         "entry 5: sequence number repeats (entry duplicated or inserted)"),
        (CHAIN[:5] + [CHAIN[6], CHAIN[5]] + CHAIN[7:], None, 7,
         "entry 7: sequence gap after 5 (entry deleted)"),
        (CHAIN[:7] + [CHAIN[2]] + CHAIN[7:], None, 3,
         "entry 3: sequence goes back after 7 (entries reordered or inserted)"),
        (CHAIN, (40, "a" * 64), 31,
         "chain ends at 30, expected head 40 (truncated)"),
        (CHAIN[:20], CHAIN[-1].head, 21,
         "chain ends at 20, expected head 30 (truncated)"),
        (CHAIN, (30, "a" * 64), 30,
         "head 30 hash differs from the expected head"),
        ([], (3, "a" * 64), 1,
         "chain ends at 0, expected head 3 (truncated)"),
    ],
    ids=["modified-last", "modified-detail", "deleted", "deleted-first", "prev-hash",
         "duplicated", "swapped", "reinserted-old", "head-beyond-end", "truncated",
         "head-hash", "empty-with-head"],
)
def test_verify_reports_the_problem(records, expect_head, first_bad, problem):
    result = verify(records, expect_head=expect_head)
    assert not result.ok
    assert result.first_bad_seq == first_bad
    assert result.problem == problem
    assert "\n" not in result.problem


def test_head_of_a_failed_verify_is_the_last_good_entry():
    result = verify(replace(CHAIN, 9, actor="u_99"))
    assert (result.head_seq, result.head_hash) == CHAIN[8].head
    assert result.count == 10


def test_rewritten_tail_is_only_caught_by_the_expected_head():
    """Someone who reseals everything after an edit makes a valid chain; the noted head catches it."""
    forged = CHAIN[:9]
    head = forged[-1].head
    for original in CHAIN[9:]:
        fields = original.hashed_fields()
        for name in ("seq", "prev_hash"):
            fields.pop(name)
        if original.seq == 10:
            fields["action"] = "forged"
        forged.append(seal(head, **fields))
        head = forged[-1].head
    assert verify(forged).ok
    result = verify(forged, expect_head=CHAIN[-1].head)
    assert not result.ok and result.problem == "head 30 hash differs from the expected head"


def test_verify_streams_and_stops_at_the_first_problem():
    pulled = []

    def generate():
        for record in replace(CHAIN, 4, purpose="X"):
            pulled.append(record.seq)
            yield record

    assert not verify(generate()).ok
    assert pulled == [1, 2, 3, 4, 5]


def test_verify_of_a_long_generated_chain():
    def generate(n):
        head = None
        for i in range(n):
            record = seal(head, **{**FIXED, "detail": {"i": i}})
            head = record.head
            yield record

    calls = []
    result = verify(generate(25_000), progress=calls.append)
    assert result.ok and result.count == 25_000
    assert calls == [10_000, 20_000, 25_000]


def test_non_integer_seq_is_reported():
    result = verify(replace(CHAIN, 3, seq="4"))
    assert not result.ok and result.first_bad_seq == 4 and "not an integer" in result.problem


def test_unserializable_field_is_reported_not_raised():
    result = verify(replace(CHAIN, 3, detail={"x": object()}))
    assert not result.ok and result.first_bad_seq == 4


# -- heads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("42:" + "ab" * 32, (42, "ab" * 32)),
        (" 0:" + "0" * 64 + "\n", (0, "0" * 64)),
        ("7:" + "AB" * 32, (7, "ab" * 32)),
    ],
)
def test_parse_head(text, expected):
    assert parse_head(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "42", "42:", ":" + "a" * 64, "-1:" + "a" * 64, "x:" + "a" * 64, "4.2:" + "a" * 64,
     "42:" + "a" * 63, "42:" + "g" * 64, "42:" + "a" * 65, "٤٢:" + "a" * 64],
)
def test_parse_head_refuses(text):
    with pytest.raises(ValueError) as info:
        parse_head(text)
    assert "\n" not in str(info.value)


def test_format_head_roundtrips():
    record = CHAIN[-1]
    assert parse_head(format_head(*record.head)) == record.head
    assert verify(CHAIN).head == format_head(*record.head)


# -- verify: properties ------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
MUTABLE_FIELDS = [f.name for f in dataclasses.fields(AuditRecord)]


@st.composite
def chains(draw, min_size=1, max_size=50):
    # Per-record values come from a drawn seed, not per-field draws: drawing ~11 values
    # for each of 50 records made every property test several seconds slower.
    n = draw(st.integers(min_size, max_size))
    rnd = draw(st.randoms(use_true_random=False))
    records, head = [], None
    for i in range(n):
        record = seal(
            head,
            actor=rnd.choice(["u_1", "u_2", "u_3"]),
            actor_role=rnd.choice(["clinician", "biller", "admin"]),
            action=rnd.choice(["note.read", "client.view", "release.create"]),
            purpose=rnd.choice(["TREAT", "HPAYMT", "HOPERAT"]),
            client_ref=rnd.choice(["", "c_aaa", "c_bbb"]),
            decision=rnd.choice(["permit", "deny", "-"]),
            rule_ids=rnd.sample(["r1", "r2", "r3"], rnd.randint(0, 2)),
            categories=rnd.sample(["diagnosis", "billing"], rnd.randint(0, 2)),
            decision_id=f"d_{i}",
            detail=rnd.choice([{}, {"a": rnd.randint(0, 3)}, {"b": "é", "a": "x"}]),
            at=f"2026-11-21T10:{i // 60:02d}:{i % 60:02d}.000000Z",
        )
        records.append(record)
        head = record.head
    return records


def changed_value(draw, name, old):
    """A value for field `name` whose canonical form differs from `old`."""
    if name == "seq":
        return old + draw(st.integers(-3, 3).filter(bool))
    if name in ("prev_hash", "hash"):
        return draw(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).filter(lambda h: h != old))
    if name in ("rule_ids", "categories"):
        return draw(st.lists(TEXT, max_size=3).map(tuple).filter(lambda v: v != tuple(old)))
    if name == "detail":
        return draw(st.dictionaries(TEXT, st.integers() | TEXT, max_size=3).filter(lambda d: d != old))
    return draw(TEXT.filter(lambda s: s != old))


@PROPERTY_SETTINGS
@given(chain=chains())
def test_property_untouched_chain_verifies(chain):
    assert verify(chain).ok
    assert verify(chain, expect_head=chain[-1].head).ok
    assert verify(iter(chain), expect_head=chain[len(chain) // 2].head).ok


@PROPERTY_SETTINGS
@given(chain=chains(), data=st.data())
def test_property_any_single_field_change_is_detected(chain, data):
    index = data.draw(st.integers(0, len(chain) - 1))
    name = data.draw(st.sampled_from(MUTABLE_FIELDS))
    new = changed_value(data.draw, name, getattr(chain[index], name))
    tampered = replace(chain, index, **{name: new})
    result = verify(tampered)
    assert not result.ok
    assert verify(tampered, expect_head=chain[-1].head).ok is False


@PROPERTY_SETTINGS
@given(chain=chains(), data=st.data())
def test_property_deletion_is_detected(chain, data):
    index = data.draw(st.integers(0, len(chain) - 1))
    tampered = chain[:index] + chain[index + 1 :]
    assert not verify(tampered, expect_head=chain[-1].head).ok
    if index < len(chain) - 1:  # deleting the last entry is truncation: needs the head
        assert not verify(tampered).ok


@PROPERTY_SETTINGS
@given(chain=chains(), foreign=chains(max_size=5), data=st.data())
def test_property_insertion_is_detected(chain, foreign, data):
    position = data.draw(st.integers(0, len(chain) - 1))  # at the end it is an append
    kind = data.draw(st.sampled_from(["foreign-chain", "sealed-in-place", "own-entry"]))
    if kind == "foreign-chain":
        intruder = data.draw(st.sampled_from(foreign))
    elif kind == "sealed-in-place":
        # Validly sealed on the real prefix: only the entry after it betrays it.
        prev = chain[position - 1].head if position else None
        intruder = seal(prev, actor="u_x", actor_role="admin", action="forged", purpose="HOPERAT")
    else:
        intruder = data.draw(st.sampled_from(chain))
    tampered = chain[:position] + [intruder] + chain[position:]
    assert not verify(tampered).ok
    assert not verify(tampered, expect_head=chain[-1].head).ok


@PROPERTY_SETTINGS
@given(chain=chains(min_size=2), data=st.data())
def test_property_swap_is_detected(chain, data):
    i = data.draw(st.integers(0, len(chain) - 2))
    j = data.draw(st.integers(i + 1, len(chain) - 1))
    tampered = list(chain)
    tampered[i], tampered[j] = tampered[j], tampered[i]
    assert not verify(tampered).ok


@PROPERTY_SETTINGS
@given(chain=chains(), data=st.data())
def test_property_duplication_is_detected(chain, data):
    source = data.draw(st.integers(0, len(chain) - 1))
    position = data.draw(st.integers(0, len(chain)))
    tampered = chain[:position] + [chain[source]] + chain[position:]
    assert not verify(tampered).ok


@PROPERTY_SETTINGS
@given(chain=chains(), data=st.data())
def test_property_truncation_is_detected_against_the_head(chain, data):
    keep = data.draw(st.integers(0, len(chain) - 1))
    truncated = chain[:keep]
    assert verify(truncated).ok  # without a noted head, a clean prefix looks whole
    result = verify(truncated, expect_head=chain[-1].head)
    assert not result.ok and "(truncated)" in result.problem


@PROPERTY_SETTINGS
@given(chain=chains())
def test_property_records_survive_a_json_round_trip(chain):
    """What a store writes (JSON of all fields) and reads back still verifies."""
    stored = [json.dumps(dataclasses.asdict(r)) for r in chain]
    loaded = []
    for text in stored:
        fields = json.loads(text)
        fields["rule_ids"], fields["categories"] = tuple(fields["rule_ids"]), tuple(fields["categories"])
        loaded.append(AuditRecord(**fields))
    assert loaded == chain
    assert verify(loaded, expect_head=chain[-1].head).ok


@PROPERTY_SETTINGS
@given(chain=chains(), foreign=chains(), data=st.data())
def test_property_substitution_by_a_validly_sealed_entry_is_detected(chain, foreign, data):
    """An entry replaced by one sealed on another chain with the same seq breaks the links."""
    index = data.draw(st.integers(0, min(len(chain), len(foreign)) - 1))
    intruder = foreign[index]
    if intruder.hash == chain[index].hash:
        return  # identical content: nothing was substituted
    tampered = chain[:index] + [intruder] + chain[index + 1 :]
    assert not verify(tampered, expect_head=chain[-1].head).ok
    if index < len(chain) - 1:
        # A new last entry sealed on an identical prefix is a rewritten tail: only
        # the noted head can tell.
        assert not verify(tampered).ok
