"""Recognizer tables: each row is a text, the identifier in it, and its type; the negative
tables are clinical words that must not be taken for identifiers."""

from __future__ import annotations

import pytest

from confide.core.deid import Engine, Span
from confide.core.deid.document import Document
from confide.core.deid.recognizers.addresses import AddressRecognizer
from confide.core.deid.recognizers.ages import AgeRecognizer
from confide.core.deid.recognizers.dates import DateRecognizer
from confide.core.deid.recognizers.emails import EmailRecognizer
from confide.core.deid.recognizers.handles import HandleRecognizer
from confide.core.deid.recognizers.ids import IdRecognizer
from confide.core.deid.recognizers.organizations import OrganizationRecognizer
from confide.core.deid.recognizers.phones import PhoneRecognizer
from confide.core.deid.recognizers.places import PlaceRecognizer
from confide.core.deid.recognizers.urls import UrlRecognizer

ENGINE = Engine()


def found(text: str, spans: list[Span]) -> set[str]:
    return {text[s.start:s.end] for s in spans}


def covered(text: str, value: str, spans: list[Span], type_: str | None = None) -> bool:
    start = text.index(value)
    end = start + len(value)
    return all(any(s.start <= k < s.end and (type_ is None or s.type == type_) for s in spans)
               for k in range(start, end) if text[k].isalnum())


NAMES = [
    ("Seen with her sister Rose after school.", "Rose"),
    ("Met with Dr. Amadi re: medication.", "Amadi"),
    ("Client: Maria Delgado    DOB: 04/02/1988", "Maria Delgado"),
    ("Clinician: Andrea Whitlock, LMHC", "Andrea Whitlock"),
    ("CALLER: JANELLE BECKER (MOTHER)", "JANELLE BECKER"),
    ("WIFE DONNA \"STILL DOESN'T TRUST ME\"", "DONNA"),
    ("HAS A SPONSOR (\"FRANK M.\") WHO CALLS", "FRANK"),
    ("Plan reviewed with J.M. and her mother.", "J.M."),
    ("F/U W/ J. ABERNATHY, CADC.", "ABERNATHY"),
    ("Husband Luis has been taking the kids to school.", "Luis"),
    ("Rowan (17) reports feeling better.", "Rowan"),
    ("Signed: K. Lindqvist, LISW", "Lindqvist"),
    ("She talked to Khoa about it and to Akinyi.", "Akinyi"),
    ("called her grandma delphine last night", "delphine"),
    ("Bill's PHQ-9 on 2/12 was 17.", "Bill"),
    ("Pastor Samuel Kariuki visited.", "Samuel Kariuki"),
    ("Maria: I just can't sleep anymore.", "Maria"),
]


@pytest.mark.parametrize("text,name", NAMES)
def test_person_names(text, name):
    spans = ENGINE.analyze(text)
    assert covered(text, name, spans, "NAME"), (text, [(text[s.start:s.end], s.type) for s in spans])


NOT_NAMES = [
    "Continue Zoloft 50mg daily; PHQ-9 score 6, GAD-7 = 11.",
    "Continue CBT weekly and DBT skills group; consider EMDR.",
    "She has hope that things will improve and may return to work.",
    "Will send GAD-7 via portal prior to next appt.",
    "THERE IS STILL HOPE. HE WILL KEEP TAKING NALTREXONE 50MG.",
    "Reports crystal meth use x2 weeks; rates anxiety 7/10.",
    "Generalized anxiety disorder (F41.1); CPT 90837; per DSM-5 criteria.",
    "Psychoeducation provided. Supervisee reviewed Telehealth consent.",
    "Sleep improved to ~6.5 hrs. Mood fair. Denies SI/HI.",
]


@pytest.mark.parametrize("text", NOT_NAMES)
def test_clinical_words_are_not_identifiers(text):
    spans = ENGINE.analyze(text)
    assert spans == [], [(text[s.start:s.end], s.type, s.explanation) for s in spans]


DATES = [
    ("Seen on 03/14/2025 for follow-up.", "03/14/2025"),
    ("Next appt Fri 3/21 4:00 pm.", "Fri 3/21"),
    ("Next family session 2025-02-08.", "2025-02-08"),
    ("Date of intake: January 8, 2025", "January 8, 2025"),
    ("laid off on Oct. 31 last year", "Oct. 31"),
    ("Her birthday is March 14th.", "March 14th"),
    ("Phone contact — Tues 2/11/25 10:40a", "Tues 2/11/25"),
    ("in treatment since March 2023 for ADHD", "March 2023"),
    ("Date: 9 July 2025 · 80 min", "9 July 2025"),
    ("DOS 1.30.25", "1.30.25"),
    ("RESCHEDULED TO THURS 4/24 2PM", "THURS 4/24"),
    ("She moved here in April with her aunt.", "April"),
    ("Father died in 2016 (MI).", "2016"),
    ("his birthday is the 4th of July and he", "4th of July"),
    ("Date: Tuesday, March 4, 2025    Session 3", "Tuesday, March 4, 2025"),
]


@pytest.mark.parametrize("text,value", DATES)
def test_dates(text, value):
    spans = DateRecognizer().analyze(Document(text))
    assert covered(text, value, spans, "DATE"), found(text, spans)


NOT_DATES = ["Rates anxiety 7/10 today.", "Pain is 4/5 on the scale.", "Take 1/2 tab at bedtime.",
             "Sleeping x2 weeks better.", "She may call back.", "They will march on."]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text):
    assert DateRecognizer().analyze(Document(text)) == []


AGES = [("Danny is a 42-year-old man", "42"), ("17 Y/O FEMALE", "17"), ("Age: 42 | MRN", "42"),
        ("client aged 91 lives alone", "91"), ("since age 14", "14"), ("for Irene's 80th birthday", "80th"),
        ("before their daughter turns five.", "five"), ("16 y/o male", "16")]


@pytest.mark.parametrize("text,value", AGES)
def test_ages(text, value):
    spans = AgeRecognizer().analyze(Document(text))
    assert value in found(text, spans)


def test_age_after_a_name_and_relation():
    text = "Participants: Frank (78) and Gloria. Celi, 47, night-shift nurse. Children (son 11, daughter 7)."
    spans = ENGINE.analyze(text)
    ages = {text[s.start:s.end] for s in spans if s.type == "AGE"}
    assert {"78", "47", "11", "7"} <= ages


CONTACTS = [
    (PhoneRecognizer(), "Phone: (253) 555-0143 home", "(253) 555-0143"),
    (PhoneRecognizer(), "Caller from 515.555.0147 today", "515.555.0147"),
    (PhoneRecognizer(), "Fax (208) 555-0101", "(208) 555-0101"),
    (PhoneRecognizer(), "cell 1 408 555 0124", "1 408 555 0124"),
    (EmailRecognizer(), "Email: danny.tran.hou@example.net now", "danny.tran.hou@example.net"),
    (UrlRecognizer(), "his channel (youtube.com/@tobyplays_vt).", "youtube.com/@tobyplays_vt"),
    (UrlRecognizer(), "see https://example.org/page?x=1 for more", "https://example.org/page?x=1"),
    (HandleRecognizer(), "she follows @dark_thoughts99 on there", "@dark_thoughts99"),
]


@pytest.mark.parametrize("recognizer,text,value", CONTACTS)
def test_contacts(recognizer, text, value):
    spans = recognizer.analyze(Document(text))
    assert value in found(text, spans)


def test_crisis_lines_are_not_phone_numbers():
    assert PhoneRecognizer().analyze(Document("Reviewed 988 and 911; call 211 for housing.")) == []


IDS = [
    ("MRN: 00451237", "00451237"), ("member ID ZGP771034582", "ZGP771034582"), ("MRN PGH-0098812", "PGH-0098812"),
    ("Prior auth #: UM-2025-0331877", "UM-2025-0331877"), ("SSN: 912-55-0148", "912-55-0148"),
    ("SSN XXX-XX-6642", "XXX-XX-6642"), ("Case #: 2025-JV-0418", "2025-JV-0418"), ("NPI 1740298335", "1740298335"),
    ("Medicare MCR7HK2PX4TQ8", "MCR7HK2PX4TQ8"), ("License 6301019876", "6301019876"),
    ("CLAIM NUMBERS: EOB-24-99817301, EOB-24-99817302", "EOB-24-99817302"), ("plate ABC1234", "ABC1234"),
]


@pytest.mark.parametrize("text,value", IDS)
def test_ids(text, value):
    spans = IdRecognizer().analyze(Document(text))
    assert value in found(text, spans)


NOT_IDS = ["Dx F41.1 and F32.1", "CPT 90837 and 90847", "PHQ-9 = 19, GAD-7 = 9", "per DSM-5", "S/P L4-L5 FUSION"]


@pytest.mark.parametrize("text", NOT_IDS)
def test_clinical_codes_are_not_ids(text):
    assert IdRecognizer().analyze(Document(text)) == []


ADDRESSES = [
    ("Address: 9822 Bellaire Blvd Apt 214, Houston, TX 77036", "9822 Bellaire Blvd Apt 214"),
    ("Home: 1156 Payne Ave, St. Paul", "1156 Payne Ave"),
    ("ADDRESS: 4410 17TH AVE S, FARGO, ND 58103", "4410 17TH AVE S"),
    ("P.O. BOX 14079, LEXINGTON, KY 40512", "P.O. BOX 14079"),
    ("New Rx sent to CVS on Main St.", "Main St"),
]


@pytest.mark.parametrize("text,value", ADDRESSES)
def test_street_addresses(text, value):
    spans = AddressRecognizer().analyze(Document(text))
    assert any(value in text[s.start:s.end] for s in spans), found(text, spans)


PLACES = [
    ("Address: 9822 Bellaire Blvd, Houston, TX 77036", ["Houston", "TX", "77036"]),
    ("brother keeps a rifle at his house in Sugar Land.", ["Sugar Land"]),
    ("Danny was born in Da Nang and came here at 9.", ["Da Nang"]),
    ("her husband remains in Ukraine; they speak daily", ["Ukraine"]),
    ("order was granted in Wayne County on 12/2", ["Wayne County"]),
    ("SON KEVIN DRIVING IN FROM ERIE FOR HIS BIRTHDAY", ["ERIE"]),
]


@pytest.mark.parametrize("text,values", PLACES)
def test_places(text, values):
    spans = PlaceRecognizer().analyze(Document(text))
    for value in values:
        assert covered(text, value, spans, "LOCATION"), (value, found(text, spans))


ORGS = [
    ("PCP Dr. Feng at Allenmore Family Medicine; denies side effects", "Allenmore Family Medicine"),
    ("a reorg at work (Harbor Freight Logistics) and friction", "Harbor Freight Logistics"),
    ("attend Monta Vista High School in Cupertino", "Monta Vista High School"),
    ("ATTENDING AA 4X/WK AT ST. BEDE'S CHURCH BASEMENT", "ST. BEDE'S CHURCH"),
    ("varsity wrestler at University of Iowa; MRN", "University of Iowa"),
    ("CAMPUS POLICE ESCORTED TO BOSTON MEDICAL CENTER ED", "BOSTON MEDICAL CENTER"),
]


@pytest.mark.parametrize("text,value", ORGS)
def test_organizations(text, value):
    spans = OrganizationRecognizer().analyze(Document(text))
    assert covered(text, value, spans, "LOCATION"), found(text, spans)


def test_generic_programs_are_not_organizations():
    text = "Continue Intensive Outpatient Program; Relapse Prevention Plan reviewed; Bereavement Support Group."
    assert OrganizationRecognizer().analyze(Document(text)) == []


def test_every_span_explains_itself():
    text = "Client: Maria Delgado, DOB 04/02/1988, MRN: 00451237, phone (253) 555-0143, lives in Tacoma, WA 98406."
    spans = ENGINE.analyze(text)
    assert spans and all(s.explanation and s.recognizer and 0 < s.score <= 1 for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_all_caps_is_as_good_as_mixed_case():
    mixed = ("Seen with her husband Luis and Dr. Feng at Allenmore Family Medicine on 3/14/2025. "
             "Mother, Rosa Ibarra, lives in Sugar Land; call (253) 555-0143. Client: Maria Delgado, 34-year-old.")
    caps = mixed.upper()
    m = ENGINE.analyze(mixed)
    c = ENGINE.analyze(caps)
    assert [(s.start, s.end) for s in m] == [(s.start, s.end) for s in c]
