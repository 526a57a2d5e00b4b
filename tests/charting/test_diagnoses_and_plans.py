"""Diagnoses from the ICD-10-CM code set (simple-icd-10-cm); plans with rated goals."""

from __future__ import annotations

import pytest

from confide.core.errors import InvalidInput, NotFound
from confide.services import charting


def test_search_by_code_and_by_words():
    by_code = charting.icd10_search("F41.")
    assert {"code": "F41.1", "description": "Generalized anxiety disorder"} in by_code
    assert all(r["code"].startswith("F41") for r in by_code)
    assert charting.icd10_search("f411")[0]["code"] == "F41.1"
    by_words = charting.icd10_search("generalized anxiety")
    assert "F41.1" in {r["code"] for r in by_words}
    assert all("generalized" in r["description"].lower() and "anxiety" in r["description"].lower()
               for r in by_words)
    assert charting.icd10_search("no such condition at all xyzzy") == []


@pytest.mark.parametrize("code,message", [
    ("F41", "category"), ("F99.99", "not an ICD-10-CM code"), ("anxiety", "such as F41.1"), ("", "such as"),
    (None, "such as"),
])
def test_only_billable_codes(code, message):
    with pytest.raises(InvalidInput, match=message):
        charting.icd10_check(code)


def test_adding_uses_the_code_sets_description(staff, cid):
    out = charting.diagnosis_add(user=staff["marsh"], client_id=cid["c1"], code="f43.10")
    assert out["code"] == "F43.10" and out["description"] == "Post-traumatic stress disorder, unspecified"
    tab = charting.chart_tab(user=staff["marsh"], client_id=cid["c1"], tab="diagnoses")
    assert "F43.10" in {d["code"] for d in tab["diagnosis"]}
    with pytest.raises(InvalidInput):
        charting.record_add(user=staff["marsh"], client_id=cid["c1"], kind="diagnosis",
                            data={"code": "X00.00", "description": "made up"})
    with pytest.raises(NotFound):
        charting.diagnosis_add(user=staff["pellham"], client_id=cid["c1"], code="F41.1")


def test_a_plan_keeps_goals_and_ratings(staff, cid):
    plan = charting.treatment_plan_save(user=staff["marsh"], client_id=cid["c1"], summary="Reduce worry.",
                                        goals=[{"text": "Sleep 7 hours", "progress": 2, "target": "2027-02-01"},
                                               {"text": "Worry log daily"}])
    assert plan["goals"][1] == {"text": "Worry log daily", "progress": 0, "target": None}
    tab = charting.chart_tab(user=staff["marsh"], client_id=cid["c1"], tab="plan")
    assert tab["treatment_plan"]["id"] == plan["id"]
    for goals in ([], [{"text": ""}], [{"text": "x", "progress": 5}], [{"text": "x", "target": "soon"}], "x"):
        with pytest.raises(InvalidInput):
            charting.treatment_plan_save(user=staff["marsh"], client_id=cid["c1"], summary="s", goals=goals)
