"""Appending to and verifying the hash-chained audit log.

INVARIANT: every append happens inside the transaction of the read or write it
records, holding the chain head's row lock, so the chain has no gaps or forks and an
event exists exactly when what it records was committed.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone
from typing import Callable, Iterator

from django.db import connection, transaction

from confide.apps.auditlog.models import AuditEvent, AuditHead
from confide.core.audit.chain import GENESIS_HASH, AuditRecord, VerifyResult, seal, verify
from confide.core.policy import Decision


def audit_append(*, actor_id: str, actor_role: str, action: str, purpose: str, client_ref: str,
                 decision: Decision | None, categories=(), detail: dict | None = None) -> AuditRecord:
    """Append one event. Must run inside the transaction it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append outside a transaction")
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        head = AuditHead.objects.create(id=1, seq=0, hash=GENESIS_HASH)
    record = seal(
        (head.seq, head.hash) if head.seq else None,
        at=datetime.now(timezone.utc).isoformat(timespec="microseconds"),
        actor=actor_id,
        actor_role=actor_role,
        action=action,
        purpose=purpose,
        client_ref=client_ref,
        decision=decision.effect if decision else "-",
        rule_ids=tuple(decision.rule_ids) if decision else (),
        categories=tuple(sorted(decision.categories if decision else categories)),
        decision_id=decision.decision_id if decision else "",
        detail=detail or {},
    )
    AuditEvent.objects.create(**{k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(record).items()})
    AuditHead.objects.filter(id=1).update(seq=record.seq, hash=record.hash)
    return record


def _to_record(row: AuditEvent) -> AuditRecord:
    return AuditRecord(seq=row.seq, at=row.at, actor=row.actor, actor_role=row.actor_role, action=row.action,
                       purpose=row.purpose, client_ref=row.client_ref, decision=row.decision,
                       rule_ids=tuple(row.rule_ids), categories=tuple(row.categories),
                       decision_id=row.decision_id, detail=row.detail, prev_hash=row.prev_hash, hash=row.hash)


def audit_records(*, chunk: int = 5000) -> Iterator[AuditRecord]:
    for row in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk):
        yield _to_record(row)


def audit_verify(*, expect_head: tuple[int, str] | None = None,
                 progress: Callable[[int], None] | None = None) -> VerifyResult:
    with transaction.atomic():
        return verify(audit_records(), expect_head=expect_head, progress=progress)


def audit_head() -> tuple[int, str]:
    head = AuditHead.objects.filter(id=1).first()
    return (head.seq, head.hash) if head else (0, GENESIS_HASH)


def audit_count() -> int:
    return AuditEvent.objects.count()
