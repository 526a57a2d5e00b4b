"""Master key rotation (`confide keys rotate`), recorded in every audit chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from confide.core.audit import NO_PRACTICE, SEAL_KEY_PURPOSE
from confide.services.audit import (
    OPERATOR,
    audit_append,
    audit_checkpoint,
    audit_heads,
    audited_transaction,
)
from confide.services.keys import keyring, keys_in_use, keys_rewrap

CHAINS_PER_TRANSACTION = 500


@dataclass(frozen=True)
class RotationResult:
    new_key_id: str
    rewrapped: int
    retired: tuple[str, ...]


def keys_rotate(*, progress: Callable[[int, int], None] | None = None, batch: int = 200) -> RotationResult:
    """Re-wrap every data key under a new master key; readable throughout.

    The new key is added to the ring first (old keys stay), so every row can be
    unwrapped at every moment: rows not yet re-wrapped by their old key id, rows done
    by the new one. Each batch commits on its own; an interrupted rotation is resumed
    by running it again.

    Then every audit chain records the rotation, sealed under the new key, and a
    checkpoint is written: from here on a chain's seals never go back to an older key,
    so an old key that leaks cannot add to any chain. Only then are old keys that wrap
    no data key retired; the ring keeps their audit seal keys, so what they sealed
    stays checkable.
    """
    ring = keyring()
    new_id = ring.add_key()
    done = keys_rewrap(new_id=new_id, progress=progress, batch=batch)
    stale = tuple(k for k in ring.key_ids if k != new_id and k not in keys_in_use())
    chains = sorted(set(audit_heads()) | {NO_PRACTICE})
    detail = {"new_key": new_id, "rewrapped": done, "retiring": list(stale)}
    for i in range(0, len(chains), CHAINS_PER_TRANSACTION):
        with audited_transaction():
            for chain in chains[i:i + CHAINS_PER_TRANSACTION]:
                audit_append(practice_id=None if chain == NO_PRACTICE else chain, actor_id=OPERATOR,
                             actor_role=OPERATOR, action="keys.rotated", purpose="HOPERAT", detail=detail)
    audit_checkpoint()
    if stale:
        ring.retire(stale, keep=[SEAL_KEY_PURPOSE])
    return RotationResult(new_key_id=new_id, rewrapped=done, retired=stale)


__all__ = ["RotationResult", "keys_rotate"]
