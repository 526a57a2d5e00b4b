"""Write bench/data/deid/clinical_dev.jsonl: a fifth development set, hospital clinical notes.

    python bench/make_clinical_dev.py          # rewrites the file (deterministic, seed 53)

Documents written the way hospitals write, unlike the therapy-practice sets: admission
histories and physicals with section headings before a colon ("HPI:", "PMH:", "A/P:"),
ICU progress notes in capitals dense with vitals, blood pressures (128/76), blood gases
(7.38/42/88), ventilator settings and ratios (I:E 1:2, AC 16/450/5/40%), drips and doses,
discharge summaries with medication lists, radiology and operative reports (device and
brand names, suture sizes), emergency department notes (numbers followed by "Pt", "Dr",
"St"), outpatient specialty notes (risk scores, lab panels, ICD-10 codes) and psychiatric
consults that cite statutes and regulations ("42 U.S.C. § 290dd-2", "45 C.F.R. § 164.512").
Signatures carry credentials ("MD, PhD", "RN, BSN").

Conventions: those of therapy_dev.md, except that this set follows Safe Harbor for what
it keeps: US states, countries and ages under 90 are NOT identifiers here (an age of 90
or over is an AGE), so the benchmark scores Confide on this set with policy
"safe_harbor". Languages, nationalities, drug, device and brand names, credentials,
eponymous scores and signs, and citations are never identifiers. A year tied to an event
in the patient's history ("CABG 2015") is a DATE.

Every person, place, organization and number is invented here from lists written for this
file only; phones use the fictional 555-01xx range. Gold spans are this generator's own
record of where it put each value. Templates mark identifiers inline: "[[NAME+|Ada]]" is a
NAME the chart knows, "[[DATE|May 4]]" a date it does not.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev_doc  # noqa: E402
from dev_doc import Doc  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "deid" / "clinical_dev.jsonl"

FIRST = ["Anselm", "Beatrix", "Cormac", "Delphine", "Evander", "Florentyna", "Griffin", "Hortense", "Ignatius", "Juno",
         "Kasimir", "Liesl", "Montgomery", "Noemi", "Osric", "Philippa", "Quillon", "Rosalind", "Sebastian", "Thea",
         "Ulric", "Vesna", "Winifred", "Xiomara", "Yusuf", "Zofia", "Gary", "Linda", "Marcus", "Tanya", "Hector",
         "Mei", "Deepak", "Siobhan", "Kwame", "Ingrid"]
WORD_FIRST = ["Hope", "Faith", "Grant", "Will", "Dawn", "Art", "Bill", "Penny", "Rose", "Frank"]
LAST = ["Abernathy", "Bellweather", "Castellano", "Drummond", "Esterhazy", "Fitzwilliam", "Galbraith", "Hargreaves",
        "Iwasaki", "Jablonski", "Kowalczyk", "Lachance", "Montenegro", "Nakashima", "Okonkwo", "Pettigrew",
        "Quintero", "Rasmussen", "Szymanski", "Thibodeaux", "Urquhart", "Valdivia", "Wojcik", "Yarborough",
        "Zamora", "Brennan", "Chaudhry", "Delacroix", "Ferreira", "Gustafson"]
WORD_LAST = ["Baker", "Stone", "Marsh", "Hill", "Rivers", "Young", "Sharp", "Strong", "Walker", "Love"]
PARTICLE_LAST = ["Van Buren", "de la Cruz", "O'Malley", "McAllister", "St. Clair", "Ben-David", "Le Blanc"]
CITIES = [("Grafton", "MA"), ("Pawtucket", "RI"), ("Chelmsford", "MA"), ("Westerly", "RI"), ("Nashua", "NH"),
          ("Bangor", "ME"), ("Rutland", "VT"), ("Torrington", "CT"), ("Holyoke", "MA"), ("Woonsocket", "RI"),
          ("Keene", "NH"), ("Brattleboro", "VT")]
STATE_NAMES = {"MA": "Massachusetts", "RI": "Rhode Island", "NH": "New Hampshire", "ME": "Maine", "VT": "Vermont",
               "CT": "Connecticut"}
COUNTRIES = ["Portugal", "Haiti", "Cape Verde", "Vietnam", "Guatemala", "Ireland", "Poland", "Brazil", "Cambodia"]
LANGUAGES = ["Portuguese", "Haitian Creole", "Spanish", "Vietnamese", "Khmer", "Polish", "Cantonese", "Arabic"]
STREETS = ["Quarry", "Beacon", "Orchard", "Millbrook", "Tanager", "Chestnut", "Foundry", "Prospect", "Sumner",
           "Larkspur"]
STREET_TYPES = ["Street", "St", "Ave", "Road", "Rd", "Lane", "Terrace", "Court", "Ct", "Drive"]
HOSPITALS = [("Blackstone Valley General Hospital", "BVGH"), ("Merrimack Regional Medical Center", "MRMC"),
             ("Saint Brendan's Hospital", "SBH"), ("Narragansett Bay Medical Center", "NBMC"),
             ("Holy Redeemer Hospital", "HRH"), ("Pioneer Valley Medical Center", "PVMC")]
CLINICS = ["Riverbend Cardiology Associates", "Kingfisher Family Health", "Granite State Nephrology",
           "Harborview Endocrine Clinic", "Tollgate Primary Care", "Seaview Rehabilitation Center"]
NURSING_HOMES = ["Maplewood Manor", "Sunny Acres Nursing Home", "Cedar Crest Rehab", "Brookside Assisted Living"]
UNITS = ["7 North", "4 West", "Ellison 12", "MICU 3", "Bigelow 9", "5 South"]
DRUGS = ["metoprolol tartrate", "Lasix", "FUROSEMIDE", "heparin", "ENOXAPARIN", "Lovenox", "vancomycin", "Zosyn",
         "PIPERACILLIN-TAZOBACTAM", "ceftriaxone", "norepinephrine", "Levophed", "propofol", "fentanyl", "Precedex",
         "insulin glargine", "Lantus", "Humalog", "atorvastatin", "Lipitor", "apixaban", "Eliquis", "warfarin",
         "Coumadin", "amiodarone", "diltiazem", "Cardizem", "pantoprazole", "Protonix", "Zofran", "ondansetron",
         "potassium chloride", "magnesium sulfate", "Keppra", "Decadron", "dexamethasone", "prednisone", "Solu-Medrol",
         "albuterol", "Duoneb", "Spiriva", "Plavix", "clopidogrel", "aspirin", "nitroglycerin", "Flomax", "tamsulosin",
         "Haldol", "Ativan", "Seroquel", "Tylenol", "oxycodone", "Dilaudid", "Narcan", "Colace", "senna", "Miralax",
         "Norvasc", "amlodipine", "lisinopril", "hydralazine", "Entresto", "Jardiance", "Ozempic", "metformin",
         "Bactrim", "Cipro", "Flagyl", "Augmentin", "Tamiflu", "Paxlovid", "Xarelto", "Digoxin", "Synthroid"]
DEVICES = ["Medtronic dual-chamber pacemaker", "Boston Scientific ICD", "St. Jude Medical pacemaker",
           "Philips BiPAP", "ResMed CPAP", "Port-A-Cath", "Foley catheter", "PICC line", "Swan-Ganz catheter",
           "Pleur-x catheter", "Impella CP", "Dobhoff tube", "Jackson-Pratt drain", "Hickman catheter",
           "Mepilex dressing", "Wound VAC", "Hemovac drain", "Trach collar"]
SUTURES = ["3-0 Vicryl", "4-0 Monocryl", "2-0 silk", "0 PDS", "5-0 Prolene", "Dermabond", "staples"]
DX = [("acute on chronic systolic heart failure", "I50.23"), ("community-acquired pneumonia", "J18.9"),
      ("NSTEMI", "I21.4"), ("diabetic ketoacidosis", "E10.10"), ("COPD exacerbation", "J44.1"),
      ("acute kidney injury", "N17.9"), ("sepsis due to E. coli UTI", "A41.51"), ("atrial fibrillation with RVR", "I48.91"),
      ("alcohol withdrawal", "F10.239"), ("small bowel obstruction", "K56.609"), ("acute pancreatitis", "K85.90"),
      ("hip fracture", "S72.001A"), ("cellulitis of left lower extremity", "L03.116"), ("hyponatremia", "E87.1")]
SCORES = ["CHA2DS2-VASc {a}", "HAS-BLED {b}", "NYHA class {r}", "GCS {g}", "RASS -{b}", "CIWA {c}", "MELD {m}",
          "Wells score {b}", "TIMI {b}", "CURB-65 {b}", "Braden {m}", "Morse fall score {f}", "NIHSS {b}",
          "Child-Pugh {cp}", "qSOFA {b}", "APACHE II {m}", "Mallampati {r}", "ASA {r}", "ECOG {b}", "Karnofsky {k}"]
CITATIONS = ["42 U.S.C. § 290dd-2", "42 C.F.R. Part 2", "45 C.F.R. § 164.512(j)", "M.G.L. c. 123, § 12",
             "R.I. Gen. Laws § 40.1-5-7", "N.H. Rev. Stat. Ann. § 135-C:27", "Fed. R. Evid. 501",
             "Mass. Gen. Laws ch. 111, § 70E", "18 V.S.A. § 7508", "Conn. Gen. Stat. § 17a-502"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CREDS = ["MD", "MD, PhD", "DO", "MD, MPH", "NP", "PA-C", "RN, BSN", "MD, FACC", "DO, FACEP", "MBBS", "RN", "CRNA",
         "PharmD", "MD, MS"]





# --------------------------------------------------------------------------- charts and values

def person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(WORD_FIRST) if rng.random() < 0.15 else rng.choice(FIRST)
    r = rng.random()
    last = rng.choice(PARTICLE_LAST) if r < 0.15 else rng.choice(WORD_LAST) if r < 0.3 else rng.choice(LAST)
    return first, last


def phone(rng: random.Random, area: int) -> str:
    return rng.choice(["({a}) 555-01{x:02d}", "{a}-555-01{x:02d}", "{a}.555.01{x:02d}"]).format(a=area, x=rng.randint(0, 99))


def chart(rng: random.Random) -> dict:
    first, last = person(rng)
    city, state = rng.choice(CITIES)
    area = rng.choice([401, 508, 603, 207, 802, 860, 413])
    old = rng.random() < 0.15
    dob = (dt.date(1922, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))) if old else \
        (dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 22000)))
    client = {"first_name": first, "last_name": last,
              "middle_name": rng.choice(FIRST) if rng.random() < 0.3 else None,
              "preferred_name": None, "dob": dob.isoformat(),
              "address": {"street": f"{rng.randint(3, 980)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}",
                          "city": city, "state": state, "zip": f"0{rng.randint(1000, 2999)}"},
              "phone": phone(rng, area),
              "mrn": rng.choice([f"{rng.randint(10**6, 10**7 - 1)}", f"{rng.randint(10**7, 10**8 - 1)}",
                                 f"{rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"]),
              "insurance_member_id": f"{rng.choice(['BCB', 'HPH', 'TUF', 'NHP'])}{rng.randint(10**7, 10**8 - 1)}"}
    contacts = []
    for rel in rng.sample(["wife", "husband", "daughter", "son", "sister", "health care proxy"], rng.randint(1, 2)):
        cf, cl = person(rng)
        if rel in ("daughter", "son", "sister") and rng.random() < 0.6:
            cl = last
        contacts.append({"relation": rel, "first_name": cf, "last_name": cl, "phone": phone(rng, area)})
    return {"client": client, "contacts": contacts}


def dob_of(ch: dict) -> dt.date:
    return dt.date.fromisoformat(ch["client"]["dob"])


def age(ch: dict, on: dt.date) -> int:
    d = dob_of(ch)
    return on.year - d.year - ((on.month, on.day) < (d.month, d.day))


def a_date(rng: random.Random) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 600))


def date_text(d: dt.date, rng: random.Random) -> str:
    return rng.choice([f"{d.month}/{d.day}/{d.year}", f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.month}/{d.day}/{d.year % 100:02d}",
                       f"{MONTHS[d.month - 1]} {d.day}, {d.year}", f"{d.year}-{d.month:02d}-{d.day:02d}",
                       f"{d.month}/{d.day}", f"{MONTHS[d.month - 1][:3]} {d.day}", f"{d.day}-{MONTHS[d.month - 1][:3]}-{d.year}"])


def dob_text(ch: dict, rng: random.Random) -> str:
    return date_text(dob_of(ch), rng).replace(f"{dob_of(ch).month}/{dob_of(ch).day}", f"{dob_of(ch).month}/{dob_of(ch).day}")


def age_text(n: int, rng: random.Random, sex: str) -> str:
    """An age phrase; the number is gold only when it is 90 or over (Safe Harbor)."""
    num = f"[[AGE|{n}]]" if n >= 90 else str(n)
    return rng.choice([f"{num} y/o {sex}", f"{num} yo {sex}", f"{num}-year-old {'man' if sex == 'M' else 'woman'}",
                       f"{num}{sex}", f"{num} year old {'male' if sex == 'M' else 'female'}"])


def doctor(rng: random.Random) -> tuple[str, str, str]:
    f, l = rng.choice(FIRST), rng.choice(LAST + WORD_LAST)
    return f, l, rng.choice(CREDS)


def vitals(rng: random.Random) -> str:
    sbp, dbp = rng.randint(88, 178), rng.randint(48, 102)
    return rng.choice([
        f"T {rng.choice(['36.9', '37.4', '38.6', '98.2', '101.3'])} HR {rng.randint(54, 128)} BP {sbp}/{dbp} RR {rng.randint(12, 28)} SpO2 {rng.randint(88, 100)}% on {rng.choice(['RA', '2L NC', '4L NC', '40% FiO2', 'NRB'])}",
        f"Vitals: BP {sbp}/{dbp}, P {rng.randint(54, 128)}, R {rng.randint(12, 28)}, T {rng.choice(['98.6', '99.1', '100.4'])}, O2 sat {rng.randint(88, 100)}%",
        f"BP ranged {sbp - 20}-{sbp}/{dbp - 10}-{dbp}, HR {rng.randint(60, 80)}-{rng.randint(90, 120)}, MAP >{rng.choice([60, 65])}",
        f"Wt {rng.randint(48, 140)}.{rng.randint(0, 9)} kg (BMI {rng.randint(17, 44)}), I/O {rng.randint(600, 3200)}/{rng.randint(400, 2900)}",
    ])


def labs(rng: random.Random) -> str:
    return rng.choice([
        f"Na {rng.randint(124, 146)} K {rng.choice(['3.1', '4.2', '5.6'])} Cl {rng.randint(92, 110)} HCO3 {rng.randint(14, 30)} BUN {rng.randint(8, 90)} Cr {rng.choice(['0.8', '1.4', '2.9'])} Glu {rng.randint(70, 480)}",
        f"WBC {rng.choice(['4.1', '11.8', '17.2'])} Hgb {rng.choice(['7.9', '10.2', '13.4'])} Hct {rng.randint(24, 44)} Plt {rng.randint(60, 420)}",
        f"ABG {rng.choice(['7.21', '7.32', '7.38', '7.45'])}/{rng.randint(30, 68)}/{rng.randint(55, 140)}/{rng.randint(16, 30)}, lactate {rng.choice(['0.9', '2.3', '4.6'])}",
        f"INR {rng.choice(['1.1', '2.4', '3.6'])}, PTT {rng.randint(25, 90)}, trop {rng.choice(['<0.01', '0.08', '1.24'])}, BNP {rng.randint(40, 4200)}",
        f"TSH {rng.choice(['0.4', '2.1', '6.8'])}, A1c {rng.choice(['5.6', '7.9', '11.2'])}%, LDL {rng.randint(50, 190)}, eGFR {rng.randint(14, 90)}",
        f"UA: SG 1.0{rng.randint(5, 30):02d}, pH {rng.choice(['5.0', '6.5'])}, {rng.randint(0, 3)}+ LE, nitrite {rng.choice(['pos', 'neg'])}, >{rng.choice([50, 100])} WBC/hpf",
    ])


def score(rng: random.Random) -> str:
    return rng.choice(SCORES).format(a=rng.randint(0, 9), b=rng.randint(0, 5), r=rng.choice(["I", "II", "III", "IV"]),
                                     g=rng.choice(["15", "14", "3T", "E3V4M6"]), c=rng.randint(3, 25),
                                     m=rng.randint(6, 34), f=rng.choice([25, 45, 65]), cp=rng.choice("ABC"),
                                     k=rng.choice([50, 70, 90]))


def dose(rng: random.Random) -> str:
    d = rng.choice(DRUGS)
    return rng.choice([f"{d} {rng.choice([2.5, 5, 10, 20, 40, 81, 500])} mg PO {rng.choice(['daily', 'BID', 'TID', 'QHS', 'q6h PRN'])}",
                       f"{d} {rng.choice([1, 2, 4])} mg IV q{rng.choice([4, 6, 8])}h", f"{d} gtt at {rng.randint(2, 20)} mcg/min",
                       f"{d} {rng.randint(5, 40)} units SC {rng.choice(['qAM', 'QHS', 'AC'])}", f"{d} {rng.choice(['1 g', '2 g', '500 mg'])} IV q{rng.choice([8, 12, 24])}h"])


def vent(rng: random.Random) -> str:
    return rng.choice([f"AC {rng.choice([14, 16, 18])}/{rng.choice([400, 450, 500])}/{rng.randint(5, 12)}/{rng.choice([30, 40, 60, 100])}%",
                       f"PRVC VT {rng.choice([380, 420, 460])} RR {rng.choice([14, 20, 24])} PEEP {rng.randint(5, 14)} FiO2 {rng.choice([0.3, 0.4, 0.6])}",
                       f"PSV {rng.randint(5, 12)}/{rng.randint(5, 8)}, I:E 1:{rng.choice([2, 3, 4])}", f"BiPAP {rng.randint(10, 16)}/{rng.randint(5, 8)}",
                       f"HFNC {rng.choice([40, 50, 60])}L/{rng.choice([40, 60, 80])}%"])


def street_trap(rng: random.Random) -> str:
    """Numbers followed by an abbreviation that could be a street type, and other look-alikes."""
    return rng.choice([f"{rng.randint(1, 4)} Pt assist with transfers.", f"Pt seen with {rng.randint(2, 3)} Dr from the team.",
                       f"{rng.randint(2, 5)} Ct scans this admission.", f"{rng.randint(1, 3)} St segment changes resolved.",
                       f"Room {rng.randint(100, 990)}, bed {rng.choice('AB')}.", f"Seen at {rng.randint(1, 11)}:{rng.choice(['05', '30', '45'])} with RN at bedside.",
                       f"Pain {rng.randint(2, 9)}/10.", f"Strength {rng.randint(3, 5)}/5 in all extremities.",
                       f"Ejection fraction {rng.randint(15, 65)}%.", f"{rng.randint(1, 3)}+ pitting edema to the knees."])


def legal(rng: random.Random) -> str:
    return rng.choice([f"Disclosure is limited under {rng.choice(CITATIONS)}.", f"Hold placed per {rng.choice(CITATIONS)}.",
                       f"Capacity assessed; see {rng.choice(CITATIONS)} and hospital policy.",
                       f"Records released only with consent as required by {rng.choice(CITATIONS)}."])


def sign(rng: random.Random, role: str = "") -> str:
    f, l, cred = doctor(rng)
    return rng.choice([f"[[NAME|{f} {l}]], {cred}{role}", f"Electronically signed by [[NAME|{f} {l}]], {cred} on [[DATE|{date_text(a_date(rng), rng)}]] at {rng.randint(0, 23):02d}{rng.choice(['05', '17', '44'])}",
                       f"[[NAME|{f[0]}. {l}]], {cred}", f"Dictated by: [[NAME|{l}]], [[NAME|{f}]] {cred}  D: [[DATE|{date_text(a_date(rng), rng)}]]  T: [[DATE|{date_text(a_date(rng), rng)}]]  Job #[[ID|{rng.randint(10**5, 10**7)}]]"])


# --------------------------------------------------------------------------- documents

def header(d: Doc, rng: random.Random, ch: dict, when: dt.date, title: str) -> None:
    c = ch["client"]
    hosp = rng.choice(HOSPITALS)
    d.w(f"[[LOCATION|{hosp[0]}]]\n{title}\n")
    d.w(rng.choice([f"Patient: [[NAME+|{c['last_name']}, {c['first_name']}]]    MRN: [[ID+|{c['mrn']}]]    DOB: [[DATE+|{date_text(dob_of(ch), rng)}]]\n",
                    f"Name: [[NAME+|{c['first_name']} {c['last_name']}]]  Unit #: [[ID+|{c['mrn']}]]  Acct: [[ID|{rng.randint(10**8, 10**9 - 1)}]]\n",
                    f"[[NAME+|{c['last_name'].upper()}, {c['first_name'].upper()}]]  ([[ID+|{c['mrn']}]])  Admit: [[DATE|{date_text(when, rng)}]]\n"]))


def hp(rng, ch):
    c = ch["client"]
    city = c["address"]["city"]
    d = Doc("admission history and physical", ch)
    when = a_date(rng)
    sex = rng.choice("MF")
    dx = rng.choice(DX)
    pcp = doctor(rng)
    header(d, rng, ch, when, "ADMISSION HISTORY AND PHYSICAL")
    d.w(f"\nCC: {rng.choice(['shortness of breath', 'chest pain', 'fever and confusion', 'abdominal pain', 'fall at home'])}\n")
    d.w(f"HPI: {age_text(age(ch, when), rng, sex)} with h/o {rng.choice(['HTN', 'HLD', 'DM2', 'CAD s/p CABG', 'COPD on 2L home O2', 'ESRD on HD MWF'])}, "
        f"{rng.choice(['CKD III', 'AFib on Eliquis', 'OSA on CPAP', 'HFrEF (EF 30%)'])} who presents from "
        f"{rng.choice([f'home in [[LOCATION+|{city}]]', f'[[LOCATION|{rng.choice(NURSING_HOMES)}]]', f'[[LOCATION|{rng.choice(CLINICS)}]]'])} "
        f"with {rng.randint(2, 7)} days of {rng.choice(['dyspnea', 'productive cough', 'melena', 'worsening edema'])}. ")
    d.w(rng.choice([f"Per {ch['contacts'][0]['relation']} [[NAME+|{ch['contacts'][0]['first_name']}]], pt was last well [[DATE|{WEEKDAYS[rng.randint(0, 6)]}]]. ",
                    f"Seen by PCP Dr. [[NAME|{pcp[1]}]] on [[DATE|{date_text(a_date(rng), rng)}]] and started on {rng.choice(DRUGS)}. ",
                    f"In the ED {vitals(rng)}. Given {dose(rng)}. "]))
    d.w(f"\nPMH: {dx[0]}; s/p {rng.choice(['CABG', 'TKA', 'appendectomy', 'cholecystectomy'])} [[DATE|{rng.randint(1995, 2022)}]]; {rng.choice(['GERD', 'BPH', 'hypothyroidism', 'gout'])}\n")
    d.w(f"Meds: {dose(rng)}; {dose(rng)}; {dose(rng)}\nAllergies: {rng.choice(['NKDA', 'PCN (rash)', 'sulfa', 'iodinated contrast', 'codeine'])}\n")
    d.w(rng.choice([f"SH: Lives with {ch['contacts'][0]['relation']} in [[LOCATION+|{c['address']['city']}]], {rng.choice([STATE_NAMES[c['address']['state']], c['address']['state']])}. Born in {rng.choice(COUNTRIES)}; speaks {rng.choice(LANGUAGES)}, interpreter used. Former {rng.choice(['machinist', 'teacher', 'nurse', 'fisherman'])}. {rng.randint(10, 60)} pack-year smoker.\n",
                    f"SH: Retired, lives alone at [[LOCATION+|{c['address']['street']}]]. Daughter nearby. Denies EtOH/IVDU.\n"]))
    d.w(f"FH: {rng.choice(['Mother with breast CA', 'Father with MI at 52', 'Noncontributory'])}\n")
    d.w(f"PE: {vitals(rng)}\nGen: NAD, A&Ox3. HEENT: PERRL, EOMI, MMM. CV: irregularly irregular, no M/R/G. Lungs: bibasilar crackles. Abd: soft, NT/ND, +BS. Ext: {rng.randint(1, 3)}+ edema.\n")
    d.w(f"Labs: {labs(rng)}. {labs(rng)}.\nEKG: {rng.choice(['NSR 78', 'AFib 112', 'sinus tach 104, no STE', 'LBBB, QTc 486'])}. CXR: {rng.choice(['bilateral effusions', 'RLL consolidation', 'no acute process'])}.\n")
    d.w(f"A/P: {age_text(age(ch, when), rng, sex)} admitted with {dx[0]} ({dx[1]}).\n1. {dx[0].capitalize()}: {dose(rng)}; {score(rng)}; {score(rng)}.\n2. {rng.choice(['DVT ppx', 'GI ppx', 'Code status'])}: {rng.choice(['heparin 5000 units SC q8h', 'Protonix 40 mg daily', 'Full code, confirmed with HCP'])}.\n")
    d.w(f"Dispo: {rng.choice([f'to [[LOCATION|{rng.choice(UNITS)}]] telemetry', 'home with VNA', 'pending PT eval'])}.\n\n{sign(rng)}\n")
    return d


def icu_note(rng, ch):
    c = ch["client"]
    d = Doc("ICU progress note in capitals", ch)
    when = a_date(rng)
    unit = rng.choice(UNITS)
    d.w(f"MICU PROGRESS NOTE - [[LOCATION|{unit}]], BED {rng.randint(1, 20)}   HD#{rng.randint(2, 14)}   [[DATE|{when.month}/{when.day}]]\n")
    d.w(f"PT: [[NAME+|{c['last_name']}]]   MR#: [[ID+|{c['mrn']}]]\n")
    d.w(f"24H EVENTS: {rng.choice(['SELF-EXTUBATED, REINTUBATED', 'PRESSORS WEANED', 'NEW AF RVR, AMIO LOAD', 'CT HEAD NEG'])}. {street_trap(rng)}\n")
    d.w(f"VS: {vitals(rng)}. CVP {rng.randint(4, 18)}. {score(rng)}, {score(rng)}.\n")
    d.w(f"VENT: {vent(rng)}. {labs(rng)}.\n")
    d.w(f"DRIPS: {dose(rng)}, {dose(rng)}. ABX: {rng.choice(DRUGS)} DAY {rng.randint(1, 10)}/{rng.choice([7, 10, 14])}.\n")
    d.w(f"LINES: R IJ TLC (DAY {rng.randint(1, 9)}), A-LINE, {rng.choice(DEVICES)}.\n")
    d.w(f"A/P: {rng.choice(DX)[0]} - {dose(rng)}. {labs(rng)}. {legal(rng) if rng.random() < 0.3 else ''}\n")
    d.w(rng.choice([f"FAMILY: UPDATED {ch['contacts'][0]['relation']} [[NAME+|{ch['contacts'][0]['first_name']} {ch['contacts'][0]['last_name']}]] BY PHONE [[CONTACT+|{ch['contacts'][0]['phone']}]].\n",
                    f"CODE: FULL. HCP IS {ch['contacts'][0]['relation']} ([[NAME+|{ch['contacts'][0]['first_name']}]]).\n",
                    f"DISCUSSED AT ROUNDS WITH DR [[NAME|{rng.choice(LAST)}]] (PAGER [[CONTACT|{rng.randint(10000, 89999)}]]).\n"]))
    d.w(f"{sign(rng)}\n")
    return d


def discharge(rng, ch):
    c = ch["client"]
    d = Doc("discharge summary", ch)
    adm = a_date(rng)
    dis = adm + dt.timedelta(days=rng.randint(2, 12))
    dx = rng.choice(DX)
    fu = doctor(rng)
    header(d, rng, ch, adm, "DISCHARGE SUMMARY")
    d.w(f"Admission Date: [[DATE|{date_text(adm, rng)}]]    Discharge Date: [[DATE|{date_text(dis, rng)}]]\n")
    d.w(f"Attending: [[NAME|{fu[0]} {fu[1]}]], {fu[2]}\nService: {rng.choice(['Medicine', 'Cardiology', 'Hospitalist', 'Orthopedics'])}\n\n")
    d.w(f"PRINCIPAL DIAGNOSIS: {dx[0]} ({dx[1]})\nSECONDARY: {rng.choice(DX)[0]}; {rng.choice(DX)[0]}\n\n")
    d.w(f"HOSPITAL COURSE: {age_text(age(ch, adm), rng, rng.choice('MF'))} admitted with {dx[0]}. Treated with {dose(rng)} and {dose(rng)}. "
        f"{rng.choice(['Echo showed EF 35-40%.', 'Blood cultures 2/2 with GPC in clusters.', 'TEE negative for vegetation.'])} "
        f"{rng.choice(['Cardiology (Dr. [[NAME|' + rng.choice(LAST) + ']]) consulted.', 'ID consulted.', 'PT/OT recommended rehab.'])} "
        f"Transitioned to {dose(rng)} on HD#{rng.randint(2, 6)}. {street_trap(rng)}\n\n")
    d.w(f"DISCHARGE MEDICATIONS:\n1. {dose(rng)}\n2. {dose(rng)}\n3. {dose(rng)}\n4. {dose(rng)}\n\n")
    d.w(rng.choice([f"DISPOSITION: Home with services ([[LOCATION|{rng.choice(['Bayside', 'Greylock', 'Nashoba'])} VNA]]).\n",
                    f"DISPOSITION: [[LOCATION|{rng.choice(NURSING_HOMES)}]] for short-term rehab.\n",
                    f"DISPOSITION: Home to [[LOCATION+|{c['address']['street']}]], [[LOCATION+|{c['address']['city']}]], {c['address']['state']} [[LOCATION+|{c['address']['zip']}]].\n"]))
    d.w(f"FOLLOW-UP: Dr. [[NAME|{fu[1]}]] at [[LOCATION|{rng.choice(CLINICS)}]] on [[DATE|{date_text(dis + dt.timedelta(days=rng.randint(5, 20)), rng)}]]; call [[CONTACT|{phone(rng, 508)}]]. "
        f"Labs (BMP) in {rng.randint(3, 7)} days.\n\n{sign(rng)}\ncc: [[NAME|{rng.choice(FIRST)} {rng.choice(LAST)}]], {rng.choice(CREDS)} (PCP)\n")
    return d


def radiology(rng, ch):
    c = ch["client"]
    d = Doc("radiology report", ch)
    when = a_date(rng)
    exam = rng.choice(["CT ABDOMEN/PELVIS WITH IV CONTRAST", "CHEST 2 VIEWS PA/LAT", "MRI BRAIN W/WO", "CTA CHEST PE PROTOCOL",
                       "US RUQ", "XR L HIP 2V"])
    d.w(f"[[LOCATION|{rng.choice(HOSPITALS)[1]}]] DEPARTMENT OF RADIOLOGY\n")
    d.w(f"PATIENT: [[NAME+|{c['last_name']}, {c['first_name']}]] ([[NAME+|{c['first_name'][0]}{c['last_name'][0]}]])   MRN [[ID+|{c['mrn']}]]   ACC# [[ID|{rng.choice(['RAD', 'CT', 'MR'])}{rng.randint(10**6, 10**7 - 1)}]]\n")
    d.w(f"EXAM: {exam}    DATE: [[DATE|{date_text(when, rng)}]] {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}\n")
    d.w(f"INDICATION: {age_text(age(ch, when), rng, rng.choice('MF'))}, {rng.choice(['r/o PE', 'RLQ pain', 'fall', 'AMS', 'fever'])}.\n")
    d.w(f"COMPARISON: {rng.choice(['None.', f'[[DATE|{date_text(a_date(rng), rng)}]].', f'Outside CT from [[LOCATION|{rng.choice(HOSPITALS)[0]}]], [[DATE|{MONTHS[rng.randint(0, 11)]} {rng.randint(2019, 2023)}]].'])}\n")
    d.w(f"TECHNIQUE: {rng.choice(['Axial images with 100 mL Omnipaque 350.', 'Siemens 1.5T, standard protocol.', 'GE Revolution 256-slice, 2.5 mm recons.'])} DLP {rng.randint(200, 1400)} mGy-cm.\n")
    d.w(f"FINDINGS: {rng.choice(DEVICES)} in expected position. {rng.choice(['No PE to the segmental level.', 'Stable 4 mm RUL nodule (series 3, image 42).', 'L4-L5 disc bulge.', 'Cholelithiasis without cholecystitis.'])} "
        f"{rng.choice(['Bones: degenerative change at C5-6 and T11-12.', 'Ratio 1:3 of the ventricles to sulci is normal.', 'Lungs: trace bilateral effusions.'])}\n")
    d.w(f"IMPRESSION:\n1. {rng.choice(['No acute abnormality.', 'Findings c/w acute appendicitis.', 'Small R pleural effusion.'])}\n2. Fleischner guidelines: follow-up CT in 12 months.\n")
    d.w(f"Results called to Dr. [[NAME|{rng.choice(LAST)}]] at {rng.randint(1, 12)}:{rng.randint(10, 59)} on [[DATE|{date_text(when, rng)}]] by [[NAME|{rng.choice(FIRST)} {rng.choice(LAST)}]], {rng.choice(['MD', 'DO', 'MD, PhD'])}.\n")
    return d


def op_note(rng, ch):
    d = Doc("operative report", ch)
    when = a_date(rng)
    surg, asst, anes = doctor(rng), doctor(rng), doctor(rng)
    proc = rng.choice(["Laparoscopic cholecystectomy", "Right total knee arthroplasty", "Open reduction internal fixation, left hip",
                       "Exploratory laparotomy, small bowel resection", "Dual-chamber pacemaker placement"])
    header(d, rng, ch, when, "OPERATIVE REPORT")
    d.w(f"DATE OF OPERATION: [[DATE|{date_text(when, rng)}]]\nSURGEON: [[NAME|{surg[0]} {surg[1]}]], MD, FACS\nASSISTANT: [[NAME|{asst[0]} {asst[1]}]], PA-C\n"
        f"ANESTHESIA: General endotracheal; [[NAME|{anes[1]}]], CRNA\n")
    d.w(f"PREOPERATIVE DIAGNOSIS: {rng.choice(DX)[0]}\nPOSTOPERATIVE DIAGNOSIS: Same\nPROCEDURE: {proc}\n")
    d.w(f"EBL: {rng.randint(10, 400)} mL. FLUIDS: {rng.randint(800, 2500)} mL LR. UOP: {rng.randint(100, 600)} mL. SPECIMENS: {rng.choice(['gallbladder', 'none', 'small bowel segment'])}.\n")
    d.w(f"IMPLANTS: {rng.choice(['Stryker Triathlon femoral component size 5', 'Zimmer NexGen tibial tray', 'Synthes DHS 135 degree', 'Medtronic Azure XT DR MRI SureScan'])}. "
        f"Lot # [[ID|{rng.choice(['A', 'K', 'T'])}{rng.randint(10**5, 10**6 - 1)}]].\n")
    d.w(f"DESCRIPTION: The patient was identified in the holding area, consent verified, and brought to OR {rng.randint(1, 12)}. Time-out performed. "
        f"{rng.choice(['Pneumoperitoneum to 15 mmHg via Veress needle.', 'Tourniquet inflated to 250 mmHg.', 'Fluoroscopy confirmed reduction.'])} "
        f"Closure with {rng.choice(SUTURES)} and {rng.choice(SUTURES)}. Counts correct x{rng.randint(2, 3)}. {street_trap(rng)}\n")
    d.w(f"DISPOSITION: PACU, stable. Ancef 2 g IV given. {score(rng)}.\n\n{sign(rng)}\n")
    return d


def ed_note(rng, ch):
    c = ch["client"]
    city = c["address"]["city"]
    d = Doc("emergency department note", ch)
    when = a_date(rng)
    sex = rng.choice("MF")
    upper = rng.random() < 0.4
    d.w(f"ED NOTE  [[DATE|{date_text(when, rng)}]]  ARRIVAL {rng.randint(0, 23):02d}{rng.randint(0, 59):02d}  TRIAGE ESI {rng.randint(1, 5)}\n")
    d.w(f"[[NAME+|{c['first_name']} {c['last_name']}]] is a {age_text(age(ch, when), rng, sex)} BIBA from "
        f"{rng.choice([f'[[LOCATION|{rng.choice(NURSING_HOMES)}]]', f'home ([[LOCATION+|{city}]])', f'the corner of [[LOCATION|{rng.choice(STREETS)} and {rng.choice(STREETS)}]]'])} "
        f"after {rng.choice(['a syncopal episode', 'a mechanical fall', 'chest pressure', 'a seizure witnessed by family'])}. ")
    d.w(f"{rng.choice(['EMS gave ASA 324 mg and NTG x2.', 'Glucose 42 in field, given D50.', 'GCS 13 on arrival.'])} {street_trap(rng)}\n")
    d.w(f"ROS: 10-point ROS negative except per HPI.\nEXAM: {vitals(rng)}. {score(rng)}.\n")
    d.w(f"MDM: {labs(rng)}. {rng.choice(['EKG: NSR, no STEMI.', 'CT head: no bleed.', 'CXR clear.'])} Ddx ACS vs PE vs {rng.choice(['dissection', 'syncope NOS', 'sepsis'])}. {score(rng)}.\n")
    d.w(rng.choice([f"Discussed with cardiology fellow Dr. [[NAME|{rng.choice(LAST)}]]; admit to [[LOCATION|{rng.choice(UNITS)}]].\n",
                    f"Spoke with {ch['contacts'][0]['relation']} [[NAME+|{ch['contacts'][0]['first_name']}]] at [[CONTACT+|{ch['contacts'][0]['phone']}]], updated.\n",
                    f"Transfer accepted by [[LOCATION|{rng.choice(HOSPITALS)[0]}]] ([[LOCATION|{rng.choice(HOSPITALS)[1]}]]).\n"]))
    d.w(f"DISPO: {rng.choice(['Admit', 'Obs', 'Home'])}. {dose(rng)}.\n{sign(rng, ' (ED attending)')}\n")
    return d, upper


def clinic_note(rng, ch):
    c = ch["client"]
    d = Doc("outpatient specialty note", ch)
    when = a_date(rng)
    clinic = rng.choice(CLINICS)
    d.w(f"[[LOCATION|{clinic}]]\nOffice visit [[DATE|{date_text(when, rng)}]] ({f'[[DATE|{WEEKDAYS[when.weekday()]}]]' if rng.random() < 0.3 else 'follow-up'})\n")
    d.w(f"Patient: [[NAME+|{c['first_name']} {c['last_name']}]]   DOB [[DATE+|{date_text(dob_of(ch), rng)}]]   Ins: [[ID+|{c['insurance_member_id']}]]\n\n")
    d.w(f"Subjective: {age_text(age(ch, when), rng, rng.choice('MF'))} seen for f/u of {rng.choice(DX)[0]}. Since last visit on [[DATE|{date_text(a_date(rng), rng)}]] {rng.choice(['no ED visits', 'one admission to ' + '[[LOCATION|' + rng.choice(HOSPITALS)[0] + ']]', 'weight up 3 lb'])}. "
        f"Taking {dose(rng)}. Uses {rng.choice(DEVICES)} nightly.\n")
    d.w(f"Objective: {vitals(rng)}. {labs(rng)}.\n")
    d.w(f"Assessment: {rng.choice(DX)[0]} ({rng.choice(DX)[1]}), {score(rng)}; {score(rng)}. {rng.choice(['Stable.', 'Worse.', 'At goal.'])}\n")
    d.w(f"Plan: Increase {dose(rng)}. Stop {rng.choice(DRUGS)}. Refer to [[LOCATION|{rng.choice(CLINICS)}]]. {street_trap(rng)} RTC {rng.randint(2, 12)} weeks.\n")
    d.w(rng.choice([f"Pt's {ch['contacts'][0]['relation']} ([[NAME+|{ch['contacts'][0]['first_name']} {ch['contacts'][0]['last_name']}]]) present for visit; Spanish interpreter #[[ID|{rng.randint(10**4, 10**6)}]] used.\n",
                    f"Pt is moving back to {STATE_NAMES[rng.choice(list(STATE_NAMES))]} in the spring; records to follow with consent.\n",
                    f"Pt will be traveling to {rng.choice(COUNTRIES)} in [[DATE|{MONTHS[rng.randint(0, 11)]}]]; given Cipro for travel.\n"]))
    d.w(f"{sign(rng)}\n")
    return d


def psych_consult(rng, ch):
    d = Doc("psychiatric consult", ch)
    when = a_date(rng)
    header(d, rng, ch, when, "PSYCHIATRY CONSULTATION")
    d.w(f"Requesting: Dr. [[NAME|{rng.choice(LAST)}]], Medicine   Reason: {rng.choice(['capacity to refuse dialysis', 'SI after overdose', 'agitation, delirium'])}\n")
    d.w(f"HPI: {age_text(age(ch, when), rng, rng.choice('MF'))} with {rng.choice(['MDD', 'bipolar I', 'schizoaffective d/o', 'AUD'])} admitted after ingestion of {rng.randint(10, 60)} tabs of {rng.choice(DRUGS)}. "
        f"{rng.choice(['Pt states he wanted to sleep.', 'Collateral from sister.', 'Tox screen + for benzos.'])} C-SSRS: high risk. MoCA {rng.randint(14, 30)}/30. PHQ-9 {rng.randint(5, 27)}.\n")
    d.w("MSE: Disheveled, PMR, mood 'empty', affect constricted, TP linear, +passive SI, no HI/AVH. Insight/judgment poor.\n")
    d.w(f"Legal: {legal(rng)} {legal(rng)} Section 12(a) application completed; {rng.choice(['Form 7', 'Pink Paper', 'Section 35 petition'])} filed with [[LOCATION|{rng.choice(CITIES)[0]} District Court]], docket [[ID|{rng.randint(2400, 2599)}MH{rng.randint(100, 9999):04d}]].\n")
    d.w(f"Recs: 1:1 sitter. {dose(rng)}. Avoid {rng.choice(DRUGS)}. EKG for QTc. Will follow. Consult psych at [[LOCATION|{rng.choice(HOSPITALS)[1]}]] [[CONTACT|x{rng.randint(4000, 4999)}]] for questions.\n")
    d.w(f"{sign(rng)}\n")
    return d


KINDS = [hp, icu_note, discharge, radiology, op_note, ed_note, clinic_note, psych_consult]


def build(n_per_kind: int = 10, seed: int = 53) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for k, kind in enumerate(KINDS):
        for i in range(n_per_kind):
            out = kind(rng, chart(rng))
            doc, upper = out if isinstance(out, tuple) else (out, kind is icu_note)
            rows.append(doc.row(f"clin-{k + 1:02d}{i + 1:02d}", upper=upper))
    return rows


def main() -> None:
    dev_doc.write_rows(build(), OUT)


if __name__ == "__main__":
    main()
