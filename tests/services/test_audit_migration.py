"""The upgrade from the single unsealed chain (format 1) to sealed chains per practice:
existing entries are re-sealed once, in order, into their practice's chain, and the
re-sealing is itself an audit event (which says whether the old chain checked out)."""

from __future__ import annotations

import json

import pytest

from tests.instances import Instance

# An installation as it was before: schema up to auditlog 0002, two practices, and a
# format-1 chain written exactly as the old code wrote it (sha256 over the previous
# hash and the canonical JSON of every field).
LEGACY = r'''
import hashlib, json
from django.core.management import call_command
from django.db import connection
call_command("migrate", "practice", verbosity=0)
call_command("migrate", "auditlog", "0002_chain_head", verbosity=0)
from confide.apps.practice.models import Practice, User
a = Practice.objects.create(name="A")
b = Practice.objects.create(name="B")
ua = User.objects.create(username="ua", role="clinician", practice=a)
ub = User.objects.create(username="ub", role="biller", practice=b)
enc = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
prev, rows = "0" * 64, []
actors = [ua, ub, ua, None, ub, ua]
for i, user in enumerate(actors, start=1):
    f = {"seq": i, "at": f"2026-11-2{i}T10:00:00.000000+00:00", "actor": str(user.pk) if user else "system",
         "actor_role": user.role if user else "system", "action": "read", "purpose": "TREAT",
         "client_ref": f"c_{i:024x}", "decision": "permit", "rule_ids": ["INT-TREATING"], "categories": ["identity"],
         "decision_id": f"d{i}", "detail": {"n": i}, "prev_hash": prev}
    f["hash"] = hashlib.sha256(prev.encode() + enc.encode({k: v for k, v in f.items() if k != "hash"}).encode()).hexdigest()
    prev = f["hash"]
    rows.append(f)
TAMPER = TAMPERED
if TAMPER:
    rows[2]["purpose"] = "HPAYMT"  # changed after sealing: the old chain no longer checks out
cols = list(rows[0])
with connection.cursor() as cur:
    for f in rows:
        cur.execute(f"INSERT INTO auditlog_auditevent ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})",
                    [json.dumps(f[c]) if c in ("rule_ids", "categories", "detail") else f[c] for c in cols])
    cur.execute("UPDATE auditlog_audithead SET seq = %s, hash = %s WHERE id = 1", [len(rows), prev])
print(json.dumps({"a": str(a.pk), "b": str(b.pk), "head": f"{len(rows)}:{prev}"}))
'''

AFTER = r'''
import json
from confide.apps.auditlog.models import AuditEvent
out = {}
for e in AuditEvent.objects.order_by("chain", "seq"):
    out.setdefault(e.chain, []).append([e.seq, e.at, e.actor, e.action, e.purpose, e.client_ref, e.detail, e.key_id])
print(json.dumps(out))
'''


@pytest.fixture
def legacy(tmp_path):
    made = []

    def make(tamper: bool):
        inst = Instance.empty(tmp_path / f"var-{len(made)}")
        made.append(inst)
        return inst, json.loads(inst.python(LEGACY.replace("TAMPERED", repr(tamper))))
    yield make
    for inst in made:
        inst.drop()


def test_the_old_chain_is_resealed_once_into_practice_chains(legacy):
    inst, ids = legacy(False)
    inst.confide("migrate")
    chains = json.loads(inst.python(AFTER))
    nil = "00000000-0000-0000-0000-000000000000"
    assert set(chains) == {ids["a"], ids["b"], nil}
    # In order, with their times and content, each in its actor's practice's chain.
    assert [(r[0], r[5]) for r in chains[ids["a"]]] == [(1, f"c_{1:024x}"), (2, f"c_{3:024x}"), (3, f"c_{6:024x}")]
    assert [r[1] for r in chains[ids["a"]]] == ["2026-11-21T10:00:00.000000+00:00", "2026-11-23T10:00:00.000000+00:00",
                                                "2026-11-26T10:00:00.000000+00:00"]
    assert [r[6] for r in chains[ids["b"]]] == [{"n": 2}, {"n": 5}]
    # The entry of no practice, then the re-sealing itself, last, in the chain of no practice.
    assert [(r[2], r[3]) for r in chains[nil]] == [("system", "read"), ("operator", "audit.resealed")]
    resealed = chains[nil][-1][6]
    assert resealed == {"legacy_entries": 6, "legacy_head": ids["head"], "legacy_verified": True, "chains": 3}
    assert len({r[7] for rows in chains.values() for r in rows}) == 1  # all under the current key
    assert inst.confide("audit", "verify").stdout.startswith("audit log intact: 7 entries in 3 chain(s)")
    # Once: migrating again changes nothing.
    inst.confide("migrate")
    assert json.loads(inst.python(AFTER)) == chains


def test_a_broken_old_chain_is_resealed_with_its_break_on_record(legacy):
    inst, ids = legacy(True)
    inst.confide("migrate")
    chains = json.loads(inst.python(AFTER))
    event = chains["00000000-0000-0000-0000-000000000000"][-1]
    assert event[3] == "audit.resealed"
    assert event[6]["legacy_verified"] is False and event[6]["legacy_problem"] == "entry 3: hash mismatch"
    assert inst.confide("audit", "verify").stdout.startswith("audit log intact")
