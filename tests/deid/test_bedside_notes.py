"""Terse bedside notes (nursing, progress and event notes): their shorthand is no identifier;
nurses' signatures, wards with numbers, pagers, short dates and local numbers are found.

Every text here is invented for these tests; the patterns mirror issue 13's lists."""

from __future__ import annotations

import pytest

from confide.core.deid import Engine, lexicon
from confide.core.deid.data.clinical import NURSING_SHORTHAND

SAFE_HARBOR = Engine(policy="safe_harbor")


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.type) for s in SAFE_HARBOR.analyze(text)]


def values(text: str) -> list[str]:
    return [v for v, _ in found(text)]


# ---- what it flags wrongly -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "PT AFEB, TACHY TO 120S, DESATTED TO 86% ON RA, PLACED ON 3L NC.",
    "RESP: LS DIMINISHED BIBASILAR, CRACKLES RLL. WOUND W/ SEROSANG DRAINAGE.",
    "5. Zoloft 10 MG po bid - cont\n6. Remeron 25 mg PO DAILY - held",
    "pt adm from OSH, HOH, OOB to chair, tol clears.",
])
def test_bedside_shorthand_in_capitals_or_after_a_dash_is_no_name(text):
    assert not [v for v, t in found(text) if t in ("NAME", "LOCATION")]


def test_the_shorthand_list_holds_no_census_name():
    """Like the clinical word list: "Brady" and "Le" are surnames before they are shorthand."""
    assert not [w for w in NURSING_SHORTHAND if lexicon.is_first_name(w) or lexicon.is_last_name(w)]


@pytest.mark.parametrize("text", [
    "MAP 66, GCS 14, RASS -2, CIWA 11\nresults called to DR. Quorrin @ 2315, read back.",
    "CIWA 23\nRESULTS CALLED TO DR. QUORRIN @ 0150.",
])
def test_a_score_then_a_sentence_ending_at_dr_is_no_street_address(text):
    assert not [v for v, t in found(text) if t == "LOCATION"]
    assert [v for v, t in found(text) if t == "NAME"] in (["Quorrin"], ["QUORRIN"])


@pytest.mark.parametrize("text", [
    "nsg note 3-11. pt resting.", "I/O 800-1200, UO 100-1500", "O2 sat 9.4", "K 3.2 on 4-6L NC",
    "seen 2-3 times this wk", "dc'd 3.5 mg", "since 2-3 days",
])
def test_shifts_ranges_and_decimals_are_no_dates(text):
    assert not [v for v, t in found(text) if t == "DATE"]


# ---- what it misses ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("signed tabitha RN 0645", "tabitha"),
    ("report given to oncoming RN jessamy.", "jessamy"),
    ("-- colleen RN", "colleen"),
    ("results called to Dr. Quorrin by shawna RN, read back.", "shawna"),
    ("Discharged home via car. RN: anh", "anh"),
    ("INCIDENT REPORT FILED. NADIA RN", "NADIA"),
])
def test_a_nurses_first_name_beside_the_credential_is_a_name(text, name):
    assert (name, "NAME") in found(text)


@pytest.mark.parametrize("text", ["charge RN aware.", "primary RN notified, pt resting.", "per RN report", "RN to call MD",
                                  "pt seen by RN."])
def test_a_role_beside_the_credential_is_no_name(text):
    assert not [v for v, t in found(text) if t == "NAME"]


@pytest.mark.parametrize("text, name", [
    ("recheck 4.8.\ndr quillfeather paged re: agitation", "quillfeather"),
    ("prelim read by resident; final dr Frost", "Frost"),
    ("RN pete, sister Lamb by phone", "Lamb"),
])
def test_a_name_after_a_lower_case_dr_or_a_relation_is_a_name(text, name):
    assert (name, "NAME") in found(text)


@pytest.mark.parametrize("text", ["dr to see pt in AM", "dr aware of labs", "discussed w/ dr re: plan"])
def test_a_lower_case_dr_before_an_ordinary_word_is_no_title(text):
    assert not [v for v, t in found(text) if t == "NAME"]


@pytest.mark.parametrize("text, date", [
    ("pt adm 7-25 w/ CVA", "7-25"),
    ("73yo s/p syncope 4-2, here for hyponatremia", "4-2"),
    ("D/C: 6.5\n", "6.5"),
    ("admitted via ED Thursday 9.4.\n", "Thursday 9.4"),
    ("arrived by med flight Saturday 12-24.\n", "Saturday 12-24"),
    ("9-28 06:00: K 5.9, kayexalate given", "9-28"),
    ("f/u on wed 18 May at 10am", "wed 18 May"),
    ("labs on sun feb 8th at 9am", "sun feb 8th"),
])
def test_short_dates_where_the_words_around_say_a_date(text, date):
    assert (date, "DATE") in found(text)


@pytest.mark.parametrize("text, ward", [
    ("pt adm to Tower 7 from home", "Tower 7"),
    ("Call the Blake 10 nurses' station with questions", "Blake 10"),
    ("HALVERSON, MAE  MRN 37368718  step-down 5 bed 9", "step-down 5"),
    ("MRN 12887504  MICU 2 bed 4A", "MICU 2"),
    ("fam mtg 5/14, SICU 4 conf rm", "SICU 4"),
])
def test_wards_named_by_a_building_or_a_unit_and_a_number(text, ward):
    assert (ward, "LOCATION") in found(text)


@pytest.mark.parametrize("text", ["on Lasix 40", "started on Keppra 500 bid", "moved to Room 12", "Stage 3 CKD", "up to Chair 2x",
                                  "PT  Ambulation 2 assist", "switched from Zosyn 4 to cefepime"])
def test_a_drug_a_room_or_a_stage_with_a_number_is_no_ward(text):
    assert not [v for v, t in found(text) if t == "LOCATION"]


def test_a_pager_after_paged_to_and_a_local_number_after_a_word_for_calling():
    assert ("48940", "CONTACT") in found("DR. QUORRIN PAGED @ 0217 TO 48940, NO CALLBACK")
    assert ("55739", "CONTACT") in found("Dr Quorrin paged @ 2342 to 55739, at bedside.")
    assert ("555-0155", "CONTACT") in found("CALL THE CCU 3 NURSES' STATION AT 555-0155 OR YOUR PCP")
    assert not [v for v, t in found("I/O 800-1200, UO 100-1500, plt 150-400") if t == "CONTACT"]


def test_five_digits_or_more_after_a_hash_is_an_id_and_a_problem_number_is_not():
    assert ("971550", "ID") in found("incident report filed #971550. pt resting")
    assert not found("#1 CHF: cont lasix\n#12 DVT ppx: SQH")


@pytest.mark.parametrize("text", ["nsg note 0700-1900. pt resting", "shift 1900-0700 uneventful", "micro: BCx 1/2 GPC in clusters",
                                  "UCx 2/2 bottles pending"])
def test_a_shifts_clock_times_and_a_culture_count_are_no_dates(text):
    assert not [v for v, t in found(text) if t == "DATE"]


def test_an_attending_with_a_credential_is_a_person_not_a_workplace():
    assert found("ATTENDING EMMETT KACZMAREK MD, SW SVETLANA") == [("EMMETT KACZMAREK", "NAME"), ("SVETLANA", "NAME")]


@pytest.mark.parametrize("text", [
    "CHECK IRON STUDIES, RETICULOCYTE COUNT AND COAGS IN AM.",
    "HX OF GASTROESOPHAGEAL REFLUX, THROMBOCYTOPENIA AND SPLENOMEGALY.",
    "STARTED ON A HEPARIN DRIP. TROPONIN PEAKED AT 2.3. DIURESE WITH LASIX 40 IV.",
])
def test_clinical_words_by_their_endings_in_capitals_are_no_names(text):
    assert not [v for v, t in found(text) if t == "NAME"]


@pytest.mark.parametrize("text, day", [("bed offer expected wed.\nwife aware", "wed"), ("dispo: SNF placement, ? fri. code: full", "fri"),
                                       ("f/u next tues", "tues")])
def test_a_short_weekday_after_a_word_that_dates_is_a_date(text, day):
    assert (day, "DATE") in found(text)


@pytest.mark.parametrize("text", ["sat in the sun.", "pt sat up in chair x2h", "mon-fri clinic hours"])
def test_sat_and_sun_as_words_are_no_dates(text):
    assert not [v for v, t in found(text) if t == "DATE"]


def test_a_month_day_after_a_clock_time_is_a_date_and_a_mixed_number_is_not():
    assert ("2/7", "DATE") in found("findings d/w dr Quorrin by phone 03:10 2/7.")
    assert not [v for v, t in found("take 1 1/2 tabs q6h") if t == "DATE"]


@pytest.mark.parametrize("text, org", [
    ("last INR 5/26 was 2.4 per Cornerstone Cardiology.", "Cornerstone Cardiology"),
    ("referred to Granite Nephrology", "Granite Nephrology"),
    ("FOLLOW UP AT CORNERSTONE CARDIOLOGY ON MONDAY", "CORNERSTONE CARDIOLOGY"),
    ("MRI done at Westside Imaging", "Westside Imaging"),
])
def test_a_practice_named_by_a_proper_word_and_its_specialty_is_a_place(text, org):
    assert (org, "LOCATION") in found(text)


@pytest.mark.parametrize("text", ["Follow up with Cardiology in 2 weeks.", "Interventional Radiology placed a drain",
                                  "per Heme/Onc and Radiation Oncology", "Vascular Surgery and Neurology following",
                                  "Pediatric Cardiology consulted", "Cardiac Rehab referral", "Nuclear Cardiology stress test"])
def test_a_hospitals_service_named_by_its_specialty_is_no_place(text):
    assert not [v for v, t in found(text) if t == "LOCATION"]
