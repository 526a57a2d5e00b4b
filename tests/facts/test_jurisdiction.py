"""services.jurisdiction: what the workflows and the screens are told about state law."""

from __future__ import annotations

from pathlib import Path

import pytest

from confide.core.errors import InvalidInput
from confide.core.policy import RuleSet, load_rule_packs
from confide.services import jurisdiction
from confide.services.jurisdiction import (
    adult_survivor_rule, duty_discharged, duty_to_warn, facts_table, minor_consent, minor_consent_age,
)

PACK = """\
[pack]
id = "states"
title = "test"
jurisdiction = "US"
version = "1"
"""


def pack(tmp_path: Path, text: str):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "states.toml").write_text(PACK + text)
    return load_rule_packs(directory)


# -- duty to warn ---------------------------------------------------------------------


def test_ca_proposes_warning_the_victim_and_police_as_mandatory():
    ca = duty_to_warn("US-CA")
    assert (ca["verified"], ca["enabled"], ca["category"], ca["duty"]) == (True, True, "mandatory", True)
    assert ca["required_actions"] == ["warn_person", "notify_police"]
    assert ca["alternative_actions"] == []
    assert (ca["citation"], ca["ver"], ca["id"]) == ("Cal. Civ. Code §43.92", "V2", "US-CA-DUTY-TO-WARN")
    assert ca["source"].startswith("https://") and "reasonably identifiable victim" in ca["summary"]
    assert ca["message"] == "US-CA: mandatory (Cal. Civ. Code §43.92, V2)"


def test_tx_is_a_permissive_prompt_with_no_mandatory_task():
    tx = duty_to_warn("US-TX")
    assert (tx["verified"], tx["category"], tx["duty"]) == (True, "permissive", False)
    assert tx["required_actions"] == [] and tx["alternative_actions"] == []
    assert tx["permitted_also"] == ["notify_police"]
    assert duty_discharged("US-TX", ["warn_person"]) is None


def test_mn_suicide_threat_triggers_no_duty():
    mn = duty_to_warn("US-MN", self_harm_only=True)
    assert mn["verified"] and not mn["duty"] and mn["required_actions"] == []
    assert mn["message"].startswith("US-MN: the duty does not cover a threat to self")
    other = duty_to_warn("US-MN")
    assert other["duty"] and other["required_actions"] == ["warn_person"]
    assert other["alternative_actions"] == ["notify_police"]


def test_self_harm_only_changes_nothing_where_the_state_does_not_exclude_it():
    assert duty_to_warn("US-CA", self_harm_only=True)["required_actions"] == ["warn_person", "notify_police"]


def test_federal_permission_is_always_shown():
    for state in ("US-CA", "US-TX", "US-AL", "US-ZZ"):
        assert duty_to_warn(state)["federal"]["citation"] == "45 CFR 164.512(j)(1)(i)"


def test_unverified_state_says_so_and_shows_the_row():
    al = duty_to_warn("US-AL")
    assert (al["verified"], al["enabled"], al["category"], al["duty"]) == (False, False, None, False)
    assert al["message"] == "no verified rule for US-AL; check the statute"
    assert al["required_actions"] == []
    assert al["unverified"]["id"] == "US-AL-DUTY-TO-WARN" and al["unverified"]["ver"] == "U"
    assert al["unverified"]["category"] == "case_law" and al["unverified"]["enabled"] is False


def test_unknown_state_says_so_with_no_row():
    zz = duty_to_warn("us-zz")
    assert zz["message"] == "no verified rule for US-ZZ; check the statute" and zz["unverified"] is None


def test_washington_the_demo_practice():
    wa = duty_to_warn("us-wa")
    assert wa["jurisdiction"] == "US-WA" and wa["ver"] == "P"
    assert wa["required_actions"] == ["warn_person", "notify_police"]


@pytest.mark.parametrize("state, actions, discharged", [
    ("US-CA", ["warn_person"], False),
    ("US-CA", ["warn_person", "notify_police"], True),
    ("US-CA", ["arrange_hospitalization"], False),
    ("US-IL", ["arrange_hospitalization"], True),  # "or a reasonable effort to hospitalize"
    ("US-IL", ["notify_police"], False),
    ("US-DE", ["notify_police"], True),  # any of the listed options
    ("US-FL", ["warn_person"], False),  # warning is permitted, police is the duty
    ("US-FL", ["notify_police"], True),
    ("US-NY", ["warn_person"], False),
    ("US-NY", ["report_agency"], True),
    ("US-GA", ["warn_person"], None),  # case law, reasonable care: no listed action
    ("US-AL", ["warn_person"], None),  # unverified
])
def test_duty_discharged(state, actions, discharged):
    assert duty_discharged(state, actions) is discharged


@pytest.mark.parametrize("bad", ["WA", "US", "US-WAS", "Washington", "", None, 13, "US_WA"])
def test_bad_jurisdiction_is_one_line(bad):
    with pytest.raises(InvalidInput) as caught:
        duty_to_warn(bad)
    assert str(caught.value) == "jurisdiction: give an ISO 3166-2 code such as US-WA"


# -- minors ----------------------------------------------------------------------------


@pytest.mark.parametrize("state, age", [
    ("US-WA", 13), ("US-IL", 12), ("US-FL", 13), ("US-MD", 12), ("US-CA", 12), ("US-CO", 12), ("US-AL", 16),
    ("US-MI", 14), ("US-TN", 16), ("US-VA", 0),
    ("US-NY", None), ("US-TX", None),  # no general age
    ("US-NC", None),  # physician only: not a therapist
    ("US-KY", None), ("US-DC", None), ("US-CT", None),  # unverified leads
    ("US-AZ", None), ("US-ZZ", None),  # not researched / unknown: parental consent
])
def test_minor_consent_age(state, age):
    assert minor_consent_age(state) == age


def test_nc_reaches_physicians_only():
    assert minor_consent_age("US-NC", physician=True) == 0
    assert minor_consent_age("US-NC") is None
    assert minor_consent_age("US-WA", physician=True) == 13


def test_minor_consent_row_for_display():
    fl = minor_consent("US-FL")
    assert fl["verified"] and not fl["review"] and fl["min_age"] == 13 and fl["ver"] == "V"
    assert "emotional crisis only" in fl["scope_limits"] and fl["parent_access"] == ""
    ky = minor_consent("US-KY")
    assert ky["review"] and ky["min_age"] is None
    assert ky["message"] == "no verified rule for US-KY; parental consent is required; check the statute"
    assert ky["unverified"]["min_age"] == 16 and ky["unverified"]["ver"] == "U"


# -- adult survivors -----------------------------------------------------------------


@pytest.mark.parametrize("state, rule", [
    ("US-CO", "report_if_current_risk"), ("US-CA", "report_if_current_risk"),
    ("US-MD", "report_if_current_risk"),  # "always" is marked U: the general rule holds
    ("US-WA", "report_if_current_risk"), ("US", "report_if_current_risk"),
])
def test_adult_survivor_rule(state, rule):
    assert adult_survivor_rule(state) == rule


def test_adult_survivor_falls_back_to_the_general_row_then_the_default(tmp_path):
    rules = pack(tmp_path, """
[[fact]]
id = "US-ADULT-SURVIVOR-REPORT"
kind = "adult_survivor_report"
jurisdiction = "US"
rule = "never"
citation = "test"
source = "https://example.org"
ver = "K"

[[fact]]
id = "US-MD-ADULT-SURVIVOR-REPORT"
kind = "adult_survivor_report"
jurisdiction = "US-MD"
rule = "always"
citation = "test"
source = "https://example.org"
ver = "V"
""")
    assert adult_survivor_rule("US-MD", rule_set=rules) == "always"
    assert adult_survivor_rule("US-WA", rule_set=rules) == "never"
    assert adult_survivor_rule("US-WA", rule_set=RuleSet(rules=())) == jurisdiction.DEFAULT_ADULT_SURVIVOR_RULE


def test_a_disabled_row_never_drives_behaviour(tmp_path):
    rules = pack(tmp_path, """
[[fact]]
id = "US-WA-MINOR-CONSENT"
kind = "minor_consent"
jurisdiction = "US-WA"
min_age = 13
ver = "U"
enabled = false

[[fact]]
id = "US-WA-DUTY-TO-WARN"
kind = "duty_to_warn"
jurisdiction = "US-WA"
category = "mandatory"
discharge_all_of = ["warn_person"]
ver = "P"
enabled = false
""")
    assert minor_consent_age("US-WA", rule_set=rules) is None
    wa = duty_to_warn("US-WA", rule_set=rules)
    assert not wa["duty"] and wa["required_actions"] == [] and wa["unverified"]["ver"] == "P"


# -- the table ---------------------------------------------------------------------------


def test_facts_table_lists_every_row_in_order():
    rows = facts_table()
    assert len(rows) == 77  # 51 duty-to-warn rows, the minor-consent and survivor rows, two federal clocks
    assert [r["kind"] for r in rows] == sorted((r["kind"] for r in rows), key=[
        "duty_to_warn", "minor_consent", "adult_survivor_report", "accounting_clock", "amendment_clock"].index)
    assert all(r["status"] == ("verified" if r["enabled"] else "unverified: check the statute") for r in rows)
    duty = [r["jurisdiction"] for r in rows if r["kind"] == "duty_to_warn"]
    assert duty == sorted(duty) and len(duty) == 51


def test_facts_table_filters():
    (wa,) = facts_table("minor_consent", "us-wa")
    assert wa["min_age"] == 13 and wa["citation"] == "RCW §71.34.530"
    (general,) = facts_table("adult_survivor_report", jurisdiction="US")
    assert general["rule"] == "report_if_current_risk"
    assert isinstance(facts_table("duty_to_warn", "US-CA")[0]["discharge_all_of"], list)
    with pytest.raises(InvalidInput, match="^kind: one of duty_to_warn, minor_consent, adult_survivor_report, accounting_clock, amendment_clock$"):
        facts_table("tarasoff")
