"""Helpers for the exception workflows: the practice's jurisdiction, the last audit event."""

from __future__ import annotations

from confide.apps.auditlog.models import AuditEvent
from confide.apps.practice.models import Practice


def set_jurisdiction(user, jurisdiction: str) -> None:
    Practice.objects.filter(id=user.practice_id).update(jurisdiction=jurisdiction)
    user.practice.jurisdiction = jurisdiction


def last_audit() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()
