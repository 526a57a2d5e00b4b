"""Write bench/data/deid/clinical_negative.jsonl: identifier-free clinical prose (a negative probe).

    python bench/make_clinical_negative.py

Every document is clinical language only: no person, place, organization, date, contact or
number that identifies anyone, so it has no gold spans and every token the engine flags is a
false alarm. It is scored as "false alarms per 1,000 tokens" (bench/deid_eval.py). The kinds:
discharge summaries, histories and physicals, operative notes, radiology and pathology reports,
nursing notes, medication lists, lab panels, microbiology, consults; each is written in mixed
case and again in ALL CAPS (the way many hospital systems print notes). The vocabulary (organ
systems, procedures, eponymous signs and scores, analytes, organisms, devices, drug classes and
names, abbreviations) was written from general medical knowledge for this file, before its
author read the engine's name rules, and is deliberately broader than the engine's lists.
Eponyms (Murphy's sign, Glasgow Coma Scale) are clinical vocabulary, not identifiers. Ages are
under 90 and the set is scored with policy "safe_harbor" (ages under 90 are kept).
Deterministic: the same file every run.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "deid" / "clinical_negative.jsonl"
SEED = 13

DRUGS = [
    "metoprolol tartrate", "metoprolol succinate", "carvedilol", "lisinopril", "losartan", "valsartan",
    "sacubitril-valsartan", "spironolactone", "eplerenone", "furosemide", "bumetanide", "torsemide",
    "hydrochlorothiazide", "chlorthalidone", "amlodipine", "diltiazem", "verapamil", "hydralazine",
    "isosorbide mononitrate", "nitroglycerin", "atorvastatin", "rosuvastatin", "ezetimibe", "aspirin",
    "clopidogrel", "ticagrelor", "prasugrel", "apixaban", "rivaroxaban", "dabigatran", "warfarin",
    "enoxaparin", "heparin", "fondaparinux", "digoxin", "amiodarone", "sotalol", "dofetilide",
    "metformin", "glipizide", "sitagliptin", "empagliflozin", "dapagliflozin", "semaglutide",
    "liraglutide", "insulin glargine", "insulin lispro", "insulin aspart", "levothyroxine",
    "methimazole", "prednisone", "methylprednisolone", "dexamethasone", "hydrocortisone",
    "fludrocortisone", "albuterol", "ipratropium", "tiotropium", "budesonide-formoterol",
    "fluticasone-salmeterol", "montelukast", "omeprazole", "pantoprazole", "famotidine",
    "ondansetron", "metoclopramide", "prochlorperazine", "docusate", "senna", "polyethylene glycol",
    "lactulose", "rifaximin", "bisacodyl", "acetaminophen", "ibuprofen", "naproxen", "ketorolac",
    "oxycodone", "hydromorphone", "morphine", "fentanyl", "tramadol", "buprenorphine",
    "methadone", "naloxone", "gabapentin", "pregabalin", "duloxetine", "sertraline", "escitalopram",
    "fluoxetine", "bupropion", "mirtazapine", "trazodone", "quetiapine", "olanzapine",
    "haloperidol", "risperidone", "aripiprazole", "lorazepam", "diazepam", "midazolam",
    "propofol", "dexmedetomidine", "ketamine", "levetiracetam", "phenytoin", "valproate",
    "lacosamide", "carbamazepine", "lamotrigine", "donepezil", "memantine", "carbidopa-levodopa",
    "vancomycin", "piperacillin-tazobactam", "cefepime", "ceftriaxone", "cefazolin", "meropenem",
    "ertapenem", "ampicillin-sulbactam", "amoxicillin-clavulanate", "azithromycin", "doxycycline",
    "levofloxacin", "ciprofloxacin", "metronidazole", "trimethoprim-sulfamethoxazole",
    "nitrofurantoin", "linezolid", "daptomycin", "fluconazole", "micafungin", "voriconazole",
    "acyclovir", "valganciclovir", "oseltamivir", "remdesivir", "norepinephrine", "vasopressin",
    "epinephrine", "phenylephrine", "dobutamine", "milrinone", "esmolol", "nicardipine",
    "clevidipine", "alteplase", "tenecteplase", "tranexamic acid", "protamine", "vitamin K",
    "potassium chloride", "magnesium sulfate", "calcium gluconate", "sodium bicarbonate",
    "allopurinol", "colchicine", "tamsulosin", "finasteride", "oxybutynin", "methotrexate",
    "hydroxychloroquine", "tacrolimus", "mycophenolate", "cyclosporine", "filgrastim",
    "epoetin alfa", "ferrous sulfate", "folic acid", "thiamine", "cyanocobalamin", "zolpidem",
    "melatonin", "nicotine patch", "varenicline", "naltrexone", "acamprosate", "sucralfate",
]
BRANDS = [
    "Lasix", "Coreg", "Eliquis", "Xarelto", "Coumadin", "Lovenox", "Plavix", "Brilinta", "Lipitor",
    "Crestor", "Zocor", "Norvasc", "Toprol", "Lopressor", "Zestril", "Cozaar", "Entresto",
    "Jardiance", "Farxiga", "Ozempic", "Trulicity", "Lantus", "Humalog", "Novolog", "Synthroid",
    "Protonix", "Prilosec", "Pepcid", "Zofran", "Reglan", "Colace", "Senokot", "Miralax", "Tylenol",
    "Motrin", "Toradol", "Dilaudid", "Percocet", "Norco", "Narcan", "Neurontin", "Lyrica",
    "Cymbalta", "Zoloft", "Lexapro", "Prozac", "Wellbutrin", "Remeron", "Seroquel", "Zyprexa",
    "Haldol", "Risperdal", "Abilify", "Ativan", "Valium", "Versed", "Diprivan", "Precedex",
    "Keppra", "Dilantin", "Depakote", "Vimpat", "Tegretol", "Lamictal", "Aricept", "Namenda",
    "Sinemet", "Zosyn", "Unasyn", "Augmentin", "Rocephin", "Ancef", "Maxipime",
    "Zithromax", "Levaquin", "Cipro", "Flagyl", "Bactrim", "Macrobid", "Zyvox", "Cubicin",
    "Diflucan", "Valtrex", "Tamiflu", "Levophed", "Neosynephrine", "Cardizem", "Cordarone",
    "Lanoxin", "Solumedrol", "Decadron", "Medrol", "Ventolin", "Atrovent", "Spiriva", "Symbicort",
    "Advair", "Singulair", "Flomax", "Proscar", "Ditropan", "Zyloprim", "Plaquenil", "Prograf",
    "Cellcept", "Neupogen", "Procrit", "Ambien", "Chantix", "Vivitrol", "Carafate", "Xifaxan",
    "Kayexalate", "Lokelma", "Heparin", "Activase", "Cleviprex", "Cardene", "Brevibloc",
]
LABS = [
    "sodium", "potassium", "chloride", "bicarbonate", "BUN", "creatinine", "glucose", "calcium",
    "magnesium", "phosphorus", "albumin", "total protein", "AST", "ALT", "alkaline phosphatase",
    "total bilirubin", "direct bilirubin", "GGT", "lipase", "amylase", "lactate", "troponin",
    "high-sensitivity troponin", "CK", "CK-MB", "BNP", "NT-proBNP", "D-dimer", "fibrinogen",
    "haptoglobin", "LDH", "reticulocyte count", "ferritin", "transferrin saturation", "TIBC",
    "vitamin B12", "folate", "TSH", "free T4", "hemoglobin A1c", "cortisol", "procalcitonin",
    "CRP", "ESR", "INR", "PT", "PTT", "aPTT", "anti-Xa", "WBC", "hemoglobin", "hematocrit",
    "platelets", "MCV", "RDW", "neutrophils", "lymphocytes", "eosinophils", "bands",
    "ammonia", "uric acid", "osmolality", "anion gap", "ionized calcium", "triglycerides", "LDL",
    "HDL", "ANA", "anti-dsDNA", "rheumatoid factor", "anti-CCP", "C3", "C4", "ANCA", "PSA", "CEA",
    "CA 19-9", "AFP", "beta-hCG", "urine protein-to-creatinine ratio", "urine sodium",
    "FENa", "serum ketones", "beta-hydroxybutyrate", "salicylate", "ethanol level",
    "acetaminophen level", "vancomycin trough", "tacrolimus level", "lithium level",
]
ORGANISMS = [
    "Staphylococcus aureus", "methicillin-resistant Staphylococcus aureus", "coagulase-negative staphylococci",
    "Streptococcus pneumoniae", "Streptococcus pyogenes", "viridans group streptococci",
    "Enterococcus faecalis", "Enterococcus faecium", "Escherichia coli", "Klebsiella pneumoniae",
    "Klebsiella oxytoca", "Proteus mirabilis", "Pseudomonas aeruginosa", "Enterobacter cloacae",
    "Serratia marcescens", "Citrobacter freundii", "Acinetobacter baumannii", "Haemophilus influenzae",
    "Moraxella catarrhalis", "Clostridioides difficile", "Bacteroides fragilis", "Candida albicans",
    "Candida glabrata", "Aspergillus fumigatus", "Mycobacterium tuberculosis", "Legionella pneumophila",
    "Mycoplasma pneumoniae", "Neisseria meningitidis", "Listeria monocytogenes", "Stenotrophomonas maltophilia",
]
SIGNS = [
    "Murphy's sign", "McBurney's point tenderness", "Rovsing's sign", "psoas sign", "obturator sign",
    "Kernig's sign", "Brudzinski's sign", "Babinski sign", "Hoffmann's sign", "Romberg sign",
    "Chvostek's sign", "Trousseau's sign", "Homans' sign", "Kussmaul respirations",
    "Cheyne-Stokes respirations", "Grey Turner's sign", "Cullen's sign", "Janeway lesions",
    "Osler nodes", "Roth spots", "Virchow's node", "Tinel's sign", "Phalen's test", "Lachman test",
    "McMurray test", "Spurling's test", "Kehr's sign", "Courvoisier's sign", "Beck's triad",
    "Austin Flint murmur", "Graham Steell murmur", "Levine sign", "Battle's sign", "Trendelenburg gait",
]
SCORES = [
    "Glasgow Coma Scale", "NIH Stroke Scale", "CHA2DS2-VASc", "HAS-BLED", "Wells score", "PERC rule",
    "HEART score", "TIMI risk score", "GRACE score", "CURB-65", "Pneumonia Severity Index", "qSOFA",
    "SOFA score", "APACHE II", "MELD-Na", "Child-Pugh class", "Ranson criteria", "BISAP",
    "Caprini score", "Braden scale", "Morse Fall Scale", "RASS", "CAM-ICU", "CIWA-Ar", "COWS",
    "PHQ-9", "GAD-7", "AUDIT-C", "Mallampati class", "ASA class", "Apgar score", "Bishop score",
    "Gleason score", "Breslow depth", "Clark level", "Killip class", "NYHA class", "Rankin scale",
    "Hunt and Hess grade", "Fisher grade", "Spetzler-Martin grade", "Lown grade", "Forrest class",
    "Los Angeles classification", "Tanner stage", "Mini-Mental State Examination", "Montreal Cognitive Assessment",
]
DEVICES = [
    "Foley catheter", "PICC line", "central venous catheter", "triple-lumen catheter", "arterial line",
    "Swan-Ganz catheter", "endotracheal tube", "tracheostomy tube", "nasogastric tube", "Dobhoff tube",
    "PEG tube", "Jackson-Pratt drain", "Blake drain", "Hemovac drain", "chest tube", "pigtail catheter",
    "Pleurx catheter", "Hickman catheter", "Port-a-Cath", "Quinton catheter", "Permcath",
    "Impella device", "intra-aortic balloon pump", "ECMO cannula", "LVAD", "HeartMate", "pacemaker",
    "ICD", "Holter monitor", "Zio patch", "BiPAP", "CPAP", "high-flow nasal cannula", "Venturi mask",
    "nonrebreather mask", "Ambu bag", "Yankauer suction", "Sequential compression devices",
    "Wound VAC", "Aquacel dressing", "Tegaderm", "Mepilex", "Steri-Strips", "Dermabond", "Bovie",
    "LigaSure", "Harmonic scalpel", "da Vinci robot", "Veress needle", "Hasson trocar", "Endo GIA stapler",
    "Ioban drape", "Betadine", "ChloraPrep", "Pyxis", "Alaris pump", "Omnipod", "Dexcom sensor",
    "Medtronic pump", "Greenfield filter", "IVC filter", "Palmaz stent", "drug-eluting stent",
    "Amplatzer occluder", "Watchman device", "MitraClip", "Sengstaken-Blakemore tube", "Minnesota tube",
    "Ommaya reservoir", "external ventricular drain", "Hoyer lift", "Posey belt", "bair hugger",
]
PROCEDURES = [
    "laparoscopic cholecystectomy", "open appendectomy", "exploratory laparotomy", "Whipple procedure",
    "Roux-en-Y gastric bypass", "Nissen fundoplication", "Hartmann procedure", "low anterior resection",
    "right hemicolectomy", "sigmoidectomy", "Billroth II reconstruction", "Lichtenstein hernia repair",
    "coronary artery bypass grafting", "aortic valve replacement", "TAVR", "percutaneous coronary intervention",
    "cardiac catheterization", "transesophageal echocardiogram", "cardioversion", "ablation",
    "thoracentesis", "paracentesis", "lumbar puncture", "bronchoscopy with bronchoalveolar lavage",
    "EGD", "colonoscopy", "ERCP with sphincterotomy", "EUS with fine-needle aspiration", "TIPS",
    "total knee arthroplasty", "total hip arthroplasty", "open reduction internal fixation",
    "carpal tunnel release", "rotator cuff repair", "ACL reconstruction", "laminectomy",
    "anterior cervical discectomy and fusion", "craniotomy", "burr hole evacuation",
    "carotid endarterectomy", "femoral-popliteal bypass", "below-knee amputation",
    "transurethral resection of the prostate", "cystoscopy with ureteral stent placement",
    "percutaneous nephrolithotomy", "total abdominal hysterectomy", "cesarean section",
    "dilation and curettage", "thyroidectomy", "parathyroidectomy", "mastectomy with sentinel node biopsy",
    "Mohs surgery", "skin graft", "incision and drainage", "debridement", "intubation",
    "tracheostomy", "electroconvulsive therapy", "hemodialysis", "CRRT", "plasmapheresis",
]
DIAGNOSES = [
    "acute on chronic systolic heart failure", "non-ST elevation myocardial infarction", "atrial fibrillation with rapid ventricular response",
    "community-acquired pneumonia", "aspiration pneumonia", "COPD exacerbation", "acute hypoxemic respiratory failure",
    "septic shock", "urinary tract infection", "pyelonephritis", "cellulitis", "osteomyelitis",
    "diabetic ketoacidosis", "hyperosmolar hyperglycemic state", "acute kidney injury", "hyperkalemia",
    "hyponatremia", "upper gastrointestinal bleed", "hepatic encephalopathy", "alcoholic hepatitis",
    "acute pancreatitis", "small bowel obstruction", "diverticulitis", "Clostridioides difficile colitis",
    "pulmonary embolism", "deep vein thrombosis", "ischemic stroke", "subarachnoid hemorrhage",
    "status epilepticus", "alcohol withdrawal", "delirium", "major depressive disorder",
    "bipolar disorder", "schizophrenia", "Guillain-Barre syndrome", "myasthenia gravis crisis",
    "Parkinson disease", "Alzheimer dementia", "Crohn disease", "ulcerative colitis", "Hashimoto thyroiditis",
    "Graves disease", "Cushing syndrome", "Addison disease", "Wernicke encephalopathy", "Hodgkin lymphoma",
    "non-Hodgkin lymphoma", "Kaposi sarcoma", "Barrett esophagus", "Mallory-Weiss tear", "Stevens-Johnson syndrome",
    "Takotsubo cardiomyopathy", "Wolff-Parkinson-White syndrome", "Brugada pattern", "Sjogren syndrome",
    "Raynaud phenomenon", "Bell palsy", "Meniere disease", "Paget disease of bone", "Charcot foot",
    "Dupuytren contracture", "Baker cyst", "Colles fracture", "Boxer fracture", "Legionnaires disease",
    "Lyme disease", "Rocky Mountain spotted fever", "West Nile virus", "Zika", "Ebola",
]
ABBREVS = [
    "HTN", "HLD", "DM2", "CAD", "CHF", "HFrEF", "HFpEF", "CKD", "ESRD", "COPD", "OSA", "GERD", "BPH", "AFib",
    "DVT", "PE", "CVA", "TIA", "MI", "NSTEMI", "STEMI", "SOB", "DOE", "PND", "CP", "N/V", "BRBPR",
    "NPO", "PRN", "BID", "TID", "QID", "QHS", "PO", "IV", "IM", "SQ", "SL", "PR", "GTT", "NKDA",
    "AAOx3", "PERRLA", "EOMI", "RRR", "CTAB", "NTND", "BS+", "CVAT", "ROM", "DTR", "ICU", "MICU",
    "SICU", "CCU", "PACU", "ED", "OR", "IR", "PT", "OT", "SLP", "SNF", "LTAC", "DNR", "DNI", "POLST",
    "HCP", "ABG", "VBG", "CBC", "BMP", "CMP", "LFTs", "UA", "UCx", "BCx", "CXR", "KUB", "CTA", "MRA",
    "MRCP", "TTE", "TEE", "EKG", "EEG", "EMG", "PFTs", "DLCO", "FEV1", "FVC", "PEEP", "FiO2",
    "SpO2", "MAP", "CVP", "SVR", "PCWP", "EF", "LVEF", "RVSP", "TAPSE", "GFR", "eGFR", "UOP",
    "I&O", "BM", "ADLs", "IADLs", "SBT", "SAT", "VAP", "CLABSI", "CAUTI", "MRSA", "VRE", "ESBL",
    "CRE", "HIV", "HCV", "HBV", "TB", "PPD", "RSV", "COVID", "SARS-CoV-2", "PCR", "NAAT",
    "COAGS", "TROPS", "LYTES", "HEME", "ONC", "GI", "GU", "ENT", "OB", "GYN", "ID", "NEURO", "PSYCH",
    "ORTHO", "CT SURG", "VASC", "NEPHRO", "PULM", "CARDS", "ENDO", "RHEUM", "DERM", "URO",
]
ANATOMY = [
    "left anterior descending artery", "right coronary artery", "circumflex", "mitral valve",
    "tricuspid valve", "aortic root", "pulmonary trunk", "inferior vena cava", "superior mesenteric artery",
    "celiac axis", "portal vein", "common bile duct", "ampulla of Vater", "sphincter of Oddi",
    "ligament of Treitz", "Meckel diverticulum", "pouch of Douglas", "Morison pouch", "Calot triangle",
    "Hesselbach triangle", "circle of Willis", "basal ganglia", "thalamus", "internal capsule",
    "cerebellar vermis", "pons", "medulla", "corpus callosum", "foramen of Monro", "Broca area",
    "Wernicke area", "Purkinje fibers", "bundle of His", "Eustachian tube", "Bartholin gland",
    "Achilles tendon", "rotator cuff", "glenoid labrum", "anterior cruciate ligament", "medial meniscus",
    "sacroiliac joint", "L4-L5 disc space", "C5-C6 level", "right lower lobe", "left upper lobe",
    "lingula", "costophrenic angle", "hilum", "mediastinum", "retroperitoneum", "Gerota fascia",
]
FINDINGS = [
    "no acute intracranial hemorrhage", "mild chronic small vessel ischemic change", "no pneumothorax",
    "small left pleural effusion with adjacent atelectasis", "patchy right lower lobe consolidation",
    "cardiomegaly with pulmonary vascular congestion", "Kerley B lines", "ground-glass opacities",
    "tree-in-bud nodularity", "a spiculated nodule", "no pulmonary embolus to the segmental level",
    "cholelithiasis without pericholecystic fluid", "sonographic Murphy sign negative",
    "mild hydronephrosis", "nonobstructing renal calculus", "free fluid in Morison pouch",
    "pneumoperitoneum", "fat stranding around the appendix", "colonic diverticulosis",
    "hepatic steatosis", "splenomegaly", "a hypodense hepatic lesion", "lytic lesion",
    "degenerative disc disease", "neural foraminal narrowing", "no acute fracture or dislocation",
    "Schatzki ring", "hiatal hernia", "Zenker diverticulum", "Chiari malformation",
]

SECTIONS_MIXED = [
    "Chief Complaint", "History of Present Illness", "Past Medical History", "Past Surgical History",
    "Medications", "Allergies", "Social History", "Family History", "Review of Systems", "Physical Exam",
    "Assessment and Plan", "Hospital Course", "Discharge Diagnoses", "Discharge Medications",
    "Disposition", "Condition at Discharge", "Follow-up", "Impression", "Findings", "Technique",
    "Comparison", "Indication", "Preoperative Diagnosis", "Postoperative Diagnosis", "Procedure",
    "Anesthesia", "Estimated Blood Loss", "Specimens", "Drains", "Complications", "Gross Description",
    "Microscopic Description", "Final Diagnosis", "Interval History", "Objective", "Subjective", "Labs",
    "Micro", "Imaging", "Lines", "Code Status", "Diet", "Activity", "Neuro", "Cardiovascular",
    "Respiratory", "Renal", "Heme", "Endocrine", "Skin", "Psych", "Dispo", "Prophylaxis",
]


def pick(rng: random.Random, seq: list[str], n: int) -> list[str]:
    return rng.sample(seq, n)


def vitals(rng: random.Random) -> str:
    return (f"T {rng.choice(['36.8', '37.2', '38.4', '36.5'])} HR {rng.randint(58, 124)} "
            f"BP {rng.randint(92, 168)}/{rng.randint(48, 96)} RR {rng.randint(12, 28)} "
            f"SpO2 {rng.randint(88, 100)}% on {rng.choice(['room air', '2L NC', '4L NC', '40% FiO2', 'BiPAP 12/5'])}")


def lab_panel(rng: random.Random) -> str:
    parts = []
    for lab in pick(rng, LABS, 9):
        parts.append(f"{lab} {rng.choice(['1.2', '4.1', '138', '0.04', '11.3', '245', '7.2', '88', '3.6', '1,200', '<0.01'])}")
    return ", ".join(parts)


def med_list(rng: random.Random, n: int) -> list[str]:
    out = []
    for drug in pick(rng, DRUGS, n):
        brand = rng.choice(BRANDS)
        dose = rng.choice(["5 mg", "10 mg", "20 mg", "40 mg", "81 mg", "500 mg", "1 g", "0.125 mg", "25 mcg", "10 units"])
        freq = rng.choice(["PO daily", "PO BID", "PO TID", "IV q8h", "IV q12h", "SQ nightly", "PRN pain", "PO QHS"])
        out.append(f"{drug} ({brand}) {dose} {freq}" if rng.random() < 0.4 else f"{drug} {dose} {freq}")
    return out


def discharge(rng: random.Random) -> str:
    dx = pick(rng, DIAGNOSES, 3)
    meds = med_list(rng, 8)
    org = rng.choice(ORGANISMS)
    return "\n".join([
        "DISCHARGE SUMMARY",
        f"Admission Diagnosis: {dx[0]}.",
        f"Discharge Diagnoses: {dx[0]}; {dx[1]}; {dx[2]}.",
        f"Hospital Course: The patient is a {rng.randint(34, 86)}-year-old with {', '.join(pick(rng, ABBREVS[:30], 4))} "
        f"who presented with {rng.choice(['dyspnea on exertion', 'fever and rigors', 'melena', 'altered mental status', 'chest pressure'])}. "
        f"Blood cultures grew {org}; {rng.choice(DRUGS)} was started and later narrowed to {rng.choice(DRUGS)}. "
        f"Echocardiogram showed LVEF {rng.randint(20, 65)}% with {rng.choice(['moderate mitral regurgitation', 'no vegetation', 'diastolic dysfunction'])}. "
        f"The {rng.choice(DEVICES)} was removed and the {rng.choice(DEVICES)} was kept. "
        f"{rng.choice(SCORES)} on admission was {rng.randint(1, 9)} and {rng.choice(SIGNS)} was absent.",
        f"Procedures: {'; '.join(pick(rng, PROCEDURES, 2))}.",
        "Discharge Medications:",
        *[f"- {m}" for m in meds],
        f"Pertinent Labs: {lab_panel(rng)}.",
        f"Disposition: {rng.choice(['home with home health', 'SNF', 'acute rehab', 'LTAC', 'home'])}. "
        f"Follow-up with {rng.choice(['Cardiology', 'Nephrology', 'Infectious Disease', 'GI', 'Heme/Onc', 'PCP'])} in two weeks; "
        f"repeat {rng.choice(LABS)} and {rng.choice(LABS)} in one week.",
        f"Code Status: {rng.choice(['Full code', 'DNR/DNI', 'DNR, OK to intubate'])}.",
    ])


def hp(rng: random.Random) -> str:
    return "\n".join([
        "HISTORY AND PHYSICAL",
        f"Chief Complaint: {rng.choice(['shortness of breath', 'abdominal pain', 'syncope', 'weakness', 'hematemesis'])}.",
        f"HPI: {rng.randint(40, 85)}-year-old with {rng.choice(DIAGNOSES)} and {rng.choice(DIAGNOSES)} presenting with "
        f"{rng.choice(['three days of productive cough', 'right upper quadrant pain after fatty meals', 'new left-sided weakness', 'palpitations and presyncope'])}. "
        f"Denies fevers, chills, hemoptysis, orthopnea or PND. Took {rng.choice(BRANDS)} and {rng.choice(BRANDS)} at home.",
        f"PMH: {', '.join(pick(rng, ABBREVS[:40], 6))}.",
        f"PSH: {'; '.join(pick(rng, PROCEDURES, 2))}.",
        f"Allergies: {rng.choice(['NKDA', 'penicillin (hives)', 'sulfa (rash)', 'iodinated contrast', 'latex'])}.",
        f"Social: {rng.choice(['Former smoker, 30 pack-years', 'Denies tobacco', 'Drinks 2-3 beers daily', 'No illicit drug use'])}; lives with spouse.",
        f"Family History: {rng.choice(['father with CAD', 'mother with breast cancer', 'sibling with type 1 diabetes', 'noncontributory'])}.",
        f"Vitals: {vitals(rng)}.",
        f"Exam: General: NAD, AAOx3. HEENT: PERRLA, EOMI, MMM. Neck: no JVD, no bruit. CV: RRR, {rng.choice(['II/VI systolic murmur at RUSB', 'no murmurs, rubs or gallops', 'S3 gallop'])}. "
        f"Lungs: {rng.choice(['crackles at bilateral bases', 'CTAB', 'diffuse expiratory wheezes', 'decreased breath sounds at the right base'])}. "
        f"Abd: soft, {rng.choice(['NTND', 'tender in the RUQ', 'distended with shifting dullness'])}, {rng.choice(SIGNS)} {rng.choice(['positive', 'negative'])}. "
        f"Ext: {rng.choice(['2+ pitting edema to the knees', 'no edema', 'warm and well perfused'])}. Neuro: CN II-XII intact, {rng.choice(SIGNS)} absent.",
        f"Labs: {lab_panel(rng)}.",
        f"Imaging: {rng.choice(['CXR', 'CT abdomen/pelvis with contrast', 'CTA chest', 'MRI brain', 'RUQ ultrasound'])} showed {rng.choice(FINDINGS)}.",
        f"Assessment/Plan: {rng.choice(DIAGNOSES)}. {rng.choice(SCORES)} {rng.randint(0, 8)}. Start {rng.choice(DRUGS)}, "
        f"continue {rng.choice(DRUGS)}, hold {rng.choice(DRUGS)}. Consult {rng.choice(['Cardiology', 'GI', 'Neurology', 'General Surgery', 'Palliative Care'])}. "
        f"DVT ppx with {rng.choice(['heparin SQ', 'enoxaparin', 'SCDs'])}. Diet: {rng.choice(['NPO after midnight', 'cardiac diet', 'clear liquids', 'ADA diet'])}.",
    ])


def op_note(rng: random.Random) -> str:
    proc = rng.choice(PROCEDURES)
    return "\n".join([
        "OPERATIVE REPORT",
        f"Preoperative Diagnosis: {rng.choice(DIAGNOSES)}.",
        f"Postoperative Diagnosis: Same.",
        f"Procedure: {proc}.",
        f"Anesthesia: General endotracheal. ASA class {rng.randint(1, 4)}. Mallampati class {rng.randint(1, 4)}.",
        f"Estimated Blood Loss: {rng.choice(['25 mL', '150 mL', 'minimal', '400 mL'])}. Fluids: {rng.choice(['1,500 mL lactated Ringer', '2 L crystalloid'])}.",
        f"Specimens: {rng.choice(['gallbladder', 'appendix', 'sigmoid colon', 'left breast tissue', 'thyroid'])} to pathology.",
        f"Drains: {rng.choice(DEVICES)}.",
        f"Indications: Symptomatic {rng.choice(DIAGNOSES)} refractory to {rng.choice(DRUGS)}.",
        f"Description: After informed consent the patient was brought to the OR and placed supine. Timeout performed. "
        f"The abdomen was prepped with {rng.choice(['ChloraPrep', 'Betadine'])} and draped. A {rng.choice(['Veress needle', 'Hasson trocar'])} "
        f"was used to establish pneumoperitoneum to 15 mmHg. {rng.choice(ANATOMY)} and {rng.choice(ANATOMY)} were identified; "
        f"the critical view of safety was obtained within {rng.choice(ANATOMY)}. Hemostasis with {rng.choice(['Bovie', 'LigaSure', 'Harmonic scalpel'])}. "
        f"Fascia closed with 0 Vicryl, skin with 4-0 Monocryl and {rng.choice(['Dermabond', 'Steri-Strips'])}. "
        f"Sponge and needle counts correct x2. Extubated in the OR and taken to PACU in stable condition.",
        f"Complications: None.",
    ])


def radiology(rng: random.Random) -> str:
    return "\n".join([
        f"EXAM: {rng.choice(['CT chest with contrast', 'MRI lumbar spine without contrast', 'CT head without contrast', 'US abdomen complete', 'XR chest PA and lateral', 'CTA head and neck'])}",
        f"INDICATION: {rng.choice(['Dyspnea', 'Trauma', 'Back pain with radiculopathy', 'RUQ pain', 'Stroke alert', 'Fever, evaluate for abscess'])}.",
        "TECHNIQUE: Axial images with coronal and sagittal reformats. Dose reduction technique used.",
        "COMPARISON: Prior study available.",
        f"FINDINGS: {rng.choice(FINDINGS).capitalize()}. {rng.choice(FINDINGS).capitalize()}. The {rng.choice(ANATOMY)} is unremarkable. "
        f"{rng.choice(DEVICES)} tip in the {rng.choice(['distal SVC', 'cavoatrial junction', 'right atrium', 'stomach'])}. "
        f"No {rng.choice(['abscess', 'aneurysm', 'dissection', 'mass effect', 'midline shift'])}.",
        f"IMPRESSION: 1. {rng.choice(FINDINGS).capitalize()}. 2. {rng.choice(FINDINGS).capitalize()}. "
        f"3. {rng.choice(['Fleischner', 'Lung-RADS', 'BI-RADS', 'TI-RADS', 'LI-RADS', 'Bosniak'])} category {rng.randint(1, 4)}; follow-up as recommended.",
    ])


def pathology(rng: random.Random) -> str:
    return "\n".join([
        "SURGICAL PATHOLOGY REPORT",
        f"Specimen: {rng.choice(['colon, sigmoid, resection', 'prostate, needle biopsies', 'skin, left forearm, shave', 'breast, right, lumpectomy', 'lymph node, sentinel'])}.",
        f"Gross Description: Received in formalin is a {rng.choice(['tan-pink', 'gray-white', 'rubbery tan'])} fragment measuring 2.1 x 1.4 x 0.8 cm. Inked and entirely submitted in cassettes A1-A4.",
        f"Microscopic Description: Sections show {rng.choice(['invasive ductal carcinoma', 'adenocarcinoma', 'squamous cell carcinoma', 'basal cell carcinoma', 'tubular adenoma', 'chronic cholecystitis'])} "
        f"with {rng.choice(['lymphovascular invasion', 'perineural invasion', 'no dysplasia', 'clear margins'])}. Immunostains: {', '.join(pick(rng, ['CK7', 'CK20', 'CDX2', 'TTF-1', 'ER', 'PR', 'HER2', 'Ki-67', 'p63', 'S100', 'SOX10', 'PAX8', 'GATA3', 'synaptophysin', 'chromogranin', 'CD34', 'CD117', 'MLH1', 'PMS2', 'MSH2', 'MSH6'], 6))}.",
        f"Final Diagnosis: {rng.choice(['Gleason score 3+4=7 (Grade Group 2)', 'Nottingham grade 2', 'pT3 pN1a', 'Breslow depth 0.6 mm, Clark level III', 'Benign'])}.",
    ])


def nursing(rng: random.Random) -> str:
    return "\n".join([
        "NURSING NOTE",
        f"Neuro: AAOx{rng.randint(1, 3)}, {rng.choice(['follows commands', 'RASS -1', 'CAM-ICU negative', 'PERRL 3 mm brisk'])}. CIWA {rng.randint(0, 14)}. Morse Fall Scale {rng.randint(15, 75)}, bed alarm on.",
        f"CV: {rng.choice(['NSR', 'SR with PVCs', 'AFib 110s', 'paced rhythm'])}, {vitals(rng)}. Pedal pulses palpable. SCDs on.",
        f"Resp: {rng.choice(['LS clear', 'coarse crackles', 'diminished bases'])}, on {rng.choice(['2L NC', 'HFNC 40L/50%', 'room air'])}. IS to 1,250. Encouraged C&DB.",
        f"GI/GU: {rng.choice(['Tolerating regular diet', 'NPO', 'TF at goal via Dobhoff'])}. BM x1. {rng.choice(['Foley draining clear yellow urine', 'Voiding without difficulty', 'Bladder scan 350 mL, straight cath'])}.",
        f"Skin: Braden {rng.randint(10, 22)}. {rng.choice(['Stage 2 sacral pressure injury, Mepilex applied', 'Skin intact', 'Wound VAC to abdomen at -125 mmHg'])}.",
        f"Lines: {rng.choice(DEVICES)}, {rng.choice(DEVICES)}. Drips: {rng.choice(DRUGS)} at {rng.randint(2, 20)} mcg/min.",
        f"Meds given: {', '.join(pick(rng, BRANDS, 4))}. PRN {rng.choice(BRANDS)} for pain 7/10, reassessed 3/10.",
        f"Plan: Continue to monitor. Telemetry. Strict I&O. Fall precautions. Call HO for SBP > 180 or UOP < 30 mL/h.",
    ])


def micro(rng: random.Random) -> str:
    org = rng.choice(ORGANISMS)
    sens = []
    for drug in pick(rng, ["ampicillin", "cefazolin", "ceftriaxone", "cefepime", "meropenem", "gentamicin", "tobramycin",
                           "ciprofloxacin", "levofloxacin", "trimethoprim-sulfamethoxazole", "nitrofurantoin", "vancomycin",
                           "oxacillin", "clindamycin", "tetracycline", "linezolid", "daptomycin", "piperacillin-tazobactam"], 7):
        sens.append(f"{drug} {rng.choice(['S', 'R', 'I'])} (MIC {rng.choice(['<=1', '2', '>=16', '0.5', '<=0.25'])})")
    return "\n".join([
        "MICROBIOLOGY",
        f"Source: {rng.choice(['blood, peripheral', 'urine, clean catch', 'sputum', 'BAL fluid', 'wound, deep', 'CSF'])}.",
        f"Gram stain: {rng.choice(['gram-positive cocci in clusters', 'gram-negative rods', 'gram-positive cocci in chains', 'budding yeast', 'no organisms seen'])}; many PMNs.",
        f"Culture: {org}, {rng.choice(['>100,000 CFU/mL', 'moderate growth', '2 of 2 sets', 'light growth'])}. MALDI-TOF identification. "
        f"BioFire panel {rng.choice(['detected mecA', 'negative for resistance genes', 'detected KPC', 'detected CTX-M'])}.",
        "Susceptibilities: " + "; ".join(sens) + ".",
        f"Comment: {rng.choice(['Contact precautions', 'ID consulted', 'Repeat cultures in 48 hours', 'Possible contaminant'])}.",
    ])


def consult(rng: random.Random) -> str:
    return "\n".join([
        f"{rng.choice(['CARDIOLOGY', 'NEPHROLOGY', 'PSYCHIATRY', 'NEUROLOGY', 'INFECTIOUS DISEASE', 'GASTROENTEROLOGY'])} CONSULT",
        f"Reason for consult: {rng.choice(DIAGNOSES)}.",
        f"Assessment: Likely {rng.choice(DIAGNOSES)} in the setting of {rng.choice(DIAGNOSES)}. "
        f"{rng.choice(SCORES)} {rng.randint(0, 12)}; {rng.choice(SCORES)} {rng.randint(0, 12)}. "
        f"Differential includes {', '.join(pick(rng, DIAGNOSES, 3))}.",
        f"Recommendations: 1. Start {rng.choice(DRUGS)} and titrate; avoid {rng.choice(BRANDS)}. 2. Obtain {', '.join(pick(rng, LABS, 4))}. "
        f"3. {rng.choice(PROCEDURES).capitalize()} when stable. 4. Check {rng.choice(['EKG for QTc', 'TTE', 'EEG', 'MRCP', 'renal ultrasound'])}. "
        f"5. {rng.choice(['Thank you for this consult; we will follow.', 'Please page with questions.'])}",
    ])


def med_rec(rng: random.Random) -> str:
    return "\n".join(["MEDICATION RECONCILIATION", *[f"{m}" for m in med_list(rng, 14)],
                      f"Allergies: {rng.choice(['NKDA', 'Codeine (nausea)', 'Vancomycin (red man syndrome)'])}."])


def lab_dump(rng: random.Random) -> str:
    rows = [f"{lab}: {rng.choice(['4.2', '139', '0.9', '12.8', '250', '1.1', '<0.02', '34', 'NEG', 'POS', 'TRACE'])} {rng.choice(['H', 'L', '', '', 'C'])}"
            for lab in pick(rng, LABS, 18)]
    return "\n".join(["LAB RESULTS", *rows,
                      f"ABG: 7.{rng.randint(20, 48)}/{rng.randint(28, 70)}/{rng.randint(55, 140)}/{rng.randint(14, 30)}",
                      f"UA: SG 1.020, pH 6.0, LE {rng.choice(['neg', '2+'])}, nitrite {rng.choice(['neg', 'pos'])}, WBC 10-20, RBC 0-2, few bacteria, hyaline casts."])


KINDS = [("discharge", discharge), ("hp", hp), ("op", op_note), ("radiology", radiology), ("pathology", pathology),
         ("nursing", nursing), ("micro", micro), ("consult", consult), ("medrec", med_rec), ("labs", lab_dump)]


def build(per_kind: int = 6) -> list[dict]:
    rng = random.Random(SEED)
    rows = []
    for kind, make in KINDS:
        for i in range(per_kind):
            text = make(rng)
            rows.append({"id": f"neg-{kind}-{i}", "style": kind, "record": None, "text": text, "spans": [],
                         "policy": "safe_harbor"})
            rows.append({"id": f"neg-{kind}-{i}-caps", "style": kind + "-caps", "record": None, "text": text.upper(),
                         "spans": [], "policy": "safe_harbor"})
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} documents to {OUT}")


if __name__ == "__main__":
    main()
