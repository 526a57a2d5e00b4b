"""rules/us-states.toml against RULES.md sections 3, 4 and 5.2: every row is there,
with its category, mark and citation; every U row ships disabled; every enabled row
says where it comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from confide.core.policy import load_rule_packs
from confide.core.policy.rules import DISCHARGE_ACTIONS

RULES = load_rule_packs(Path(__file__).resolve().parents[2] / "rules")
FACTS = [f for f in RULES.facts if f.pack_id == "us-states"]

# RULES.md section 3, column by column: state -> (category, ver). FL's row is marked
# "V (456.059, 491.0147); P (490.0147)"; a fact citing several provisions carries the
# weakest mark, P.
DUTY = {
    "AL": ("case_law", "U"), "AK": ("permissive", "U"), "AZ": ("mandatory", "V2"), "AR": ("none", "U"),
    "CA": ("mandatory", "V2"), "CO": ("mandatory", "V"), "CT": ("permissive", "V"), "DE": ("mandatory", "V"),
    "DC": ("permissive", "P"), "FL": ("mandatory_LE", "P"), "GA": ("case_law", "V2"), "HI": ("case_law", "U"),
    "ID": ("mandatory", "V"), "IL": ("mandatory", "V"), "IN": ("mandatory", "V2"), "IA": ("case_law", "U"),
    "KS": ("none", "U"), "KY": ("mandatory", "V2"), "LA": ("mandatory", "V2"), "ME": ("none", "U"),
    "MD": ("mandatory", "P"), "MA": ("mandatory", "V2"), "MI": ("mandatory", "V2"), "MN": ("mandatory", "V2"),
    "MS": ("mandatory", "U"), "MO": ("mandatory", "U"), "MT": ("mandatory", "P"), "NE": ("mandatory", "V"),
    "NV": ("mandatory", "V2"), "NH": ("mandatory", "U"), "NJ": ("mandatory", "V2"), "NM": ("none", "U"),
    "NY": ("mandatory_report", "V2"), "NC": ("case_law", "U"), "ND": ("none", "U"), "OH": ("mandatory", "P"),
    "OK": ("mandatory", "U"), "OR": ("permissive", "U"), "PA": ("case_law", "V2"), "RI": ("permissive", "U"),
    "SC": ("case_law", "U"), "SD": ("case_law", "U"), "TN": ("mandatory", "P"), "TX": ("permissive", "V2"),
    "UT": ("mandatory", "V2"), "VT": ("case_law", "U"), "VA": ("mandatory", "V2"), "WA": ("mandatory", "P"),
    "WV": ("permissive", "U"), "WI": ("case_law", "U"), "WY": ("permissive", "U"),
}
# RULES.md section 4: state -> (min_age, ver); None where RULES.md says null. CT, DC
# and KY are the "unverified leads".
MINOR = {
    "AL": (16, "V2"), "CA": (12, "V2"), "CO": (12, "V2"), "FL": (13, "V"), "IL": (12, "V"), "MD": (12, "V2"),
    "MI": (14, "P"), "NM": (14, "V2"), "NY": (None, "P"), "NC": (0, "V"), "OH": (14, "V2"), "OR": (14, "V2"),
    "PA": (14, "V2"), "TN": (16, "V"), "TX": (None, "V2"), "VA": (0, "V2"), "WA": (13, "V2"),
    "CT": (None, "U"), "DC": (0, "U"), "KY": (16, "U"),
}
# RULES.md 5.2: jurisdiction -> (rule, ver).
SURVIVOR = {"US-CO": ("report_if_current_risk", "V"), "US-CA": ("report_if_current_risk", "V2"),
            "US-MD": ("always", "U"), "US": ("report_if_current_risk", "V2")}


def facts(kind: str) -> dict:
    rows = [f for f in FACTS if f.kind == kind]
    by_jurisdiction = {f.jurisdiction: f for f in rows}
    assert len(by_jurisdiction) == len(rows), f"two {kind} rows for one jurisdiction"
    return by_jurisdiction


def test_every_duty_to_warn_row_is_there_with_its_category_and_mark():
    got = {j.removeprefix("US-"): (f.data["category"], f.ver) for j, f in facts("duty_to_warn").items()}
    assert got == DUTY


def test_every_minor_consent_row_is_there_with_its_age_and_mark():
    got = {j.removeprefix("US-"): (f.data.get("min_age"), f.ver) for j, f in facts("minor_consent").items()}
    assert got == MINOR


def test_every_adult_survivor_row_is_there():
    got = {j: (f.data["rule"], f.ver) for j, f in facts("adult_survivor_report").items()}
    assert got == SURVIVOR


def test_ids_name_jurisdiction_and_kind():
    suffix = {"duty_to_warn": "DUTY-TO-WARN", "minor_consent": "MINOR-CONSENT",
              "adult_survivor_report": "ADULT-SURVIVOR-REPORT"}
    for f in FACTS:
        assert f.id == f"{f.jurisdiction}-{suffix[f.kind]}"


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f.id)
def test_unverified_rows_ship_disabled_and_the_rest_enabled(fact):
    assert fact.enabled is (fact.ver != "U")


@pytest.mark.parametrize("fact", [f for f in FACTS if f.enabled], ids=lambda f: f.id)
def test_every_enabled_row_has_citation_source_and_summary(fact):
    assert fact.citation.strip() and fact.summary.strip()
    assert fact.source.startswith(("http://", "https://"))
    assert all(url.strip().startswith(("http://", "https://")) for url in fact.source.split(" ; "))


def test_discharge_actions_use_the_vocabulary():
    for f in facts("duty_to_warn").values():
        for key in ("discharge_all_of", "discharge_any_of", "permitted_also"):
            assert set(f.data.get(key, ())) <= DISCHARGE_ACTIONS


# -- RULES.md section 3 tests, as data ------------------------------------------------


def test_ca_requires_warning_the_victim_and_notifying_police():
    ca = RULES.fact("duty_to_warn", "US-CA")
    assert ca.data["category"] == "mandatory" and ca.citation == "Cal. Civ. Code §43.92" and ca.ver == "V2"
    assert ca.data["discharge_all_of"] == ("warn_person", "notify_police")
    assert "discharge_any_of" not in ca.data


def test_tx_is_permissive_with_nothing_to_discharge():
    tx = RULES.fact("duty_to_warn", "US-TX")
    assert tx.data["category"] == "permissive"
    assert "discharge_all_of" not in tx.data and "discharge_any_of" not in tx.data
    assert "Thapar" in tx.citation and "no common-law duty" in tx.summary


def test_mn_duty_excludes_suicide_threats():
    mn = RULES.fact("duty_to_warn", "US-MN")
    assert mn.citation.startswith("Minn. Stat. §148.975") and mn.ver == "V2"
    assert mn.data["excludes"] == ("self_harm",)
    assert mn.data["discharge_all_of"] == ("warn_person",) and mn.data["discharge_any_of"] == ("notify_police",)
    assert "Suicide threats are excluded" in mn.summary


def test_fl_obliges_police_and_permits_warning():
    fl = RULES.fact("duty_to_warn", "US-FL")
    assert fl.data["category"] == "mandatory_LE"
    assert fl.data["discharge_all_of"] == ("notify_police",) and fl.data["permitted_also"] == ("warn_person",)


def test_ny_is_a_report_not_a_warning():
    ny = RULES.fact("duty_to_warn", "US-NY")
    assert ny.data["discharge_all_of"] == ("report_agency",) and ny.data["permitted_also"] == ("warn_person",)


def test_wa_row_kept_with_both_sources():
    wa = RULES.fact("duty_to_warn", "US-WA")
    assert wa.citation.startswith("RCW §71.05.120(2)") and "Volk v. DeMeerleer" in wa.citation
    assert wa.data["discharge_all_of"] == ("warn_person", "notify_police")
    assert "permitted_also" not in wa.data  # RULES.md's WA row lists no other action
    assert len(wa.source.split(" ; ")) == 2


def test_rows_with_no_trigger_in_rules_md_state_no_actions():
    # RULES.md gives "—" for trigger and discharge in every U row and in TN.
    for state in [s for s, (_, ver) in DUTY.items() if ver == "U"] + ["TN"]:
        f = RULES.facts_for("duty_to_warn", f"US-{state}")[0]
        assert not set(f.data) & {"discharge_all_of", "discharge_any_of", "permitted_also"}, state


# -- RULES.md section 4 tests, as data ------------------------------------------------


def test_il_12_with_the_session_cap():
    il = RULES.fact("minor_consent", "US-IL")
    assert il.data["min_age"] == 12 and il.ver == "V"
    assert "8 sessions of up to 90 minutes" in il.data["scope_limits"] and "under 17" in il.data["scope_limits"]


def test_fl_13_for_an_emotional_crisis_only():
    fl = RULES.fact("minor_consent", "US-FL")
    assert fl.data["min_age"] == 13 and fl.citation == "Fla. Stat. §394.4784"
    limits = fl.data["scope_limits"]
    assert "emotional crisis only" in limits and "No medication" in limits
    assert "At most 2 visits in any 1-week period" in limits
    assert "parent_access" not in fl.data  # "—" in RULES.md


def test_md_12_no_prescriptions_under_16():
    md = RULES.fact("minor_consent", "US-MD")
    assert md.data["min_age"] == 12
    assert "under 16 cannot consent to prescription medication" in md.data["scope_limits"]


def test_nc_any_age_but_physician_only():
    nc = RULES.fact("minor_consent", "US-NC")
    assert nc.data["min_age"] == 0 and nc.data["physician_only"] is True
    assert "does not extend to non-physician therapists" in nc.data["scope_limits"]


def test_ny_and_tx_have_no_general_age():
    for state in ("US-NY", "US-TX"):
        row = RULES.fact("minor_consent", state)
        assert row.enabled and "min_age" not in row.data


def test_unverified_leads_are_disabled():
    for state in ("US-CT", "US-DC", "US-KY"):
        assert RULES.fact("minor_consent", state) is None
        (row,) = RULES.facts_for("minor_consent", state)
        assert row.ver == "U" and not row.enabled and "lead only" in row.citation
