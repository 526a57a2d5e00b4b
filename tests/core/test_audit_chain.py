"""core.audit.chain: the stable format, seals, and tamper detection (tables + properties).

A forger here knows the format and holds the database (every row, every head) but not
the master key: they seal with a key of their own."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.core.audit import (
    GENESIS_HASH,
    NO_PRACTICE,
    Entry,
    Head,
    Sealer,
    append,
    body_fields,
    empty_head,
    entry_hash,
    event,
    verify,
)

CHAIN = "3f1c2a3e-0000-4000-8000-000000000001"
OTHER = "3f1c2a3e-0000-4000-8000-000000000002"
KEY, OLD_KEY, FORGER_KEY = b"k" * 32, b"o" * 32, b"f" * 32
SEALER = Sealer({"mk-2": KEY, "mk-1": OLD_KEY}, "mk-2")
FORGER = Sealer({"mk-2": FORGER_KEY}, "mk-2")  # claims the real key id

FIXED = dict(
    at="2026-11-21T10:15:00.000001Z", actor="17", actor_role="clinician", action="read", purpose="TREAT",
    client_ref="c_0123456789abcdef01234567", decision="permit", rule_ids=("INT-TREATING",),
    categories=("progress_notes",), decision_id="d_1", detail={"view": "chart"},
)


def events(n: int, **overrides):
    return [event(**{**FIXED, "decision_id": f"d_{i}", "detail": {"i": i}, **overrides}) for i in range(n)]


def build(n: int, chain: str = CHAIN, sealer: Sealer = SEALER) -> tuple[list[Entry], Head]:
    return append(empty_head(chain), events(n), sealer)


def rows(entries):
    return [(e.chain, e.seq, e.body, e.hash, e.key_id, e.seal) for e in entries]


def check(entries, head, sealer=SEALER, expected=None, extra_heads=()):
    heads = {head.chain: head} if head is not None else {}
    heads.update({h.chain: h for h in extra_heads})
    return verify(rows(sorted(entries, key=lambda e: (e.chain,))), heads=heads, sealer=sealer, expected=expected)


ENTRIES, HEAD = build(30)


# -- the stable format -----------------------------------------------------------------

def test_body_is_canonical_json_of_the_event_with_its_place():
    first = ENTRIES[0]
    assert first.body == (
        '{"action":"read","actor":"17","actor_role":"clinician","at":"2026-11-21T10:15:00.000001Z",'
        '"categories":["progress_notes"],"chain":"3f1c2a3e-0000-4000-8000-000000000001",'
        '"client_ref":"c_0123456789abcdef01234567","decision":"permit","decision_id":"d_0","detail":{"i":0},'
        '"purpose":"TREAT","rule_ids":["INT-TREATING"],"seq":1,"v":2}')
    assert first.hash == hashlib.sha256((GENESIS_HASH + first.body).encode("ascii")).hexdigest()
    assert ENTRIES[1].hash == hashlib.sha256((first.hash + ENTRIES[1].body).encode("ascii")).hexdigest()


def test_seal_is_hmac_sha256_of_domain_chain_seq_and_hash():
    e = ENTRIES[4]
    message = b"confide.audit.entry.v2\x00" + f"{CHAIN}\x00{e.seq}\x00{e.hash}".encode()
    assert e.seal == hmac.new(KEY, message, hashlib.sha256).hexdigest()
    assert e.key_id == "mk-2"
    head_message = b"confide.audit.head.v2\x00" + f"{CHAIN}\x00{HEAD.seq}\x00{HEAD.hash}".encode()
    assert HEAD.seal == hmac.new(KEY, head_message, hashlib.sha256).hexdigest() != ENTRIES[-1].seal


def test_body_is_ascii_and_reads_back():
    ev = event(**{**FIXED, "detail": {"note": "é ü \u2603", "3": (1, 2)}})
    (entry,), _ = append(empty_head(CHAIN), [ev], SEALER)
    assert entry.body.isascii()
    assert body_fields(entry.body)["detail"] == {"note": "é ü \u2603", "3": [1, 2]}
    assert entry.fields["seq"] == 1 and entry.fields["chain"] == CHAIN


@pytest.mark.parametrize("fields,error", [
    ({"actor": "1", "actor_role": "x", "action": "a"}, TypeError),  # purpose missing
    ({**FIXED, "surprise": 1}, TypeError),
    ({**FIXED, "decision": "maybe"}, ValueError),
    ({**FIXED, "actor": 17}, TypeError),
    ({**FIXED, "categories": ("ok", 3)}, TypeError),
    ({**FIXED, "detail": ["not", "a", "dict"]}, TypeError),
    ({**FIXED, "detail": {"x": float("nan")}}, ValueError),
])
def test_event_refuses_bad_fields(fields, error):
    with pytest.raises(error):
        event(**fields)


def test_event_defaults_and_does_not_alias_the_detail():
    detail = {"a": [1]}
    ev = event(actor="1", actor_role="clinician", action="read", purpose="TREAT", detail=detail)
    detail["a"].append(2)
    assert (ev.client_ref, ev.decision, ev.rule_ids, ev.categories, ev.decision_id) == ("", "-", (), (), "")
    assert ev.detail == {"a": [1]} and ev.at.endswith("Z")


def test_a_checking_sealer_cannot_seal():
    with pytest.raises(RuntimeError):
        Sealer({"mk-1": KEY}, None).seal_entry(CHAIN, 1, GENESIS_HASH)
    with pytest.raises(ValueError):
        Sealer({"mk-1": KEY}, "mk-9")


# -- verify: an intact log -------------------------------------------------------------

def test_intact_chains_verify():
    other, other_head = build(5, OTHER)
    result = check(ENTRIES + other, HEAD, extra_heads=[other_head])
    assert result.ok and result.count == 35 and set(result.chains) == {CHAIN, OTHER}
    assert result.chains[CHAIN].head_seq == 30 and result.chains[CHAIN].head_hash == HEAD.hash


def test_empty_log_verifies():
    assert verify([], heads={}, sealer=SEALER).ok


def test_chains_out_of_order_are_a_caller_error():
    other, other_head = build(2, OTHER)
    with pytest.raises(ValueError):
        verify(rows(ENTRIES[:2] + other + ENTRIES[2:]), heads={}, sealer=SEALER)


# -- verify: the attacks, each named -----------------------------------------------------

def tamper(index, **changes):
    out = list(ENTRIES)
    out[index] = dataclasses.replace(out[index], **changes)
    return out


def body_with(entry, **fields):
    doc = json.loads(entry.body)
    doc.update(fields)
    return json.dumps(doc, sort_keys=True, separators=(",", ":"))


def reseal_from(entries, index, sealer=FORGER, chain=CHAIN):
    """What a forger does after changing entry `index`: recompute every hash (and seal
    with their own key) from there on, and write a matching head."""
    out = list(entries[:index])
    prev = out[-1].hash if out else GENESIS_HASH
    for e in entries[index:]:
        digest = entry_hash(prev, e.body)
        key_id, seal = sealer.seal_entry(e.chain, e.seq, digest)
        out.append(dataclasses.replace(e, hash=digest, key_id=key_id, seal=seal))
        prev = digest
    return out, sealer.seal_head(chain, out[-1].seq, out[-1].hash) if out else empty_head(chain)


def forged_entry(after: Entry | None, sealer=FORGER, **fields):
    prev = Head(CHAIN, after.seq, after.hash) if after else empty_head(CHAIN)
    (entry,), head = append(prev, [event(**{**FIXED, **fields})], sealer)
    return entry, head


ATTACKS = {
    "field changed in the body": (lambda: (tamper(9, body=body_with(ENTRIES[9], purpose="HPAYMT")), HEAD),
                                  10, "hash does not match"),
    "hash recomputed, no key": (lambda: (tamper(9, body=body_with(ENTRIES[9], purpose="HPAYMT"),
                                                hash=entry_hash(ENTRIES[8].hash, body_with(ENTRIES[9], purpose="HPAYMT"))),
                                         HEAD), 10, "seal does not match"),
    "seal replaced": (lambda: (tamper(3, seal="0" * 64), HEAD), 4, "seal does not match"),
    "key id relabelled to the old key": (lambda: (tamper(3, key_id="mk-1"), HEAD), 4, "older key"),
    "entry deleted": (lambda: (ENTRIES[:9] + ENTRIES[10:], HEAD), 11, "sequence gap"),
    "first entry deleted": (lambda: (ENTRIES[1:], HEAD), 2, "chain starts at 2"),
    "entries swapped": (lambda: (ENTRIES[:5] + [ENTRIES[6], ENTRIES[5]] + ENTRIES[7:], HEAD), 7, "sequence gap"),
    "entry duplicated": (lambda: (ENTRIES[:5] + [ENTRIES[4]] + ENTRIES[5:], HEAD), 5, "duplicated"),
    "whole tail rewritten without the key": (lambda: reseal_from(
        ENTRIES[:20] + [dataclasses.replace(e, body=body_with(e, actor="99")) for e in ENTRIES[20:]], 20),
        21, "seal does not match"),
    "forged entry appended, head moved": (lambda: (ENTRIES + [forged_entry(ENTRIES[-1])[0]],
                                                   forged_entry(ENTRIES[-1])[1]), 31, "seal does not match"),
    "forged entry appended with the real key id, head left": (lambda: (ENTRIES + [forged_entry(ENTRIES[-1])[0]], HEAD),
                                                              31, "seal does not match"),
    "last entry deleted": (lambda: (ENTRIES[:-1], HEAD), 30, "entries deleted from the end"),
    "last entry deleted, head moved back without the key": (
        lambda: (ENTRIES[:-1], FORGER.seal_head(CHAIN, 29, ENTRIES[28].hash)), 29, "not sealed"),
    "last entry deleted, head copied from the entry's seal": (
        lambda: (ENTRIES[:-1], Head(CHAIN, 29, ENTRIES[28].hash, "mk-2", ENTRIES[28].seal)), 29, "not sealed"),
    "head deleted": (lambda: (ENTRIES, None), 30, "no stored head"),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_is_named(name):
    build_attack, first_bad, words = ATTACKS[name]
    entries, head = build_attack()
    result = check(entries, head)
    assert not result.ok
    report = result.chains[CHAIN]
    assert report.first_bad_seq == first_bad, report.problem
    assert words in report.problem
    assert result.problem.startswith(f"chain {CHAIN}: ")


def test_truncation_with_an_old_sealed_head_is_caught_only_by_a_checkpoint():
    """Rolling back to a state the attacker saw (an old copy: entries and the head then
    in force, all genuinely sealed) looks whole on its own; a checkpoint kept outside
    the database catches it."""
    old_entries, old_head = ENTRIES[:20], SEALER.seal_head(CHAIN, 20, ENTRIES[19].hash)
    assert check(old_entries, old_head).ok
    expected = {CHAIN: {30: (HEAD.hash, "21 Nov 2026, 10:20:00 UTC")}}
    result = check(old_entries, old_head, expected=expected)
    assert not result.ok and result.chains[CHAIN].first_bad_seq == 21
    assert "checkpoint of 21 Nov 2026, 10:20:00 UTC recorded entry 30 (truncated or rolled back)" in result.problem


def test_rewrite_after_a_rollback_differs_from_the_checkpoint():
    # Roll back to 20, then new (genuine) entries 21..30: entry 30 is not the one seen.
    rebuilt, head = append(Head(CHAIN, 20, ENTRIES[19].hash), events(10, actor="5"), SEALER)
    entries = ENTRIES[:20] + rebuilt
    assert check(entries, head).ok
    result = check(entries, head, expected={CHAIN: {30: (HEAD.hash, "then")}})
    assert not result.ok and "entry 30: differs from the checkpoint of then" in result.problem


def test_a_chain_missing_entirely_is_caught_by_its_head_or_checkpoint():
    result = verify([], heads={CHAIN: HEAD}, sealer=SEALER)
    assert not result.ok and "chain ends at 0 but its head is 30" in result.problem
    result = verify([], heads={}, sealer=SEALER, expected={CHAIN: {30: (HEAD.hash, "then")}})
    assert not result.ok and "truncated or rolled back" in result.problem


def test_one_broken_chain_does_not_hide_another():
    other, other_head = build(5, OTHER)
    broken = list(other)
    broken[2] = dataclasses.replace(broken[2], seal="f" * 64)
    result = check(ENTRIES[:-1] + broken, HEAD, extra_heads=[other_head])
    assert len(result.problems) == 2
    assert {p.split(":")[0] for p in result.problems} == {f"chain {CHAIN}", f"chain {OTHER}"}


def test_entries_moved_to_another_chain_are_caught():
    moved = [dataclasses.replace(e, chain=OTHER) for e in ENTRIES]
    head = Head(OTHER, HEAD.seq, HEAD.hash, HEAD.key_id, HEAD.seal)
    result = verify(rows(moved), heads={OTHER: head}, sealer=SEALER)
    assert not result.ok and result.chains[OTHER].first_bad_seq == 1 and "seal" in result.problem


# -- key rotation --------------------------------------------------------------------

def test_entries_sealed_under_an_older_key_in_the_ring_verify():
    old = Sealer({"mk-1": OLD_KEY}, "mk-1")
    first, head = append(empty_head(CHAIN), events(5), old)
    rest, head = append(head, events(5), SEALER)
    assert {e.key_id for e in first} == {"mk-1"} and {e.key_id for e in rest} == {"mk-2"}
    assert check(first + rest, head).ok


def test_a_key_id_the_ring_never_had_is_a_forgery():
    entries = tamper(29, key_id="mk-9")  # the newest-looking id, unknown to the ring
    result = check(entries, HEAD)
    assert not result.ok and result.chains[CHAIN].first_bad_seq == 30
    assert "sealed under a key this installation never had" in result.problem


def test_a_stolen_retired_key_cannot_add_to_a_chain_that_moved_on():
    """The ring keeps retired keys' seal keys (so old entries stay checkable); someone
    who stole one can seal with it, but a chain never goes back to an older key."""
    stolen = Sealer({"mk-1": OLD_KEY}, "mk-1")
    entry, head = forged_entry(ENTRIES[-1], sealer=stolen)
    assert check(ENTRIES + [entry], SEALER.seal_head(CHAIN, 31, entry.hash)).problem.endswith(
        "entry 31: sealed under an older key than the entry before it (entry forged with a retired key)")
    result = check(ENTRIES + [entry], head)
    assert not result.ok and result.chains[CHAIN].first_bad_seq == 31
    # Nor can it rewrite the chain before the newer key took over.
    rewritten, forged_head = reseal_from(ENTRIES[:5] + [dataclasses.replace(ENTRIES[5], body=body_with(
        ENTRIES[5], actor="99"))] + ENTRIES[6:], 5, sealer=stolen)
    assert "entry 6: sealed under an older key" in check(rewritten, forged_head).problem


# -- properties -------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@st.composite
def chains(draw, min_size=1, max_size=40):
    n = draw(st.integers(min_size, max_size))
    rnd = draw(st.randoms(use_true_random=False))
    evs = [event(actor=rnd.choice(["1", "2", "operator"]), actor_role=rnd.choice(["clinician", "biller"]),
                 action=rnd.choice(["read", "write", "auth.sign_in"]), purpose=rnd.choice(["TREAT", "HOPERAT"]),
                 client_ref=rnd.choice(["", "c_aaa"]), decision=rnd.choice(["permit", "deny", "-"]),
                 rule_ids=rnd.sample(["r1", "r2"], rnd.randint(0, 2)), decision_id=f"d_{i}",
                 detail=rnd.choice([{}, {"a": rnd.randint(0, 3)}, {"b": "é"}]),
                 at=f"2026-11-21T10:{i // 60:02d}:{i % 60:02d}.000000Z") for i in range(n)]
    return append(empty_head(draw(st.sampled_from([CHAIN, NO_PRACTICE]))), evs, SEALER)


def verifies(entries, head, **kw) -> bool:
    return verify(rows(entries), heads={head.chain: head}, sealer=SEALER, **kw).ok


@PROPERTY_SETTINGS
@given(built=chains())
def test_property_untouched_chain_verifies(built):
    entries, head = built
    assert verifies(entries, head)
    assert verifies(entries, head, expected={head.chain: {e.seq: (e.hash, "t") for e in entries[::7]}})


@PROPERTY_SETTINGS
@given(built=chains(), data=st.data())
def test_property_any_change_to_a_stored_column_is_detected(built, data):
    entries, head = built
    index = data.draw(st.integers(0, len(entries) - 1))
    name = data.draw(st.sampled_from(["seq", "body", "hash", "key_id", "seal"]))
    old = getattr(entries[index], name)
    if name == "seq":
        new = old + data.draw(st.integers(-3, 3).filter(bool))
    elif name == "body":
        new = data.draw(TEXT.filter(lambda t: t != old)) if data.draw(st.booleans()) else \
            body_with(entries[index], detail={"changed": data.draw(TEXT)})
    elif name in ("hash", "seal"):
        new = data.draw(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).filter(lambda h: h != old))
    else:
        new = data.draw(st.sampled_from(["mk-1", "mk-9", ""]))
    if new == old:
        return
    tampered = list(entries)
    tampered[index] = dataclasses.replace(entries[index], **{name: new})
    assert not verifies(tampered, head)


@PROPERTY_SETTINGS
@given(built=chains(), data=st.data())
def test_property_deleting_or_truncating_is_detected(built, data):
    entries, head = built
    index = data.draw(st.integers(0, len(entries) - 1))
    assert not verifies(entries[:index] + entries[index + 1:], head)
    assert not verifies(entries[:index], head)


@PROPERTY_SETTINGS
@given(built=chains(), data=st.data())
def test_property_nothing_forged_without_the_key_verifies(built, data):
    """Whatever a forger rewrites from some point on, sealing with their own key and
    writing a matching head, verify refuses it."""
    entries, head = built
    start = data.draw(st.integers(0, len(entries) - 1))
    changed = [dataclasses.replace(e, body=body_with(e, actor=data.draw(TEXT))) for e in entries[start:]]
    forged, forged_head = reseal_from(entries[:start] + changed, start, chain=head.chain)
    assert not verify(rows(forged), heads={head.chain: forged_head}, sealer=SEALER).ok


@PROPERTY_SETTINGS
@given(built=chains(min_size=2), data=st.data())
def test_property_reordering_is_detected(built, data):
    entries, head = built
    i = data.draw(st.integers(0, len(entries) - 2))
    j = data.draw(st.integers(i + 1, len(entries) - 1))
    swapped = list(entries)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    assert not verifies(swapped, head)
