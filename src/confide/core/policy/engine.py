"""The decision function: one request and the rule set in, one Decision out.

Pure and fast (no I/O): it runs on every protected read and write. Deny by default;
any forbid wins over any permit; a rule that errors is skipped and reported, and never
permits.
"""

from __future__ import annotations

import uuid

from confide.core.policy.decision import Decision, Reason
from confide.core.policy.request import AccessRequest
from confide.core.policy.rules import RuleSet

_AUDIT = frozenset({"audit"})
_NO_CATEGORIES: frozenset[str] = frozenset()

# INVARIANT: "other practice" and "no such client" give the same reason, word for word.
NO_RELATIONSHIP = Reason(
    "SYS-NO-RELATIONSHIP",
    "no relationship to this client",
    "Confide contract 2 (existence is secret); 45 CFR 164.514(d)(2)",
)
DEFAULT_DENY = Reason(
    "SYS-DEFAULT-DENY",
    "no rule permits this request",
    "45 CFR 164.502(b) minimum necessary; deny by default",
)
WRITE_INCOMPLETE = Reason(
    "SYS-WRITE-INCOMPLETE",
    "a write needs every requested category permitted",
    "45 CFR 164.514(d)(2) role-based access",
)


def decide(request: AccessRequest, rules: RuleSet) -> Decision:
    """Decide `request` under `rules`. Never raises for a rule's fault."""
    actor = request.actor
    # Tenant first: a client of another practice and no client at all look the same.
    if request.client_practice_id is None or request.client_practice_id != actor.practice_id:
        return _deny((NO_RELATIONSHIP,), _AUDIT, (), rules.version)

    requested = request.categories
    granted: set[str] = set()
    forbidden: set[str] = set()
    permits = []
    forbids = []
    errors: list[str] = []
    for rule in rules.candidates(actor.role):
        try:
            matched = rule.matches(request)
        except Exception as exc:  # noqa: BLE001 - a broken rule must not break the door
            errors.append(f"{rule.id}: {type(exc).__name__}")
            if rule.effect == "forbid":
                # Fail closed: what a broken forbid guards stays withheld.
                forbidden |= rule.categories
            continue
        if not matched:
            continue
        if rule.effect == "permit":
            grant = rule.grants(request)
            granted |= grant
            permits.append((rule, grant))
        else:
            forbidden |= rule.categories
            forbids.append(rule)

    permitted = frozenset((granted & requested) - forbidden)
    removed_by = [r for r in forbids if not r.categories.isdisjoint(requested)]
    forbid_reasons = tuple(Reason(r.id, r.explanation, r.citation) for r in removed_by)
    forbid_obligations = frozenset().union(*(r.obligations for r in removed_by))

    if request.action == "write":
        allowed = bool(permitted) and permitted == requested
    else:
        allowed = bool(permitted)
    if not allowed:
        # Every withheld category is explained: by a forbid, by the write rule, or by
        # the default deny.
        if permitted:
            reasons = forbid_reasons + (WRITE_INCOMPLETE,)
        elif not forbid_reasons or not requested <= forbidden:
            reasons = forbid_reasons + (DEFAULT_DENY,)
        else:
            reasons = forbid_reasons
        return _deny(reasons, _AUDIT | forbid_obligations, tuple(errors), rules.version)

    deciding = [r for r, grant in permits if not grant.isdisjoint(permitted)]
    reasons = tuple(Reason(r.id, r.explanation, r.citation) for r in deciding) + forbid_reasons
    obligations = _AUDIT.union(forbid_obligations, *(r.obligations for r in deciding))
    return Decision(
        decision_id=uuid.uuid4().hex,
        effect="permit",
        categories=permitted,
        obligations=obligations,
        reasons=reasons,
        errors=tuple(errors),
        policy_version=rules.version,
    )


def _deny(reasons, obligations, errors, version) -> Decision:
    return Decision(
        decision_id=uuid.uuid4().hex,
        effect="deny",
        categories=_NO_CATEGORIES,
        obligations=frozenset(obligations),
        reasons=tuple(reasons),
        errors=tuple(errors),
        policy_version=version,
    )
