"""Write bench/data/deid/nursing_dev.jsonl: a sixth development set, terse inpatient notes.

    python bench/make_nursing_dev.py          # rewrites the file (deterministic, seed 71)

Unlike clinical_dev (well-formed dictated reports with headings), these are the notes
people type at the bedside: nursing shift and event notes, resident progress notes, lab
and vital dumps, medication reconciliation lists (drug names in capitals, title case and
brands), radiology impressions, social-work notes, discharge instructions and family
meeting notes, mostly lower-case and telegraphic, in hospital shorthand ("pt c/o",
"s/p", "HR 80s", "BP 110-130/60s", "sats 95% 2L NC", "K+ 3.2", "lasix 40 IV", "MSO4 gtt",
"resp: LS coarse bilat"). Nurses sign with a lower-case first name and "RN"; hospitals
carry names made of ordinary words; wards and units carry numbers; doctors are paged at
five-digit pagers; dates come as 3/4, 3-4, 2/14/93, "on the 4th", weekdays.

Conventions: those of clinical_dev (Safe Harbor for what is kept: US states, countries and
ages under 90 are NOT identifiers; ages of 90 and over are AGE); every line says so with
"policy": "safe_harbor", which the benchmark honours. Every person (patient, relatives, nurses,
doctors, social workers) is a NAME; hospitals, clinics, nursing homes, pharmacies,
employers, wards and units with their number, streets, towns and ZIPs are LOCATION;
phones, pagers and extensions are CONTACT; MRNs, account, member and case numbers are ID.
A weekday dating an event is a DATE; times of day, durations ("x3 days"), relative words
("yesterday", "tonight"), scores, doses, lab values, room and bed numbers are not marked.

Written before looking at the engine's rules, from lists made for this file only; phones
use the fictional 555-01xx range. Gold spans are this generator's own record of where it put
each value ("[[NAME+|ada]]" is a NAME the chart knows).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev_doc  # noqa: E402
from dev_doc import Doc  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "deid" / "nursing_dev.jsonl"

FIRST = ["Agatha", "Bronwen", "Cyrus", "Dorothea", "Emmett", "Fenella", "Gideon", "Harriet", "Isidore", "Jolene",
         "Lazlo", "Marisol", "Nikolai", "Ottilie", "Percival", "Rhiannon", "Solomon", "Tamsin", "Valentin", "Wendell",
         "Yolanda", "Zebulon", "Carmela", "Desmond", "Esperanza", "Fergus", "Guadalupe", "Horace", "Imelda", "Jasper",
         "Luz", "Mabel", "Nestor", "Orla", "Priscilla", "Reginald", "Svetlana", "Thaddeus", "Ursula", "Vernon"]
WORD_FIRST = ["Joy", "Sunny", "Dusty", "Ginger", "Misty", "Chase", "Ray", "Buck", "Honey", "Sky", "Robin", "Holly"]
LAST = ["Abramowitz", "Boudreaux", "Carrasco", "Dembele", "Eriksen", "Fairweather", "Giordano", "Haverford",
        "Ishikawa", "Janowski", "Kowalski", "Lindqvist", "Mbeki", "Nordstrom", "Oyelowo", "Pasternak", "Quigley",
        "Radcliffe", "Sandoval", "Tremblay", "Umberger", "Vasquez", "Whitfield", "Yamamoto", "Zielinski",
        "Blackwood", "Corrigan", "Dufresne", "Estrada", "Gallagher", "Hollister", "Kaczmarek", "Lombardi", "Mahoney"]
WORD_LAST = ["Field", "Small", "Wood", "Best", "Fox", "Lamb", "Bell", "Cross", "Gray", "Moon", "Reed", "Frost"]
NURSES = ["becky", "tina", "marco", "jess", "kat", "deb", "luis", "anh", "shawna", "pete", "mo", "trish", "raj",
          "colleen", "nadia", "bo", "gwen", "ike"]
CITIES = ["Fairhaven", "Millbury", "Oakdale", "Granby", "Easton", "Sheffield", "Westbrook", "Cold Spring",
          "Tiverton", "Ludlow", "Hadley", "Marlow", "Danvers", "Winchendon"]
STATES = ["CT", "MA", "NY", "NJ", "PA", "RI", "Vermont", "Maine", "Florida", "Ohio"]
COUNTRIES = ["Honduras", "Somalia", "the Philippines", "Ukraine", "Jamaica", "Peru", "Nepal", "Greece"]
STREETS = ["Elm", "Harbor", "Birch Hill", "Old Mill", "Pleasant", "Church", "Water", "Summit", "Meadow", "Bridge"]
STREET_TYPES = ["St", "Street", "Rd", "Ave", "Ln", "Way", "Ct", "Blvd"]
# hospitals and facilities named with ordinary words, and their short forms
HOSPITALS = [("Good Samaritan", "Good Sam"), ("Lakeside General", "Lakeside"), ("Mercy Hospital", "Mercy"),
             ("North Shore Medical Center", "NSMC"), ("Valley Regional", "Valley"), ("Sisters of Charity Hospital", "SOCH"),
             ("Riverside Memorial", "Riverside"), ("Baystate Franklin", "Franklin"), ("Oak Ridge Hospital", "ORH")]
NURSING_HOMES = ["Pine Grove Nursing Home", "the Willows", "Heritage Hall", "Golden Age Manor", "Country Gardens Rehab",
                 "Evergreen Court"]
CLINICS = ["Main Street Dialysis", "Westside Family Practice", "Hope Health Center", "Family Care Partners",
           "Cornerstone Cardiology", "Harbor Health"]
PHARMACIES = ["CVS on Main", "Walgreens", "Rite Aid", "Stop & Shop pharmacy", "Big Y pharmacy"]
EMPLOYERS = ["Home Depot", "the post office", "Dunkin", "Walmart", "Sunrise Bakery", "the school district", "Amtrak"]
UNITS = ["4 West", "6 North", "MICU 2", "SICU 4", "step-down 5", "Tower 7", "CCU 3", "8 South", "Blake 10", "Phillips 6"]
DRUGS_LOWER = ["lasix", "metoprolol", "lopressor", "heparin", "lovenox", "vanc", "zosyn", "ceftriaxone", "levo",
               "propofol", "fentanyl", "precedex", "insulin", "lantus", "humalog", "coumadin", "amio", "dilt",
               "protonix", "zofran", "kcl", "mag", "keppra", "decadron", "prednisone", "albuterol", "duonebs",
               "tylenol", "oxycodone", "dilaudid", "narcan", "colace", "senna", "miralax", "haldol", "ativan",
               "seroquel", "norvasc", "lisinopril", "hydral", "digoxin", "flagyl", "cipro", "bactrim", "asa",
               "plavix", "nitro", "morphine", "ms contin", "neurontin", "klonopin", "lactulose", "rifaximin"]
DRUGS_CAPS = ["FUROSEMIDE", "METOPROLOL SUCCINATE", "APIXABAN", "ATORVASTATIN", "LEVOTHYROXINE", "OMEPRAZOLE",
              "GABAPENTIN", "TAMSULOSIN", "SERTRALINE", "TRAZODONE", "MONTELUKAST", "SPIRONOLACTONE", "CARVEDILOL",
              "HYDROCHLOROTHIAZIDE", "PANTOPRAZOLE", "ALLOPURINOL", "DONEPEZIL", "MEMANTINE", "FINASTERIDE",
              "CLOPIDOGREL", "ROSUVASTATIN", "GLIPIZIDE", "METFORMIN", "LOSARTAN", "BUMETANIDE", "QUETIAPINE"]
DRUGS_TITLE = ["Eliquis", "Xarelto", "Lipitor", "Crestor", "Synthroid", "Prilosec", "Nexium", "Flomax", "Zoloft",
               "Lexapro", "Singulair", "Aldactone", "Coreg", "Zyloprim", "Aricept", "Namenda", "Proscar", "Januvia",
               "Trulicity", "Entresto", "Farxiga", "Spiriva", "Advair", "Symbicort", "Ventolin", "Lyrica", "Cymbalta",
               "Wellbutrin", "Ambien", "Remeron", "Depakote", "Lamictal", "Sinemet", "Bumex", "Imdur", "Ranexa"]
ABBR_LINES = ["neuro: A&Ox3, follows commands, MAE, PERRLA", "neuro: a+ox2, forgetful, reoriented easily",
              "cv: NSR 70s-80s, no ectopy, pulses palp x4", "cv: afib 90s-110s, rare PVCs, +2 pitting edema BLE",
              "resp: LS coarse bilat, dim bases, sats 93-96% on 2L NC", "resp: LS clear, RA, RR 16-20, no SOB",
              "resp: on 4L NC, weaned to 2L, IS 750, enc C&DB", "gi: abd soft NT/ND, +BS, tol clears, BM x1",
              "gi: NPO after MN for EGD, IVF D5 1/2NS @ 75", "gu: foley to gravity, UO 30-50cc/hr, clear yellow",
              "gu: voiding qs via urinal, PVR 120", "skin: intact, sacrum blanchable, turned q2h",
              "skin: stage 2 to coccyx, mepilex applied", "pain: 6/10 L hip, dilaudid 0.5 IV x2 w/ relief to 3/10",
              "id: tmax 38.4, BCx x2 pending, UA/UCx sent", "endo: FS 180s-240s, SSI per protocol",
              "psych: anxious, ativan 0.5 PO x1 w/ good effect", "activity: OOB to chair w/ PT, 1 assist, gait belt",
              "lines: R PICC, L PIV 20g, both flush w/o diff", "heme: Hgb 7.1 -> 1u PRBC, post Hgb 8.0"]
VITALS = ["T 37.8 HR 88 BP 132/78 RR 18 sats 96% RA", "HR 110s afib, BP 90s-100s/50s, MAP >65",
          "BP 110-130/60s, HR 80s, afeb, sats 95% 2L NC", "VS: 98.6 - 76 - 144/82 - 16 - 97% RA",
          "T 101.2 P 124 BP 88/46 R 28 O2 89% on NRB", "HR 60s SB, BP 150s-170s/80s, prn hydral x1",
          "vitals stable overnight, BP 120s/70s", "HR 50-60s, BP 98/54, held metoprolol per parameters"]
LABS = ["Na 131 K+ 3.2 Cl 98 HCO3 24 BUN 38 Cr 1.6 Glu 212", "WBC 14.2 Hgb 9.8 Hct 29.4 Plt 112",
        "ABG 7.31/58/62/29 on 40%", "INR 2.8 PTT 41", "trop .04 -> .09, BNP 1840", "lactate 3.1 -> 1.8",
        "Mg 1.6 repleted w/ 2g IV, Phos 2.1", "ABG 7.44/36/98 on AC 18/450/5/40%", "TSH 6.2 FT4 .8",
        "LFTs: AST 88 ALT 102 Tbili 2.4 Alb 2.9", "K 5.9 -> kayexalate 30g PO, recheck 4.8", "A1c 9.4%"]
WEEKDAYS = ["monday", "Tues", "wed", "Thursday", "fri", "Saturday", "sun"]
DX = ["CHF exac", "COPD exac", "NSTEMI", "DKA", "PNA", "UTI/urosepsis", "afib w/ RVR", "SBO", "ETOH w/d", "GIB",
      "cellulitis LLE", "hip fx s/p ORIF", "CVA", "AKI on CKD 3", "hyponatremia", "delirium", "falls"]
RELATIONS = ["wife", "husband", "dtr", "son", "sister", "brother", "niece", "HCP", "grandson", "partner"]


# --------------------------------------------------------------------------- charts and values

def person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(WORD_FIRST) if rng.random() < 0.15 else rng.choice(FIRST)
    last = rng.choice(WORD_LAST) if rng.random() < 0.2 else rng.choice(LAST)
    return first, last


def phone(rng: random.Random, area: int) -> str:
    return rng.choice(["({a}) 555-01{x:02d}", "{a}-555-01{x:02d}", "{a} 555 01{x:02d}", "555-01{x:02d}"]).format(
        a=area, x=rng.randint(0, 99))


def chart(rng: random.Random) -> dict:
    first, last = person(rng)
    old = rng.random() < 0.2
    dob = (dt.date(1925, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))) if old else \
        (dt.date(1938, 1, 1) + dt.timedelta(days=rng.randint(0, 24000)))
    area = rng.choice([203, 413, 508, 518, 716, 914])
    client = {"first_name": first, "last_name": last, "middle_name": None, "preferred_name": None,
              "dob": dob.isoformat(),
              "address": {"street": f"{rng.randint(2, 999)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}",
                          "city": rng.choice(CITIES), "state": rng.choice(["CT", "MA", "NY"]),
                          "zip": f"0{rng.randint(1000, 9999)}"},
              "phone": phone(rng, area), "mrn": str(rng.randint(10**6, 10**8 - 1))}
    contacts = []
    for rel in rng.sample(RELATIONS, rng.randint(1, 2)):
        cf, cl = person(rng)
        if rel in ("dtr", "son", "sister", "brother", "grandson") and rng.random() < 0.5:
            cl = last
        contacts.append({"relation": rel, "first_name": cf, "last_name": cl, "phone": phone(rng, area)})
    return {"client": client, "contacts": contacts}


class Ctx:
    """One note's chart and the random choices its templates draw from."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.record = chart(rng)
        c = self.record["client"]
        self.first, self.last = c["first_name"], c["last_name"]
        self.dob = dt.date.fromisoformat(c["dob"])
        self.age = 2026 - self.dob.year
        self.admit = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
        self.hosp, self.hosp_short = rng.choice(HOSPITALS)
        self.unit = rng.choice(UNITS)

    def pick(self, seq):
        return self.rng.choice(seq)

    def contact(self) -> dict:
        return self.pick(self.record["contacts"])

    def nurse(self) -> str:
        return f"[[NAME|{self.pick(NURSES)}]]"

    def doctor(self, upper_title: bool = False) -> str:
        f, l = person(self.rng)
        form = self.pick(["Dr. {l}", "dr {l}", "Dr {l}", "DR. {L}", "{f} {l} MD", "dr. {lo}"])
        if form == "{f} {l} MD":
            return f"[[NAME|{f} {l}]] MD"
        title, _, rest = form.partition(" ")
        val = rest.format(l=l, L=l.upper(), lo=l.lower())
        return f"{title} [[NAME|{val}]]"

    def pager(self) -> str:
        return f"[[CONTACT|{self.rng.randint(10000, 99999)}]]"

    def pt_name(self, form: str | None = None) -> str:
        form = form or self.pick(["{F} {L}", "{L}, {F}", "{f} {l}", "{L}", "{F}", "{LU}, {FU}"])
        if form in ("{F}", "{f}"):
            return f"[[NAME+|{self.first if form == '{F}' else self.first.lower()}]]"
        if form == "{L}":
            return f"[[NAME+|{self.last}]]"
        if form == "{L}, {F}":
            return f"[[NAME+|{self.last}]], [[NAME+|{self.first}]]"
        if form == "{LU}, {FU}":
            return f"[[NAME+|{self.last.upper()}]], [[NAME+|{self.first.upper()}]]"
        if form == "{f} {l}":
            return f"[[NAME+|{self.first.lower()} {self.last.lower()}]]"
        return f"[[NAME+|{self.first} {self.last}]]"

    def rel_name(self, c: dict, form: str | None = None) -> str:
        form = form or self.pick(["{F}", "{F} {L}", "{f}", "{F} {L}"])
        if form == "{F}":
            return f"[[NAME+|{c['first_name']}]]"
        if form == "{f}":
            return f"[[NAME+|{c['first_name'].lower()}]]"
        return f"[[NAME+|{c['first_name']} {c['last_name']}]]"

    def rel_phone(self, c: dict) -> str:
        return f"[[CONTACT+|{c['phone']}]]"

    def date(self, d: dt.date | None = None, *, known: bool = False) -> str:
        d = d or (self.admit + dt.timedelta(days=self.rng.randint(-20, 10)))
        mo = dt.date(2000, d.month, 1).strftime(self.pick(["%b", "%B"]))
        if self.rng.random() < 0.4:
            mo = mo.lower()
        form = self.pick(["{m}/{d}", "{m}-{d}", "{m}/{d}/{yy}", "{m}/{d}/{y}", "{mo} {d}", "{mo} {d}th", "{d} {mo}",
                          "{m}.{d}", "{mo} {d}, {y}", "{mm}/{dd}/{y}"])
        val = form.format(m=d.month, d=d.day, yy=f"{d.year % 100:02d}", y=d.year, mo=mo, mm=f"{d.month:02d}",
                          dd=f"{d.day:02d}")
        if form == "{mo} {d}th":
            val = f"{mo} {d.day}{'st' if d.day in (1, 21, 31) else 'nd' if d.day in (2, 22) else 'rd' if d.day in (3, 23) else 'th'}"
        return f"[[DATE{'+' if known else ''}|{val}]]"

    def dob_text(self) -> str:
        d = self.dob
        form = self.pick(["{m}/{d}/{yy}", "{m}/{d}/{y}", "{mm}/{dd}/{y}", "{y}-{mm}-{dd}"])
        return "[[DATE+|" + form.format(m=d.month, d=d.day, yy=f"{d.year % 100:02d}", y=d.year, mm=f"{d.month:02d}",
                                        dd=f"{d.day:02d}") + "]]"

    def weekday(self) -> str:
        return f"[[DATE|{self.pick(WEEKDAYS)}]]"

    def age_text(self) -> str:
        """An age: under 90 it stays in the text (Safe Harbor), 90 and over is an AGE."""
        a = str(self.age)
        return f"[[AGE|{a}]]" if self.age >= 90 else a

    def mrn(self) -> str:
        return f"[[ID+|{self.record['client']['mrn']}]]"

    def hospital(self, short: bool = False) -> str:
        return f"[[LOCATION|{self.hosp_short if short else self.hosp}]]"

    def unit_text(self) -> str:
        return f"[[LOCATION|{self.unit}]]"

    def city(self, known: bool = True) -> str:
        c = self.record["client"]["address"]["city"] if known else self.pick(CITIES)
        if self.rng.random() < 0.3:
            c = c.lower()
        return f"[[LOCATION{'+' if known else ''}|{c}]]"

    def drug(self) -> str:
        return self.pick(DRUGS_LOWER)

    def dx(self) -> str:
        return self.pick(DX)


# --------------------------------------------------------------------------- document kinds

def nursing_shift(x: Ctx) -> Doc:
    d = Doc("nursing shift note", x.record)
    shift = x.pick(["0700-1900", "7p-7a", "nights", "days", "1900-0700", "3-11"])
    d.w(f"nsg note {shift}. ")
    d.w(x.pick([f"pt is a {x.age_text()} yo {x.pick(['m', 'f', 'M', 'F'])} adm {x.date()} w/ {x.dx()}.\n",
                f"{x.age_text()}yo s/p {x.pick(['fall', 'syncope', 'lap chole', 'TKA', 'CABG'])} {x.date()}, here for {x.dx()}.\n",
                f"pt {x.pt_name('{f} {l}')} rec'd from ED to {x.unit_text()} @ 2130.\n"]))
    for line in x.rng.sample(ABBR_LINES, 5):
        d.w(line + ("\n" if x.rng.random() < 0.7 else ". "))
    d.w(x.pick(VITALS) + ". " + x.pick(LABS) + ".\n")
    c = x.contact()
    d.w(x.pick([f"{c['relation']} {x.rel_name(c, '{f}')} called x2, updated on POC, call back # {x.rel_phone(c)}.\n",
                f"family in to visit this eve ({c['relation']} {x.rel_name(c)}). ",
                f"{c['relation']} at bedside, aware of plan. ",
                f"dr [[NAME|{x.pick(LAST).lower()}]] paged re: {x.pick(['low UO', 'BP 80s/40s', 'pain', 'K 3.1', 'agitation'])}, "
                f"ok'd {x.drug()} {x.rng.randint(1, 40)} IV x1.\n"]))
    d.w(x.pick(["plan: cont to monitor, safety maintained, call light in reach.\n",
                "will cont POC. bed alarm on. fall precautions.\n",
                f"report given to oncoming RN {x.nurse()}.\n"]))
    d.w(x.pick([f"-- {x.nurse()} RN", f"{x.nurse()}, RN", f"{x.nurse()} rn", f"signed {x.nurse()} RN {x.pick(['0645', '1845', '2300'])}"]))
    return d


def progress(x: Ctx) -> Doc:
    d = Doc("resident progress note", x.record)
    d.w(f"HD#{x.rng.randint(2, 14)} {x.pick(['MICU', 'med', 'gen med', 'tele', 'onc'])} progress note {x.date()}\n")
    d.w(f"S: {x.pick(['no acute events o/n', 'c/o SOB overnight, got lasix 40 IV x1', 'pt states feels better', 'sundowning o/n, got haldol 2 IM', 'pt c/o n/v, zofran 4 IV'])}. "
        f"{x.pick(['tol PO', 'NPO', 'ambulating w/ PT', 'poor appetite'])}.\n")
    d.w(f"O: {x.pick(VITALS)}\nI/O {x.rng.randint(800, 2400)}/{x.rng.randint(600, 3500)}, net {x.pick(['-', '+'])}{x.rng.randint(100, 1500)}\n")
    d.w(f"gen: {x.pick(['NAD', 'lethargic but arousable', 'uncomfortable appearing'])}. "
        f"cv: {x.pick(['RRR no m/r/g', 'irreg irreg', 'tachy, 2/6 SEM'])}. pulm: {x.pick(['CTAB', 'bibasilar crackles', 'exp wheezes diffusely'])}. "
        f"abd: {x.pick(['soft ntnd', 'distended, tympanic', 'mild RUQ ttp'])}. ext: {x.pick(['no edema', '2+ pitting to knees', 'warm, wwp'])}\n")
    d.w(f"labs: {x.pick(LABS)}; {x.pick(LABS)}\n")
    d.w(f"micro: {x.pick(['BCx 1/2 GPC in clusters', 'UCx >100k E coli', 'sputum cx pending', 'C diff neg', 'MRSA swab neg'])}\n")
    d.w(f"A/P: {x.age_text()} y/o w/ h/o {x.pick(['HTN, HLD, DM2', 'CAD s/p PCI', 'COPD on 2L home O2', 'ESRD on HD MWF', 'EtOH cirrhosis'])} "
        f"here w/ {x.dx()}.\n")
    for i in range(1, x.rng.randint(3, 5)):
        d.w(f"#{i} {x.dx()}: {x.pick(['cont', 'start', 'd/c', 'hold', 'uptitrate'])} {x.drug()} {x.rng.choice(['20', '40', '5', '0.5', '1g', '12.5'])} "
            f"{x.pick(['IV', 'PO', 'SC', 'IV q8h', 'PO BID', 'daily'])}; {x.pick(['f/u cx', 'trend trop', 'daily wts', 'strict I/O', 'replete lytes', 'PT/OT eval', 'GI c/s'])}\n")
    d.w(f"dispo: {x.pick(['home w/ VNA', 'likely rehab', 'SNF placement', 'pending PT rec'])}"
        f"{x.pick(['', ' to ' + x.pick(NURSING_HOMES).join(['[[LOCATION|', ']]']), ', ? ' + x.weekday()])}. "
        f"code: {x.pick(['full', 'DNR/DNI', 'DNR ok to intubate'])}.\n")
    d.w(x.pick([f"d/w attending {x.doctor()}.", f"seen and examined w/ {x.doctor()}, agree w/ above.",
                f"{x.doctor()} PGY-2, pager {x.pager()}", f"-{x.doctor()} / x{x.pager()}"]))
    return d


def dump(x: Ctx) -> Doc:
    d = Doc("lab and vital dump", x.record)
    d.w(f"{x.pt_name(x.pick(['{LU}, {FU}', '{L}, {F}']))}  MRN {x.mrn()}  {x.unit_text()} bed {x.rng.randint(1, 30)}{x.pick(['A', 'B', ''])}\n")
    for _ in range(x.rng.randint(3, 5)):
        day = x.date()
        d.w(f"{day} {x.pick(['0400', '06:00', '2200', '1315'])}: {x.pick(LABS)} | {x.pick(LABS)}\n")
    d.w("vitals q4h: " + "; ".join(x.pick(VITALS) for _ in range(2)) + "\n")
    d.w(f"vent: {x.pick(['AC 16/450/5/40%', 'PSV 10/5 FiO2 35%', 'PRVC 18 x 420, PEEP 8, FiO2 50%', 'I:E 1:2, RR 14'])}; "
        f"ABG {x.pick(['7.38/42/88', '7.29/61/70', '7.46/33/104', '7.35/45/78/24'])}\n")
    d.w(f"gtts: {x.pick(['levo 0.08 mcg/kg/min', 'heparin per nomogram 18u/kg/hr', 'insulin 4u/hr', 'MSO4 2mg/hr', 'propofol 30', 'precedex 0.4'])}, "
        f"{x.pick(['fent 50 mcg/hr', 'NS @ 100', 'LR 150cc/hr', 'dilt 10mg/hr'])}\n")
    d.w(f"UO {x.rng.randint(15, 90)}cc/hr x {x.rng.randint(2, 8)}h, CVP {x.rng.randint(4, 16)}, MAP {x.rng.randint(55, 95)}, "
        f"GCS {x.rng.randint(3, 15)}, RASS {x.pick(['-2', '0', '+1', '-4'])}, CIWA {x.rng.randint(0, 25)}\n")
    if x.rng.random() < 0.5:
        d.w(f"results called to {x.doctor()} @ {x.pick(['0420', '2315', '0150'])} by {x.nurse()} RN, read back.\n")
    return d


def medrec(x: Ctx) -> Doc:
    d = Doc("medication reconciliation", x.record)
    d.w(x.pick(["MEDICATION RECONCILIATION\n", "Home meds (per pt and pharmacy list):\n", "med rec -- admission\n"]))
    d.w(f"Pt: {x.pt_name()}   DOB {x.dob_text()}\n")
    d.w(f"Source: {x.pick(['pt', 'pill bottles', 'dtr', 'PCP list'])} and [[LOCATION|{x.pick(PHARMACIES)}]] "
        f"{x.pick(['', '(' + phone(x.rng, 860).join(['[[CONTACT|', ']]']) + ')'])}\n")
    meds = x.rng.sample(DRUGS_CAPS, 4) + x.rng.sample(DRUGS_TITLE, 4)
    x.rng.shuffle(meds)
    for i, m in enumerate(meds, 1):
        dose = x.pick(["10 MG", "25 mg", "40mg", "0.125 mg", "500 MG", "81 mg", "5 mg", "100 MCG", "1 tab", "2 puffs"])
        sig = x.pick(["PO DAILY", "po bid", "TAKE 1 TABLET BY MOUTH EVERY DAY", "qhs", "PRN", "TID w/ meals", "q AM",
                      "inh BID", "every other day", "Mon/Wed/Fri"])
        status = x.pick(["continue", "HOLD", "held - AKI", "changed", "d/c'd", "cont", "resume at d/c", ""])
        d.w(f"{i}. {m} {dose} {sig} {'- ' + status if status else ''}\n")
    d.w(x.pick([f"last dose of {x.pick(DRUGS_TITLE)} {x.weekday()} am per pt.\n",
                f"pt unsure of Coumadin dose, last INR {x.date()} was 2.4 per [[LOCATION|{x.pick(CLINICS)}]].\n",
                "NKDA.\n", "Allergies: PCN (rash), codeine (n/v), IV contrast.\n"]))
    d.w(x.pick([f"reviewed w/ {x.pick(['PharmD', 'pharmacy'])} {x.pick(NURSES).capitalize().join(['[[NAME|', ']]'])}.",
                f"completed by {x.nurse()} RN", f"{x.doctor()}"]))
    return d


def radiology(x: Ctx) -> Doc:
    d = Doc("radiology impression", x.record)
    study = x.pick(["CXR PA/LAT", "CXR portable AP", "CT head w/o", "CTA chest PE protocol", "CT A/P w/ contrast",
                    "RUQ US", "MRI L-spine w/wo", "LENIs BLE", "KUB"])
    d.w(f"{study.upper() if x.rng.random() < 0.5 else study}  {x.date()}  acc# [[ID|{x.rng.randint(10**7, 10**9)}]]\n")
    d.w(f"pt: {x.pt_name(x.pick(['{LU}, {FU}', '{F} {L}']))}  MRN {x.mrn()}\n")
    d.w(f"COMPARISON: {x.pick(['none', x.date(), 'CT ' + x.date(), 'outside films from ' + x.hospital()])}.\n")
    d.w(f"FINDINGS: {x.pick(['ETT 4 cm above carina. NGT tip in stomach.', 'R IJ CVC tip at cavoatrial junction.', 'No acute intracranial hemorrhage. Chronic small vessel ischemic changes.', 'Small L pleural effusion w/ basilar atelectasis.', 'Gallbladder distended w/ stones, wall 5 mm, + sonographic Murphy.', 'Occlusive thrombus in L popliteal v.'])}\n")
    d.w(f"IMPRESSION:\n1. {x.pick(['no acute cardiopulmonary process', 'RLL PNA', 'stable cardiomegaly, mild pulm edema', 'acute cholecystitis', 'L popliteal DVT', 'no PE'])}.\n"
        f"2. {x.pick(['recommend f/u CT in 3 mo', 'lines and tubes as above', 'clinical correlation', 'unchanged from prior'])}.\n")
    d.w(x.pick([f"findings d/w {x.doctor()} by phone {x.pick(['1412', '03:10', '2205'])} {x.date()}.",
                f"dictated by {x.doctor()}, {x.hospital(short=True)} radiology",
                f"prelim read by resident; final {x.doctor()}"]))
    return d


def social_work(x: Ctx) -> Doc:
    d = Doc("social work note", x.record)
    c = x.contact()
    d.w(x.pick(["SW note: ", "social work f/u. ", "CM/SW: "]))
    d.w(f"met w/ pt and {c['relation']} {x.rel_name(c)} at bedside re: dc planning. ")
    d.w(f"pt lives {x.pick(['alone', 'w/ ' + c['relation'], 'in 2nd floor apt, 14 stairs', 'in senior housing'])} in {x.city()} "
        f"{x.pick(['', ', ' + x.pick(STATES)])}, "
        f"at [[LOCATION+|{x.record['client']['address']['street']}]]. ")
    d.w(x.pick([f"pt emigrated from {x.pick(COUNTRIES)} in [[DATE|19{x.rng.randint(70, 99)}]], speaks {x.pick(['Spanish', 'Somali', 'Tagalog', 'Ukrainian', 'Nepali'])}, interpreter used.\n",
                f"worked at [[LOCATION|{x.pick(EMPLOYERS)}]] x{x.rng.randint(5, 30)} yrs, retired.\n",
                f"pt's {c['relation']} works nights at [[LOCATION|{x.pick(EMPLOYERS)}]].\n", "\n"]))
    d.w(f"insurance: {x.pick(['MassHealth', 'Medicare A/B', 'Medicaid + Medicare', 'BCBS'])} member id [[ID|{x.pick(['XKM', 'BCB', 'MHP'])}{x.rng.randint(10**6, 10**8)}]]. "
        f"{x.pick(['PCP: ' + x.doctor() + ' at [[LOCATION|' + x.pick(CLINICS) + ']]', 'no PCP, referral placed', 'VNA previously from [[LOCATION|' + x.pick(['Bayside VNA', 'Visiting Angels', 'Tri-County Home Care']) + ']]'])}.\n")
    d.w(x.pick([f"referral sent to {x.pick(NURSING_HOMES).join(['[[LOCATION|', ']]'])}, bed offer expected {x.weekday()}.\n",
                f"{c['relation']} to bring pt home {x.date()}, DME (walker, shower chair) ordered.\n",
                f"ELDER protective services report filed {x.date()}, case # [[ID|{x.rng.randint(10**5, 10**7)}]].\n"]))
    d.w(f"{c['relation']} contact: {x.rel_phone(c)}. ")
    d.w(x.pick([f"SW will follow. [[NAME|{x.pick(FIRST)} {x.pick(LAST)}]], LICSW x[[CONTACT|{x.rng.randint(4000, 7999)}]]",
                f"-[[NAME|{x.pick(FIRST).lower()}]] sw, ext [[CONTACT|{x.rng.randint(4000, 7999)}]]",
                f"[[NAME|{x.pick(FIRST)}]] ({x.pick(['SW', 'CM', 'LCSW'])}) pgr {x.pager()}"]))
    return d


def discharge(x: Ctx) -> Doc:
    d = Doc("discharge instructions", x.record)
    d.w(f"{x.hospital()} - {x.pick(['Discharge Instructions', 'DISCHARGE INSTRUCTIONS', 'Patient After Visit Summary'])}\n")
    d.w(f"Name: {x.pt_name(x.pick(['{F} {L}', '{L}, {F}']))}   Admit: {x.date()}   D/C: {x.date()}\n")
    d.w(f"You were in the hospital for {x.pick(['heart failure', 'pneumonia', 'a COPD flare', 'a fall and broken hip', 'high blood sugar', 'a blood clot in your leg'])}.\n")
    d.w(x.pick(["NEW meds: ", "Medication changes: START "]) + ", ".join(x.rng.sample(DRUGS_TITLE, 2)) +
        f". STOP {x.pick(DRUGS_CAPS)}. CHANGE {x.pick(DRUGS_TITLE)} to {x.pick(['20 mg', 'twice a day', 'half tab'])}.\n")
    d.w(f"Weigh yourself every morning. Call if you gain more than 3 lbs in a day or 5 lbs in a week. Low salt diet (2g Na), fluid limit 1.5L.\n")
    d.w(f"Follow up: {x.doctor()} at {x.pick(CLINICS).join(['[[LOCATION|', ']]'])} on {x.weekday()} {x.date()} at {x.pick(['10:15am', '2:30 PM', '9am'])}. "
        f"Labs (BMP) in 1 wk at {x.pick(['any Quest', x.pick(CLINICS).join(['[[LOCATION|', ']]'])])}.\n")
    d.w(f"Questions? Call the {x.unit_text()} nurses' station at {phone(x.rng, 413).join(['[[CONTACT|', ']]'])} or {x.pick(['your PCP', 'the heart failure clinic'])}. "
        f"Return to ED for CP, SOB, fever >101, bleeding.\n")
    d.w(f"Discharged to {x.pick(['home', 'home w/ services', x.pick(NURSING_HOMES).join(['[[LOCATION|', ']]'])])} via {x.pick(['car w/ family', 'ambulance', 'chair van'])}. "
        f"RN: {x.nurse()}")
    return d


def family_meeting(x: Ctx) -> Doc:
    d = Doc("family meeting note", x.record)
    d.w(x.pick(["family meeting ", "FAMILY MEETING NOTE ", "fam mtg "]) + f"{x.date()} {x.pick(['1400', '3pm', '11:30'])}, {x.unit_text()} conf rm\n")
    present = [f"{c['relation']} {x.rel_name(c, '{F} {L}')}" for c in x.record["contacts"]]
    extra_first, extra_last = person(x.rng)
    present.append(f"{x.pick(['granddtr', 'nephew', 'friend', 'neighbor'])} [[NAME|{extra_first}]]")
    present.append(f"attending {x.doctor()}")
    present.append(f"SW [[NAME|{x.pick(FIRST)}]]")
    present.append(f"RN {x.nurse()}")
    d.w("present: " + ", ".join(present) + (f", {x.pick(['son', 'sister'])} [[NAME|{extra_last}]] by phone" if x.rng.random() < 0.4 else "") + "\n")
    d.w(f"reviewed hospital course: {x.age_text()} yo w/ {x.dx()}, now w/ {x.pick(['worsening renal fxn', 'resp failure on vent', 'poor PO intake, wt loss', 'recurrent aspiration'])}. "
        f"prognosis {x.pick(['guarded', 'poor', 'uncertain'])}.\n")
    c = x.contact()
    d.w(x.pick([f"{c['relation']} ({x.rel_name(c, '{F}')}) is HCP, states pt would not want trach/PEG. ",
                f"family would like time to discuss; {x.rel_name(c, '{f}')} to call back {x.weekday()}. ",
                f"pt previously told {c['relation']} 'no machines' after her husband died in [[DATE|{x.pick(['2009', '2015', '2021'])}]]. ",
                f"pt's wishes per {c['relation']}: comfort focused. "]))
    d.w(f"plan: {x.pick(['DNR/DNI, cont current tx, no escalation', 'CMO, palliative c/s, MSO4 gtt for comfort', 'time-limited trial x72h then reassess', 'hospice referral'])}. "
        f"{x.pick(['chaplain to visit', 'family to stay overnight', 'will meet again ' + x.weekday()])}.\n")
    d.w(f"{c['relation']} cell: {x.rel_phone(c)}\n{x.doctor()}")
    return d


def event(x: Ctx) -> Doc:
    d = Doc("nursing event note", x.record)
    t = x.pick(["0215", "2340", "0430", "1705"])
    what = x.pick(["found pt on floor next to bed, unwitnessed", "pt pulled out PIV and NGT", "rapid response called for HR 150s",
                   "pt became hypotensive 70s/40s", "pt desatted to 82% on 3L", "pt agitated, swinging at staff"])
    d.w(f"event note {t}: {what}. ")
    d.w(f"{x.pick(VITALS)}. FS {x.rng.randint(60, 320)}. ")
    d.w(f"{x.doctor()} paged @ {x.pick(['0217', '2342', '0432'])} {x.pick(['', 'to ' + x.pager()])}, {x.pick(['at bedside', 'returned call', 'no callback, repaged x2'])}. ")
    d.w(x.pick([f"RRT team arrived, transferred to {x.unit_text()}. ", f"CT head ordered, neg. ", f"{x.drug()} 1mg IV given, EKG done. ",
                f"restraints not used, 1:1 sitter from {x.unit_text()}. "]))
    c = x.contact()
    d.w(x.pick([f"{c['relation']} {x.rel_name(c, '{F}')} notified @ {x.rel_phone(c)}. ", f"family notified. ",
                f"left VM for {c['relation']} {x.rel_name(c)}. "]))
    d.w(f"incident report filed #[[ID|{x.rng.randint(100000, 999999)}]]. ")
    d.w(x.pick([f"{x.nurse()} RN", f"-{x.nurse()}", f"{x.nurse().upper()} RN"]))
    return d


def transfer(x: Ctx) -> Doc:
    d = Doc("transfer/admission nursing note", x.record)
    src = x.pick([f"[[LOCATION|{x.pick(NURSING_HOMES)}]]", f"OSH ([[LOCATION|{x.pick(HOSPITALS)[0]}]])", "home", f"[[LOCATION|{x.pick(CLINICS)}]]"])
    d.w(f"pt adm to {x.unit_text()} from {src} via {x.pick(['EMS', 'ED', 'PACU', 'med flight'])} {x.weekday()} {x.date()}.\n")
    d.w(f"{x.pt_name('{f} {l}')}, {x.age_text()} {x.pick(['y/o', 'yo', 'yr old'])}, {x.pick(['pleasant', 'confused', 'HOH', 'non-verbal'])}, "
        f"{x.pick(['lives w/ ', 'from '])}{x.city()}. ")
    d.w(f"dob {x.dob_text()} mrn {x.mrn()}. ")
    d.w(f"{x.pick(['full code', 'DNR', 'MOLST on chart'])}. allergies: {x.pick(['nkda', 'pcn', 'sulfa, latex'])}.\n")
    d.w(f"hx: {x.pick(['htn hld dm2 ckd', 'copd chf afib on coumadin', 'dementia, falls, osteo', 'etoh abuse, cirrhosis, varices'])}. "
        f"surg hx: {x.pick(['chole', 'TAH', 'L TKR', 'appy'])} {x.pick(['', '[[DATE|' + str(x.rng.randint(1980, 2020)) + ']]'])}.\n")
    for line in x.rng.sample(ABBR_LINES, 3):
        d.w(line + "\n")
    d.w(f"belongings: {x.pick(['glasses, dentures (upper), cell phone', 'hearing aids x2', 'none'])}; valuables sent home w/ {x.contact()['relation']}.\n")
    d.w(f"oriented to room/call light. {x.pick(['admitting', 'covering'])} {x.doctor()} aware of arrival. {x.nurse()} RN")
    return d


KINDS = [nursing_shift, progress, dump, medrec, radiology, social_work, discharge, family_meeting, event, transfer]


def build(seed: int = 71, per_kind: int = 7) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    n = 0
    for kind in KINDS:
        for _ in range(per_kind):
            n += 1
            doc = kind(Ctx(rng))
            upper = rng.random() < 0.12
            # the line names the policy its annotation follows; bench/deid_eval.py honours it
            rows.append({**doc.row(f"nurs-{n:04d}", upper=upper), "policy": "safe_harbor"})
    return rows


def main() -> None:
    dev_doc.write_rows(build(), OUT)


if __name__ == "__main__":
    main()
