"""What the PDP answers: a value with reasons, never a bare bool."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    rule_id: str
    explanation: str  # one line, no client data
    citation: str


@dataclass(frozen=True)
class Decision:
    decision_id: str
    effect: str  # "permit" | "deny"
    categories: frozenset[str]  # the permitted subset of what was asked
    obligations: frozenset[str]
    reasons: tuple[Reason, ...]
    errors: tuple[str, ...]  # rules that errored and were skipped
    policy_version: str

    @property
    def permitted(self) -> bool:
        return self.effect == "permit"

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.rule_id for r in self.reasons)
