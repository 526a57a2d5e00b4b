"""Hospital clinical language is no identifier; the identifiers in it are found.

Every text here is invented for these tests."""

from __future__ import annotations

import pytest

from confide.core.deid import Engine

ENGINE = Engine()
SAFE_HARBOR = Engine(policy="safe_harbor")

RECORD = {
    "client": {"first_name": "Tamsin", "last_name": "Oakridge", "dob": "1951-03-09",
               "address": {"street": "40 Wrenfield Lane", "city": "Sedro-Woolley", "state": "WA", "zip": "98284"},
               "phone": "(360) 555-0142", "mrn": "4471902"},
    "contacts": [{"relation": "son", "first_name": "Bram", "last_name": "Oakridge", "phone": "360-555-0177"}],
}


def found(text: str, engine: Engine = ENGINE, record: dict | None = None) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.type) for s in engine.analyze(text, record)]


def values(text: str, engine: Engine = ENGINE, record: dict | None = None) -> list[str]:
    return [v for v, _ in found(text, engine, record)]


@pytest.mark.parametrize("text", [
    "IMPRESSION: 4 mm nodule. Fleischnor guidelines: follow-up CT in 12 months.",
    "Pneumoperitoneum via Veressa needle, then trocars placed.",
    "Interrogation of the Brightwell Cardiac ICD showed no events.",
    "Uses St. Quentin Medical pacemaker; Orrisford dual-chamber pacemaker placed 2019.",
    "IMPLANTS: Halvorsen Trilobe femoral component, size 5.",
    "ECG: 1 mm ST segment depression in V4-V6.",
])
def test_an_eponym_or_a_makers_name_before_what_it_names_is_no_name(text):
    assert not [v for v, t in found(text) if t in ("NAME", "LOCATION")]


def test_a_person_with_the_same_word_as_an_eponym_is_still_found():
    assert ("Fleischnor", "NAME") in found("Dr. Fleischnor reviewed the scan with the family.")
    assert "Brightwell" in " ".join(values("Seen with Hazel Brightwell, who reports better sleep."))


@pytest.mark.parametrize("text", [
    "Name: Tamsin Oakridge  Unit #: 4471902  Acct: 935978366",
    "Patient: Oakridge, Tamsin    Refno: A1234567",
])
def test_a_field_label_before_its_value_is_no_name(text):
    assert "Acct" not in values(text, record=RECORD) and "Refno" not in values(text, record=RECORD)


@pytest.mark.parametrize("text", [
    "Hold placed per Conn. Gen. Stat. § 17a-502 and hospital policy.",
    "Disclosure is limited under M.G.L. c. 123, § 12.",
    "Consent required by 18 V.S.A. § 7508 and 42 C.F.R. Part 2.",
    "See N.H. Rev. Stat. Ann. § 135-C:27.",
])
def test_statute_citations_are_no_identifiers(text):
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "Assessment: COPD, Karnofsky 70; Mallampati II. Stable.",
    "HF, NYHA class III, Child-Pugh B; Wells score 4.",
    "CVP 12. NYHA CLASS IV, TIMI 2. RASS -2.",
    "EMS gave ASA 324 mg and NTG x2.",
    "Treated with Solu-Medrol 125 mg IV once.",
])
def test_scales_and_drugs_before_their_values_are_no_names(text):
    assert not [v for v, t in found(text) if t in ("NAME", "AGE", "DATE")]


@pytest.mark.parametrize("text", [
    "Vitals: BP 128/76, HR 88, RR 18, SpO2 95% on 2L NC.",
    "BP ranged 118-150/70-92 overnight.",
    "ABG 7.38/42/88/24, lactate 1.1.",
    "VENT: AC 16/450/5/40%. PSV 10/5, I:E 1:2.",
    "ABX: CEFTRIAXONE DAY 3/7; VANCOMYCIN DAY 7/10.",
    "Blood cultures 2/2 with GPC in clusters.",
    "2 Pt assist with transfers. 3 Ct scans this admission. 1 St segment change.",
    "HPI: 67 yo F with CHF. PMH: HTN, HLD. A/P: diurese. ROS: negative.",
    "Pain 6/10. Strength 5/5 in all extremities. GCS 15. EF 35%.",
    "Seen at 14:30 with RN at bedside; next check at 1800.",
])
def test_measurements_and_headings_are_no_identifiers(text):
    assert not [v for v, t in found(text, SAFE_HARBOR) if t in ("CONTACT", "DATE", "LOCATION", "NAME", "AGE")]


def test_credentials_after_a_surname_make_it_a_name():
    assert ("Thornbury", "NAME") in found("ANESTHESIA: General endotracheal; Thornbury, CRNA")
    got = found("Electronically signed by Ilse Varga, MD, PhD on 3/4/2025")
    assert ("Ilse Varga", "NAME") in got and not [v for v, t in got if v in ("MD", "PhD")]


def test_safe_harbor_keeps_states_countries_and_ages_under_ninety():
    text = "67 y/o F, 45F, born in Portugal, lives in Maine; New Hampshire resident; moving to Cape Verde; from the USA."
    assert found(text, SAFE_HARBOR) == []
    assert ("97", "AGE") in found("HPI: 97F with delirium.", SAFE_HARBOR)
    assert ("94", "AGE") in found("Pt is a 94 yo M from Vermont.", SAFE_HARBOR)


def test_safe_harbor_keeps_a_surname_that_is_also_a_country_when_it_is_a_person():
    assert ("Montenegro", "NAME") in found("Requesting: Dr. Montenegro, Medicine", SAFE_HARBOR)


def test_initials_in_brackets_after_the_chart_name_are_the_charts():
    text = "PATIENT: Oakridge, Tamsin (TO)   MRN 4471902"
    spans = ENGINE.analyze(text, RECORD)
    initials = [s for s in spans if s.type == "NAME" and s.start == text.index("(TO)") + 1]
    assert initials and initials[0].in_record


def test_an_acronym_given_to_a_hospital_is_found_wherever_it_recurs():
    text = "Transfer accepted by Kittredge Valley Medical Center (KVMC). Consult psych at KVMC for questions."
    got = found(text)
    assert got.count(("KVMC", "LOCATION")) == 2


def test_an_extension_on_its_own_is_a_contact_and_a_count_is_not():
    assert ("4537", "CONTACT") in found("Questions: call psych at x4537 for questions.")
    assert not [v for v, t in found("NTG x2 and ondansetron x1 given.") if t == "CONTACT"]


@pytest.mark.parametrize("text, unit", [
    ("MICU PROGRESS NOTE - 7 NORTH, BED 8   HD#9", "7 NORTH"),
    ("Discussed with cardiology; admit to MICU 3.", "MICU 3"),
])
def test_wards_with_numbers_are_places(text, unit):
    assert (unit, "LOCATION") in found(text)


def test_a_date_after_a_hospital_day_is_a_date():
    assert ("9/1", "DATE") in found("4 WEST, BED 12   HD#11   9/1\nPT: LOVELL   MR#: 48855872")


# the remaining misses of the issue ----------------------------------------------------------

def test_lowercase_names_in_a_dictation_header():
    got = found("dictation, jorvik hallstrom, for patient tamsin oakridge. seen today.", record=RECORD)
    assert ("jorvik hallstrom", "NAME") in got and ("tamsin oakridge", "NAME") in got
    assert ("meribel ostrander", "NAME") in found("Dictation, meribel ostrander, for patient Tamsin Oakridge.", record=RECORD)


def test_an_ordinary_word_street_after_on():
    assert ("Orchard", "LOCATION") in found("He was hit by a car on Orchard last week.")
    assert ("Maple", "LOCATION") in found("She lives on Maple near the school.")
    assert found("He is on Lexapro and works on Fridays.") == []


def test_a_saints_name_for_a_place_is_one_place():
    got = found("She attends Saint Rita's and later went to St. Brigid's Academy.")
    assert ("Saint Rita's", "LOCATION") in got and ("St. Brigid's Academy", "LOCATION") in got


def test_hyphenated_towns_are_places_and_hyphenated_words_are_not():
    got = found("He moved from Sedro-Woolley to Winston-Salem in May.")
    assert ("Sedro-Woolley", "LOCATION") in got and ("Winston-Salem", "LOCATION") in got
    assert found("Authorized sessions of Parent-Child Interaction Therapy; trained in FBT-INFORMED care.") == []


def test_an_intersection_is_a_place():
    assert ("SUMNER AND QUARRY", "LOCATION") in found("EMS FOUND HIM AT THE CORNER OF SUMNER AND QUARRY AFTER A FALL.")


def test_a_chart_name_that_is_a_modal_is_the_word_before_a_verb():
    record = {"client": {"first_name": "Will", "last_name": "Stonebridge"}, "contacts": []}
    assert found("Plan: RTC 3 weeks. Pt will be traveling to the coast.", record=record) == []
    assert ("Will", "NAME") in found("Will reports better sleep this week.", record=record)


def test_a_sentence_before_a_courts_name_is_no_street_address():
    got = found("Section 12(a) application completed; Form 7 filed with Westerly District Court, docket 2450MH0782.")
    assert ("Westerly District Court", "LOCATION") in got and not [v for v, _ in got if "filed" in v]
    assert ("12 Birch Lane", "LOCATION") in found("She lives at 12 Birch Lane with her mom.")
