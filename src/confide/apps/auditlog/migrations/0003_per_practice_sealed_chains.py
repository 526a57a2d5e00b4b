"""One sealed chain per practice, re-sealed once from the single unsealed chain.

The old chain (format 1: every field in its own column, sha256 without a key) is
checked, then each of its entries is appended, in order and with its time, to the
chain of the actor's practice (or to the chain of no practice), sealed under the
current master key. The re-sealing itself is recorded last, in the chain of no
practice: how many entries, the old head, and whether the old chain checked out (a
broken old chain is re-sealed all the same, so the break is never lost, and the
event says where it was). The old tables are then dropped.
"""

import hashlib
import json
from collections import defaultdict

from django.db import migrations, models

import confide.apps.auditlog.models

GENESIS_HASH = "0" * 64
_V1 = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
BATCH = 2000


def _v1_problem(rows, head):
    """The first problem of the old chain (format 1), or None; and its (seq, hash) end."""
    prev_seq, prev_hash = 0, GENESIS_HASH
    for row in rows:
        fields = {"action": row.action, "actor": row.actor, "actor_role": row.actor_role, "at": row.at,
                  "categories": list(row.categories), "client_ref": row.client_ref, "decision": row.decision,
                  "decision_id": row.decision_id, "detail": row.detail, "prev_hash": row.prev_hash,
                  "purpose": row.purpose, "rule_ids": list(row.rule_ids), "seq": row.seq}
        if row.seq != prev_seq + 1:
            return f"sequence gap or repeat at entry {row.seq}", (prev_seq, prev_hash)
        if row.prev_hash != prev_hash:
            return f"entry {row.seq}: previous hash does not match", (prev_seq, prev_hash)
        try:
            digest = hashlib.sha256(prev_hash.encode("ascii") + _V1.encode(fields).encode("ascii")).hexdigest()
        except (TypeError, ValueError, UnicodeEncodeError):
            return f"entry {row.seq}: fields cannot be serialized", (prev_seq, prev_hash)
        if digest != row.hash:
            return f"entry {row.seq}: hash mismatch", (prev_seq, prev_hash)
        prev_seq, prev_hash = row.seq, row.hash
    if head is not None and (head.seq, head.hash) != (prev_seq, prev_hash):
        return f"chain ends at {prev_seq} but its head is {head.seq}", (prev_seq, prev_hash)
    return None, (prev_seq, prev_hash)


def reseal(apps, schema_editor):
    from confide.core.audit import NO_PRACTICE, append, empty_head, event
    from confide.services.keys import audit_sealer

    Legacy = apps.get_model("auditlog", "LegacyAuditEvent")
    LegacyHead = apps.get_model("auditlog", "LegacyAuditHead")
    AuditEvent = apps.get_model("auditlog", "AuditEvent")
    AuditHead = apps.get_model("auditlog", "AuditHead")
    User = apps.get_model("practice", "User")
    db = schema_editor.connection.alias
    legacy = Legacy.objects.using(db).order_by("seq")
    if not legacy.exists():
        return
    problem, (old_seq, old_hash) = _v1_problem(legacy.iterator(chunk_size=BATCH),
                                               LegacyHead.objects.using(db).filter(id=1).first())
    practice_of = {str(pk): str(p) for pk, p in User.objects.using(db).values_list("pk", "practice_id") if p}
    sealer = audit_sealer()
    heads = {}
    counts = defaultdict(int)
    batch = []

    def add(chain, ev):
        entries, heads[chain] = append(heads.get(chain) or empty_head(chain), [ev], sealer)
        batch.extend(AuditEvent(chain=e.chain, seq=e.seq, body=e.body, hash=e.hash, key_id=e.key_id, seal=e.seal)
                     for e in entries)
        counts[chain] += 1
        if len(batch) >= BATCH:
            AuditEvent.objects.using(db).bulk_create(batch)
            batch.clear()

    total = 0
    for row in legacy.iterator(chunk_size=BATCH):
        total += 1
        add(practice_of.get(row.actor, NO_PRACTICE),
            event(at=row.at, actor=row.actor, actor_role=row.actor_role, action=row.action, purpose=row.purpose,
                  client_ref=row.client_ref, decision=row.decision, rule_ids=tuple(row.rule_ids),
                  categories=tuple(row.categories), decision_id=row.decision_id, detail=row.detail))
    detail = {"legacy_entries": total, "legacy_head": f"{old_seq}:{old_hash}", "legacy_verified": problem is None,
              "chains": len(counts)}
    if problem:
        detail["legacy_problem"] = problem
    add(NO_PRACTICE, event(actor="operator", actor_role="operator", action="audit.resealed", purpose="HOPERAT",
                           detail=detail))
    AuditEvent.objects.using(db).bulk_create(batch)
    AuditHead.objects.using(db).bulk_create(
        [AuditHead(chain=h.chain, seq=h.seq, hash=h.hash, key_id=h.key_id, seal=h.seal) for h in heads.values()])


def _text(key):
    return models.GeneratedField(
        db_persist=True,
        expression=confide.apps.auditlog.models.BodyValue(key, output_field=models.TextField()),
        output_field=models.TextField())


def _json(key):
    return models.GeneratedField(
        db_persist=True,
        expression=confide.apps.auditlog.models.BodyValue(key, json=True, output_field=models.JSONField()),
        output_field=models.JSONField())


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0002_chain_head"),
        ("practice", "0003_messages"),
    ]

    operations = [
        migrations.RenameModel("AuditEvent", "LegacyAuditEvent"),
        migrations.RenameModel("AuditHead", "LegacyAuditHead"),
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("pk", models.CompositePrimaryKey("chain", "seq", blank=True, editable=False, primary_key=True,
                                                  serialize=False)),
                ("chain", models.CharField(max_length=36)),
                ("seq", models.BigIntegerField()),
                ("body", models.TextField()),
                ("hash", models.CharField(max_length=64)),
                ("key_id", models.CharField(max_length=64)),
                ("seal", models.CharField(max_length=64)),
                ("at", _text("at")),
                ("actor", _text("actor")),
                ("actor_role", _text("actor_role")),
                ("action", _text("action")),
                ("purpose", _text("purpose")),
                ("client_ref", _text("client_ref")),
                ("decision", _text("decision")),
                ("decision_id", _text("decision_id")),
                ("rule_ids", _json("rule_ids")),
                ("categories", _json("categories")),
                ("detail", _json("detail")),
            ],
            options={"indexes": [models.Index(fields=["chain", "client_ref"], name="audit_chain_client_ref")]},
        ),
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("chain", models.CharField(max_length=36, primary_key=True, serialize=False)),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
                ("key_id", models.CharField(default="", max_length=64)),
                ("seal", models.CharField(default="", max_length=64)),
            ],
        ),
        migrations.RunPython(reseal),  # irreversible: there is no going back to an unsealed log
        migrations.DeleteModel("LegacyAuditEvent"),
        migrations.DeleteModel("LegacyAuditHead"),
    ]
