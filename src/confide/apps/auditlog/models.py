"""The hash-chained audit log. Rows are appended by services only, never updated."""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    at = models.CharField(max_length=40)  # ISO-8601 UTC; hashed as text, so stored as text
    actor = models.CharField(max_length=64)
    actor_role = models.CharField(max_length=20)
    action = models.CharField(max_length=40)
    purpose = models.CharField(max_length=16)
    client_ref = models.CharField(max_length=40, db_index=True)
    decision = models.CharField(max_length=8)
    rule_ids = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    decision_id = models.CharField(max_length=40)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)


class AuditHead(models.Model):
    """One row: the chain's last sequence and hash. Locked while appending."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
