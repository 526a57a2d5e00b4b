"""One invented case for each pattern the engine used to miss or to flag wrongly: values a
chart knows written in other forms (said aloud, spelled, in part), organizations and
places, dates, names and numbers it missed, and the clinical language and measurements it
took for identifiers. No text here comes from any corpus."""

from __future__ import annotations

import pytest

from confide.core.deid import Engine
from confide.core.deid.normalize import find_digits, number_runs, spelled_words

ENGINE = Engine()

CHART = {
    "client": {
        "first_name": "Odessa", "last_name": "Van der Lind", "middle_name": "Ruth", "dob": "1987-04-02",
        "address": {"street": "2210 N Quillfeather Way", "city": "Brackenridge", "state": "OR", "zip": "97321"},
        "phone": "(541) 555-0143", "email": "odessa.vdl@example.com", "mrn": "40917763",
        "insurance_member_id": "QZT550918244",
    },
    "contacts": [
        {"relation": "husband", "first_name": "Summer", "last_name": "Okonjo-Hale", "phone": "(541) 555-0178"},
        {"relation": "mother", "first_name": "Hope", "last_name": "D'Ambrosio", "phone": "(541) 555-0126"},
    ],
}


def found(text: str, value: str, record: dict | None = None, type_: str | None = None, engine: Engine = ENGINE) -> bool:
    """Every word character of `value` (its first occurrence in `text`) is inside a span."""
    spans = engine.analyze(text, record)
    start = text.index(value)
    return all(any(s.start <= i < s.end and (type_ is None or s.type == type_) for s in spans)
               for i in range(start, start + len(value)) if text[i].isalnum())


def flagged(text: str, value: str, record: dict | None = None) -> bool:
    spans = ENGINE.analyze(text, record)
    start = text.index(value)
    return any(s.start < start + len(value) and start < s.end for s in spans)


# ---- what the chart knows, in other forms: recall must be 1.0 -------------------------------

@pytest.mark.parametrize("text, value", [
    # numbers said aloud, digit by digit or grouped
    ("Call her back at five four one, five five five, oh one four three please.", "five four one, five five five, oh one four three"),
    ("Her cell is five forty-one, five fifty-five, oh one forty-three.", "five forty-one, five fifty-five, oh one forty-three"),
    ("the number is five five five, zero one seven eight, thanks", "five five five, zero one seven eight"),
    ("Medical record number four oh nine one seven seven six three.", "four oh nine one seven seven six three"),
    ("Date of birth April second, nineteen eighty-seven.", "April second, nineteen eighty-seven"),
    ("DOB four two eighty-seven, confirmed.", "four two eighty-seven"),
    ("zip code nine seven three two one", "nine seven three two one"),
    # spelled letter by letter
    ("First name spelled O-D-E-S-S-A, got it.", "O-D-E-S-S-A"),
    ("that's l i n d, then the rest", "l i n d"),
    ("Mother's surname D. A. M. B. R. O. S. I. O. I checked.", "D. A. M. B. R. O. S. I. O"),
    # the last four digits, an extension
    ("Voicemail from the number ending 0178.", "0178"),
    ("Alt line: x0126", "x0126"),
    ("Her chart number ends in seven seven six three.", "seven seven six three"),
    # particles, hyphenated parts, middle initials, lower case, possessives
    ("Met with Odessa Van der Lind today.", "Odessa Van der Lind"),
    ("Husband Summer Okonjo-Hale attended.", "Summer Okonjo-Hale"),
    ("Signed: Odessa R. Van der Lind", "Odessa R. Van der Lind"),
    ("left a message for summer okonjo-hale at home.", "summer okonjo-hale"),
    ("this is hope, odessa's mom, calling back.", "hope"),
    ("Odessa's mother Hope D'Ambrosio called.", "Hope D'Ambrosio"),
    ("lives on n quillfeather way now", "quillfeather"),
])
def test_chart_known_values_in_other_forms(text, value):
    assert found(text, value, CHART), [text[s.start:s.end] for s in ENGINE.analyze(text, CHART)]


WORD_NAMES_CHART = {
    "client": {"first_name": "Grace", "last_name": "Okafor-Lund", "middle_name": "Teodora", "dob": "1990-01-09",
               "phone": "(426) 555-0193"},
    "contacts": [{"relation": "partner", "first_name": "Bill", "last_name": "Frank", "phone": "(426) 555-0155"},
                 {"relation": "father", "first_name": "Ansel", "last_name": "von Stade"}],
}


@pytest.mark.parametrize("text, value", [
    # lower-case names that are ordinary words, with a sign on either side
    ("Sorry, frank missed Thursday; the bus broke down.", "frank"),
    ("Text me after five.\n\nthanks,\ngrace\n", "grace"),
    ("Can my partner bill come to the next one?", "bill"),
    # numbers said with pauses written as dots, "double"
    ("call back at four two six... double five five... oh one, ninety-three. Thanks", "four two six... double five five... oh one, ninety-three"),
    # a name of several parts spelled as one word
    ("Spelled the last name for me: V-O-N-S-T-A-D-E. Then hung up.", "V-O-N-S-T-A-D-E"),
    # an initial beside the names: after "Last, First", after the surname alone, without a period
    ("PATIENT: OKAFOR-LUND, GRACE T   MRN: 4410590", "OKAFOR-LUND, GRACE T"),
    ("Shift 1900-0730   Pt: Okafor-Lund, G.\n2300: GCS 15", "Okafor-Lund, G."),
    ("Signed, Grace T Okafor-Lund", "Grace T Okafor-Lund"),
])
def test_chart_known_names_and_numbers_in_more_forms(text, value):
    assert found(text, value, WORD_NAMES_CHART), [text[s.start:s.end] for s in ENGINE.analyze(text, WORD_NAMES_CHART)]


@pytest.mark.parametrize("text, value", [
    ("She paid the bill and showed grace under pressure.", "bill"),
    ("She paid the bill and showed grace under pressure.", "grace"),
    ("He was frank about the drinking.", "frank"),
])
def test_chart_known_names_used_as_words_stay(text, value):
    assert not flagged(text, value, WORD_NAMES_CHART)


def test_a_chart_number_said_aloud_is_found_on_word_boundaries_only():
    runs = number_runs("call five forty-one, five fifty-five, oh one forty-three or nine")
    assert len(runs) == 1 and "".join(p.digits for p in runs[0]) == "5415550143"
    assert find_digits(runs[0], "5550143") and not find_digits(runs[0], "50143")  # "fifty-five" is one piece


def test_a_spelled_run_that_runs_into_the_next_word_still_matches():
    text = "spelled Y I L M A Z. I wrote it down"
    [(s, e, why)] = spelled_words(text, {"yilmaz": "the client's name"})
    assert text[s:e] == "Y I L M A Z."


# ---- organizations and places ----------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("Report filed with the Brackenfield PD on arrival.", "Brackenfield PD"),
    ("Hearing at Quarrytown County Superior Court next month.", "Quarrytown County Superior Court"),
    ("He works at Tallowmere Hardware on weekends.", "Tallowmere Hardware"),
    ("TRANSFERRED TO WARD 6 OVERNIGHT.", "WARD 6"),
    ("PT SEEN AT SBMC ED, THEN HOME.", "SBMC"),
    ("She lives on Pennyroyal now, not the old place.", "Pennyroyal"),
    ("Moved to the apartment on Gorsedale Ave last year.", "Gorsedale Ave"),
])
def test_organizations_and_places(text, value):
    assert found(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    # a town's name makes an organization word specific, in capitals too
    ("BROUGHT IN BY WHISTLER PD AFTER A CALL FROM HIS SISTER.", "WHISTLER PD"),
    ("BROUGHT IN BY BEND PD AFTER A CALL FROM HIS SISTER.", "BEND PD"),
    ("Served by Deputy Orr, Tallowmere County Sheriff's Office.", "Tallowmere County Sheriff's Office"),
    ("FAX\nDuluth Urgent Care\n12 Fennel Rd", "Duluth Urgent Care"),
    ("IN THE DISTRICT COURT OF QUARRYTOWN COUNTY, STATE OF KANSAS", "DISTRICT COURT OF QUARRYTOWN COUNTY"),
    # chains and employers by name
    ("We were at Dollar General until it closed.", "Dollar General"),
    ("He stocks shelves at Costco now.", "Costco"),
    # organizations of ordinary words: after a form label, or capitalised after "at"/"to"
    ("FOLLOW UP: SAFE HARBOR HOUSE ON AUGUST 19; CALL IF WORSE.", "SAFE HARBOR HOUSE"),
    ("Facility: Willow Bend\nService: IOP", "Willow Bend"),
    ("TO: Custodian of Records, Juniper Hollow\n", "Juniper Hollow"),
    ("Her vision screen at Silver Pines was normal.", "Silver Pines"),
    # units named by number
    ("ADMITTED TO CHH 4 WEST. STABLE.", "4 WEST"),
    ("Transferred to 5 North per the charge nurse.", "5 North"),
    ("Admitted to Unit 4B overnight.", "Unit 4B"),
])
def test_organizations_places_and_units_of_ordinary_words(text, value):
    assert found(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    # hospitals whose names are ordinary words, with or without the word "Hospital"
    ("Admitted to Good Shepherd Hospital overnight.", "Good Shepherd Hospital"),
    ("She was seen at Mercy Hill Medical Center after the fall.", "Mercy Hill Medical Center"),
    ("Transferred to Riverside General, then home.", "Riverside General"),
])
def test_hospitals_named_by_ordinary_words(text, value):
    assert found(text, value, type_="LOCATION"), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("She shops at the Kroger on Fifth.", "Kroger"),  # a chain that is also a surname: the place, after "at the"
    ("Picked up the prescription from Walgreens.", "Walgreens"),
])
def test_a_chain_store_after_a_place_word_is_a_place(text, value):
    assert found(text, value, type_="LOCATION"), [(text[s.start:s.end], s.type) for s in ENGINE.analyze(text)]


def test_a_surname_that_is_a_chains_name_is_still_a_person():
    text = "Met with Dr. Kroger and the family today."
    assert found(text, "Kroger", type_="NAME")


def test_an_apartment_after_the_charts_street_is_part_of_the_address():
    text = "i moved, new addr is 2210 n quillfeather way apt 3"
    assert found(text, "2210 n quillfeather way apt 3", CHART, "LOCATION")


@pytest.mark.parametrize("text, value", [
    ("Palliative Care consulted; Primary Care follow-up in two weeks.", "Palliative Care"),
    ("Call Dr. Lund's Office tomorrow.", "Office"),
    ("Office of the Dean of Students\nRe: a student", "Office of the"),
    ("Finished unit 4 of the workbook.", "unit 4"),
    ("To: Tove Lund, school counselor", "Tove Lund"),
])
def test_kinds_of_care_and_offices_are_not_organizations(text, value):
    assert not any(s.type == "LOCATION" and s.start < text.index(value) + len(value) and text.index(value) < s.end
                   for s in ENGINE.analyze(text)), [text[s.start:s.end] for s in ENGINE.analyze(text)]


# ---- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("We meet again on Thursday.", "Thursday"),
    ("the appointment on thursday works", "thursday"),
    ("Seen Monday, March 3 for follow-up.", "Monday, March 3"),
    ("Entered on the nineteenth day of July, 2024, by the court.", "nineteenth day of July, 2024"),
    ("Signed this 3rd day of May 2025.", "3rd day of May 2025"),
    ("She misses school Friday the twenty sixth.", "Friday the twenty sixth"),
    ("Nació el 6 de julio de 1960 en casa.", "6 de julio de 1960"),
    ("Né le 14 mars 1979.", "14 mars 1979"),
    ("Fue el martes 4 de marzo, en la tarde.", "martes 4 de marzo"),  # the weekday before it too
    ("Vu le jeudi 12 juin 2025.", "jeudi 12 juin 2025"),
    ("Sleep has been poor since april.", "april"),
    ("He graduated with the class of '87.", "'87"),
    ("The hearing is set for May eleventh, twenty twenty-five.", "May eleventh, twenty twenty-five"),
    pytest.param("Thursday's group was cancelled for the storm.", "Thursday", marks=pytest.mark.xfail(
        strict=True, reason="a possessive weekday is left alone: the development set leaves \"Monday's session\" "
                            "unmarked, and flagging it lowers that set's DATE precision")),
    ("Born 03/04/'81 per the ID card.", "03/04/'81"),  # an apostrophe year inside a numeric date
    ("Since Jan '20 she has been sober.", "Jan '20"),  # a short month before an apostrophe year is no name
])
def test_dates(text, value):
    assert found(text, value, type_="DATE"), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    # relative forms: a weekday with "next"/"last" on either side, "the 4th" of this or that month, a holiday
    ("She will come back next Tuesday with her father.", "Tuesday"),
    ("On Tuesday last she missed group.", "Tuesday"),
    ("Weds the 4th she has court.", "Weds the 4th"),
    ("Seen again on the 3rd of this month, per the clerk.", "the 3rd"),
    ("We last met two days before Christmas.", "Christmas"),
])
def test_relative_dates(text, value):
    assert found(text, value, type_="DATE"), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("DOB: 12-MAR-1961, confirmed with the patient.", "12-MAR-1961"),
    ("Admit 03APR2025 from the ED.", "03APR2025"),
    ("Discharged 2025-04-09T14:30 to home.", "2025-04-09"),
    ("Her birthday is 2025.04.03 per the form.", "2025.04.03"),
    ("DOB 19610312 on the fax header.", "19610312"),
    ("Seen on 12/6 for the vent check.", "12/6"),
    ("Returned Weds., Oct. 8 for review.", "Oct. 8"),
])
def test_dates_in_more_orders(text, value):
    assert found(text, value, type_="DATE"), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("Strength 5/5 in all extremities, 4/5 RLE.", "5/5"),
    ("Strength 5/5 in all extremities, 4/5 RLE.", "4/5"),
    ("A 3/6 systolic murmur at the apex.", "3/6"),
    ("Recall 2/3 at five minutes.", "2/3"),
    ("Reflexes 2/4 and symmetric.", "2/4"),
    ("BiPAP 12/6 overnight, then room air.", "12/6"),
    ("5/10 pain today, better than last week.", "5/10"),
    ("STRENGTH 5/5 BUE, 4/5 BLE.", "4/5"),
    ("MRN 20250403 on the label.", "20250403"),
])
def test_scores_and_settings_are_not_dates(text, value):
    assert not any(s.type == "DATE" and s.start < text.index(value) + len(value) and text.index(value) < s.end
                   for s in ENGINE.analyze(text)), [text[s.start:s.end] for s in ENGINE.analyze(text)]


# ---- names -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("T: How was the week?\nK: Long.\nT: Tell me more.\nK: Work again.", "K"),
    ("T: How was the week?\nK: Long.\nT: Tell me more.\nK: Work again.", "T"),
    ("Sincerely,\n\nDr. Imogen Tassel\nkt/rw\n", "rw"),
    ("Thank you,\nM.P.\n", "M.P."),
    ("To: Ottoline Vasquez-Reyes, school counselor", "Ottoline Vasquez-Reyes"),
    ("Attending: Benedikt Ashworth, MD", "Benedikt"),
])
def test_names(text, value):
    assert found(text, value, type_="NAME"), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    # a given name that is also an ordinary word, alone on the line that signs a message off
    ("See you Thursday.\n\nSincerely,\nHope\n", "Hope"),
    ("Thanks for fitting me in.\n\nWarmly,\nfaith", "faith"),
    ("Running late, sorry!\n- Dawn", "Dawn"),
    ("Call me back when you can.\nthanks, dawn", "dawn"),  # the closing and the name on one line
])
def test_names_that_are_ordinary_words_signing_off(text, value):
    assert found(text, value, type_="NAME"), [text[s.start:s.end] for s in ENGINE.analyze(text)]


_WORD_NAME_IN_RUNNING_TEXT = pytest.mark.xfail(strict=True, reason=(
    "a capitalised given name whose word sense dominates needs name evidence around it (a relation, a title, "
    "a verb of reporting after it); after 'with' or before 'and' there is none yet, and loosening that is not a small change"))


@pytest.mark.parametrize("text, value", [
    ("Her daughter Joy is 7 and in first grade.", "Joy"),  # a relation before it
    ("Joy reported better sleep this week.", "Joy"),  # a verb of reporting after it
    ("Spoke to Dawn, her case manager.", "Dawn"),
    pytest.param("Talked with Joy about her week.", "Joy", marks=_WORD_NAME_IN_RUNNING_TEXT),
    pytest.param("Hope and her brother attended the session.", "Hope", marks=_WORD_NAME_IN_RUNNING_TEXT),
])
def test_names_that_are_ordinary_words_in_running_text(text, value):
    assert found(text, value, type_="NAME"), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("Plan: taper, then reassess.\n- hope", "hope"),  # lower case after a dash in a plan: a word
    ("Goals for the week:\n- Joy in small things", "Joy"),  # not alone on its line
    ("see you then.\nthanks again", "again"),
    ("Running late.\nLove, Mom", "Mom"),
])
def test_ordinary_words_after_a_dash_are_no_sign_off(text, value):
    assert not flagged(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("Witness: Lorcan Brzezinski, CMA", "Lorcan Brzezinski"),
    ("Attorney for Petitioner: Giedre LaFleur, Esq., Bar No. 96696", "Giedre LaFleur"),
    ("For: Dr. Lund   Taken by: DU\nCaller: her sister", "DU"),
    ("DICTATED BY: CHURCH  D: 5/3  T: 5/3", "CHURCH"),
    ("Safety checks q15 overnight.\n-- Anouk Iwasaki, RN / ai\n", "ai"),
])
def test_names_after_labels_and_in_signatures(text, value):
    assert found(text, value, type_="NAME"), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("Failed trials of ondansetron and Invega Sustenna.", "Sustenna"),
    ("MEDS: HYDROXYZINE PAMOATE, ABILIFY MAINTENA, ELIQUIS.", "PAMOATE"),
    ("STABLE. HOLTER MONITOR IN PLACE; MEDTRONIC INSULIN PUMP IN PLACE.", "HOLTER"),
    ("STABLE. HOLTER MONITOR IN PLACE; MEDTRONIC INSULIN PUMP IN PLACE.", "MEDTRONIC"),
    ("See Fed. R. Civ. P. 45 and 42 U.S.C. 290dd-2.", "R. Civ"),
    ("Patient Name (Last, First, MI): Lund, Tove", "MI"),
    ("AUTHORIZATION FOR RELEASE OF PROTECTED HEALTH INFORMATION\nName: Tove Lund", "RELEASE OF PROTECTED HEALTH"),
    ("1945: Interpreter used. Meds given at 2030.", "1945"),
    ("1945: Interpreter used. Meds given at 2030.", "2030"),
    ("Shift 1900-0730, no events.", "1900"),
])
def test_brands_citations_form_labels_and_clock_times_are_not_identifiers(text, value):
    assert not flagged(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


CLINICAL_NOTE = """CHIEF COMPLAINT: Shortness of breath x 3 days. Pt reports orthopnea.
Given Lasix 80 mg IV x1, Nitro SL x2, placed on BiPAP 10/5 with improvement. Afib with RVR at 118.
s/p CABG (LIMA-LAD, SVG-OM). CXR with Kerley B lines.
Ext: 3+ pitting edema. Neuro: A&Ox3, strength 5/5 throughout.
# Hyperkalemia: K 5.4, Kayexalate 15 g PO x1.
# PPx: SCDs. # Dispo: CCU for now.
Vent: TV 450, PEEP 8, FiO2 40%, I:E 1:2. Plateau 24.
Wound: stage 2 sacrum, Mepilex applied. Braden 13. Medicine Team B. Pager 4-5512.
PT: ambulated 150 ft, Borg 13/20. OT: ADLs min A. Speech: dysphagia diet.
"""


def test_a_clinical_note_without_identifiers_raises_no_alarm():
    """Clinical language invented for this test: ward names of drugs, dressings, eponymous signs,
    headings before a colon, measurements; nothing in it identifies anyone."""
    spans = ENGINE.analyze(CLINICAL_NOTE)
    assert [(CLINICAL_NOTE[s.start:s.end], s.type) for s in spans] == []


def test_a_short_month_name_that_is_a_given_name_is_still_a_name_before_a_verb():
    text = "Jan called; she has been sober since '20."
    assert found(text, "Jan", type_="NAME") and found(text, "'20", type_="DATE")


def test_a_year_is_still_a_year():
    assert found("They moved here in 2015 after the flood.", "2015", type_="DATE")


# ---- numbers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, type_", [
    ("Case No. 24-2-01877-3 was continued.", "24-2-01877-3", "ID"),
    ("Docket CR-4410-25 set for review.", "CR-4410-25", None),
    ("Officer Lund (badge #4471) took the report.", "4471", "ID"),
    ("certified mail, tracking number 9400 1366 3903 4911 2144 11.", "9400 1366 3903 4911 2144 11", "ID"),
    ("Her school login is mtassel54 and she forgot it.", "mtassel54", "CONTACT"),
    ("Page me: the pager at the hospital is 40031.", "40031", "CONTACT"),
    ("Call the front desk, extension seven zero five.", "seven zero five", "CONTACT"),
    ("Office (541) 555-0100, ext. 481.", "481", "CONTACT"),
    ("Follow her at @tassel_art for updates.", "@tassel_art", "CONTACT"),
    ("His Discord handle is frostbyte#2231, per his brother.", "frostbyte#2231", "CONTACT"),  # with its number
])
def test_numbers(text, value, type_):
    assert found(text, value, type_=type_), [text[s.start:s.end] for s in ENGINE.analyze(text)]


# ---- what is no identifier -----------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    # clinical vocabulary: drugs in capitals and title case, abbreviations, headings, devices, credentials
    ("MEDICATIONS: METOPROLOL 25 MG PO BID, ELIQUIS 5 MG BID.", "METOPROLOL"),
    ("MEDICATIONS: METOPROLOL 25 MG PO BID, ELIQUIS 5 MG BID.", "ELIQUIS"),
    ("Diuresis with Lasix 40 mg IV and Zosyn q8h.", "Lasix"),
    ("Labs: Hgb 8.9, Plt 98, Alt 40, Cr 2.1.", "Hgb"),
    ("Labs: Hgb 8.9, Plt 98, Alt 40, Cr 2.1.", "Plt"),
    ("Labs: Hgb 8.9, Plt 98, Alt 40, Cr 2.1.", "Cr 2.1"),
    ("HISTORY OF PRESENT ILLNESS: Worse over three days.", "HISTORY OF PRESENT ILLNESS"),
    ("Has a Medtronic pacemaker and an Accu-Chek meter.", "Medtronic"),
    ("Seen by the NP and the PharmD; Ana Ruiz, Esq. present.", "Esq"),
    ("Interpreter used: Spanish. Also speaks Tagalog.", "Tagalog"),
    ("Per 42 U.S.C. § 1983 and RCW 71.05.150.", "U.S.C."),
    ("Per 42 U.S.C. § 1983 and RCW 71.05.150.", "1983"),
    ("Anorexia NERVOSA, ORTHOSTATIC on standing.", "NERVOSA"),
    # measurements
    ("BP 110-130/70-85 overnight, stable.", "110-130/70-85"),
    ("ABG 7.35/45/80/24 on arrival.", "7.35/45/80/24"),
    ("Gas: pH 7.31/PaCO2 52/PaO2 68 on 4 L.", "PaCO2"),  # a blood gas's labels glued to their digit
    ("Gas: pH 7.31/PaCO2 52/PaO2 68 on 4 L.", "PaO2"),
    ("Vent I:E 1:2, RR 18.", "1:2"),
    ("Given 5 Pt education sheets.", "5 Pt"),
    ("Seen at 14:30, PHQ-9 score 14, pain 4/10.", "14:30"),
    ("Seen at 14:30, PHQ-9 score 14, pain 4/10.", "4/10"),
])
def test_not_identifiers(text, value):
    assert not flagged(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    # scores after a scale's name are no ages and no dates
    ("MoCA 24, MMSE 27 at intake.", "24"),
    ("MoCA 24, MMSE 27 at intake.", "27"),
    ("Scored 26 on the MoCA; PHQ-9 of 19.", "26"),
    # credentials after a signature are no names
    ("Reviewed: Rhea Pike, LCSW, LICSW, CADC-II, PMHNP-BC.", "LICSW"),
    ("Reviewed: Rhea Pike, LCSW, LICSW, CADC-II, PMHNP-BC.", "PMHNP"),
    ("REVIEWED BY THE PMHNP AND THE LCSW.", "PMHNP"),
    # a number then "Ct" or "St" that is a count or a herb, not a street
    ("Seen for 3 Ct scans this year.", "3 Ct"),
    ("Labs: WBC 11.2, Plt Ct 240, Retic Ct 2.1.", "Retic"),
    ("CBC: Eos count 0.3, Baso count 0.1.", "Eos"),
    pytest.param("Takes 2 St. John's wort capsules daily.", "St. John's", marks=pytest.mark.xfail(
        strict=True, reason="'St. John's' is taken for a saint's place name; herbs are in no vocabulary the engine ships")),
])
def test_scores_credentials_and_counts_are_not_identifiers(text, value):
    assert not flagged(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


def test_a_surname_before_a_count_of_something_else_is_still_a_name():
    text = "Met with Brzezinski today; count of missed doses 3."
    assert found(text, "Brzezinski", type_="NAME")


@pytest.mark.parametrize("text, value, kept", [
    ("A 67 yo man from Mexico, now in Austin, Texas.", "67", True),
    ("A 67 yo man from Mexico, now in Austin, Texas.", "Mexico", True),
    ("A 67 yo man from Mexico, now in Austin, Texas.", "Texas", True),
    ("A 67 yo man from Mexico, now in Austin, Texas.", "Austin", False),
    ("Her grandmother, aged 93, visits.", "93", False),
])
def test_safe_harbor_policy_keeps_ages_under_90_states_and_countries(text, value, kept):
    engine = Engine(policy="safe_harbor")
    assert found(text, value, engine=engine) is not kept


def test_safe_harbor_keeps_states_countries_and_ages_in_capitals_and_in_two_words():
    engine = Engine(policy="safe_harbor")
    assert engine.analyze("PT IS A 45 YO FROM GUATEMALA, NOW LIVING IN NEW MEXICO.") == []
    assert engine.analyze("Moved from the Philippines to North Carolina at age 12; her father, 88, is in Puerto Rico.") == []
    text = "Her grandfather is 91 years old."
    assert found(text, "91", type_="AGE", engine=engine)


def test_safe_harbor_keeps_a_country_a_name_recognizer_also_took():
    text = "Works night shift as a CNA. Speaks Portuguese. Born in Brazil, lives in Massachusetts."
    assert Engine(policy="safe_harbor").analyze(text) == []


@pytest.mark.parametrize("text, value", [
    ("Uses a Dexcom G6 and an Omnipod 5 pump.", "Dexcom"),
    ("Uses a Dexcom G6 and an Omnipod 5 pump.", "Omnipod"),
])
def test_device_brands_are_not_names(text, value):
    assert not flagged(text, value)


def test_an_unknown_policy_is_refused():
    with pytest.raises(ValueError):
        Engine(policy="lenient")


# ---- the chart's user names, employer, school and phone extensions; more spoken and spelled forms ----

HANDLES_CHART = {
    "client": {"first_name": "Marisela", "last_name": "Quennell", "dob": "1979-11-23",
               "address": {"street": "88 Tarragon Loop", "city": "Pellston", "state": "MI", "zip": "49769"},
               "phone": "(231) 555-0162", "email": "m.quennell79@example.org", "username": "tidepool_42",
               "employer": "U-Haul", "school": "Chief Sealth High School", "mrn": "55102298"},
    "contacts": [{"relation": "case manager", "first_name": "Orvil", "last_name": "Bracegirdle",
                  "phone": "(231) 555-0187 ext. 2204"}],
}


@pytest.mark.parametrize("text, value", [
    # user names: the chart's own field, the e-mail's local part, handles made of the names
    ("She says tidepool_42 is the account the messages came from.", "tidepool_42"),
    ("Her Instagram is @m.quennell79, set to private now.", "@m.quennell79"),
    ("Posts under mquennell79 on the forum.", "mquennell79"),
    ("Game chat name: mariselaquennell, per mom.", "mariselaquennell"),
    # an employer written with punctuation, a school without its kind
    ("Picked up two shifts at U-Haul this week.", "U-Haul"),
    ("Transferred to Chief Sealth in October.", "Chief Sealth"),
    # a phone number with an extension in the chart: the number said aloud, then the extension
    ("Call Orvil at two three one, five five five, oh one eight seven, extension two two oh four.",
     "two three one, five five five, oh one eight seven"),
    ("Call Orvil at two three one, five five five, oh one eight seven, extension two two oh four.", "two two oh four"),
    # spelled with commas, and "as in"
    ("Last name is Q, U, E, N, N, E, L, L.", "Q, U, E, N, N, E, L, L"),
    ("That's Q as in queen, U, E, N as in Nancy, N, E, L, L.", "Q as in queen, U, E, N as in Nancy, N, E, L, L"),
    ("spelled m like Mary a r i s e l a", "m like Mary a r i s e l a"),
    # a lower-case name the message is about
    ("hi it's orvil from the agency, calling about marisela.", "marisela"),
])
def test_chart_known_user_names_workplaces_extensions_and_spellings(text, value):
    assert found(text, value, HANDLES_CHART), [text[s.start:s.end] for s in ENGINE.analyze(text, HANDLES_CHART)]


def test_a_chart_phone_with_an_extension_is_still_found_written_out():
    text = "Case manager line (231) 555-0187 x2204, leave a message."
    assert found(text, "(231) 555-0187", HANDLES_CHART)


@pytest.mark.parametrize("text, value", [
    # dates said in a dictation, legal style, apostrophe years, lower-case month and weekday abbreviations
    ("Date of service two ten twenty twenty-five, seen in clinic.", "two ten twenty twenty-five"),
    ("Admitted four fifteen nineteen ninety-eight per the old chart.", "four fifteen nineteen ninety-eight"),
    ("Hearing set for the twenty-second day of November, 2025.", "twenty-second day of November, 2025"),
    ("I was born in '98 not '99, the form is wrong", "'99"),
    ("PT WAS AT THE VA IN MAR '22 FOR DETOX.", "MAR '22"),
    ("can we move thurs to fri? work again", "fri"),
    ("please return on march 29.", "march 29"),
    # numbers: a pager said as "page me at", the last four digits of some number, a corrections number
    ("Questions, page me at 41873 after noon.", "41873"),
    ("Or my cell, the one ending in 1792.", "1792"),
    ("Case # 2024CF5567; DOC # 329290", "329290"),
    ("Booking no. 88213 at the jail.", "88213"),
    # wards and pods
    ("they moved her up to Pod C4 overnight", "Pod C4"),
    ("SAINT ODO HOSPITAL - BEHAVIORAL HEALTH, 5 NORTH", "5 NORTH"),
    ("moved to unit 5B after the fall", "unit 5B"),
    # names: a lower-case sign-off after a dash, a dictation footer's typist, an initial before a credential
    ("Returned call, left message. -susan", "susan"),
    ("Next meeting Tuesday.\n\nthanks -- leopold\n", "leopold"),
    ("End of dictation. Job number 8446111. D: 2/10/25 T: 2/11/25 hc", "hc"),
    ("SIGNED: GARDNER, K. DO / PGR 7937", "K"),
    ("Sincerely,\n\nIlse Marwick, PsyD\nLicensed Psychologist\nRA/sl\n", "RA/sl"),
])
def test_dates_numbers_wards_and_sign_offs_seen_in_dictation_and_letters(text, value):
    assert found(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("VITALS: BLOOD PRESSURE 132 OVER 85, HEART RATE 104, PHQ NINE OF 20.", "132 OVER 85"),
    ("VITALS: BLOOD PRESSURE 132 OVER 85, HEART RATE 104, PHQ NINE OF 20.", "HEART RATE 104"),
    ("A/P: 4 PT ASSIST TO BSC. 3 DR NOTIFIED. ST SEGMENTS WNL ON 12-LEAD.", "BSC"),
    ("A/P: 4 PT ASSIST TO BSC. 3 DR NOTIFIED. ST SEGMENTS WNL ON 12-LEAD.", "ST SEGMENTS"),
    ("HEENT: NCAT. CV: RRR, NO M/R/G. PULM: CTAB.", "G."),
    ("Take 2 tabs daily - done\n- none\n", "done"),
    ("I will march 3 miles for the fundraiser", "march 3"),
])
def test_measurements_and_abbreviations_in_capitals_raise_no_alarm(text, value):
    record = {"client": {"first_name": "Greer", "last_name": "Halloway"}}
    assert not flagged(text, value, record), [text[s.start:s.end] for s in ENGINE.analyze(text, record)]


@pytest.mark.parametrize("text, value", [
    ("Officer Dana Whitfield #2231 of the city police responded.", "2231"),
    ("Interpreter #22184 used for the whole visit.", "22184"),
    ("Client reports she started at Target last month.", "Target"),
    ("C: since june i think. since the thing at grandma's in salem. we moved from yakima", "salem"),
    ("C: since june i think. since the thing at grandma's in salem. we moved from yakima", "yakima"),
])
def test_badges_interpreter_ids_stores_and_lower_case_towns(text, value):
    assert found(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("Vent: AC/VC 500/14/+8/40%. I:E 1:3.", "8/40"),
    ("Plan to SBT in AM; RSBI 62.", "SBT"),
    ("Lives w/ wife in a 2 story home, 12 STE. Retired Navy.", "STE"),
    ("CV: RRR, 2/6 SEM at RUSB. Lungs: CTAB.", "2/6"),
    ("CV: RRR, 2/6 SEM at RUSB. Lungs: CTAB.", "RUSB"),
    ("Ext: no C/C/E. Skin: Stage 2 PI sacrum.", "Skin"),
    ("Dr. Patel was paged at 1430 and came at 1445.", "1430"),
    ("His teacher Mrs. Lund called twice.", "Mrs"),
    ("Aim for the target weight; i was in bed in pain all week", "target"),
])
def test_more_clinical_language_and_measurements_are_not_identifiers(text, value):
    assert not flagged(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


def test_a_double_surnames_initials_are_the_charts():
    record = {"client": {"first_name": "Tamsin", "last_name": "Achebe-Ruiz"}}
    text = "Therapist: Cal Whitby, LMFT. Client: Tamsin A-R. Session #12."
    assert found(text, "A-R", record)


@pytest.mark.parametrize("text, value", [
    ("She follows a TikTok creator named lunar.moth now.", "lunar.moth"),
    ("He posts as vex_rx on the forum.", "vex_rx"),
    ("ATTENDING: R. OSEI, MD  UNIT: 3S  RM 312-2", "UNIT: 3S"),
    ("She lived with her aunt until 6.", "6"),
])
def test_handles_after_named_units_after_a_label_and_childhood_ages(text, value):
    assert found(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


@pytest.mark.parametrize("text, value", [
    ("I'm at the plant until 6. Call back by 5.", "6"),
    ("I'm at the plant until 6. Call back by 5.", "5"),
    ("a Discord server called The Hollow", "Hollow"),
    ("CASA volunteer visits weekly.", "CASA"),
])
def test_clock_times_server_names_and_programs_are_not_identifiers(text, value):
    assert not flagged(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


WORDY_CHART = {"client": {"first_name": "Clay", "last_name": "al-Rashid", "dob": "1957-03-25", "mrn": "99482"},
               "contacts": [{"relation": "sister", "first_name": "Ivy", "last_name": "al-Rashid"}]}


@pytest.mark.parametrize("text, value", [
    ("Born March 25th '57, per the old chart.", "March 25th '57"),
    ("MRN double nine four eight two, confirmed.", "double nine four eight two"),
    ("Family name al Rashid, written without the hyphen.", "al Rashid"),
    ("Writer spoke with clay, who agreed to the plan.", "clay"),
    ("Caller: ivy\nMessage: running late", "ivy"),
])
def test_chart_known_values_with_apostrophe_years_doubles_particles_and_labels(text, value):
    assert found(text, value, WORDY_CHART), [text[s.start:s.end] for s in ENGINE.analyze(text, WORDY_CHART)]


@pytest.mark.parametrize("text, value", [
    ("He worked with clay in art class and liked it.", "clay"),
    ("Plan: ivy removal from the yard is a goal.", "ivy"),
])
def test_chart_word_names_used_as_words_stay(text, value):
    assert not flagged(text, value, WORDY_CHART), [text[s.start:s.end] for s in ENGINE.analyze(text, WORDY_CHART)]


@pytest.mark.parametrize("text, value, flagged_word", [
    ("Mr.Jones and DrSmith were present.", "Smith", None),
    ("Mr.Jones and DrSmith were present.", "Jones", None),
    ("Attends Cedar Hills Church on Sundays.", "Cedar Hills Church", "Attends"),
])
def test_names_glued_to_titles_and_no_verb_inside_a_name(text, value, flagged_word):
    assert found(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]
    if flagged_word:
        assert not flagged(text, flagged_word)


def test_capitals_glued_to_a_title_like_prefix_are_no_name():
    assert not flagged("DRAINAGE minimal; MRSA swab negative.", "DRAINAGE")


@pytest.mark.parametrize("text, value", [
    ("CC: Dr. Marguerite Olander, Beth Israel Deaconess; resident of Linden Ponds.", "Beth Israel Deaconess"),
    ("CC: Dr. Marguerite Olander, Beth Israel Deaconess; resident of Linden Ponds.", "Linden Ponds"),
    ("Dictated by Y. Tanaka, MD; transcribed 2/15 by kd.", "kd"),
    ("Lives near Forest Park Zoo with her aunt.", "Forest Park Zoo"),
])
def test_the_trailing_word_of_a_place_and_a_typist_after_transcribed_by(text, value):
    assert found(text, value), [text[s.start:s.end] for s in ENGINE.analyze(text)]


def test_post_operative_day_is_no_pod():
    assert not flagged("POD 2. Tmax 38.9. Ambulating.", "POD 2")


INITIALS_CHART = {"client": {"first_name": "Tamsin", "last_name": "Achebe-Ruiz", "middle_name": "Joy", "mrn": "A7730145",
                             "address": {"street": "4417 SE Larkspur Ct", "city": "Gresham", "state": "OR", "zip": "97080"}}}


@pytest.mark.parametrize("text, value", [
    ("MRN A 773 0145 on the wristband.", "A 773 0145"),
    ("Met at the Larkspur Ct. house again.", "Larkspur Ct"),
    ("Signed off TAR at the bottom.", "TAR"),
    ("Reviewed by TJAR today.", "TJAR"),
])
def test_chart_ids_grouped_anyhow_streets_without_their_direction_and_bare_initials(text, value):
    assert found(text, value, INITIALS_CHART), [text[s.start:s.end] for s in ENGINE.analyze(text, INITIALS_CHART)]


def test_no_organization_across_a_sentence_end_in_capitals():
    text = "THE PT REFUSED TAR SHAMPOO. LARKSPUR CT HOUSE IS FAR."
    assert not flagged(text, "SHAMPOO", INITIALS_CHART)
