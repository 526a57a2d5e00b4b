"""The audit log: hash chain (and, later, events and the accounting of disclosures)."""

from confide.core.audit.chain import (
    GENESIS_HASH,
    AuditRecord,
    VerifyResult,
    canonical_bytes,
    compute_hash,
    format_head,
    parse_head,
    seal,
    verify,
)

__all__ = [
    "GENESIS_HASH",
    "AuditRecord",
    "VerifyResult",
    "canonical_bytes",
    "compute_hash",
    "format_head",
    "parse_head",
    "seal",
    "verify",
]
