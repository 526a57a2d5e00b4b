"""Benchmark: decide() against a hand-written if/elif role check, in the same run.

    PYTHONPATH=src python bench/pdp_decide.py [N]

The baseline is what a view would do without a PDP: a role switch returning a set of
categories, with no reasons, obligations, tenant check or audit value. The ratio is
the price of a decision that explains itself.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from confide.core.policy import AccessRequest, Actor, decide, load_rule_packs
from confide.core.policy.categories import CATEGORIES, WILDCARD_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
PRACTICE = "p-1"
ALL = frozenset(CATEGORIES)
BILLER = frozenset({"identity", "contact", "billing", "diagnosis", "fact_of_treatment"})
FRONT_DESK = frozenset({"identity", "contact", "appointments", "contact_preferences"})


def realistic_requests(rng: random.Random, n: int) -> list[AccessRequest]:
    """A mix shaped like a working day: mostly clinicians and front desk."""
    shapes = [
        # weight, role, relationships, purpose, action, categories, author is actor, licensed
        (30, "clinician", {"treating"}, "TREAT", "read", WILDCARD_CATEGORIES, None, True),
        (10, "clinician", {"treating"}, "TREAT", "write", {"progress_notes"}, None, True),
        (8, "clinician", {"treating"}, "TREAT", "read", {"psychotherapy_notes"}, True, True),
        (3, "clinician", {"treating"}, "TREAT", "read", {"psychotherapy_notes"}, False, True),
        (15, "front_desk", set(), "HOPERAT", "list", {"identity", "appointments"}, None, False),
        (5, "front_desk", set(), "HOPERAT", "write", {"appointments"}, None, False),
        (10, "biller", set(), "HPAYMT", "read", BILLER | {"progress_notes"}, None, False),
        (6, "supervisor", {"supervising"}, "TREAT", "read", ALL, False, True),
        (6, "client", {"self"}, "PATRQT", "read", ALL, None, False),
        (2, "clinician", {"break_glass"}, "BTG", "read", WILDCARD_CATEGORIES, None, True),
        (3, "practice_admin", set(), "HOPERAT", "read", {"identity"}, None, False),
        (2, "clinician", set(), "TREAT", "read", {"identity"}, None, True),  # other practice
    ]
    weights = [s[0] for s in shapes]
    out = []
    for i in range(n):
        _, role, rels, purpose, action, cats, author, licensed = rng.choices(shapes, weights)[0]
        user = f"u-{i % 40}"
        note_author = None if author is None else (user if author else "u-other")
        client_practice = "p-2" if role == "clinician" and not rels else PRACTICE
        out.append(AccessRequest(
            actor=Actor(user_id=user, practice_id=PRACTICE, role=role, licensed=licensed),
            action=action, purpose=purpose, client_ref=f"c-{i % 500}", client_practice_id=client_practice,
            categories=frozenset(cats), relationships=frozenset(rels), note_author_id=note_author,
        ))
    return out


def baseline(request: AccessRequest) -> frozenset[str]:
    """The hand-written role check a PDP replaces."""
    role = request.actor.role
    if request.client_practice_id != request.actor.practice_id:
        return frozenset()
    if role in ("clinician", "supervisor") and "treating" in request.relationships:
        granted = ALL if request.note_author_id == request.actor.user_id else WILDCARD_CATEGORIES
    elif role == "supervisor" and "supervising" in request.relationships:
        granted = WILDCARD_CATEGORIES
    elif role == "biller":
        granted = BILLER
    elif role == "front_desk":
        granted = FRONT_DESK
    elif role == "client" and "self" in request.relationships:
        granted = WILDCARD_CATEGORIES
    elif role in ("clinician", "supervisor") and "break_glass" in request.relationships and request.actor.licensed:
        granted = WILDCARD_CATEGORIES
    else:
        granted = frozenset()
    return granted & request.categories


def time_each(fn, requests, rules=None) -> list[float]:
    clock = time.perf_counter_ns
    samples = []
    if rules is None:
        for r in requests:
            t0 = clock()
            fn(r)
            samples.append(clock() - t0)
    else:
        for r in requests:
            t0 = clock()
            fn(r, rules)
            samples.append(clock() - t0)
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49] / 1000, q[98] / 1000  # ns -> microseconds


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rules = load_rule_packs(ROOT / "rules")
    requests = realistic_requests(random.Random(20261121), n)
    # Warm up both paths, then measure in the same run.
    time_each(decide, requests[:2000], rules)
    time_each(baseline, requests[:2000])
    pdp = percentiles(time_each(decide, requests, rules))
    base = percentiles(time_each(baseline, requests))
    permits = sum(decide(r, rules).permitted for r in requests[:5000])
    print(f"pdp_decide: N={n}, rules={len(rules.rules)}, policy_version={rules.version}, "
          f"permit share={permits / 5000:.0%}")
    print(f"  decide()  p50 {pdp[0]:7.2f} us   p99 {pdp[1]:7.2f} us")
    print(f"  baseline  p50 {base[0]:7.2f} us   p99 {base[1]:7.2f} us")
    print(f"  ratio     p50 {pdp[0] / base[0]:7.1f}x    p99 {pdp[1] / base[1]:7.1f}x")


if __name__ == "__main__":
    main()
