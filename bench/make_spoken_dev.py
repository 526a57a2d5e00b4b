"""Write bench/data/deid/spoken_dev.jsonl: a fourth development set, unlike the other three.

    python bench/make_spoken_dev.py            # rewrites the file (deterministic, seed 41)

Documents where identifiers are said, spelled, shortened or written by hand rather than typed
into a field: dictated letters and reports (numbers said digit by digit, in pairs, with
"double" and "oh"; names spelled letter by letter and "as in"), voicemail and answering-
service transcripts (extensions, the last four digits of a number, call-backs), court and
probation correspondence (case, docket, badge, tracking and warrant numbers; dates in the
legal form), school correspondence (short school names, portal user names, student ids),
chat and portal messages (handles, lower-case sign-offs, weekday names, years written '19),
and inpatient notes in capitals dense with measurements, abbreviations and drug names
(wards and units with numbers, pager numbers). The charts hold more than the other sets'
(a user name, an employer, a school, a phone with an extension), so record-awareness is
measured on those too.

Every person, place and number is invented here, from lists written for this file only;
phone numbers use the fictional 555-01xx range and e-mail domains example.com/.org/.net.
Gold spans are this generator's own record of where it put each value (never the engine's
output). Conventions follow therapy_dev.md (titles and credentials outside NAME, possessive
's outside, ages are the number only, organizations are LOCATION), with two additions the
held-out sets use: a weekday naming the day of an event is a DATE, and so is a year written
with an apostrophe ('19). A spelled name is one NAME span from its first letter to its last
("M as in Mary, O, R, A" is one span). in_record is true when the value written (in any
form: spoken, spelled, last four digits, initials, lower case) is the chart's.

Templates mark identifiers inline: "[[NAME+|Ada]]" is a NAME the chart knows, "[[DATE|May 4]]"
a date it does not.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev_doc  # noqa: E402
from dev_doc import Doc  # noqa: E402
from dev_doc import MONTHS, ONES, ORD, WEEKDAYS, in_pairs, two  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "deid" / "spoken_dev.jsonl"

FIRST = ["Auberon", "Briony", "Caspian", "Dagny", "Emrys", "Fenella", "Gideon", "Henrike", "Ismay", "Jarrah", "Kerensa",
         "Leopold", "Magnus", "Nerys", "Orrin", "Petra", "Ronan", "Saoirse", "Tiberius", "Ulla", "Valentina", "Wendell",
         "Yara", "Zenobia", "Brian", "Susan", "Kevin", "Angela", "Luis", "Fatima", "Darnell", "Keiko", "Rahul", "Olga"]
WORD_FIRST = ["Ivy", "Sage", "Robin", "Jay", "Penny", "Chase", "Clay", "Lily", "Mark", "Ray"]
LAST = ["Achterberg", "Blackwood", "Cernik", "Dorrance", "Eberhardt", "Fairbanks", "Grisham", "Hollingsworth",
        "Ivanova", "Jaramillo", "Kettering", "Lindgren", "Mbeki", "Nordstrom", "Oyelaran", "Prendergast", "Quayle",
        "Rothschild", "Sandoval", "Trevelyan", "Underhill", "Vukovic", "Whitlock", "Yamamoto", "Zielinski", "Adebayo"]
PARTICLE_LAST = ["van Dijk", "de Vries", "Mac Giolla", "Dos Santos", "O'Rourke", "Lloyd-Jones", "St. John",
                 "al-Rashid", "Della Monica", "ten Brink"]
WORD_LAST = ["Cook", "Wells", "Fields", "Gardner", "Price", "Lane", "Short", "Little", "Bishop", "Banks"]
CITIES = [("Harrowgate", "WA"), ("Milbrook", "OR"), ("Quarry Bend", "ID"), ("Estacada", "OR"), ("Yelm", "WA"),
          ("Coupeville", "WA"), ("Sisters", "OR"), ("Wrenfield", "MT"), ("Tolland", "CT"), ("Ozona", "TX")]
STREET_NAMES = ["Wisteria", "Bittern", "Claybank", "Foxglove", "Ironwood", "Mallard", "Oxbow", "Sorrel", "Thistle",
                "Windlass", "Osprey", "Cobblestone"]
STREET_TYPES = ["Street", "St.", "Avenue", "Ave", "Road", "Rd", "Lane", "Drive", "Court", "Circle", "Way"]
EMPLOYERS = ["Ace", "Kroll's", "Bi-Mart", "Petco", "Carhartt", "Fastenal", "Les Schwab", "Jiffy Lube", "Boeing",
             "Amazon", "Sizzler", "U-Haul"]
SCHOOLS = ["Lowell", "Chief Kamiakin", "Mountlake", "Whitman", "Saint Rita's", "Hazelwood", "Evergreen", "Nisqually"]
SCHOOL_KINDS = ["Elementary", "Middle School", "High", "Academy", "Junior High"]
HOSPITALS = [("Tahoma Valley Medical Center", "TVMC"), ("Saint Columba Hospital", "SCH"),
             ("Rainier Crest Hospital", "RCH"), ("Mercy Harbor Regional", "MHR")]
FACILITIES = ["Lakeside Recovery", "Bridgeway House", "Cascade Crisis Center", "North Sound Detox",
              "Harbor Light Shelter", "the Gathering Place", "Stillwater Clinic"]
COURTS = ["{c} County Superior Court", "{c} Municipal Court", "{c} County Juvenile Court", "{c} District Court"]
UNITS = ["4 West", "unit 5B", "5 North", "Ward 3C", "7 East", "Unit 2A", "the 6 South unit", "Pod C4"]
DRUGS = ["HALOPERIDOL", "Depakote", "ATIVAN", "Seroquel", "LITHIUM", "clozapine", "ZYPREXA", "Trazodone", "LAMICTAL",
         "buprenorphine", "NALTREXONE", "Vistaril", "Cogentin", "PRAZOSIN", "Abilify Maintena", "Invega Sustenna"]
LANGUAGES = ["Tagalog", "Amharic", "Punjabi", "Marshallese", "Russian", "Korean", "Ukrainian", "Hmong"]
AS_IN = {"A": "apple", "B": "boy", "C": "cat", "D": "David", "E": "Edward", "F": "Frank", "G": "George", "H": "Henry",
         "I": "igloo", "J": "John", "K": "king", "L": "Larry", "M": "Mary", "N": "Nancy", "O": "ocean", "P": "Peter",
         "Q": "queen", "R": "Robert", "S": "Sam", "T": "Tom", "U": "umbrella", "V": "Victor", "W": "William",
         "X": "x-ray", "Y": "yellow", "Z": "zebra"}


# --------------------------------------------------------------------------- spoken forms


def one_by_one(digits: str, rng: random.Random) -> str:
    oh = rng.random() < 0.5
    out, i = [], 0
    while i < len(digits):
        if i + 1 < len(digits) and digits[i] == digits[i + 1] and rng.random() < 0.4:
            out.append(rng.choice(["double ", "double-"]) + ONES[int(digits[i])])
            i += 2
            continue
        out.append("oh" if digits[i] == "0" and oh else ONES[int(digits[i])])
        i += 1
    return " ".join(out)


def said_number(digits: str, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.45:
        return one_by_one(digits, rng)
    if style < 0.7:
        cut = rng.randint(2, max(2, len(digits) - 2))
        return f"{one_by_one(digits[:cut], rng)}, {one_by_one(digits[cut:], rng)}"
    return in_pairs(digits) if len(digits) % 2 == 0 else f"{ONES[int(digits[0])]} {in_pairs(digits[1:])}"


def said_phone(digits: str, rng: random.Random) -> str:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    style = rng.choice(["digits", "pairs", "dashes", "grouped"])
    if style == "digits":
        return f"{one_by_one(a, rng)}, {one_by_one(b, rng)}, {one_by_one(c, rng)}"
    if style == "pairs":
        return f"{one_by_one(a, rng)} {one_by_one(b, rng)} {in_pairs(c)}"
    if style == "dashes":
        return f"{one_by_one(a, rng)} - {one_by_one(b, rng)} - {one_by_one(c, rng)}"
    return f"{ONES[int(a[0])]} {in_pairs(a[1:])}, {ONES[int(b[0])]} {in_pairs(b[1:])}, {in_pairs(c)}"


def said_year(y: int) -> str:
    if 2000 <= y < 2010:
        return "two thousand" + ("" if y == 2000 else " " + ONES[y - 2000])
    return f"{two(y // 100)} {two(y % 100) if y % 100 >= 10 else 'oh ' + ONES[y % 100]}"


def said_date(d: dt.date, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return f"{MONTHS[d.month - 1]} {ORD[d.day]}, {said_year(d.year)}"
    if r < 0.6:
        return f"the {ORD[d.day]} of {MONTHS[d.month - 1]} {said_year(d.year)}"
    if r < 0.8:
        return f"{two(d.month)} {two(d.day)} {said_year(d.year)}"
    return f"{MONTHS[d.month - 1].lower()} {two(d.day)} {two(d.year % 100) if d.year % 100 >= 10 else 'oh ' + ONES[d.year % 100]}"


def spelled(word: str, rng: random.Random) -> str:
    letters = [c.upper() for c in word if c.isalpha()]
    style = rng.random()
    if style < 0.3:
        return "-".join(letters)
    if style < 0.5:
        return " ".join(letters) if rng.random() < 0.5 else " ".join(c.lower() for c in letters)
    if style < 0.65:
        return ". ".join(letters)
    if style < 0.8:
        return ", ".join(letters)
    # "as in": the first letters so, the rest plain
    k = rng.randint(1, min(3, len(letters)))
    head = [f"{c} as in {AS_IN[c]}" for c in letters[:k]]
    return ", ".join(head + letters[k:])


# --------------------------------------------------------------------------- the builder


# --------------------------------------------------------------------------- charts

def person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(WORD_FIRST) if rng.random() < 0.2 else rng.choice(FIRST)
    r = rng.random()
    last = rng.choice(PARTICLE_LAST) if r < 0.25 else rng.choice(WORD_LAST) if r < 0.4 else rng.choice(LAST)
    return first, last


def phone(rng: random.Random, area: int) -> str:
    return rng.choice(["({a}) 555-01{x:02d}", "{a}-555-01{x:02d}", "{a}.555.01{x:02d}", "{a} 555 01{x:02d}"]).format(
        a=area, x=rng.randint(0, 99))


def digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def letters(s: str) -> str:
    return re.sub(r"[^a-z]", "", s.lower())


def chart(rng: random.Random) -> dict:
    first, last = person(rng)
    city, state = rng.choice(CITIES)
    area = rng.choice([206, 253, 360, 425, 503, 541, 208, 406])
    dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 22000))
    street = f"{rng.randint(7, 24999)} {rng.choice(['', 'NE ', 'S ', 'W '])}{rng.choice(STREET_NAMES)} {rng.choice(STREET_TYPES)}"
    user = rng.choice([f"{letters(first)}{letters(last)[:4]}{rng.randint(1, 99)}", f"{letters(first)[0]}{letters(last)}",
                       f"{letters(first)}_{rng.choice(['rides', 'reads', 'sings', 'runs'])}{rng.randint(10, 99)}"])
    client = {"first_name": first, "last_name": last,
              "middle_name": rng.choice(FIRST) if rng.random() < 0.4 else None,
              "preferred_name": None, "dob": dob.isoformat(),
              "address": {"street": street, "city": city, "state": state, "zip": f"9{rng.randint(7000, 9999)}"},
              "phone": phone(rng, area),
              "email": f"{letters(first)}.{letters(last)}{rng.randint(1, 99)}@example.{rng.choice(['com', 'org', 'net'])}",
              "username": user,
              "mrn": rng.choice([f"{rng.randint(10**6, 10**7 - 1)}", f"MR{rng.randint(10**5, 10**6 - 1)}",
                                 f"{rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"]),
              "insurance_member_id": f"{rng.choice(['UHC', 'PRM', 'MOL', 'KPW'])}{rng.randint(10**8, 10**9 - 1)}",
              "employer": rng.choice(EMPLOYERS),
              "school": f"{rng.choice(SCHOOLS)} {rng.choice(SCHOOL_KINDS)}"}
    contacts = []
    for rel in rng.sample(["mother", "father", "sister", "brother", "wife", "husband", "grandmother", "case manager"],
                          rng.randint(1, 3)):
        cf, cl = person(rng)
        if rel in ("mother", "father", "sister", "brother") and rng.random() < 0.6:
            cl = last
        ph = phone(rng, area)
        if rel == "case manager" or rng.random() < 0.2:
            ph += f" ext. {rng.randint(100, 4999)}"
        contacts.append({"relation": rel, "first_name": cf, "last_name": cl, "phone": ph})
    return {"client": client, "contacts": contacts}


def dob_of(ch: dict) -> dt.date:
    return dt.date.fromisoformat(ch["client"]["dob"])


def a_date(rng: random.Random) -> dt.date:
    return dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 330))


def date_text(d: dt.date, rng: random.Random) -> str:
    return rng.choice([f"{d.month}/{d.day}/{d.year}", f"{d.month}/{d.day}/{d.year % 100:02d}", f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
                       f"{d.day} {MONTHS[d.month - 1]} {d.year}", f"{MONTHS[d.month - 1][:3]} {d.day}",
                       f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}", f"{d.month}/{d.day}",
                       f"{MONTHS[d.month - 1].lower()} {d.day}", f"{WEEKDAYS[d.weekday()][:3]} {d.month}/{d.day}"])


def age(ch: dict) -> int:
    return 2025 - dob_of(ch).year


def other(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST + WORD_LAST)


def c_name(ch: dict) -> str:
    c = ch["client"]
    return f"{c['first_name']} {c['last_name']}"


def ext_of(p: str) -> str | None:
    m = re.search(r"ext\.\s*(\d+)", p)
    return m.group(1) if m else None


def main_digits(p: str) -> str:
    return digits(p.split("ext")[0])


def clinical_line(rng: random.Random) -> str:
    """A line of clinical language with no identifier in it."""
    d1, d2 = rng.sample(DRUGS, 2)
    return rng.choice([
        f"BP {rng.randint(100, 150)}/{rng.randint(60, 95)}, P {rng.randint(58, 112)}, R {rng.randint(12, 22)}, T {rng.choice(['36.8', '98.6', '37.9'])}, SAT {rng.randint(91, 99)}% ON RA.",
        f"ABG {rng.choice(['7.31', '7.36', '7.44'])}/{rng.randint(33, 58)}/{rng.randint(60, 99)}/{rng.randint(19, 29)}; LACTATE {rng.choice(['1.1', '2.4', '3.8'])}.",
        f"{d1} {rng.choice([0.5, 1, 2, 5, 10])} MG IM Q6H PRN AGITATION; {d2} {rng.choice([25, 50, 100, 200])} MG PO QHS.",
        f"{rng.randint(2, 4)} PT ASSIST TO BSC. {rng.randint(1, 3)} DR NOTIFIED. ST SEGMENTS WNL ON 12-LEAD.",
        f"CIWA {rng.randint(3, 19)} AT {rng.randint(1, 12)}:{rng.choice(['00', '30', '45'])}; COWS {rng.randint(2, 14)}. MMSE {rng.randint(20, 30)}/30.",
        f"I/O {rng.randint(800, 2400)}/{rng.randint(600, 2000)}. BMI {rng.randint(18, 41)}. A1C {rng.choice(['5.9', '7.2', '9.4'])}%.",
        f"VENT: SIMV {rng.choice([12, 14, 16])}, TV {rng.choice([400, 450, 500])}, PEEP {rng.randint(5, 12)}, I:E 1:{rng.randint(2, 4)}.",
        f"INTERPRETER ({rng.choice(LANGUAGES).upper()}) PRESENT. PT PREFERS {rng.choice(LANGUAGES).upper()}.",
        f"HEENT: NCAT. CV: RRR, NO M/R/G. PULM: CTAB. NEURO: A&O X{rng.randint(2, 4)}, CN II-XII INTACT.",
        f"DX: {rng.choice(['F20.9', 'F31.2', 'F25.0', 'F11.20', 'F32.A'])}; R/O {rng.choice(['F06.2', 'F10.231', 'G47.33'])}.",
        f"Q15 CHECKS, 1:1 SITTER X {rng.randint(2, 24)} HRS. C-SSRS SCREEN POSITIVE. BPRS {rng.randint(25, 70)}.",
    ])


# --------------------------------------------------------------------------- documents

def dictated_letter(rng, ch):
    c = ch["client"]
    d = Doc("dictated letter", ch)
    doc_f, doc_l = other(rng)
    when = a_date(rng)
    ca = rng.choice(ch["contacts"])
    d.w(f"[[DATE|{rng.choice([f'{MONTHS[when.month - 1]} {when.day}, {when.year}', f'{when.day} {MONTHS[when.month - 1]} {when.year}'])}]]\n\n")
    d.w(rng.choice([f"To Whom It May Concern at [[LOCATION+|{c['employer']}]]:\n\n",
                    f"Human Resources\n[[LOCATION+|{c['employer']}]]\n\nDear Ms. [[NAME|{rng.choice(LAST)}]],\n\n"]))
    d.w(f"RE: [[NAME+|{c['first_name']}]] [[NAME+|{c['last_name']}]], DOB [[DATE+|{dob_of(ch).month}/{dob_of(ch).day}/{dob_of(ch).year}]]\n\n")
    d.w(rng.choice([
        f"I have treated Mr. [[NAME+|{c['last_name']}]] since the summer of [[DATE|'{rng.randint(18, 24)}]] for a condition that limits sustained concentration. ",
        f"[[NAME+|{c['first_name']}]] has been in my care since [[DATE|{MONTHS[rng.randint(0, 11)]} '{rng.randint(19, 24)}]]. ",
    ]))
    d.w(rng.choice([
        f"I ask that [[NAME+|{c['first_name'].upper()}]] be excused from shifts through [[DATE|{WEEKDAYS[rng.randint(0, 4)]}]] and return on [[DATE|{date_text(a_date(rng), rng)}]]. ",
        f"A graduated return of four-hour shifts, {rng.randint(3, 5)} days a week, starting [[DATE|{WEEKDAYS[rng.randint(0, 4)]} the {ORD[rng.randint(1, 28)]}]] is recommended. ",
    ]))
    d.w(rng.choice([
        f"Please direct questions to my office at [[CONTACT|{phone(rng, 253)}]], or to the client's {ca['relation']}, [[NAME+|{ca['first_name']} {ca['last_name']}]].",
        f"The client consents to this disclosure (release signed [[DATE|{date_text(a_date(rng), rng)}]]).",
    ]))
    d.w(f"\n\nSincerely,\n\n[[NAME|{doc_f} {doc_l}]], PsyD\nLicensed Psychologist, WA [[ID|PY{rng.randint(10**7, 10**8 - 1)}]]\n")
    d.w(rng.choice([f"[[NAME|{doc_f[0]}{doc_l[0]}]]/[[NAME|{rng.choice('abcdefghjkmnprstw')}{rng.choice('abcdefghjklmnprstw')}]]\n",
                    f"cc: [[NAME+|{c['first_name'].lower()} {c['last_name'].lower()}]] (client)\n"]))
    return d


def dictation(rng, ch):
    c = ch["client"]
    d = Doc("dictation transcript", ch)
    doc_f, doc_l = other(rng)
    seen = a_date(rng)
    d.w(rng.choice([f"This is Dr. [[NAME|{doc_l}]] dictating a progress note on ", f"Dictation, [[NAME|{doc_f.lower()} {doc_l.lower()}]], for patient "]))
    d.w(f"[[NAME+|{c['first_name']} {c['last_name']}]], last name spelled [[NAME+|{spelled(c['last_name'], rng)}]]. ")
    d.w(rng.choice([f"Date of birth [[DATE+|{said_date(dob_of(ch), rng)}]]. ",
                    f"D O B is [[DATE+|{said_date(dob_of(ch), rng)}]]. "]))
    d.w(rng.choice([f"Medical record number [[ID+|{said_number(digits(c['mrn']), rng)}]]. ",
                    f"M R N [[ID+|{said_number(digits(c['mrn']), rng)}]]. ",
                    f"Chart is [[ID+|{c['mrn']}]]. "]))
    d.w(f"Date of service [[DATE|{said_date(seen, rng)}]], that was a [[DATE|{WEEKDAYS[seen.weekday()].lower() if rng.random() < 0.3 else WEEKDAYS[seen.weekday()]}]]. ")
    d.w(rng.choice([
        f"Patient was seen on [[LOCATION|{rng.choice(UNITS)}]] at [[LOCATION|{rng.choice(HOSPITALS)[1]}]], bed {rng.randint(1, 30)}. ",
        f"Patient was seen in clinic. Works at [[LOCATION+|{c['employer']}]] on the night shift. ",
        f"Patient is a [[AGE|{age(ch)}]]-year-old who lives with {rng.choice(['her', 'his'])} {ca_rel(ch)}, [[NAME+|{ch['contacts'][0]['first_name']}]], in [[LOCATION+|{c['address']['city']}]]. ",
    ]))
    d.w(rng.choice([
        f"Continue {rng.choice(DRUGS).lower()} {rng.choice([25, 50, 100])} milligrams at bedtime, comma, and {rng.choice(DRUGS).lower()} as needed, period. ",
        f"Vitals: blood pressure {rng.randint(100, 150)} over {rng.randint(60, 95)}, heart rate {rng.randint(60, 110)}, PHQ nine of {rng.randint(3, 24)}. ",
    ]))
    d.w(rng.choice([
        f"Questions, page me at [[CONTACT|{rng.randint(20000, 79999)}]]. ",
        f"Call back number for the {ch['contacts'][0]['relation']} is [[CONTACT+|{said_phone(main_digits(ch['contacts'][0]['phone']), rng)}]]. ",
        f"The {ca_rel(ch)} can be reached at the number ending [[CONTACT+|{said_number(main_digits(ch['contacts'][0]['phone'])[-4:], rng)}]]. ",
    ]))
    d.w(f"End of dictation. Job number [[ID|{rng.randint(10**5, 10**7)}]]. D: [[DATE|{seen.month}/{seen.day}/{seen.year % 100}]] T: [[DATE|{seen.month}/{min(28, seen.day + 1)}/{seen.year % 100}]] [[NAME|{rng.choice('bcdfghkmt')}{rng.choice('bcdfghkmt')}]]\n")
    return d


def voicemail(rng, ch):
    c = ch["client"]
    ca = rng.choice(ch["contacts"])
    d = Doc("voicemail transcript", ch)
    when = a_date(rng)
    d.w(f"Voicemail received [[DATE|{WEEKDAYS[when.weekday()][:3]} {when.month}/{when.day}]] {rng.randint(1, 11)}:{rng.randint(10, 59)} PM, {rng.randint(20, 95)} seconds\n")
    d.w("Transcript: \"")
    d.w(rng.choice([f"Hi, this is [[NAME+|{ca['first_name']}]], [[NAME+|{c['first_name']}]]'s {ca['relation']}. ",
                    f"Yeah hi it's [[NAME+|{ca['first_name'].lower()}]] calling about [[NAME+|{c['first_name'].lower()}]]. ",
                    f"Hello, [[NAME+|{ca['first_name']} {ca['last_name']}]] here. "]))
    d.w(rng.choice([
        f"[[NAME+|{c['first_name']}]] didn't come home after work at [[LOCATION+|{c['employer']}]] on [[DATE|{WEEKDAYS[rng.randint(0, 6)]}]] and I'm worried. ",
        f"We're at the ER at [[LOCATION|{rng.choice(HOSPITALS)[0]}]], they moved {rng.choice(['him', 'her'])} up to [[LOCATION|{rng.choice(UNITS)}]]. ",
        f"{rng.choice(['She', 'He'])} has a court date [[DATE|{WEEKDAYS[rng.randint(0, 4)]} the {ORD[rng.randint(1, 28)]}]] and I don't know what to do. ",
    ]))
    ph = ca["phone"]
    ext = ext_of(ph)
    d.w(f"You can reach me at [[CONTACT+|{said_phone(main_digits(ph), rng)}]]")
    if ext:
        d.w(rng.choice([f", extension [[CONTACT+|{said_number(ext, rng)}]]", f", ext [[CONTACT+|{ext}]]"]))
    d.w(rng.choice([". ", f", or my cell, the one ending in [[CONTACT|{rng.randint(1000, 9999)}]]. ",
                    f", I'm off [[DATE|{WEEKDAYS[rng.randint(0, 6)].lower()}]]. "]))
    d.w("Thanks, bye.\"\n")
    d.w(rng.choice([f"Returned call [[DATE|{when.month}/{when.day}]], left message. -[[NAME|{rng.choice(FIRST).lower()}]]\n",
                    f"Forwarded to Dr. [[NAME|{rng.choice(LAST)}]]. [[NAME|{rng.choice('ABCDEFGHJKLMNPRSTW')}.{rng.choice('ABCDEFGHJKLMNPRSTW')}.]]\n"]))
    return d


def court_letter(rng, ch):
    c = ch["client"]
    d = Doc("court and probation correspondence", ch)
    county = rng.choice(CITIES)[0]
    court = rng.choice(COURTS).format(c=county)
    po = other(rng)
    hearing = a_date(rng)
    d.w(f"[[LOCATION|{county} County Department of Corrections]], Community Supervision\n")
    d.w(f"Re: State v. [[NAME+|{c['last_name']}]], [[LOCATION|{court}]]\n")
    d.w(rng.choice([f"Cause No. [[ID|{rng.randint(20, 25)}-1-{rng.randint(10000, 99999)}-{rng.randint(10, 39)}]]   Docket [[ID|{rng.choice(['CR', 'JUV', 'TR'])}{rng.randint(1000, 99999)}]]\n",
                    f"Case # [[ID|{rng.randint(2023, 2025)}CF{rng.randint(100, 9999):04d}]]; DOC # [[ID|{rng.randint(100000, 999999)}]]\n"]))
    d.w(f"Offender: [[NAME+|{c['last_name'].upper()}, {c['first_name'].upper()}]]" + (f" [[NAME+|{c['middle_name'][0]}.]]" if c.get("middle_name") else "") + f"   DOB: [[DATE+|{dob_of(ch).month:02d}-{dob_of(ch).day:02d}-{dob_of(ch).year}]]\n\n")
    d.w(f"Dear Counselor,\n\nThis office supervises the above individual under the judgment and sentence entered [[DATE|{date_text(a_date(rng), rng)}]]. ")
    d.w(rng.choice([
        f"A review hearing is set for the [[DATE|{ORD[hearing.day]} day of {MONTHS[hearing.month - 1]}, {hearing.year}]], at 1:30 p.m. in Courtroom {rng.randint(1, 9)}{rng.choice('ABC')}. ",
        f"A review hearing is set for [[DATE|{WEEKDAYS[hearing.weekday()]}, {MONTHS[hearing.month - 1]} {hearing.day}]] at 9:00 before Judge [[NAME|{rng.choice(LAST)}]]. ",
    ]))
    d.w(rng.choice([
        f"Officer [[NAME|{rng.choice(LAST)}]] (badge [[ID|{rng.randint(100, 9999)}]]) made contact at the residence, [[LOCATION+|{c['address']['street']}]], on [[DATE|{date_text(a_date(rng), rng)}]]. ",
        f"The UA was sent by certified mail, tracking [[ID|9407 1{rng.randint(100, 999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}]]. ",
        f"A bench warrant (warrant no. [[ID|W{rng.randint(10**5, 10**6 - 1)}]]) was quashed on [[DATE|{date_text(a_date(rng), rng)}]]. ",
    ]))
    d.w(rng.choice([
        f"Please send attendance records by fax to [[CONTACT|{phone(rng, 360)}]], attention [[NAME|{po[0]} {po[1]}]], CCO. ",
        f"Treatment compliance is required under RCW 9.94A.703 and CrR 7.6. Please confirm by [[DATE|{WEEKDAYS[rng.randint(0, 4)]}]]. ",
    ]))
    d.w(f"\n\nRespectfully,\n[[NAME|{po[0]} {po[1]}]], Community Corrections Officer {rng.choice(['II', 'III'])}\n")
    return d


def school_letter(rng, ch):
    c = ch["client"]
    d = Doc("school correspondence", ch)
    school = c["school"]
    short = re.sub(r" (?:Elementary|Middle School|High|Academy|Junior High)$", "", school)
    couns = other(rng)
    d.w(f"[[LOCATION+|{school}]] - Counseling Office\n{rng.choice(['Student Support Team notes', 'Attendance letter', 'Re-entry meeting summary'])}\n")
    d.w(f"Student: [[NAME+|{c['first_name']} {c['last_name']}]]   Grade {rng.randint(6, 12)}   Student ID [[ID|{rng.randint(10**6, 10**7 - 1)}]]\n")
    d.w(rng.choice([f"Portal login: [[CONTACT+|{c['username']}]]\n", f"Chromebook account: [[CONTACT+|{c['username']}@students.example.org]]\n"]))
    d.w(f"Meeting held [[DATE|{date_text(a_date(rng), rng)}]] in Room {rng.randint(100, 240)}.\n\n")
    d.w(rng.choice([
        f"[[NAME+|{c['first_name']}]] transferred to [[LOCATION+|{short}]] from [[LOCATION|{rng.choice([s for s in SCHOOLS if not school.startswith(s)])}]] after the move from [[LOCATION|{rng.choice(CITIES)[0]}]]. ",
        f"Since returning from [[LOCATION|{rng.choice(FACILITIES)}]], [[NAME+|{c['first_name']}]] has missed {rng.randint(3, 15)} days. ",
    ]))
    d.w(rng.choice([
        f"Mother ([[NAME+|{ch['contacts'][0]['first_name']}]]) says the posts from [[CONTACT|@{rng.choice(['night', 'crow', 'static', 'lunar'])}{rng.choice(['owl', 'fang', 'kid', 'ghost'])}{rng.randint(1, 99)}]] started in [[DATE|{MONTHS[rng.randint(0, 11)].lower()}]]. ",
        f"Teachers report {rng.choice(['he', 'she'])} is on [[CONTACT+|{c['username']}]] in class most of the period. ",
        f"504 plan reviewed; accommodations per IDEA and WAC 392-172A. Next review [[DATE|{WEEKDAYS[rng.randint(0, 4)]}]]. ",
    ]))
    d.w(rng.choice([f"Next meeting: [[DATE|{date_text(a_date(rng), rng)}]].", f"Parent to call the office, [[CONTACT|{phone(rng, 425)} x{rng.randint(200, 299)}]]."]))
    d.w(rng.choice([f"\n\nthanks -- [[NAME|{couns[0].lower()}]]\n", f"\n\n[[NAME|{couns[0]} {couns[1]}]], School Counselor, [[LOCATION+|{short}]]\n",
                    f"\n\n- [[NAME|{couns[0][0].lower()}{couns[1][0].lower()}]]\n"]))
    return d


def chat_log(rng, ch):
    c = ch["client"]
    d = Doc("portal and chat messages", ch)
    ca = rng.choice(ch["contacts"])
    thr = other(rng)
    day = a_date(rng)
    d.w(f"Secure message thread, [[DATE|{WEEKDAYS[day.weekday()]} {day.month}/{day.day}]]\n")
    d.w(f"From: [[CONTACT+|{c['username']}]] ([[NAME+|{c['first_name']} {c['last_name']}]])\n")
    d.w(rng.choice([
        f"> can we move [[DATE|thurs]] to [[DATE|fri]]? I picked up a shift at [[LOCATION+|{c['employer']}]]\n",
        f"> my {ca['relation']} [[NAME+|{ca['first_name'].lower()}]] will drive me, she's at [[CONTACT+|{said_phone(main_digits(ca['phone']), rng)}]] if I'm late\n",
        f"> i haven't slept since [[DATE|sunday]]. the new dose of {rng.choice(DRUGS).lower()} isn't working\n",
    ]))
    d.w(rng.choice([
        f"> also someone named [[CONTACT|@{letters(rng.choice(FIRST))}_{rng.randint(100, 999)}]] keeps messaging me\n",
        f"> I was born in [[DATE|'{dob_of(ch).year % 100:02d}]] not [[DATE|'{(dob_of(ch).year + 1) % 100:02d}]], the form is wrong\n",
        f"> my new number is [[CONTACT+|{c['phone']}]]\n",
    ]))
    d.w(f"> - [[NAME+|{c['first_name'].lower()}]]\n")
    d.w(rng.choice([f"Reply: Hi [[NAME+|{c['first_name']}]], yes, [[DATE|Friday]] at 3 works. -[[NAME|{thr[0]}]]\n",
                    f"Reply: Got it. See you [[DATE|{date_text(a_date(rng), rng)}]]. [[NAME|{thr[0]} {thr[1]}]], LMHC\n"]))
    return d


def caps_inpatient(rng, ch):
    c = ch["client"]
    d = Doc("inpatient note in capitals", ch)
    att = other(rng)
    hosp = rng.choice(HOSPITALS)
    adm = a_date(rng)
    d.w(f"[[LOCATION|{hosp[0]}]] - BEHAVIORAL HEALTH, [[LOCATION|{rng.choice(['4 WEST', '5 NORTH', 'UNIT 3C', 'WARD 7E'])}]]\n")
    d.w(f"PSYCHIATRY PROGRESS NOTE   [[DATE|{adm.month:02d}/{adm.day:02d}/{adm.year}]] {rng.randint(7, 17):02d}{rng.choice(['00', '15', '40'])}\n")
    d.w(f"NAME: [[NAME+|{c['last_name']}, {c['first_name']}]]   MRN: [[ID+|{c['mrn']}]]   AGE: [[AGE|{age(ch)}]]   ROOM {rng.randint(400, 499)}-{rng.choice('AB')}\n")
    d.w(f"S: PT STATES \"I WANT TO GO HOME TO [[LOCATION+|{c['address']['city']}]].\" ENDORSES POOR SLEEP. {clinical_line(rng)}\n")
    d.w(f"O: {clinical_line(rng)} {clinical_line(rng)}\n")
    d.w(f"MEDS: {', '.join(rng.sample(DRUGS, 3))}.\n")
    d.w(rng.choice([
        f"A/P: {clinical_line(rng)} COLLATERAL FROM {ca_rel(ch)} [[NAME+|{ch['contacts'][0]['first_name']}]] AT [[CONTACT+|{main_digits(ch['contacts'][0]['phone'])[:3]}-{main_digits(ch['contacts'][0]['phone'])[3:6]}-{main_digits(ch['contacts'][0]['phone'])[6:]}]].\n",
        f"A/P: TRANSFER TO [[LOCATION|{rng.choice(FACILITIES)}]] WHEN BED AVAILABLE, EST [[DATE|{WEEKDAYS[rng.randint(0, 6)]}]]. {clinical_line(rng)}\n",
        f"A/P: {clinical_line(rng)} PT WAS AT [[LOCATION|{rng.choice(HOSPITALS)[1]}]] IN [[DATE|{MONTHS[rng.randint(0, 11)][:3]} '{rng.randint(19, 24)}]].\n",
    ]))
    d.w(rng.choice([f"[[NAME|{att[0]} {att[1]}]], MD  PAGER [[CONTACT|{rng.randint(20000, 79999)}]]\n",
                    f"SIGNED: [[NAME|{att[1]}]], [[NAME|{att[0][0]}]]. DO / PGR [[CONTACT|{rng.randint(2000, 7999)}]]\n"]))
    return d


def ca_rel(ch: dict) -> str:
    return ch["contacts"][0]["relation"]


KINDS = [dictated_letter, dictation, voicemail, court_letter, school_letter, chat_log, caps_inpatient]


def build(n_per_kind: int = 10, seed: int = 41) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for k, kind in enumerate(KINDS):
        for i in range(n_per_kind):
            doc = kind(rng, chart(rng))
            upper = kind is caps_inpatient or (kind is dictation and i % 4 == 3)
            rows.append(doc.row(f"spk-{k + 1:02d}{i + 1:02d}", upper=upper))
    return rows


def main() -> None:
    dev_doc.write_rows(build(), OUT)


if __name__ == "__main__":
    main()
