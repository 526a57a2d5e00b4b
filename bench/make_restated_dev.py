"""Write bench/data/deid/restated_dev.jsonl: a seventh development set, on one promise only.

    python bench/make_restated_dev.py            # rewrites the file (deterministic, seed 1313)

Every document restates what the client's chart knows in a form other than the one stored:
numbers said aloud (a phone number, record number, ZIP or birth date in words, digit by digit,
in groups, in pairs, with "oh" and "double"; "nineteen eighty-four"; "March third"), names
spelled letter by letter ("K-O-W-A-L-S-K-I", "K as in kilo"), the last four digits of a known
number, an extension, an e-mail address said aloud, names with particles (van der, de la, O',
Mc) written with other spacing or case, one part of a hyphenated surname, middle initials,
initials in sign-offs, lower-case and capital forms. The kinds of document: voicemail and
answering-service transcripts, dictated letters, court and probation correspondence, school
correspondence, text-message threads, intake call notes and inpatient notes in capitals.

Every person, place and number is invented here, from lists written for this file only (none
shared with the other generators); phones use the fictional 555-01xx range and e-mail domains
example.com/.org/.net. Gold spans are this generator's own record of where it put each value.
Conventions follow therapy_dev.md; a spelled name is one NAME span from its first letter to its
last, a number said aloud is one span from its first word to its last, and in_record is true
when the value written, in whatever form, is the chart's.
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
from dev_doc import MONTHS, ONES, ORD, in_pairs, two  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "deid" / "restated_dev.jsonl"

FIRST = ["Anneliese", "Bartholomew", "Cordelia", "Desmond", "Estelle", "Florian", "Griselda", "Horatio", "Imogen",
         "Jolyon", "Katrien", "Lucinda", "Maximilian", "Noor", "Octavia", "Percival", "Rosalind", "Soren", "Thaddeus",
         "Winifred", "Zofia", "Marcus", "Denise", "Tyrone", "Megan", "Jorge", "Aaliyah", "Hiroshi", "Priya", "Bogdan"]
PLAIN_LAST = ["Kowalczyk", "Brannigan", "Szymanski", "Featherstone", "Okonkwo", "Halvorsen", "Pettigrew", "Ramaswamy",
              "Castellanos", "Wojcik", "Tremblay", "Abernathy", "Lindqvist", "Marchetti", "Nakagawa", "Villanueva"]
PARTICLE_LAST = ["van der Meulen", "de la Fuente", "O'Donoghue", "McCandless", "MacAllister", "von Falkenberg",
                 "De Luca", "du Plessis", "van Houten", "O'Shaughnessy", "le Roux", "Da Silva"]
HYPHEN_LAST = ["Ortega-Blackmore", "Whitcombe-Ruiz", "Amsel-Kincaid", "Thorne-Nakamura", "Bellweather-Diaz"]
MIDDLE = ["Josephine", "Theodore", "Louise", "Augustin", "Marguerite", "Reginald", "Beatrix", "Cornelius"]
STREETS = ["Larkspur", "Quillback", "Hemlock Ridge", "Tamarack", "Bluegill", "Juniper Hollow", "Canterbury", "Wexford"]
STREET_TYPES = ["Street", "Avenue", "Road", "Lane", "Court", "Drive", "Place"]
CITIES = [("Dunmore", "PA", "185"), ("Kettle Falls", "WA", "991"), ("Bandon", "OR", "974"), ("Paonia", "CO", "814"),
          ("Lewisburg", "WV", "249"), ("Eastport", "ME", "046"), ("Silver City", "NM", "880"), ("Decorah", "IA", "521")]
EMPLOYERS = ["Fred Meyer", "Tractor Supply", "Costco", "Harbor Freight", "Walgreens", "Dollar General"]
SCHOOLS = ["Pinecrest Middle School", "Bayview Elementary", "Roosevelt High School", "Meadowlark Academy"]
CLINICIANS = [("Gwendolyn", "Ashby", "LMHC"), ("Rafael", "Quintero", "PsyD"), ("Marisol", "Benavides", "LCSW"),
              ("Alistair", "Penrose", "PhD"), ("Yusuf", "Haddad", "LMFT"), ("Ingrid", "Solberg", "LPC")]
PRACTICES = ["Riverbend Counseling", "Northgate Family Therapy", "Cedar Lantern Psychology", "Willowmere Counseling Group"]
NATO = {"A": "alpha", "B": "bravo", "C": "charlie", "D": "delta", "E": "echo", "F": "foxtrot", "G": "golf",
        "H": "hotel", "I": "india", "J": "juliet", "K": "kilo", "L": "lima", "M": "mike", "N": "november",
        "O": "oscar", "P": "papa", "Q": "quebec", "R": "romeo", "S": "sierra", "T": "tango", "U": "uniform",
        "V": "victor", "W": "whiskey", "X": "x-ray", "Y": "yankee", "Z": "zulu"}


# --------------------------------------------------------------------------- forms of a value


def digit_words(digits: str, rng: random.Random, *, oh: bool | None = None) -> str:
    oh = rng.random() < 0.6 if oh is None else oh
    out, i = [], 0
    while i < len(digits):
        if i + 1 < len(digits) and digits[i] == digits[i + 1] and rng.random() < 0.5:
            out.append("double " + ONES[int(digits[i])])
            i += 2
            continue
        out.append("oh" if digits[i] == "0" and oh else ONES[int(digits[i])])
        i += 1
    return " ".join(out)


def said_phone(digits: str, rng: random.Random) -> str:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    s = rng.randrange(4)
    if s == 0:
        return f"{digit_words(a, rng)}, {digit_words(b, rng)}, {digit_words(c, rng)}"
    if s == 1:
        return f"{digit_words(a, rng)} {digit_words(b, rng)} {in_pairs(c)}"
    if s == 2:
        return f"{digit_words(a + b, rng)}... {digit_words(c, rng)}"
    return f"{digit_words(a, rng)}, {digit_words(b, rng)}, {in_pairs(c)}"


def said_year(y: int) -> str:
    if 2000 <= y < 2010:
        return "two thousand" + ("" if y == 2000 else " " + ONES[y - 2000])
    return f"{two(y // 100)} {two(y % 100) if y % 100 >= 10 else 'oh ' + ONES[y % 100]}"


def said_date(d: dt.date, rng: random.Random) -> str:
    s = rng.randrange(4)
    if s == 0:
        return f"{MONTHS[d.month - 1]} {ORD[d.day]}, {said_year(d.year)}"
    if s == 1:
        return f"the {ORD[d.day]} of {MONTHS[d.month - 1]}, {said_year(d.year)}"
    if s == 2:
        return f"{MONTHS[d.month - 1].lower()} {two(d.day)}, {said_year(d.year)}"
    return f"{two(d.month)}, {two(d.day)}, {two(d.year % 100) if d.year % 100 >= 10 else 'oh ' + ONES[d.year % 100]}"


def spelled(word: str, rng: random.Random) -> str:
    ls = [c.upper() for c in word if c.isalpha()]
    s = rng.randrange(5)
    if s == 0:
        return "-".join(ls)
    if s == 1:
        return " ".join(ls)
    if s == 2:
        return "-".join(c.lower() for c in ls)
    if s == 3:
        return ", ".join(f"{c} as in {NATO[c]}" if k < 2 else c for k, c in enumerate(ls))
    return " ".join(f"{c} as in {NATO[c]}" for c in ls)


def digits_of(s: str) -> str:
    return re.sub(r"\D", "", s)


def said_email(email: str) -> str:
    local, domain = email.split("@")
    local = local.replace(".", " dot ").replace("_", " underscore ")
    return f"{local} at {domain.replace('.', ' dot ')}"


# --------------------------------------------------------------------------- charts

def chart(rng: random.Random, i: int) -> dict:
    first = rng.choice(FIRST)
    kind = i % 3
    last = rng.choice(PARTICLE_LAST) if kind == 0 else rng.choice(HYPHEN_LAST) if kind == 1 else rng.choice(PLAIN_LAST)
    middle = rng.choice(MIDDLE) if rng.random() < 0.7 else None
    dob = dt.date(rng.randint(1952, 2011), rng.randint(1, 12), rng.randint(1, 28))
    city, state, zip3 = rng.choice(CITIES)
    area = rng.choice([207, 304, 360, 509, 541, 563, 570, 575, 719])
    phone = f"{area}-555-01{rng.randint(10, 99)}"
    ext = str(rng.randint(200, 9899))
    work = f"{rng.choice([207, 304, 541])}-555-01{rng.randint(10, 99)} ext. {ext}"
    clean = re.sub(r"[^a-z]", "", last.lower())
    cfirst = rng.choice([f for f in FIRST if f != first])
    crel = rng.choice(["mother", "father", "sister", "partner", "grandmother"])
    clast = last if rng.random() < 0.5 else rng.choice(PLAIN_LAST)
    return {
        "client": {
            "first_name": first, "last_name": last, "middle_name": middle, "preferred_name": None,
            "dob": dob.isoformat(),
            "address": {"street": f"{rng.randint(100, 9899)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}",
                        "city": city, "state": state, "zip": f"{zip3}{rng.randint(10, 99)}"},
            "phone": phone, "work_phone": work,
            "email": f"{first.lower()}.{clean}{rng.randint(2, 99)}@example.{rng.choice(['com', 'org', 'net'])}",
            "mrn": str(rng.randint(1000000, 9999999)),
            "insurance_member_id": f"{rng.choice(['QXR', 'BTN', 'HVP'])}{rng.randint(100000000, 999999999)}",
            "employer": rng.choice(EMPLOYERS), "school": rng.choice(SCHOOLS),
        },
        "contacts": [{"relation": crel, "first_name": cfirst, "last_name": clast,
                      "phone": f"{area}-555-01{rng.randint(10, 99)}"}],
    }


def surname_part(last: str, rng: random.Random) -> str:
    """One part of a hyphenated surname, else the surname."""
    return rng.choice(last.split("-")) if "-" in last else last


def particle_variant(last: str, rng: random.Random) -> str:
    """The same surname written as people write it: other case, other spacing, apostrophe dropped."""
    if last.startswith(("O'",)):
        return rng.choice([last.replace("'", ""), last.upper(), "O " + last[2:], last.replace("'", "’")])
    if last.startswith(("Mc", "Mac")):
        return rng.choice([last.upper(), last.lower(), last[:2] + " " + last[2:] if last.startswith("Mc") else last.lower()])
    if " " in last:
        return rng.choice([last.title(), last.replace(" ", ""), last.upper(),
                           last[0].upper() + last[1:]])
    return rng.choice([last.upper(), last.lower()])


# --------------------------------------------------------------------------- documents

def doc_voicemail(rec: dict, rng: random.Random, clin) -> Doc:
    c = rec["client"]
    d = Doc("voicemail transcript", rec)
    ph = digits_of(c["phone"])
    w = digits_of(c["work_phone"].split(" ext")[0])
    ext = c["work_phone"].split("ext. ")[1]
    d.w(f"VOICEMAIL — received [[DATE|{rng.choice(['Tuesday', 'Thursday'])}]] 4:12 PM, transcribed automatically\n\n")
    d.w(f"\"hi um this is [[NAME+|{c['first_name'].lower()}]] [[NAME+|{c['last_name'].lower()}]] calling for "
        f"Dr. [[NAME|{clin[1]}]], I need to move my appointment. my last name is spelled "
        f"[[NAME+|{spelled(c['last_name'], rng)}]]. you can call me back at [[CONTACT+|{said_phone(ph, rng)}]] "
        f"or at work, that's [[CONTACT+|{said_phone(w, rng)}]] extension [[CONTACT+|{digit_words(ext, rng)}]]. "
        f"my date of birth is [[DATE+|{said_date(dt.date.fromisoformat(c['dob']), rng)}]] if you need it. "
        f"okay thanks bye\"\n\nReturned call, left message. —[[NAME|{clin[0][0]}{clin[1][0]}]]\n")
    return d


def doc_dictation(rec: dict, rng: random.Random, clin) -> Doc:
    c = rec["client"]
    d = Doc("dictated letter", rec)
    dob = dt.date.fromisoformat(c["dob"])
    mrn = c["mrn"]
    mid = c["middle_name"]
    full = f"[[NAME+|{c['first_name']}]] [[NAME+|{mid[0]}.]] [[NAME+|{c['last_name']}]]" if mid else \
        f"[[NAME+|{c['first_name']}]] [[NAME+|{c['last_name']}]]"
    d.w(f"Dictation begins. This is a letter regarding {full}, record number [[ID+|{digit_words(mrn, rng)}]], "
        f"date of birth [[DATE+|{MONTHS[dob.month - 1]} {ORD[dob.day]}]], [[DATE+|{said_year(dob.year)}]]. "
        f"Surname [[NAME+|{spelled(c['last_name'], rng)}]]. Paragraph. I have seen "
        f"[[NAME+|{c['first_name']}]] for individual therapy since "
        f"[[DATE|{rng.choice(MONTHS)} {said_year(rng.randint(2021, 2024))}]]. The client lives in "
        f"[[LOCATION+|{c['address']['city'].lower()}]], zip code [[LOCATION+|{digit_words(c['address']['zip'], rng)}]]. "
        f"Please send records to the member ID ending in [[ID+|{c['insurance_member_id'][-4:]}]]. "
        f"Sign it [[NAME|{clin[0]}]] [[NAME|{clin[1]}]], {clin[2]}. End of dictation.\n")
    return d


def doc_court(rec: dict, rng: random.Random, clin) -> Doc:
    c = rec["client"]
    d = Doc("court letter", rec)
    last = c["last_name"]
    dob = dt.date.fromisoformat(c["dob"])
    d.w(f"[[LOCATION|{rng.choice(PRACTICES)}]]\n\nHonorable [[NAME|{rng.choice(['Whitfield', 'Okafor', 'Lindahl'])}]]\n"
        f"Re: State v. [[NAME+|{last.upper()}]], [[NAME+|{c['first_name'].upper()}]]"
        f"{' [[NAME+|' + c['middle_name'][0] + '.]]' if c['middle_name'] else ''}\n"
        f"Defendant's date of birth: [[DATE+|{dob.day} {MONTHS[dob.month - 1]} {dob.year}]]\n\n"
        f"Your Honor,\n\n[[NAME+|{particle_variant(last, rng)}]] has attended weekly sessions. "
        f"Probation may reach the client at the number ending [[CONTACT+|{digits_of(c['phone'])[-4:]}]], or by e-mail "
        f"at [[CONTACT+|{c['email'].upper()}]].\n\nRespectfully,\n\n[[NAME|{clin[0]}]] [[NAME|{clin[1]}]], {clin[2]}\n"
        f"cc: [[NAME+|{c['first_name'][0]}{last[0].upper()}]]\n")
    return d


def doc_school(rec: dict, rng: random.Random, clin) -> Doc:
    c = rec["client"]
    con = rec["contacts"][0]
    d = Doc("school letter", rec)
    part = surname_part(c["last_name"], rng)
    d.w(f"To the counselor at [[LOCATION+|{c['school']}]]:\n\nI am writing at the request of "
        f"[[NAME+|{c['first_name']}]]'s {con['relation']}, [[NAME+|{con['first_name']}]] "
        f"[[NAME+|{con['last_name']}]], about [[NAME+|{c['first_name']}]] [[NAME+|{part}]] "
        f"(born [[DATE+|{dt.date.fromisoformat(c['dob']).strftime('%m.%d.%y')}]]). "
        f"[[NAME+|{c['first_name']}]] may leave class for a short break when needed. "
        f"The family asks that calls go to [[NAME+|{con['first_name'].lower()}]] at [[CONTACT+|"
        f"{said_phone(digits_of(con['phone']), rng)}]].\n\nWarmly,\n[[NAME|{clin[0]}]] [[NAME|{clin[1]}]]\n")
    return d


def doc_texts(rec: dict, rng: random.Random, clin) -> Doc:
    c = rec["client"]
    d = Doc("text-message thread", rec)
    ini = (c["first_name"][0] + (c["middle_name"][0] if c["middle_name"] else "") + c["last_name"][0]).lower()
    d.w(f"[10:02] clinic: Reminder of your appointment tomorrow at 3. Reply C to confirm.\n"
        f"[10:09] client: C. also my new address is [[LOCATION+|{c['address']['street'].lower()}]] "
        f"in [[LOCATION+|{c['address']['city'].lower()}]]\n"
        f"[10:10] clinic: Thanks! Is the number ending in [[CONTACT+|{digits_of(c['phone'])[-4:]}]] still best?\n"
        f"[10:12] client: yes. or email [[CONTACT+|{said_email(c['email'])}]]\n"
        f"[10:12] client: - [[NAME+|{ini}]]\n")
    return d


def doc_intake_call(rec: dict, rng: random.Random, clin) -> Doc:
    c = rec["client"]
    d = Doc("intake call note", rec)
    dob = dt.date.fromisoformat(c["dob"])
    mid = c["middle_name"]
    d.w(f"Intake call. Caller gave name as [[NAME+|{c['first_name']}]] "
        f"{'[[NAME+|' + mid + ']] ' if mid else ''}[[NAME+|{c['last_name']}]], spelled the last name "
        f"[[NAME+|{spelled(c['last_name'], rng)}]] and the first [[NAME+|{spelled(c['first_name'], rng)}]]. "
        f"DOB given as [[DATE+|{said_date(dob, rng)}]]. Born in [[DATE+|{said_year(dob.year)}]]. "
        f"Works at [[LOCATION+|{c['employer'].lower()}]]. Callback [[CONTACT+|{digits_of(c['phone'])}]]; "
        f"work line [[CONTACT+|{c['work_phone'].replace('ext. ', 'x')}]]. Medical record number read back as "
        f"[[ID+|{in_pairs(c['mrn']) if len(c['mrn']) % 2 == 0 else digit_words(c['mrn'][:3], rng) + ' ' + in_pairs(c['mrn'][3:])}]]. "
        f"Scheduled with [[NAME|{clin[0]}]].\n")
    return d


def doc_caps(rec: dict, rng: random.Random, clin) -> Doc:
    c = rec["client"]
    d = Doc("inpatient note in capitals", rec)
    dob = dt.date.fromisoformat(c["dob"])
    mid = c["middle_name"]
    d.w(f"PT: [[NAME+|{c['last_name']}]], [[NAME+|{c['first_name']}]]{' [[NAME+|' + mid[0] + ']]' if mid else ''}   "
        f"MRN [[ID+|{c['mrn']}]]   DOB [[DATE+|{dob.month}/{dob.day}/{dob.year % 100:02d}]]\n"
        f"S: PT STATES \"CALL MY {rec['contacts'][0]['relation']}, [[NAME+|{rec['contacts'][0]['first_name']}]]\". "
        f"REQUESTS DISCHARGE TO HOME IN [[LOCATION+|{c['address']['city']}]].\n"
        f"O: BP 128/82, HR 88. ALERT, ORIENTED X3.\nP: CONT LITHIUM 300 MG BID. F/U WITH "
        f"[[NAME|{clin[1]}]] IN 1 WK. PT'S CELL ENDING [[CONTACT+|{digits_of(c['phone'])[-4:]}]] CONFIRMED.\n"
        f"-- [[NAME+|{c['first_name'][0]}.{c['last_name'][0].upper()}.]] (PT INITIALS ON CONSENT)\n")
    return d


KINDS = [doc_voicemail, doc_dictation, doc_court, doc_school, doc_texts, doc_intake_call, doc_caps]


def build(seed: int = 1313) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(63):
        rec = chart(rng, i)
        clin = rng.choice(CLINICIANS)
        kind = KINDS[i % len(KINDS)]
        doc = kind(rec, rng, clin)
        rows.append(doc.row(f"rst-{i + 1:03d}", upper=kind is doc_caps))
    return rows


def main() -> None:
    dev_doc.write_rows(build(), OUT)


if __name__ == "__main__":
    main()
