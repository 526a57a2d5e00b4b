"""The audit log: one hash chain per practice, each entry sealed with a key the
database does not hold.

An entry is its body: the event as canonical JSON (sorted keys, separators (",", ":"),
ASCII only), including the chain it belongs to and its sequence number. Its hash is
sha256(previous entry's hash as ASCII hex + body), in hex; the first entry of a chain
follows GENESIS_HASH. So changing, deleting, inserting or reordering entries breaks
the chain from that point on.

A hash chain alone can be rebuilt by anyone who can write the database, so every
entry also carries a seal: HMAC-SHA256, under a key derived from the master key ring,
of its chain, sequence number and hash (with the id of the master key it was derived
from). Nobody who holds only the database can seal an entry. The ring keeps the seal
keys of retired master keys, so every seal stays checkable; along a chain the key ids
never go back (ids sort by creation time), so even someone who stole a retired key
cannot add to a chain that has moved on to a newer one (a key rotation writes an
entry to every chain).

The head of each chain (its last sequence number and hash) is stored with its own seal,
and checkpoints of the heads are kept outside the database (see checkpoints.py); a
chain that ends before its head or before a checkpoint has lost entries.

The stable on-disk format is `entry_body` and `entry_hash`; changing either is a
format change that old chains will not survive (FORMAT is in every body).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

FORMAT = 2
GENESIS_HASH = "0" * 64
# The chain of events that belong to no practice (a failed sign-in with an unknown
# login, a migration, a backup): practices have UUIDs, this is the nil one.
NO_PRACTICE = "00000000-0000-0000-0000-000000000000"
DECISIONS = ("permit", "deny", "-")

# What an event holds (the body adds "v", "chain" and "seq").
EVENT_FIELDS = ("at", "actor", "actor_role", "action", "purpose", "client_ref", "decision", "rule_ids",
                "categories", "decision_id", "detail")
_STRINGS = ("at", "actor", "actor_role", "action", "purpose", "client_ref", "decision_id")
_REQUIRED = frozenset({"actor", "actor_role", "action", "purpose"})
_DEFAULTS: dict[str, Any] = {"client_ref": "", "decision": "-", "rule_ids": (), "categories": (),
                             "decision_id": "", "detail": None, "at": ""}
_BODY_KEYS = frozenset(EVENT_FIELDS) | {"v", "chain", "seq"}

# One encoder, built once: json.dumps with non-default options builds one per call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)

# Domain separation: an entry's seal can never pass for a head's or a checkpoint's.
_ENTRY_DOMAIN = b"confide.audit.entry.v2\x00"
_HEAD_DOMAIN = b"confide.audit.head.v2\x00"
_CHECKPOINT_DOMAIN = b"confide.audit.checkpoint.v2\x00"
SEAL_KEY_PURPOSE = "confide audit seal v2"


def utc_now_iso() -> str:
    """Now, as the audit log writes times: ISO-8601 UTC, microseconds, "Z"."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Event:
    """What happened, before it has a place in a chain. Holds ids, pseudonyms and
    codes, never names or note text."""

    at: str  # ISO-8601 UTC with microseconds, e.g. 2026-11-21T10:15:00.123456Z
    actor: str  # a user id, or "operator" for the command line
    actor_role: str
    action: str  # a stable event name: "read", "auth.sign_in", "keys.rotated", ...
    purpose: str
    client_ref: str  # pseudonym ("c_...") or ""
    decision: str  # "permit" | "deny" | "-"
    rule_ids: tuple[str, ...]
    categories: tuple[str, ...]
    decision_id: str
    detail: dict[str, Any]  # small, JSON-able; never names or note text


def event(**fields: Any) -> Event:
    """Check and normalize an event's fields: actor, actor_role, action, purpose
    (required); client_ref, decision, rule_ids, categories, decision_id, detail, at
    (defaults: "", "-", (), (), "", {}, now)."""
    unknown = fields.keys() - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"audit event got fields it does not take: {sorted(unknown)}")
    missing = _REQUIRED - fields.keys()
    if missing:
        raise TypeError(f"audit event is missing fields: {sorted(missing)}")
    values = {**_DEFAULTS, **fields}
    values["at"] = values["at"] or utc_now_iso()
    values["rule_ids"] = tuple(values["rule_ids"])
    values["categories"] = tuple(values["categories"])
    for name in _STRINGS:
        if not isinstance(values[name], str):
            raise TypeError(f"audit field {name} must be str")
    if not all(isinstance(x, str) for x in values["rule_ids"] + values["categories"]):
        raise TypeError("audit rule_ids and categories must be strings")
    if values["decision"] not in DECISIONS:
        raise ValueError(f"audit decision must be one of {DECISIONS}")
    detail = values["detail"] or {}
    if not isinstance(detail, dict):
        raise TypeError("audit detail must be a dict")
    # Round-trip detail through JSON: the event then holds exactly what a reader of the
    # stored entry will see (int keys become strings, tuples lists), the caller's dict
    # is not aliased, and what cannot be sealed (NaN, sets) fails here, at the caller.
    values["detail"] = json.loads(_ENCODER.encode(detail))
    return Event(**values)


def entry_body(chain: str, seq: int, ev: Event) -> str:
    """The canonical body of the entry at `seq` of `chain`: what its hash covers."""
    doc = {name: getattr(ev, name) for name in EVENT_FIELDS}
    doc.update(v=FORMAT, chain=chain, seq=seq)
    return _ENCODER.encode(doc)


def entry_hash(prev_hash: str, body: str) -> str:
    """sha256 hex over the previous hash (ASCII hex) followed by the body."""
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def body_fields(body: str) -> dict[str, Any]:
    """An entry's fields, read back from its body."""
    return json.loads(body)


@dataclass(frozen=True)
class Entry:
    """One sealed entry, as stored."""

    chain: str
    seq: int
    body: str
    hash: str
    key_id: str  # the master key the seal's key was derived from
    seal: str

    @property
    def fields(self) -> dict[str, Any]:
        return body_fields(self.body)


@dataclass(frozen=True)
class Head:
    """A chain's last sequence number and hash, sealed (seq 0: an empty chain)."""

    chain: str
    seq: int
    hash: str
    key_id: str = ""
    seal: str = ""


class Sealer:
    """Seals and checks entries, heads and checkpoints with HMAC-SHA256.

    `keys` maps a master key id to the seal key derived from it (the caller derives
    them; this module never sees a master key). `current` is the id new seals use;
    None makes a sealer that only checks.
    """

    def __init__(self, keys: Mapping[str, bytes], current: str | None):
        if current is not None and current not in keys:
            raise ValueError("the current seal key is not among the keys")
        self.current = current
        # One keyed HMAC state per key, copied per message: the key schedule runs once.
        self._macs = {kid: hmac.new(key, digestmod=hashlib.sha256) for kid, key in keys.items()}

    def knows(self, key_id: str) -> bool:
        return key_id in self._macs

    def _mac(self, key_id: str, domain: bytes, message: bytes) -> str:
        mac = self._macs[key_id].copy()
        mac.update(domain + message)
        return mac.hexdigest()

    def _seal(self, domain: bytes, message: bytes) -> tuple[str, str]:
        if self.current is None:
            raise RuntimeError("this sealer only checks")
        return self.current, self._mac(self.current, domain, message)

    def _check(self, key_id: str, seal: str, domain: bytes, message: bytes) -> bool | None:
        """True or False; None when the key is not in the ring (retired)."""
        if key_id not in self._macs:
            return None
        return hmac.compare_digest(self._mac(key_id, domain, message), seal)

    @staticmethod
    def _position(chain: str, seq: int, digest: str) -> bytes:
        return f"{chain}\x00{seq}\x00{digest}".encode("utf-8")

    def seal_entry(self, chain: str, seq: int, digest: str) -> tuple[str, str]:
        return self._seal(_ENTRY_DOMAIN, self._position(chain, seq, digest))

    def check_entry(self, key_id: str, chain: str, seq: int, digest: str, seal: str) -> bool | None:
        return self._check(key_id, seal, _ENTRY_DOMAIN, self._position(chain, seq, digest))

    def seal_head(self, chain: str, seq: int, digest: str) -> Head:
        key_id, seal = self._seal(_HEAD_DOMAIN, self._position(chain, seq, digest))
        return Head(chain, seq, digest, key_id, seal)

    def check_head(self, head: Head) -> bool | None:
        return self._check(head.key_id, head.seal, _HEAD_DOMAIN, self._position(head.chain, head.seq, head.hash))

    def seal_document(self, doc: Mapping[str, Any]) -> tuple[str, str]:
        """Seal a JSON document (a checkpoint): over its canonical form."""
        return self._seal(_CHECKPOINT_DOMAIN, _ENCODER.encode(dict(doc)).encode("ascii"))

    def check_document(self, doc: Mapping[str, Any], key_id: str, seal: str) -> bool | None:
        try:
            message = _ENCODER.encode(dict(doc)).encode("ascii")
        except (TypeError, ValueError):
            return False
        return self._check(key_id, seal, _CHECKPOINT_DOMAIN, message)

    def entry_mac(self, key_id: str, chain: str):
        """For verify's inner loop: the HMAC state of `key_id` after the entry domain
        and `chain`, so each entry adds only f"{seq}\\0{hash}" (None: unknown key).
        Copy it per entry; the result is what seal_entry computes."""
        base = self._macs.get(key_id)
        if base is None:
            return None
        mac = base.copy()
        mac.update(_ENTRY_DOMAIN + f"{chain}\x00".encode("utf-8"))
        return mac


def append(prev: Head, events: Iterable[Event], sealer: Sealer) -> tuple[list[Entry], Head]:
    """Seal events onto a chain after its head; returns the entries and the new head."""
    chain, seq, digest = prev.chain, prev.seq, prev.hash
    out = []
    for ev in events:
        seq += 1
        body = entry_body(chain, seq, ev)
        digest = entry_hash(digest, body)
        key_id, seal = sealer.seal_entry(chain, seq, digest)
        out.append(Entry(chain, seq, body, digest, key_id, seal))
    return out, sealer.seal_head(chain, seq, digest)


def empty_head(chain: str) -> Head:
    return Head(chain, 0, GENESIS_HASH)


# -- verification -------------------------------------------------------------------


@dataclass
class ChainReport:
    """What verify found in one chain. `problem` is one line; the head is the last
    entry that checked out."""

    chain: str
    count: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class VerifyResult:
    chains: dict[str, ChainReport] = field(default_factory=dict)
    count: int = 0  # entries read
    checkpoints: int = 0  # checkpoint heads compared
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> str | None:
        return self.problems[0] if self.problems else None


Row = tuple[str, int, str, str, str, str]  # chain, seq, body, hash, key_id, seal


def verify(rows: Iterable[Row], *, heads: Mapping[str, Head], sealer: Sealer,
           expected: Mapping[str, Mapping[int, tuple[str, str]]] | None = None,
           progress: Callable[[int], None] | None = None, progress_every: int = 10_000) -> VerifyResult:
    """Check every chain from its first entry, streaming: O(1) memory per chain.

    `rows` are (chain, seq, body, hash, key_id, seal), ordered by chain, then seq.
    Each chain must start at 1 after GENESIS_HASH, run without gaps, hash correctly,
    carry valid seals, end exactly at its sealed head, and agree with `expected`: for
    each chain, {seq: (hash, where)} from checkpoints kept outside the database (a
    chain that ends before one of them was truncated or rolled back). A chain's check
    stops at its first problem; the others go on. `progress(count)` is called every
    `progress_every` entries and once at the end.
    """
    result = VerifyResult()
    expected = expected or {}
    sha = hashlib.sha256
    seen: set[str] = set()

    chain = None
    report: ChainReport | None = None
    prev_seq, prev_hash, last_key, broken = 0, GENESIS_HASH, "", False
    keyed = None  # the seal HMAC of last_key for this chain, up to the entry's own part
    marks: Mapping[int, tuple[str, str]] = {}
    count = 0

    def finish() -> None:
        if report is None:
            return
        report.head_seq, report.head_hash = prev_seq, prev_hash
        if not broken:
            _finish_chain(report, heads.get(report.chain), sealer, marks, last_key)
        if report.problem:
            result.problems.append(f"chain {report.chain}: {report.problem}")

    for row_chain, seq, body, digest, key_id, seal in rows:
        count += 1
        if progress is not None and count % progress_every == 0:
            progress(count)
        if row_chain != chain:
            finish()
            if row_chain in seen:
                raise ValueError("verify needs rows ordered by chain, then seq")
            chain = row_chain
            seen.add(chain)
            report = ChainReport(chain)
            result.chains[chain] = report
            prev_seq, prev_hash, last_key, broken, keyed = 0, GENESIS_HASH, "", False, None
            marks = expected.get(chain) or {}
        report.count += 1
        if broken:
            continue
        if seq != prev_seq + 1:
            broken = _bad(report, prev_seq, seq, _sequence_problem(prev_seq, seq))
            continue
        try:
            actual = sha((prev_hash + body).encode("utf-8")).hexdigest()
        except (TypeError, AttributeError, UnicodeEncodeError):
            broken = _bad(report, prev_seq, seq, f"entry {seq}: body is not text (entry modified)")
            continue
        if actual != digest:
            broken = _bad(report, prev_seq, seq, f"entry {seq}: hash does not match its content "
                                                 "(entry modified, or one before it inserted or removed)")
            continue
        if key_id != last_key or keyed is None:
            if key_id < last_key:
                broken = _bad(report, prev_seq, seq, f"entry {seq}: sealed under an older key than the entry before it "
                                                     "(entry forged with a retired key)")
                continue
            keyed = sealer.entry_mac(key_id, chain)
            if keyed is None:
                broken = _bad(report, prev_seq, seq,
                              f"entry {seq}: sealed under a key this installation never had (entry forged)")
                continue
            last_key = key_id
        mac = keyed.copy()
        mac.update(f"{seq}\x00{digest}".encode("utf-8"))
        # A plain comparison: verify runs offline, so there is no timing oracle.
        if mac.hexdigest() != seal:
            broken = _bad(report, prev_seq, seq, f"entry {seq}: seal does not match (entry written without the key)")
            continue
        if marks:
            mark = marks.get(seq)
            if mark is not None and mark[0] != digest:
                broken = _bad(report, prev_seq, seq, f"entry {seq}: differs from the checkpoint of {mark[1]} "
                                                     "(entries rewritten)")
                continue
        prev_seq, prev_hash = seq, digest
    finish()
    if progress is not None:
        progress(count)
    result.count = count

    for name in sorted((heads.keys() | expected.keys()) - seen):
        report = ChainReport(name)
        result.chains[name] = report
        _finish_chain(report, heads.get(name), sealer, expected.get(name) or {}, "")
        if report.problem:
            result.problems.append(f"chain {name}: {report.problem}")
    result.checkpoints = sum(len(m) for m in expected.values())
    return result


def _sequence_problem(prev_seq: int, seq: Any) -> str:
    if not isinstance(seq, int):
        return f"entry after {prev_seq}: sequence number is not an integer (entry modified)"
    if prev_seq == 0:
        return f"entry {seq}: chain starts at {seq}, not 1 (entries deleted from the start)"
    if seq > prev_seq + 1:
        return f"entry {seq}: sequence gap after {prev_seq} (entries deleted)"
    return f"entry {seq}: sequence goes back after {prev_seq} (entries duplicated, reordered or inserted)"


def _bad(report: ChainReport, prev_seq: int, seq: Any, problem: str) -> bool:
    report.first_bad_seq = seq if isinstance(seq, int) else prev_seq + 1
    report.problem = problem
    return True


def _finish_chain(report: ChainReport, head: Head | None, sealer: Sealer,
                  marks: Mapping[int, tuple[str, str]], last_key: str) -> None:
    """The end of a chain that checked out entry by entry: against its sealed head,
    then against the checkpoints (which catch a head put back to an earlier one)."""
    last = report.head_seq
    problem, bad = _head_problem(report, head, sealer, last_key)
    if problem is None:
        beyond = [s for s in marks if s > last]
        if beyond:
            seq = max(beyond)
            problem, bad = (f"chain ends at {last} but the checkpoint of {marks[seq][1]} recorded entry {seq} "
                            "(truncated or rolled back)"), last + 1
    if problem is not None:
        report.problem, report.first_bad_seq = problem, bad


def _head_problem(report: ChainReport, head: Head | None, sealer: Sealer, last_key: str) -> tuple[str | None, int]:
    last = report.head_seq
    if head is None:
        return (f"chain has {last} entries but no stored head (head deleted)", last) if last else (None, 0)
    if head.seq > last:
        return f"chain ends at {last} but its head is {head.seq} (entries deleted from the end)", last + 1
    if head.seq < last:
        return (f"entries after the head: chain runs to {last}, its head is {head.seq} (entries appended)",
                head.seq + 1)
    if head.hash != report.head_hash:
        return f"entry {last} differs from the stored head (entries rewritten)", last
    sealed = sealer.check_head(head) if head.seq else head.hash == GENESIS_HASH
    if not sealed or head.key_id < last_key:
        return f"the head ({last}) is not sealed by this installation's key (head written without the key)", last
    return None, 0


__all__ = ["FORMAT", "GENESIS_HASH", "NO_PRACTICE", "SEAL_KEY_PURPOSE", "Event", "Entry", "Head", "Sealer",
           "ChainReport", "VerifyResult", "event", "entry_body", "entry_hash", "body_fields", "append", "empty_head",
           "verify", "utc_now_iso"]
