"""PHQ-9 and GAD-7: scored from each item, with severity words; PHQ-9 item 9 flagged."""

from __future__ import annotations

import pytest

from confide.core.errors import InvalidInput, NotFound
from confide.services import charting
from confide.services.charting.measures import measure_score


@pytest.mark.parametrize("answers,score,severity", [
    ([0] * 9, 0, "minimal"), ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"), ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
    ([2, 2, 2, 2, 1, 0, 0, 0, 0], 9, "mild"), ([2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate"),
    ([3, 3, 3, 3, 2, 1, 0, 0, 0], 15, "moderately severe"), ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
    ([3] * 9, 27, "severe"),
])
def test_phq9_bands(answers, score, severity):
    out = measure_score("PHQ-9", answers)
    assert (out["score"], out["severity"], out["max"]) == (score, severity, 27)


@pytest.mark.parametrize("answers,score,severity", [
    ([0] * 7, 0, "minimal"), ([1, 1, 1, 1, 1, 0, 0], 5, "mild"), ([2, 2, 2, 2, 2, 0, 0], 10, "moderate"),
    ([3, 3, 3, 3, 3, 0, 0], 15, "severe"), ([3] * 7, 21, "severe"), ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
])
def test_gad7_bands(answers, score, severity):
    out = measure_score("GAD-7", answers)
    assert (out["score"], out["severity"], out["max"]) == (score, severity, 21)
    assert out["flag"] is None


def test_phq9_item_9_is_flagged_whatever_the_total():
    assert measure_score("PHQ-9", [0] * 8 + [1])["flag"] == "item9"
    assert measure_score("PHQ-9", [3] * 8 + [0])["flag"] is None


@pytest.mark.parametrize("instrument,answers", [
    ("PHQ-9", [0] * 8), ("PHQ-9", [0] * 8 + [4]), ("PHQ-9", [0] * 8 + [-1]), ("GAD-7", [0] * 9),
    ("GAD-7", ["1"] * 7), ("GAD-7", [True] * 7), ("BDI", [0] * 21), ("PHQ-9", None),
])
def test_bad_answers_are_refused(instrument, answers):
    with pytest.raises(InvalidInput):
        measure_score(instrument, answers)


def test_recorded_in_the_chart(staff, cid, counts):
    out = charting.measure_record(user=staff["marsh"], client_id=cid["c1"], instrument="PHQ-9",
                                  answers=[2, 2, 1, 1, 1, 1, 1, 1, 1], on="2026-12-01")
    assert out["score"] == 11 and out["severity"] == "moderate" and out["flag"] == "item9"
    chart = charting.chart_tab(user=staff["marsh"], client_id=cid["c1"], tab="measures")
    [mine] = [a for a in chart["assessments"] if a["id"] == out["id"]]
    assert mine["items"] == [2, 2, 1, 1, 1, 1, 1, 1, 1]
    before = counts()
    with pytest.raises(NotFound):
        charting.measure_record(user=staff["fontaine"], client_id=cid["c1"], instrument="GAD-7", answers=[0] * 7)
    with pytest.raises(InvalidInput):
        charting.measure_record(user=staff["marsh"], client_id=cid["c1"], instrument="GAD-7", answers=[0] * 6)
    after = counts()
    assert {k: v for k, v in after.items() if k != "auditlog.AuditEvent"} == \
        {k: v for k, v in before.items() if k != "auditlog.AuditEvent"}
