"""State law as data, for the workflows and for display (RULES.md sections 3, 4, 5.2).

Reads the `[[fact]]` rows of `rules/us-states.toml` from the loaded rule set. Only an
enabled row (marked V, V2, P or K) drives behaviour. A row marked U ships disabled: it
is shown, flagged, with the advice to check the statute, and never decides anything.

- `duty_to_warn(jurisdiction)`: the state's duty to warn or protect (section 3), with
  the actions that discharge it.
- `minor_consent_age(jurisdiction)`: the age from which a minor may consent alone to
  outpatient mental-health care (section 4); None means parental consent is required.
- `adult_survivor_rule(jurisdiction)`: whether an adult's disclosure of abuse in their
  own childhood is reportable (section 5.2).
- `facts_table()`: every row, for display.
"""

from __future__ import annotations

import re
from typing import Any

from confide.core.errors import InvalidInput
from confide.core.policy import Fact, RuleSet
from confide.core.policy.rules import FACT_KINDS
from confide.services.policy import rules

_STATE = re.compile(r"^US-[A-Z]{2}$")
# The jurisdiction of the general rows (RULES.md 5.2 "general").
FEDERAL = "US"
# RULES.md 5.2: "The default is report_if_current_risk."
DEFAULT_ADULT_SURVIVOR_RULE = "report_if_current_risk"
# RULES.md section 3 categories that impose a duty (case law is a duty from the courts).
DUTY_CATEGORIES = frozenset({"mandatory", "mandatory_LE", "mandatory_report", "case_law"})
# RULES.md 1.6.6 THR-1 (V2): whatever the state says, HIPAA permits each of these.
FEDERAL_THREAT = {
    "citation": "45 CFR 164.512(j)(1)(i)",
    "ver": "V2",
    "permits": ["warn_person", "notify_police", "arrange_hospitalization"],
    "summary": "HIPAA permits a disclosure, in good faith, to a person reasonably able to prevent or lessen a "
               "serious and imminent threat, including its target.",
}
_KIND_ORDER = ("duty_to_warn", "minor_consent", "adult_survivor_report", "accounting_clock", "amendment_clock")
_ACTION_KEYS = ("discharge_all_of", "discharge_any_of", "permitted_also")


def _jurisdiction(value: Any, *, federal: bool = False) -> str:
    """'us-wa' or 'US-WA' -> 'US-WA'; anything else is a one-line InvalidInput."""
    if isinstance(value, str):
        code = value.strip().upper()
        if _STATE.match(code) or (federal and code == FEDERAL):
            return code
    raise InvalidInput("jurisdiction: give an ISO 3166-2 code such as US-WA")


def _federal() -> dict:
    return {**FEDERAL_THREAT, "permits": list(FEDERAL_THREAT["permits"])}


def _row(fact: Fact) -> dict:
    """One fact as a plain dict (lists, not tuples), for display or JSON."""
    row = {"id": fact.id, "kind": fact.kind, "jurisdiction": fact.jurisdiction, "ver": fact.ver,
           "enabled": fact.enabled, "citation": fact.citation, "source": fact.source, "summary": fact.summary}
    for key, value in fact.data.items():
        row[key] = list(value) if isinstance(value, tuple) else value
    return row


def _unverified(rule_set: RuleSet, kind: str, jurisdiction: str) -> dict | None:
    """The disabled row for display, if there is one."""
    for fact in rule_set.facts_for(kind, jurisdiction):
        if not fact.enabled:
            return _row(fact)
    return None


# -- duty to warn or protect (RULES.md section 3) --------------------------------------


def duty_to_warn(jurisdiction: str, *, self_harm_only: bool = False, rule_set: RuleSet | None = None) -> dict:
    """The state's duty to warn or protect.

    `required_actions`: what to propose as mandatory tasks (doing all of them discharges
    the duty). `alternative_actions`: any one of these discharges it instead.
    `permitted_also`: the state allows these, but they are not the duty. HIPAA permits
    all three threat disclosures in any state (`federal`). With `self_harm_only` (the
    threat is to the client alone) a state whose duty excludes self-harm imposes none.
    Without a verified row: "no verified rule for US-XX; check the statute", with the
    unverified row, if any, under `unverified`.
    """
    code = _jurisdiction(jurisdiction)
    rule_set = rule_set or rules()
    fact = rule_set.fact("duty_to_warn", code)
    if fact is None:
        return {
            "jurisdiction": code, "verified": False, "enabled": False, "id": None, "category": None,
            "duty": False, "citation": "", "ver": "", "summary": "", "source": "",
            "discharge_all_of": [], "discharge_any_of": [], "permitted_also": [], "excludes": [],
            "required_actions": [], "alternative_actions": [],
            "message": f"no verified rule for {code}; check the statute",
            "federal": _federal(), "unverified": _unverified(rule_set, "duty_to_warn", code),
        }
    row = _row(fact)
    actions = {key: row.get(key, []) for key in _ACTION_KEYS}
    excludes = row.get("excludes", [])
    excluded = self_harm_only and "self_harm" in excludes
    duty = fact.data["category"] in DUTY_CATEGORIES and not excluded
    if excluded:
        message = f"{code}: the duty does not cover a threat to self ({fact.citation}, {fact.ver})"
    else:
        message = f"{code}: {fact.data['category']} ({fact.citation}, {fact.ver})"
    return {
        "jurisdiction": code, "verified": True, "enabled": True, "id": fact.id,
        "category": fact.data["category"], "duty": duty, "citation": fact.citation, "ver": fact.ver,
        "summary": fact.summary, "source": fact.source, **actions, "excludes": excludes,
        "required_actions": list(actions["discharge_all_of"]) if duty else [],
        "alternative_actions": list(actions["discharge_any_of"]) if duty else [],
        "message": message, "federal": _federal(), "unverified": None,
    }


def duty_discharged(jurisdiction: str, actions, *, rule_set: RuleSet | None = None) -> bool | None:
    """Whether taking `actions` discharges the state's duty: all of `discharge_all_of`,
    or any one of `discharge_any_of`. None when there is no verified duty with listed
    actions (the clinician decides, with the statute in hand)."""
    info = duty_to_warn(jurisdiction, rule_set=rule_set)
    all_of, any_of = set(info["required_actions"]), set(info["alternative_actions"])
    if not info["duty"] or not (all_of or any_of):
        return None
    taken = set(actions)
    return bool(all_of and all_of <= taken) or bool(any_of & taken)


# -- minors (RULES.md section 4) -------------------------------------------------------


def minor_consent(jurisdiction: str, *, rule_set: RuleSet | None = None) -> dict:
    """The state's minor-consent row for display. Without a verified row, parental
    consent is required and the jurisdiction is flagged for review (RULES.md section 4:
    "Default the engine to null ... plus a jurisdiction review flag")."""
    code = _jurisdiction(jurisdiction)
    rule_set = rule_set or rules()
    fact = rule_set.fact("minor_consent", code)
    if fact is None:
        return {
            "jurisdiction": code, "verified": False, "review": True, "id": None, "min_age": None,
            "physician_only": False, "scope_limits": "", "parent_access": "", "citation": "", "ver": "",
            "summary": "", "source": "",
            "message": f"no verified rule for {code}; parental consent is required; check the statute",
            "unverified": _unverified(rule_set, "minor_consent", code),
        }
    return {
        "jurisdiction": code, "verified": True, "review": False, "id": fact.id,
        "min_age": fact.data.get("min_age"), "physician_only": fact.data.get("physician_only", False),
        "scope_limits": fact.data.get("scope_limits", ""), "parent_access": fact.data.get("parent_access", ""),
        "citation": fact.citation, "ver": fact.ver, "summary": fact.summary, "source": fact.source,
        "message": f"{code}: {fact.summary} ({fact.citation}, {fact.ver})", "unverified": None,
    }


def minor_consent_age(jurisdiction: str, *, physician: bool = False, rule_set: RuleSet | None = None) -> int | None:
    """The age from which a minor may consent alone to outpatient mental-health care
    (0: any age). None when no verified row gives one, or when the state's rule reaches
    only physicians and the treating clinician is not one: parental consent is required."""
    row = minor_consent(jurisdiction, rule_set=rule_set)
    if row["physician_only"] and not physician:
        return None
    return row["min_age"]


# -- adult survivors (RULES.md 5.2) ----------------------------------------------------


def adult_survivor_rule(jurisdiction: str, *, rule_set: RuleSet | None = None) -> str:
    """report_if_current_risk, always or never: the state's verified row, else the
    general row (jurisdiction "US"), else RULES.md's default report_if_current_risk."""
    code = _jurisdiction(jurisdiction, federal=True)
    rule_set = rule_set or rules()
    for where in (code, FEDERAL):
        fact = rule_set.fact("adult_survivor_report", where)
        if fact is not None:
            return fact.data["rule"]
    return DEFAULT_ADULT_SURVIVOR_RULE


# -- display ----------------------------------------------------------------------------


def facts_table(kind: str | None = None, jurisdiction: str | None = None, *,
                rule_set: RuleSet | None = None) -> list[dict]:
    """Every fact row (enabled or not), by kind then jurisdiction, each with a `status`:
    "verified" or "unverified: check the statute"."""
    if kind is not None and kind not in FACT_KINDS:
        raise InvalidInput(f"kind: one of {', '.join(_KIND_ORDER)}")
    code = _jurisdiction(jurisdiction, federal=True) if jurisdiction is not None else None
    rule_set = rule_set or rules()
    rows = []
    for fact in rule_set.facts:
        if (kind is None or fact.kind == kind) and (code is None or fact.jurisdiction == code):
            row = _row(fact)
            row["status"] = "verified" if fact.enabled else "unverified: check the statute"
            rows.append(row)
    order = {kind: i for i, kind in enumerate(_KIND_ORDER)}
    rows.sort(key=lambda r: (order.get(r["kind"], len(order)), r["jurisdiction"]))
    return rows
