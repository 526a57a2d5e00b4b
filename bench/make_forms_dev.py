"""Write bench/data/deid/forms_dev.jsonl: a third development set, unlike the first two.

    python bench/make_forms_dev.py            # rewrites the file (deterministic, seed 29)

Kinds of documents neither therapy_dev nor varied_dev holds, each written from several
phrasings chosen at random so that no two documents share one template: release-of-
information forms, fax cover sheets and referrals, e-mail threads, text-message logs,
phone messages taken by a front desk (numbers grouped and said in other ways),
psychological testing reports (scores, percentiles), nursing shift notes (clock times,
rooms, beds), insurance prior authorizations (codes and numbers that are and are not
identifiers), court orders and subpoenas, and hospital discharge summaries in capitals
dense with clinical language. The names, places, organizations, drugs and devices come
from lists written for this file only (not the lists the other two sets use).

Every person, place and number is invented; phone numbers use the fictional 555-01xx
range and e-mail domains are example.com/.org/.net. The gold spans are this generator's
own record of where it put each value (never the engine's output). Conventions follow
therapy_dev.md: titles and credentials outside NAME spans, possessive 's outside, ages
are the number only, organizations are LOCATION, states and countries are LOCATION,
and in_record is true when the value written (in whatever form) is the chart's.

Templates mark identifiers inline: "[[NAME+|Ada]]" is a NAME the chart knows,
"[[DATE|May 4]]" a date it does not.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev_doc  # noqa: E402
from dev_doc import MONTHS, ONES, ORD, WEEKDAYS, two  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "deid" / "forms_dev.jsonl"

FIRST = ["Anouk", "Bartholomew", "Cosima", "Dashiell", "Efua", "Florian", "Giedre", "Hamish", "Itzel", "Jovan",
         "Katarzyna", "Lorcan", "Mehmet", "Nadia", "Oona", "Pascal", "Quentin", "Rosalind", "Sunniva", "Tadeo",
         "Ulrike", "Vasco", "Wilhelmina", "Ximena", "Yusuf", "Zofia", "Jennifer", "Michael", "Linda", "Carlos",
         "Tamika", "Deshawn", "Mei", "Arjun", "Siobhan", "Gustavo"]
WORD_FIRST = ["Brook", "Sky", "Grace", "Miles", "Drew", "Joy", "Rusty", "Autumn", "Frank", "Hunter", "Melody", "Bill"]
LAST = ["Aldana", "Brzezinski", "Cavanagh", "Dunmore", "Esterhazy", "Fairweather", "Gunnarsson", "Hargreaves",
        "Iwasaki", "Jablonski", "Kirchner", "Lindgren", "Mbeki", "Nakashima", "Oyelaran", "Prendergast", "Quarles",
        "Rautio", "Sandoval", "Tremblay", "Uchenna", "Valdivia", "Wojcik", "Yamamoto", "Zielinski", "Johnson",
        "Nguyen", "Patel", "Garcia", "Washington"]
PARTICLE_LAST = ["von Stade", "de Souza", "ter Horst", "Dela Rosa", "Van Buren", "O'Donoghue", "Fitz-Simmons",
                 "LaFleur", "Mac Lochlainn", "dos Santos", "El-Amin", "St. Germain"]
WORD_LAST = ["Baker", "Young", "Hall", "Wood", "King", "Bird", "Church", "Rivers", "Mills", "Snow"]
CITIES = [("Kellsworth", "NV"), ("Dunmore Flats", "KS"), ("Oriel", "WI"), ("Spokane", "WA"), ("Duluth", "MN"),
          ("Asheville", "NC"), ("Kalamazoo", "MI"), ("Bend", "OR"), ("Pruett", "AR"), ("Larkin Springs", "CO"),
          ("Sorrel Bay", "ME"), ("Harrowgate", "PA")]
STREET_NAMES = ["Magnolia", "Cottonwood", "Sycamore", "Heron", "Bluebell", "Whitlow", "Garnet", "Copperfield",
                "Lantern", "Millrace", "Orchard", "Fennel"]
STREET_TYPES = ["Street", "St", "Avenue", "Ave", "Road", "Drive", "Lane", "Court", "Place", "Terrace", "Pkwy"]
COUNTRIES = ["Guatemala", "Ukraine", "Somalia", "Vietnam", "the Philippines", "Eritrea", "Honduras", "Poland"]
STATES = ["Ohio", "Texas", "Georgia", "Oregon", "Michigan", "Arizona", "Vermont"]
ORG_KINDS = ["Regional Medical Center", "Community Hospital", "Family Practice", "Counseling Associates",
             "Unified School District", "Municipal Court", "Sheriff's Office", "Police Department",
             "Public Schools", "Food Co-op", "Credit Union", "Auto Body", "Veterinary Clinic", "Behavioral Health",
             "Recovery Center", "Middle School", "Pediatrics", "Urgent Care"]
WORD_ORGS = ["Good Samaritan Hospital", "Mercy General", "Sacred Heart Medical Center", "Valley View Hospital",
             "Harbor Lights Shelter", "Open Door Clinic", "New Beginnings Treatment Center", "Silver Pines",
             "Cedar Hills Hospital", "Providence St. Vincent", "Lakeview Academy", "Safe Haven House"]
STORES = ["Costco", "Walgreens", "Home Depot", "Safeway", "Fred Meyer", "Dollar General", "Kroger", "Big Lots"]
ACRONYMS = [("VVH", "Valley View Hospital"), ("SHMC", "Sacred Heart Medical Center"), ("CHH", "Cedar Hills Hospital"),
            ("GSH", "Good Samaritan Hospital")]
DRUGS = ["Eliquis", "APIXABAN", "Xarelto", "metronidazole", "CEFTRIAXONE", "Norvasc", "amlodipine", "PROTONIX",
         "Zofran", "ondansetron", "DILAUDID", "Toradol", "Senna", "Colace", "MiraLAX", "Depakote ER", "Synthroid",
         "Plavix", "atorvastatin", "LIPITOR", "Humalog", "Lantus", "Solu-Medrol", "Decadron", "Bactrim", "FLAGYL",
         "Augmentin", "Cipro", "Precedex", "Versed", "Cogentin", "Benadryl", "Klonopin", "Seroquel XR",
         "Invega Sustenna", "Abilify Maintena", "Naltrexone", "Vivitrol", "Buprenorphine-naloxone", "Trazodone",
         "Hydroxyzine pamoate", "Prazosin", "Lamictal XR", "Lithium carbonate", "Clozaril"]
DEVICES = ["Foley catheter", "PICC line", "Pleur-evac", "Dexcom G7", "Omnipod", "BiPAP", "Hoyer lift",
           "Medtronic insulin pump", "Alaris pump", "Zoll LifeVest", "Holter monitor", "CPAP"]
LANGUAGES = ["Vietnamese", "Somali", "ASL", "Haitian Creole", "Tigrinya", "Polish", "Mandarin", "K'iche'"]


def said_digits(digits: str, rng: random.Random) -> str:
    oh = rng.random() < 0.6
    out, i = [], 0
    while i < len(digits):
        if i + 1 < len(digits) and digits[i] == digits[i + 1] and rng.random() < 0.3:
            out.append("double " + ONES[int(digits[i])])
            i += 2
            continue
        out.append("oh" if digits[i] == "0" and oh else ONES[int(digits[i])])
        i += 1
    return " ".join(out)


def said_phone(digits: str, rng: random.Random) -> str:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    style = rng.choice(["digits", "pairs", "plain"])
    if style == "digits":
        return f"{said_digits(a, rng)} {said_digits(b, rng)} {said_digits(c, rng)}"
    if style == "pairs":
        cc = f"{'oh' if c[0] == '0' else ONES[int(c[0])]} {ONES[int(c[1])]}, " + (
            f"oh {ONES[int(c[3])]}" if c[2] == "0" else two(int(c[2:])))
        return f"{said_digits(a, rng)}... {said_digits(b, rng)}... {cc}"
    return f"{said_digits(a, rng)}-{said_digits(b, rng)}-{said_digits(c, rng)}"


def Doc(style: str, record: dict) -> dev_doc.Doc:
    return dev_doc.Doc(style, record, ordered=False)


# --------------------------------------------------------------------------- charts

def person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(WORD_FIRST) if rng.random() < 0.2 else rng.choice(FIRST)
    r = rng.random()
    last = rng.choice(PARTICLE_LAST) if r < 0.25 else rng.choice(WORD_LAST) if r < 0.4 else rng.choice(LAST)
    return first, last


def phone(rng: random.Random, area: int) -> str:
    return rng.choice(["({a}) 555-01{x:02d}", "{a}-555-01{x:02d}", "{a}.555.01{x:02d}"]).format(a=area, x=rng.randint(0, 99))


def digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def org(rng: random.Random, city: str | None = None) -> str:
    r = rng.random()
    if r < 0.35:
        return rng.choice(WORD_ORGS)
    place = city or rng.choice(CITIES)[0]
    return f"{place} {rng.choice(ORG_KINDS)}"


def chart(rng: random.Random) -> dict:
    first, last = person(rng)
    city, state = rng.choice(CITIES)
    area = rng.randint(201, 989)
    dob = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 27000))
    street = f"{rng.randint(12, 9899)} {rng.choice(['', 'N ', 'SW ', 'E '])}{rng.choice(STREET_NAMES)} {rng.choice(STREET_TYPES)}"
    client = {"first_name": first, "last_name": last,
              "middle_name": rng.choice(FIRST) if rng.random() < 0.5 else None,
              "preferred_name": None, "dob": dob.isoformat(),
              "address": {"street": street, "city": city, "state": state, "zip": f"{rng.randint(10000, 99999)}"},
              "phone": phone(rng, area), "email": f"{first[0].lower()}{re.sub('[^a-z]', '', last.lower())}{rng.randint(1, 999)}@example.net",
              "mrn": f"{rng.choice(['', 'M', 'H'])}{rng.randint(10**6, 10**7 - 1)}",
              "insurance_member_id": f"{''.join(rng.choice('BCDFGHKMNPRTWXYZ') for _ in range(2))}{rng.randint(10**7, 10**8 - 1)}"}
    contacts = []
    for rel in rng.sample(["mother", "father", "wife", "husband", "daughter", "son", "guardian", "partner"], rng.randint(1, 3)):
        cf, cl = person(rng)
        if rel in ("mother", "father", "daughter", "son") and rng.random() < 0.5:
            cl = last
        contacts.append({"relation": rel, "first_name": cf, "last_name": cl, "phone": phone(rng, area)})
    return {"client": client, "contacts": contacts}


def dob_of(ch: dict) -> dt.date:
    return dt.date.fromisoformat(ch["client"]["dob"])


def a_date(rng: random.Random) -> dt.date:
    return dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300))


def date_forms(d: dt.date, rng: random.Random) -> str:
    return rng.choice([f"{d.month}/{d.day}/{d.year}", f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
                       f"{MONTHS[d.month - 1]} {d.day}, {d.year}", f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
                       f"{d.year}-{d.month:02d}-{d.day:02d}", f"{MONTHS[d.month - 1][:3]}. {d.day}",
                       f"{d.month}-{d.day}-{d.year}"])


def age(ch: dict) -> int:
    return 2025 - dob_of(ch).year


def other(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST + WORD_LAST)


def clinical_line(rng: random.Random) -> str:
    """A line of clinical language with no identifier in it."""
    d1, d2 = rng.sample(DRUGS, 2)
    return rng.choice([
        f"BP {rng.randint(95, 120)}-{rng.randint(125, 160)}/{rng.randint(55, 70)}-{rng.randint(75, 95)}, HR {rng.randint(60, 110)}, SpO2 {rng.randint(90, 99)}% RA.",
        f"ABG {rng.choice(['7.28', '7.32', '7.41', '7.45'])}/{rng.randint(35, 62)}/{rng.randint(55, 98)}/{rng.randint(18, 30)} on FiO2 {rng.choice(['0.4', '0.5', '40%'])}.",
        f"Vent settings AC {rng.choice([400, 450, 500])}x{rng.randint(12, 20)}, PEEP {rng.randint(5, 10)}, I:E 1:{rng.randint(2, 3)}.",
        f"Continue {d1} {rng.choice([5, 10, 25, 50])} mg PO daily and {d2} PRN.",
        f"Pt educated; {rng.randint(2, 6)} Pt handouts given. {rng.randint(1, 3)} Ct scans reviewed.",
        f"GCS {rng.randint(13, 15)}, CIWA {rng.randint(2, 14)}, COWS {rng.randint(1, 12)}, pain {rng.randint(0, 9)}/10.",
        f"{rng.choice(DEVICES)} in place; {rng.choice(DEVICES)} ordered.",
        f"Interpreter used ({rng.choice(LANGUAGES)}). Pt speaks {rng.choice(LANGUAGES)} at home.",
        f"MoCA {rng.randint(18, 30)}/30, PHQ-9 {rng.randint(2, 24)}, GAD-7 {rng.randint(2, 20)}, AUDIT-C {rng.randint(0, 10)}.",
        f"Meds given at {rng.randint(6, 11):02d}{rng.choice(['00', '30', '45'])} and {rng.randint(13, 22)}:{rng.choice(['00', '15', '30'])}.",
        f"Na {rng.randint(130, 145)}, K {rng.choice(['3.4', '4.1', '5.0'])}, Cr {rng.choice(['0.9', '1.4', '2.2'])}, WBC {rng.choice(['7.2', '12.9', '15.1'])}, Hgb {rng.choice(['9.1', '11.8', '13.4'])}.",
        f"Dx: {rng.choice(['F33.1', 'F41.1', 'F10.20', 'F43.10', 'I10', 'E11.9'])}; CPT {rng.choice(['90837', '90791', '99214', '90834'])}.",
    ])


# --------------------------------------------------------------------------- documents

def roi_form(rng, ch):
    c, con = ch["client"], rng.choice(ch["contacts"])
    d = Doc("release of information form", ch)
    who, recv = org(rng, c["address"]["city"]), org(rng)
    b = dob_of(ch)
    d.w("AUTHORIZATION FOR RELEASE OF PROTECTED HEALTH INFORMATION\n(45 CFR 164.508; 42 C.F.R. Part 2)\n\n")
    d.w(f"Patient Name (Last, First, MI): [[NAME+|{c['last_name']}, {c['first_name']}]]" +
        (f" [[NAME+|{c['middle_name'][0]}.]]" if c.get("middle_name") else "") + "\n")
    d.w(f"Date of Birth: [[DATE+|{b.month:02d}/{b.day:02d}/{b.year}]]    Record #: [[ID+|{c['mrn']}]]\n")
    d.w(f"Address: [[LOCATION+|{c['address']['street']}]], [[LOCATION+|{c['address']['city']}]], "
        f"[[LOCATION+|{c['address']['state']}]] [[LOCATION+|{c['address']['zip']}]]\n")
    d.w(f"Phone: [[CONTACT+|{c['phone']}]]   Email: [[CONTACT+|{c['email']}]]\n\n")
    d.w(f"I authorize [[LOCATION|{who}]] to disclose to: [[LOCATION|{recv}]], Attn: ")
    af, al = other(rng)
    d.w(f"[[NAME|{af} {al}]], Medical Records, fax [[CONTACT|{rng.randint(201, 989)}-555-01{rng.randint(10, 99)}]]\n")
    d.w("Information to be released: [X] Diagnosis  [X] Medication list  [ ] Psychotherapy notes  [X] Dates of service\n")
    d.w("Purpose: Continuity of care. This authorization expires on [[DATE|" + date_forms(a_date(rng), rng) + "]] or one year from signing.\n")
    d.w("Signature of Patient or Legal Representative: ")
    d.w(rng.choice([f"[[NAME+|{c['first_name'].lower()} {c['last_name'].lower()}]]",
                    f"/s/ [[NAME+|{c['first_name']} {c['last_name']}]]",
                    f"[[NAME+|{c['first_name'][0]}. {c['last_name']}]]"]))
    d.w(f"   Date: [[DATE|{a_date(rng).strftime('%m/%d/%y')}]]\n")
    d.w(f"Relationship to Patient: self\nWitness: [[NAME|{rng.choice(FIRST)} {rng.choice(LAST)}]], CMA\n")
    if rng.random() < 0.5:
        d.w(f"Guardian/Representative: [[NAME+|{con['first_name']} {con['last_name']}]] ({con['relation']}) "
            f"[[CONTACT+|{con['phone']}]]\n")
    return d


def fax_cover(rng, ch):
    c = ch["client"]
    d = Doc("fax cover and referral", ch)
    sf, sl = other(rng)
    rf, rl = other(rng)
    frm = org(rng)
    d.w(f"FAX\n[[LOCATION|{frm}]]\n[[LOCATION|{rng.randint(100, 9999)} {rng.choice(STREET_NAMES)} {rng.choice(STREET_TYPES)}, "
        f"Suite {rng.randint(100, 450)}]]\n")
    d.w(f"To: Dr. [[NAME|{rl}]]   Fax: [[CONTACT|({rng.randint(201, 989)}) 555-01{rng.randint(10, 99)}]]\n")
    d.w(f"From: [[NAME|{sf} {sl}]], RN, BSN   Phone: [[CONTACT|{rng.randint(201, 989)}-555-01{rng.randint(10, 99)}]] ext [[CONTACT|{rng.randint(1000, 4999)}]]\n")
    d.w(f"Date: [[DATE|{date_forms(a_date(rng), rng)}]]   Pages (incl. cover): {rng.randint(2, 9)}\n")
    d.w(f"RE: Referral - [[NAME+|{c['first_name']} {c['last_name']}]], DOB [[DATE+|{dob_of(ch).strftime('%m/%d/%Y')}]]\n\n")
    d.w(rng.choice([
        f"Please see [[NAME+|{c['first_name'][0]}.{c['last_name'][0]}.]] for outpatient psychiatry after discharge from [[LOCATION|{rng.choice(WORD_ORGS)}]]. ",
        f"Referring [[NAME+|{c['last_name']}]] for med management; last seen at [[LOCATION|{rng.choice(ACRONYMS)[0]}]] on [[DATE|{WEEKDAYS[rng.randint(0, 4)]}]]. ",
        f"Pt ([[AGE|{age(ch)}]] y/o) referred by [[NAME|{rf} {rl}]], NP for eval. ",
    ]))
    d.w(clinical_line(rng) + " " + clinical_line(rng) + "\n")
    d.w("CONFIDENTIALITY NOTICE: The documents accompanying this fax contain health information that is legally "
        "privileged. If you have received this in error, notify the sender at the number above.\n")
    return d


def email_thread(rng, ch):
    c, con = ch["client"], rng.choice(ch["contacts"])
    d = Doc("e-mail thread", ch)
    tf, tl = other(rng)
    when = a_date(rng)
    d.w(f"From: [[NAME+|{con['first_name']} {con['last_name']}]] <[[CONTACT|{con['first_name'].lower()}.{re.sub('[^a-z]', '', con['last_name'].lower())}@example.org]]>\n")
    d.w(f"Sent: [[DATE|{WEEKDAYS[when.weekday()]}, {MONTHS[when.month - 1]} {when.day}, {when.year}]] 9:14 PM\n")
    d.w(f"To: [[NAME|{tf} {tl}]]\nSubject: [[NAME+|{c['first_name']}]] - missed appt\n\n")
    d.w(rng.choice([f"Hi [[NAME|{tf}]],\n\n", f"Dear Dr. [[NAME|{tl}]],\n\n", "Hello,\n\n"]))
    d.w(rng.choice([
        f"[[NAME+|{c['first_name']}]] didn't make it [[DATE|tuesday]] because the bus from [[LOCATION+|{c['address']['city'].lower()}]] broke down. ",
        f"Sorry [[NAME+|{c['first_name'].lower()}]] missed [[DATE|Thursday]]; we were at [[LOCATION|{rng.choice(STORES)}]] until close. ",
        f"My {con['relation']} [[NAME+|{c['first_name']}]] was in the ER at [[LOCATION|{rng.choice(WORD_ORGS)}]] over the weekend. ",
    ]))
    d.w(rng.choice([
        f"You can text me at [[CONTACT+|{con['phone']}]] anytime after 5.",
        f"My cell ends in [[CONTACT+|{digits(con['phone'])[-4:]}]] if you need it.",
        f"Best number is still the one ending [[CONTACT+|{digits(con['phone'])[-4:]}]].",
    ]))
    d.w(f"\n\nthanks,\n[[NAME+|{con['first_name'].lower()}]]\n\n")
    d.w(f"On [[DATE|{MONTHS[when.month - 1][:3]} {max(1, when.day - 1)}, {when.year}]], at 8:02 AM, [[NAME|{tf} {tl}]] wrote:\n")
    d.w(f"> Reminder: [[NAME+|{c['first_name']}]] is scheduled [[DATE|{WEEKDAYS[rng.randint(0, 4)]} {when.month}/{when.day}]] at 3:30 PM.\n")
    d.w(f"> -- \n> [[NAME|{tf} {tl}]], LICSW | [[LOCATION|{org(rng)}]] | [[CONTACT|www.{re.sub('[^a-z]', '', tl.lower())}counseling.example.com]]\n")
    return d


def text_log(rng, ch):
    c, con = ch["client"], rng.choice(ch["contacts"])
    d = Doc("text-message log", ch)
    when = a_date(rng)
    d.w(f"SMS log exported [[DATE|{when.month}/{when.day}/{when.year}]]\n")
    lines = [
        f"[09:41] Clinic: Hi [[NAME+|{c['first_name']}]], this is a reminder of your appt tmrw [[DATE|{when.month}/{when.day + 1 if when.day < 28 else 1}]] @ 10am. Reply C to confirm.",
        "[09:58] Client: C",
        f"[10:02] Client: can my {con['relation']} [[NAME+|{con['first_name'].lower()}]] come too",
        "[10:05] Clinic: Yes, with your written OK. Pls bring insurance card.",
        f"[10:06] Client: ok its [[ID+|{c['insurance_member_id']}]] btw",
        f"[21:47] Client: i moved, new addr is [[LOCATION+|{c['address']['street'].lower()}]] apt [[LOCATION|{rng.randint(1, 40)}]]",
        f"[21:48] Client: insta is [[CONTACT|@{c['first_name'].lower()}.{rng.randint(10, 99)}]] if u need to reach me lol",
        f"[07:15] Clinic: Thanks. Dr [[NAME|{rng.choice(LAST)}]] will see you at the [[LOCATION|{c['address']['city']}]] office.",
    ]
    for line in rng.sample(lines, 6):
        d.w(line + "\n")
    return d


def phone_message(rng, ch):
    c, con = ch["client"], rng.choice(ch["contacts"])
    d = Doc("front-desk phone message", ch)
    taker = rng.choice(FIRST)
    d.w(f"WHILE YOU WERE OUT  [[DATE|{date_forms(a_date(rng), rng)}]] {rng.randint(1, 12)}:{rng.randint(10, 59)}\n")
    d.w(f"For: Dr. [[NAME|{rng.choice(LAST)}]]   Taken by: [[NAME|{taker[0]}{rng.choice(LAST)[0]}]]\n")
    d.w(rng.choice([f"Caller: [[NAME+|{con['first_name']}]] ({con['relation']} of [[NAME+|{c['first_name']} {c['last_name']}]])\n",
                    f"Caller: {con['relation']} - [[NAME+|{con['first_name'].lower()} {con['last_name'].lower()}]]\n"]))
    d.w("Message: says she'll be late, asks for a call back at ")
    d.w(f"[[CONTACT+|{said_phone(digits(con['phone']), rng)}]]. ")
    d.w(rng.choice([
        f"Spelled the last name for me: [[NAME+|{'-'.join(ch_ for ch_ in con['last_name'].upper() if ch_.isalpha())}]]. ",
        f"Chart number is [[ID+|{said_digits(digits(c['mrn']), rng)}]]. ",
        f"Verified DOB as [[DATE+|{MONTHS[dob_of(ch).month - 1].lower()} {ORD[dob_of(ch).day]}]]. ",
        f"Zip is [[LOCATION+|{said_digits(c['address']['zip'], rng)}]]. ",
    ]))
    d.w(rng.choice([f"Works at [[LOCATION|{rng.choice(STORES)}]] on [[LOCATION|{rng.choice(STREET_NAMES)}]], can't talk before 3.",
                    f"Pager [[CONTACT|{rng.randint(30000, 69999)}]], or the nurses' station on [[LOCATION|{rng.choice(['4 West', 'Ward 7', 'Unit 3C', 'Pod B2'])}]].",
                    "No message left on machine per caller."]))
    d.w("\n[x] Please call  [ ] Will call again  [ ] Urgent\n")
    return d


def testing_report(rng, ch):
    c = ch["client"]
    d = Doc("psychological testing report", ch)
    ef, el = other(rng)
    school = f"{rng.choice(STREET_NAMES)} {rng.choice(['Elementary', 'Middle School', 'High School', 'Academy'])}"
    t1 = a_date(rng)
    d.w(f"PSYCHOEDUCATIONAL EVALUATION\nExaminee: [[NAME+|{c['first_name']} {c['last_name']}]]   Age: [[AGE|{age(ch) % 9 + 8}]]   Grade: {rng.randint(2, 11)}\n")
    d.w(f"School: [[LOCATION|{school}]], [[LOCATION|{rng.choice(CITIES)[0]} Public Schools]]\n")
    d.w(f"Dates of testing: [[DATE|{t1.month}/{t1.day}]] and [[DATE|{t1.month}/{min(28, t1.day + 7)}/{t1.year % 100}]]\nExaminer: [[NAME|{ef} {el}]], PhD, NCSP\n\n")
    d.w(f"Reason for referral: [[NAME+|{c['first_name']}]]'s teacher, Ms. [[NAME|{rng.choice(LAST + WORD_LAST)}]], noted attention problems. ")
    d.w(f"Tests: WISC-V, WIAT-4, BASC-3 (Parent, Teacher), Conners 4, CDI-2. FSIQ {rng.randint(80, 125)} ({rng.randint(10, 95)}th percentile); "
        f"Working Memory Index {rng.randint(70, 110)}; BASC-3 Hyperactivity T-score {rng.randint(55, 80)}; CDI-2 Total T = {rng.randint(45, 75)}.\n")
    d.w(rng.choice([
        f"Per mother, [[NAME+|{c['first_name'].upper()}]] was born in [[LOCATION|{rng.choice(COUNTRIES)}]] and moved from [[LOCATION|{rng.choice(STATES)}]] at age [[AGE|{rng.randint(2, 6)}]].",
        f"Developmental history unremarkable; milestones met on time. Vision screen at [[LOCATION|{rng.choice(WORD_ORGS)}]] normal.",
    ]))
    d.w("\nDiagnostic impressions: F90.2 ADHD, combined presentation; rule out F81.0.\nRecommendations: 504 Plan; preferential seating; extended time (1.5x).\n")
    return d


def shift_note(rng, ch):
    c = ch["client"]
    d = Doc("nursing shift note", ch)
    rn = other(rng)
    d.w(f"Shift: 1900-0730   Rm {rng.randint(200, 599)}-B   Pt: [[NAME+|{c['last_name']}]], [[NAME+|{c['first_name'][0]}]].\n")
    for _ in range(3):
        d.w(f"{rng.randint(19, 23)}{rng.choice(['00', '15', '30', '45'])}: {clinical_line(rng)}\n")
    d.w(rng.choice([
        f"0200: Pt tearful, asked for [[NAME+|{ch['contacts'][0]['first_name']}]]; called [[CONTACT+|{ch['contacts'][0]['phone']}]], no answer.\n",
        f"0300: Pt states \"my {ch['contacts'][0]['relation']} lives in [[LOCATION+|{c['address']['city']}]]\", oriented x3.\n",
        f"0400: Safety check q15; transferred to [[LOCATION|{rng.choice(['Bed 12', 'Unit 4B', 'Ward 6', '5 North'])}]] per charge RN.\n",
    ]))
    d.w(f"0600: {clinical_line(rng)}\n-- [[NAME|{rn[0]} {rn[1]}]], RN / [[NAME|{rn[0][0].lower()}{rn[1][0].lower()}]]\n")
    return d


def prior_auth(rng, ch):
    c = ch["client"]
    d = Doc("insurance prior authorization", ch)
    pf, pl = other(rng)
    d.w(f"PRIOR AUTHORIZATION REQUEST - BEHAVIORAL HEALTH\nMember: [[NAME+|{c['first_name']} {c['last_name']}]]   Member ID: [[ID+|{c['insurance_member_id']}]]   "
        f"Group #: [[ID|{rng.randint(100000, 999999)}]]\nDOB: [[DATE+|{dob_of(ch).isoformat()}]]   Sex: {rng.choice('MFX')}\n")
    d.w(f"Requesting provider: [[NAME|{pf} {pl}]], PMHNP-BC   NPI: [[ID|{rng.randint(10**9, 2 * 10**9 - 1)}]]   Tax ID: [[ID|{rng.randint(10, 99)}-{rng.randint(10**6, 10**7 - 1)}]]\n")
    d.w(f"Facility: [[LOCATION|{org(rng)}]]\nService: IOP (H0015), {rng.randint(3, 5)} days/wk x {rng.randint(4, 8)} wks; CPT 90853; Dx F33.2, F41.1\n")
    d.w(f"Auth #: [[ID|PA{rng.randint(10**7, 10**8 - 1)}]]   Claim #: [[ID|{rng.randint(10**9, 10**10 - 1)}]]\n")
    d.w(f"Clinical summary: {clinical_line(rng)} {clinical_line(rng)} Failed trials of {rng.choice(DRUGS)} and {rng.choice(DRUGS)}.\n")
    d.w(f"Submitted [[DATE|{date_forms(a_date(rng), rng)}]] by [[NAME|{pf.lower()}]]\n")
    return d


def court_order(rng, ch):
    c = ch["client"]
    d = Doc("court order or subpoena", ch)
    county = rng.choice(CITIES)[0]
    judge = rng.choice(LAST)
    day = rng.randint(1, 28)
    mon = rng.randint(1, 12)
    d.w(f"IN THE [[LOCATION|DISTRICT COURT OF {county.upper()} COUNTY]], STATE OF [[LOCATION|{rng.choice(STATES).upper()}]]\n")
    d.w(f"Case No. [[ID|{rng.choice(['CV', 'JV', 'DR', 'FA'])}-{rng.randint(2023, 2025)}-{rng.randint(100, 99999):05d}]]\n")
    d.w(f"In re the Guardianship of [[NAME+|{c['first_name'].upper()} {c['last_name'].upper()}]], a minor\n\n")
    d.w("SUBPOENA DUCES TECUM\n\nTO: Custodian of Records, [[LOCATION|" + org(rng) + "]]\n\n")
    d.w(f"YOU ARE COMMANDED to produce the records described below on [[DATE|{WEEKDAYS[rng.randint(0, 4)]}, the {ORD[day]} day of {MONTHS[mon - 1]}, 2025]], "
        f"at 10:00 a.m., at the [[LOCATION|{county} County Courthouse]], Room 204. ")
    d.w(f"See Fed. R. Civ. P. 45; 42 U.S.C. 290dd-2; Rule 501. Issued this [[DATE|{ORD[day]} day of {MONTHS[mon - 1]}, 2025]].\n")
    d.w(f"Hon. [[NAME|{judge}]], District Judge\nAttorney for Petitioner: [[NAME|{rng.choice(FIRST)} {rng.choice(PARTICLE_LAST)}]], Esq., Bar No. [[ID|{rng.randint(10000, 99999)}]]\n")
    d.w(f"Served by Deputy [[NAME|{rng.choice(LAST)}]], badge [[ID|{rng.randint(100, 9999)}]], [[LOCATION|{county} County Sheriff's Office]].\n")
    return d


def discharge_caps(rng, ch):
    c = ch["client"]
    d = Doc("discharge summary in capitals", ch)
    att = other(rng)
    adm = a_date(rng)
    dis = adm + dt.timedelta(days=rng.randint(2, 12))
    hosp = rng.choice(ACRONYMS)
    d.w(f"DISCHARGE SUMMARY\nPATIENT: [[NAME+|{c['last_name']}, {c['first_name']}]]" +
        (f" [[NAME+|{c['middle_name'][0]}]]" if c.get("middle_name") else "") +
        f"   MRN: [[ID+|{c['mrn']}]]\nADMITTED: [[DATE|{adm.month}/{adm.day}/{adm.year}]]   DISCHARGED: [[DATE|{dis.month}/{dis.day}/{dis.year}]]\n")
    d.w(f"ATTENDING: [[NAME|{att[0]} {att[1]}]], MD\nPCP: DR. [[NAME|{rng.choice(LAST)}]], [[LOCATION|{org(rng)}]]\n\n")
    d.w(f"CHIEF COMPLAINT: SI WITH PLAN.\nHISTORY OF PRESENT ILLNESS: [[AGE|{age(ch)}]] YO WITH MDD, AUD, HTN, BROUGHT BY [[LOCATION|{c['address']['city']} PD]] AFTER A CALL FROM [[NAME+|{ch['contacts'][0]['first_name']}]] ({ch['contacts'][0]['relation']}).\n")
    d.w(f"HOSPITAL COURSE: ADMITTED TO [[LOCATION|{hosp[0]}]] [[LOCATION|{rng.choice(['4 WEST', 'UNIT 5', 'WARD 3', 'BHU 2'])}]]. {clinical_line(rng)} {clinical_line(rng)}\n")
    d.w(f"DISCHARGE MEDICATIONS: {', '.join(rng.sample(DRUGS, 4))}.\nCONDITION ON DISCHARGE: STABLE. {clinical_line(rng)}\n")
    d.w(f"FOLLOW UP: [[LOCATION|{org(rng)}]] ON [[DATE|{MONTHS[dis.month % 12].upper()} {rng.randint(1, 28)}]]; CALL [[CONTACT+|{c['phone']}]] IF SI RECURS.\n")
    d.w(f"DICTATED BY: [[NAME|{att[1]}]]  D: [[DATE|{dis.month}/{dis.day}]]  T: [[DATE|{dis.month}/{dis.day}]]  JOB# [[ID|{rng.randint(100000, 999999)}]]\n")
    return d


KINDS = [roi_form, fax_cover, email_thread, text_log, phone_message, testing_report, shift_note, prior_auth,
         court_order, discharge_caps]


def build(n_per_kind: int = 7, seed: int = 29) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for k, kind in enumerate(KINDS):
        for i in range(n_per_kind):
            doc = kind(rng, chart(rng))
            rows.append(doc.row(f"frm-{k + 1:02d}{i + 1:02d}", upper=kind is discharge_caps))
    return rows


def main() -> None:
    dev_doc.write_rows(build(), OUT)


if __name__ == "__main__":
    main()
