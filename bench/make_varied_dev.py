"""Write bench/data/deid/varied_dev.jsonl: a second development set, unlike therapy_dev.

    python bench/make_varied_dev.py            # rewrites the file (deterministic, seed 13)

Documents of kinds the first set has few of: letters, dictation with numbers said aloud,
voicemail transcripts, court and school correspondence, dialogue transcripts with speaker
labels, notes in capitals, and dense clinical notes (vitals, labs, medications, headings)
with few identifiers. Every person, place and number is invented here; phone numbers use
the fictional 555-01xx range and e-mail domains example.com/.org.

The gold spans come from this generator's own knowledge of where it inserted each value
(never from the engine): the builder below records the offsets as it writes. Conventions
follow therapy_dev (see therapy_dev.md): titles and credentials outside NAME spans, the
possessive 's outside, ages are the number only, organizations are LOCATION, and
`in_record` is true when the inserted value is the chart's (in whatever form it is
written: spelled, spoken, last four digits, initials).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev_doc  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "deid" / "varied_dev.jsonl"

FIRST = ["Maribel", "Tobias", "Wren", "Desmond", "Ilse", "Octavia", "Ruben", "Noor", "Callum", "Yesenia", "Benedikt",
         "Soraya", "Anders", "Lucinda", "Kwame", "Priya", "Thaddeus", "Marisol", "Eamon", "Hollis", "Ines", "Joaquin",
         "Delphine", "Rafferty", "Annika", "Cyrus", "Mireille", "Otis", "Leocadia", "Bram"]
WORD_FIRST = ["Hope", "Grant", "Will", "Rose", "Faith", "Page", "Dawn", "Sterling", "Summer", "Pearl"]
LAST = ["Okonkwo", "Haverford", "Lindqvist", "Paszkiewicz", "Thibodeaux", "Marchetti", "Abernathy", "Villanueva",
        "Szabo", "Kowalczyk", "Ashworth", "Nakagawa", "Ferreira", "Rasmussen", "Delacroix", "Brannigan", "Okafor",
        "Quintero", "Halvorsen", "Whitcombe", "Castellanos", "Moreau", "Yilmaz", "Pemberton"]
PARTICLE_LAST = ["van der Berg", "De la Cruz", "O'Sullivan", "García-Ruiz", "St. Clair", "McAllister", "Ben-David",
                 "d'Arcy", "Le Blanc", "Al-Hashimi"]
WORD_LAST = ["Park", "Bell", "Stone", "Fox", "Hill", "Marsh", "Wolfe"]
CITIES = [("Fernhollow", "OR"), ("Marrowick", "WA"), ("Glenbrae", "ID"), ("Tessaly", "MT"), ("Cold Harbor", "ME"),
          ("Ashby Falls", "VT"), ("Quillan", "NM"), ("Brennock", "OH"), ("Lowmarsh", "MN"), ("Saltreach", "CA")]
STREETS = ["Alder", "Tamarack", "Quince", "Hollyhock", "Barlow", "Kestrel", "Juniper", "Wexford", "Larch", "Pennywhistle"]
STREET_TYPES = ["St", "Ave", "Rd", "Ln", "Dr", "Ct", "Way", "Blvd"]
ORGS = ["Riverbend Family Clinic", "Saint Brigid Medical Center", "Harlow County Superior Court", "Fernhollow PD",
        "Marrowick Middle School", "Tessaly Public Library", "Kestrel Ridge Elementary", "Brannock Hardware",
        "Good Shepherd Hospital", "Lowmarsh Youth Soccer League", "North Quillan High School",
        "Glenbrae Community College", "Pinecrest Behavioral Health", "Cold Harbor Fish Market", "Ashby Falls Dental"]
ORG_ACRONYMS = [("SBMC", "Saint Brigid Medical Center"), ("GSH", "Good Shepherd Hospital"), ("RFC", "Riverbend Family Clinic")]
DRUGS = ["sertraline", "QUETIAPINE", "Lisinopril", "METOPROLOL", "Heparin", "LORAZEPAM", "Vancomycin", "Furosemide",
         "Haldol", "ZOSYN", "Insulin glargine", "Pantoprazole", "OLANZAPINE", "Lasix", "Coumadin", "Keppra"]
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
            9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth", 14: "fourteenth",
            15: "fifteenth", 16: "sixteenth", 17: "seventeenth", 18: "eighteenth", 19: "nineteenth", 20: "twentieth",
            21: "twenty-first", 22: "twenty-second", 23: "twenty-third", 24: "twenty-fourth", 25: "twenty-fifth",
            26: "twenty-sixth", 27: "twenty-seventh", 28: "twenty-eighth", 29: "twenty-ninth", 30: "thirtieth",
            31: "thirty-first"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SPANISH_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
                  "noviembre", "diciembre"]


# --------------------------------------------------------------------------- spoken forms

def two_digits(n: int) -> str:
    if n < 10:
        return ONES[n]
    if n < 20:
        return TEENS[n - 10]
    return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])


def pair(two: str) -> str:
    """'04' -> 'oh four', '43' -> 'forty-three'."""
    return f"oh {ONES[int(two[1])]}" if two[0] == "0" else two_digits(int(two))


def digit_words(digits: str, oh: bool) -> str:
    return " ".join("oh" if d == "0" and oh else ONES[int(d)] for d in digits)


def spoken_phone(digits: str, rng: random.Random) -> str:
    """'two five three, five five five, oh one four three' or grouped ('five fifty-five')."""
    a, b, c = digits[:3], digits[3:6], digits[6:]
    style = rng.choice(["digits", "digits", "grouped"])
    if style == "digits":
        return f"{digit_words(a, False)}, {digit_words(b, False)}, {digit_words(c, rng.random() < 0.7)}"
    tail = f"{'oh' if c[0] == '0' else ONES[int(c[0])]} {ONES[int(c[1])]} {pair(c[2:])}"
    return f"{ONES[int(a[0])]} {two_digits(int(a[1:]))}, {ONES[int(b[0])]} {two_digits(int(b[1:]))}, {tail}"


def spoken_year(y: int) -> str:
    if 2000 <= y < 2010:
        return "two thousand" + ("" if y == 2000 else " " + ONES[y - 2000])
    return f"{two_digits(y // 100)} {two_digits(y % 100) if y % 100 >= 10 else 'oh ' + ONES[y % 100]}"


def spoken_date(d: dt.date, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{MONTHS[d.month - 1]} {ORDINALS[d.day]}, {spoken_year(d.year)}"
    return f"{two_digits(d.month)} {two_digits(d.day)} {two_digits(d.year % 100) if d.year % 100 >= 10 else 'oh ' + ONES[d.year % 100]}"


def spelled(word: str, rng: random.Random) -> str:
    letters = [c.upper() for c in word if c.isalpha()]
    return rng.choice(["-", " ", ". "]).join(letters)


# --------------------------------------------------------------------------- the builder

class Doc:
    """Text written piece by piece; every identifier's offsets are recorded as it is written."""

    def __init__(self, style: str, record: dict):
        self.style = style
        self.record = record
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[dict] = []

    def t(self, text: str) -> "Doc":
        self.parts.append(text)
        self.pos += len(text)
        return self

    def e(self, value: str, type_: str, in_record: bool = False) -> "Doc":
        self.spans.append({"start": self.pos, "end": self.pos + len(value), "type": type_, "text": value,
                           "in_record": in_record})
        return self.t(value)

    def row(self, doc_id: str, upper: bool = False) -> dict:
        text = "".join(self.parts)
        spans = self.spans
        if upper:
            assert len(text.upper()) == len(text)
            text = text.upper()
            spans = [{**s, "text": text[s["start"]:s["end"]]} for s in spans]
        for s in spans:
            assert text[s["start"]:s["end"]] == s["text"], s
        return {"id": doc_id, "style": self.style, "record": self.record, "text": text, "spans": spans}


# --------------------------------------------------------------------------- charts

def make_person(rng: random.Random, word_names: bool = True) -> tuple[str, str]:
    first = rng.choice(WORD_FIRST) if word_names and rng.random() < 0.2 else rng.choice(FIRST)
    r = rng.random()
    last = rng.choice(PARTICLE_LAST) if r < 0.3 else rng.choice(WORD_LAST) if r < 0.4 else rng.choice(LAST)
    return first, last


def phone(rng: random.Random, area: int | None = None) -> str:
    return f"({area or rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}"


def handle(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalpha())


def make_chart(rng: random.Random) -> dict:
    first, last = make_person(rng)
    city, state = rng.choice(CITIES)
    dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 25000))
    area = rng.randint(201, 989)
    client = {
        "first_name": first, "last_name": last, "middle_name": rng.choice(FIRST) if rng.random() < 0.4 else None,
        "preferred_name": None, "dob": dob.isoformat(),
        "address": {"street": f"{rng.randint(10, 9999)} {rng.choice(['N ', 'S ', 'E ', 'W ', ''])}{rng.choice(STREETS)} "
                              f"{rng.choice(STREET_TYPES)}", "city": city, "state": state,
                    "zip": f"{rng.randint(10000, 99999)}"},
        "phone": phone(rng, area),
        "email": f"{first.lower()}.{handle(last)}{rng.randint(1, 99)}@example.com",
        "mrn": f"{rng.randint(10**7, 10**8 - 1)}",
        "insurance_member_id": f"{''.join(rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(3))}{rng.randint(10**8, 10**9 - 1)}",
    }
    contacts = []
    for relation in rng.sample(["mother", "father", "spouse", "sister", "brother", "emergency contact"], rng.randint(1, 3)):
        cf, cl = make_person(rng)
        if relation in ("mother", "father", "sister", "brother") and rng.random() < 0.6:
            cl = last
        contacts.append({"relation": relation, "first_name": cf, "last_name": cl, "phone": phone(rng, area)})
    return {"client": client, "contacts": contacts}


def dob(chart: dict) -> dt.date:
    return dt.date.fromisoformat(chart["client"]["dob"])


def digits(p: str) -> str:
    return "".join(c for c in p if c.isdigit())


def other_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def some_date(rng: random.Random, year: int = 2025) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 360))


def age_of(chart: dict) -> int:
    return 2025 - dob(chart).year


# --------------------------------------------------------------------------- documents

def letter(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("letter", chart)
    clin_f, clin_l = other_name(rng)
    org = rng.choice(ORGS)
    day = some_date(rng)
    d.e(org, "LOCATION").t("\n").e(f"{rng.randint(100, 999)} {rng.choice(STREETS)} Street", "LOCATION").t(", ")
    d.e(c["address"]["city"], "LOCATION", True).t(", ").e(c["address"]["state"], "LOCATION", True).t("\n\n")
    d.e(f"{MONTHS[day.month - 1]} {day.day}, {day.year}", "DATE").t("\n\nRe: ")
    d.e(f"{c['first_name']} {c['last_name']}", "NAME", True).t(" (DOB ").e(dob(chart).strftime("%m/%d/%Y"), "DATE", True)
    d.t(")\n\nDear Ms. ").e(rng.choice(LAST), "NAME").t(",\n\nI write at the request of my patient, ")
    mid = c.get("middle_name")
    if mid:
        d.e(f"{c['first_name']} {mid[0]}. {c['last_name']}", "NAME", True)
    else:
        d.e(c["first_name"], "NAME", True)
    d.t(", whom I have seen since ").e(f"{MONTHS[(day.month + 5) % 12]} {day.year - 1}", "DATE")
    d.t(". ").e(c["first_name"], "NAME", True).t("'s attendance has been steady; the last visit was on ")
    d.e(WEEKDAYS[day.weekday()], "DATE").t(", ").e(f"{MONTHS[day.month - 1]} {day.day}", "DATE").t(". ")
    con = chart["contacts"][0]
    d.t(f"Her {con['relation']}, ").e(f"{con['first_name']} {con['last_name']}", "NAME", True).t(", may be reached at ")
    d.e(con["phone"], "CONTACT", True).t(". Our office is at ").e("(" + digits(c["phone"])[:3] + ") 555-0100", "CONTACT")
    d.t(", ext. ").e(str(rng.randint(200, 499)), "CONTACT").t(".\n\nSincerely,\n\n").e(f"{clin_f} {clin_l}", "NAME")
    d.t(", PsyD\n").e(f"{clin_f[0]}{clin_l[0]}".lower(), "NAME").t("/").e("mk", "NAME").t("\n")
    return d


def dictation(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("dictation", chart)
    dr_f, dr_l = other_name(rng)
    d.t("This is Dr. ").e(dr_l, "NAME").t(" dictating a psychiatric evaluation on ").e(
        f"{c['first_name'].lower()} {c['last_name'].lower()}", "NAME", True).t(", last name spelled ")
    d.e(spelled(c["last_name"], rng), "NAME", True).t(", medical record number ")
    d.e(digit_words(c["mrn"], False), "ID", True).t(", date of birth ").e(spoken_date(dob(chart), rng), "DATE", True)
    d.t(". Date of service ").e(spoken_date(some_date(rng), rng), "DATE").t(". The patient is a ")
    d.e(two_digits(age_of(chart)), "AGE").t("-year-old referred by ").e(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "NAME")
    d.t(" at ").e(rng.choice(ORG_ACRONYMS)[0], "LOCATION").t(". The patient can be reached at ")
    d.e(spoken_phone(digits(c["phone"]), rng), "CONTACT", True).t(", and the ")
    con = chart["contacts"][0]
    d.t(f"{con['relation']}'s number is ").e(spoken_phone(digits(con["phone"]), rng), "CONTACT", True)
    d.t(". Current medications include ").t(rng.choice(DRUGS)).t(" fifty milligrams daily. Period. New paragraph. ")
    d.t("Mental status: alert, oriented times three. Plan: follow up in two weeks with ")
    d.e(f"{rng.choice(FIRST)}", "NAME").t(" in the ").e("Tessaly", "LOCATION").t(" office. End of dictation.\n")
    return d


def voicemail(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("voicemail transcript", chart)
    con = rng.choice(chart["contacts"])
    when = some_date(rng)
    d.t("Voicemail received ").e(f"{when.month}/{when.day}", "DATE").t(" 4:12 PM, transcribed:\n\"Hi, um, this is ")
    d.e(con["first_name"].lower(), "NAME", True).t(", ").e(c["first_name"], "NAME", True).t("'s ")
    d.t(f"{con['relation']}, calling about the appointment on ").e(WEEKDAYS[rng.randint(0, 4)].lower(), "DATE")
    d.t(". Can you call me back at ").e(spoken_phone(digits(con["phone"]), rng), "CONTACT", True)
    d.t(", or my work line, extension ").e(digit_words(str(rng.randint(200, 899)), False), "CONTACT")
    d.t(". Her record number ends in ").e(digit_words(c["mrn"][-4:], True), "ID", True)
    d.t(" if that helps. Oh and the pager at the hospital is ").e(f"{rng.randint(40000, 49999)}", "CONTACT")
    d.t(". We're on ").e(c["address"]["street"].split(" ", 1)[1].lower(), "LOCATION", True)
    d.t(" now, not the old place on ").e(rng.choice(STREETS), "LOCATION").t(". Okay, bye.\"\nLast four of caller's number: ")
    d.e(digits(con["phone"])[-4:], "CONTACT", True).t(".\n")
    return d


def court(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("court correspondence", chart)
    judge = rng.choice(LAST)
    year = rng.choice([2024, 2025])
    d.e("Harlow County Superior Court", "LOCATION").t("\nCase No. ").e(f"{year % 100}-{rng.randint(1, 3)}-{rng.randint(10000, 99999)}-{rng.randint(1, 9)}", "ID")
    d.t("\nIn re the Matter of: ").e(f"{c['last_name'].upper()}, {c['first_name'].upper()}", "NAME", True)
    d.t("\n\nTo the Honorable ").e(judge, "NAME").t(":\n\nPursuant to the order entered on the ")
    day = rng.randint(1, 28)
    mon = rng.randint(1, 12)
    d.e(f"{ORDINALS[day]} day of {MONTHS[mon - 1]}, {year}", "DATE").t(", the respondent, ")
    d.e(f"{c['first_name']} {c['last_name']}", "NAME", True).t(", has attended treatment. On or about ")
    d.e(f"{MONTHS[(mon + 1) % 12]} {day}", "DATE").t(" Officer ").e(rng.choice(LAST), "NAME").t(" (badge #")
    d.e(str(rng.randint(1000, 9999)), "ID").t(") of the ").e("Fernhollow PD", "LOCATION").t(" filed report ")
    d.e(f"FPD-{year}-{rng.randint(100000, 999999)}", "ID").t(". Docket ").e(f"CR-{rng.randint(1000, 9999)}-{year % 100}", "ID")
    d.t(" is set for hearing within ").t("14 days").t(" per RCW 10.05.020. Counsel, ")
    af, al = other_name(rng)
    d.e(f"{af} {al}", "NAME").t(", Esq., was served by certified mail, tracking number ")
    d.e(f"9400 1{rng.randint(100, 999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}", "ID")
    d.t(".\n\nRespectfully,\n").e(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "NAME").t(", LMHC\n")
    return d


def school(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("school correspondence", chart)
    school_name = rng.choice(["Marrowick Middle School", "Kestrel Ridge Elementary", "North Quillan High School"])
    d.t("To: ").e(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "NAME").t(", school counselor, ").e(school_name, "LOCATION")
    d.t("\nFrom: ").e(rng.choice(ORGS[:2]), "LOCATION").t("\nRe: student ").e(f"{c['first_name']} {c['last_name']}", "NAME", True)
    d.t(", ID ").e(f"S{rng.randint(100000, 999999)}", "ID").t(", grade 7\n\n")
    d.e(c["first_name"], "NAME", True).t(" will miss class on ").e(f"{WEEKDAYS[rng.randint(0, 4)]} the {ORDINALS[rng.randint(1, 28)].replace('twenty-', 'twenty ')}", "DATE")
    d.t(" for an appointment. ").e(c["first_name"].upper(), "NAME", True).t(" asked that Mr. ").e(rng.choice(LAST), "NAME")
    d.t(" not be told. The IEP meeting is ").e(f"{rng.randint(1, 28)} {MONTHS[rng.randint(0, 11)]} 2025", "DATE")
    d.t(" (written day first at the family's request). Her Instagram is ").e(f"@{c['first_name'].lower()}_{rng.randint(10, 99)}", "CONTACT")
    d.t(" and her school login is ").e(f"{c['first_name'][0].lower()}{handle(c['last_name'])[:6]}{rng.randint(10, 99)}", "CONTACT")
    d.t(".\n\nThank you,\n").e(f"{rng.choice(FIRST)[0]}.{rng.choice(LAST)[0]}.", "NAME").t("\n")
    return d


def transcript(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("dialogue transcript", chart)
    t_name = rng.choice(FIRST)
    con = chart["contacts"][0]
    d.t("Session transcript (audio), ").e(f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/25", "DATE").t("\n")
    d.e("T", "NAME").t(": How was the week, ").e(c["first_name"].lower(), "NAME", True).t("?\n")
    d.e(c["first_name"][0], "NAME", True).t(": Rough. My ").t(con["relation"]).t(" ").e(con["first_name"].lower(), "NAME", True)
    d.t(" kept calling. I blocked ").e(con["first_name"].upper(), "NAME", True).t(" on ").e("Tuesday", "DATE").t(".\n")
    d.e("T", "NAME").t(": And work at ").e(rng.choice(["Cold Harbor Fish Market", "Brannock Hardware"]), "LOCATION").t("?\n")
    d.e(c["first_name"][0], "NAME", True).t(": My manager ").e(rng.choice(WORD_FIRST), "NAME").t(" moved me to nights. ")
    d.t("I told ").e(t_name, "NAME").t(" at the front desk, she said call ").e(rng.choice(FIRST), "NAME").t(".\n")
    d.e("T", "NAME").t(": We'll pick up on ").e(f"{WEEKDAYS[rng.randint(0, 4)]} {rng.randint(1, 12)}/{rng.randint(1, 28)}", "DATE").t(".\n")
    return d


def caps_note(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("note in capitals", chart)
    con = chart["contacts"][-1]
    d.t("PROGRESS NOTE  ").e(f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/2025", "DATE").t("\nPT: ")
    d.e(f"{c['last_name']}, {c['first_name']}", "NAME", True).t("  MRN ").e(c["mrn"], "ID", True).t("\n")
    d.t("S: PT SEEN WITH ").t(con["relation"]).t(" ").e(con["first_name"], "NAME", True).t(". REPORTS POOR SLEEP SINCE ")
    d.e(MONTHS[rng.randint(0, 11)].lower(), "DATE").t(". LIVES ON ").e(rng.choice(STREETS), "LOCATION").t(" IN ")
    d.e(c["address"]["city"], "LOCATION", True).t(". WORKS AT ").e(rng.choice(["Tessaly Public Library", "Ashby Falls Dental"]), "LOCATION")
    d.t(".\nO: BP 132/86, HR 88, AFEBRILE. ON ").t(rng.choice(DRUGS)).t(" 25 MG QHS.\n")
    d.t("A: MDD, RECURRENT, MODERATE (F33.1). NO SI/HI.\nP: RTC 2 WKS. CALL ").e(c["phone"], "CONTACT", True)
    d.t(" IF WORSE. SEEN AT ").e("SBMC", "LOCATION").t(", TRANSFERRED TO ").e("WARD 6", "LOCATION").t(", RM 12.\n-- ").e(rng.choice(LAST), "NAME").t(" RN\n")
    return d


def clinical(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("dense clinical note", chart)
    day = some_date(rng)
    doc_f, doc_l = other_name(rng)
    d.t("ADMISSION H&P\nPatient: ").e(f"{c['first_name']} {c['last_name']}", "NAME", True).t("   MRN: ").e(c["mrn"], "ID", True)
    d.t("\nAdmit date: ").e(day.strftime("%m/%d/%Y"), "DATE").t("   Attending: ").e(f"{doc_f} {doc_l}", "NAME").t(", MD\n\n")
    d.t("HPI: ").e(str(age_of(chart)), "AGE").t(" yo with hx of HTN, DM2, CKD stage 3, presenting with SOB x3d. ")
    d.t("Denies CP. Pt Ct reviewed. Seen at ").e(rng.choice(ORG_ACRONYMS)[0], "LOCATION").t(" ED.\n\n")
    d.t("VITALS: T 38.2 C, BP 142/88 (range 118-150/70-92), HR 104, RR 22, SpO2 91% on 4L NC.\n")
    d.t("ABG: 7.31/52/68/26. Vent: AC 450x16, PEEP 8, FiO2 0.5, I:E 1:2.\n")
    d.t("LABS: Na 134, K 5.1, Cr 2.3 (baseline 1.8), BUN 41, WBC 13.2, Hgb 9.8, Plt 210, INR 1.4, BNP 1240.\n")
    d.t("MEDS: ").t(", ".join(rng.sample(DRUGS, 4))).t(", ASA 81 mg daily.\n")
    d.t("ALLERGIES: PCN (rash).\nASSESSMENT: Acute on chronic HFrEF, AKI on CKD, CAP.\n")
    d.t("PLAN:\n1. Diuresis with IV Lasix 40 mg BID; strict I/O.\n2. CTX/azithro per CAP protocol; f/u cultures.\n")
    d.t("3. Cards consult (Dr. ").e(rng.choice(LAST), "NAME").t("). GCS 15. Pain 3/10. Glucose 7/day checks.\n")
    d.t("4. Given 2 Pt Ed handouts; 1 Ct head negative. Dispo: ").e("Unit 4B", "LOCATION").t(" when stable. Discussed with ").e(chart["contacts"][0]["first_name"], "NAME", True)
    d.t(" at bedside at 14:30.\n")
    return d


def intake_form(rng: random.Random, chart: dict) -> Doc:
    c = chart["client"]
    d = Doc("intake form", chart)
    d.t("Name: ").e(f"{c['first_name'].lower()} {c['last_name'].lower()}", "NAME", True).t("\nDOB: ")
    b = dob(chart)
    d.e(f"{b.day:02d}.{b.month:02d}.{b.year}", "DATE", True).t("\nBorn: ").e(f"{b.day} de {SPANISH_MONTHS[b.month - 1]} de {b.year}", "DATE", True)
    d.t("\nAddress: ").e(c["address"]["street"], "LOCATION", True).t(", ").e(c["address"]["city"].lower(), "LOCATION", True)
    d.t("\nCell: ").e(c["phone"], "CONTACT", True).t("  Alt: ").e(f"x{digits(c['phone'])[-4:]}", "CONTACT", True)
    d.t("\nEmail: ").e(c["email"], "CONTACT", True).t("\nInsurance: ").e(c["insurance_member_id"], "ID", True)
    d.t("\nGraduated: class of ").e(f"'{rng.randint(85, 99)}", "DATE").t("\nLanguage: Spanish\n")
    d.t("Emergency contact: ").e(f"{chart['contacts'][0]['first_name']} {chart['contacts'][0]['last_name']}", "NAME", True).t("\n")
    return d


KINDS = [letter, dictation, voicemail, court, school, transcript, caps_note, clinical, intake_form]


def build(n_per_kind: int = 7, seed: int = 13) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for k, kind in enumerate(KINDS):
        for i in range(n_per_kind):
            chart = make_chart(rng)
            doc = kind(rng, chart)
            rows.append(doc.row(f"var-{k + 1:02d}{i + 1:02d}", upper=kind is caps_note))
    return rows


def main() -> None:
    dev_doc.write_rows(build(), OUT)


if __name__ == "__main__":
    main()
