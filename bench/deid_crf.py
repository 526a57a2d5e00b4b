"""Experiment: does a CRF (python-crfsuite) trained on generated text help the rules?

    .venv/bin/python bench/deid_crf.py [--docs N] [--c1 C] [--rebuild]

Measured for issue 13's second goal and NOT shipped: on every development set the rules
alone score a higher F1 than rules + CRF, so the engine does not load it. The script stays
so the result can be checked and the experiment rerun when the rules or the training text
change. Last run (3000 training documents, c1 0.5, model 54 KB; token P / R / F1):

    set             rules               rules+CRF (p>=.99)   rules+CRF (p>=.95)   rules+CRF (all tags)
    therapy_dev     .972 .985 .979      .959 .987 .973       .944 .988 .965       .857 .990 .919
    varied_dev      .999 .993 .996      .992 .993 .992       .988 .993 .991       .962 .993 .977
    forms_dev       .995 .988 .992      .992 .988 .990       .970 .988 .979       .919 .989 .953
    spoken_dev      .998 .996 .997      .987 .996 .991       .971 .996 .983       .911 .997 .952
    clinical_dev    .959 .992 .975      .950 .992 .970       .939 .992 .965       .873 .994 .930
    presidio_synth  .975 .794 .875      .970 .822 .890       .961 .832 .892       .893 .864 .878

The CRF adds recall on presidio_synth (general sentences, no record) and costs precision
everywhere else; it also slows the engine by about a third.

What it does, deterministically:
1. Training text (seed 7): sentences from the templates below whose identifier slots are
   filled with surrogates from the general lists Confide ships (1990 Census given names and
   surnames from the `names` package, US places from core/deid/data/us_places.txt.gz,
   organization words) and whose clinical filler is general vocabulary: ICD-10-CM
   descriptions (simple-icd-10-cm), drug names (core/deid/data/clinical_words.txt.gz),
   vitals, doses, scores and ratios. No development set and no public de-identification
   corpus is read. A fifth of the documents are in capitals, some in lower case.
2. A linear-chain CRF over words (B-/I- labels of the six types) with features from the
   word's shape and what the word lists say of it and of two neighbours each side; the
   model goes to bench/results/deid_crf.crfsuite (ignored by git; about 50 KB).
3. Scores rules alone and rules + CRF (the CRF as one more recognizer, its tags kept when
   their marginal probability is at least 0, .95 and .99) on every development set (the
   clinical one with policy safe_harbor) and presidio_synth, with the benchmark's scoring.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import random
import re
import sys
import time
from functools import lru_cache
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from confide.core.deid import Engine, lexicon  # noqa: E402
from confide.core.deid.document import Document  # noqa: E402
from confide.core.deid.recognizers.base import Recognizer  # noqa: E402
from confide.core.deid.registry import default_registry  # noqa: E402
from confide.core.deid.spans import Span  # noqa: E402

DATA = ROOT / "src" / "confide" / "core" / "deid" / "data"
MODEL = ROOT / "bench" / "results" / "deid_crf.crfsuite"

# --------------------------------------------------------------------------- the model
TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


def _shape(w: str) -> str:
    s = re.sub(r"[A-Z]", "A", w)
    s = re.sub(r"[a-z]", "a", s)
    s = re.sub(r"\d", "9", s)
    return re.sub(r"(.)\1+", r"\1\1", s)


@lru_cache(maxsize=65536)
def _word_features(w: str) -> tuple[str, ...]:
    low = w.lower()
    f = [f"w={low}" if len(low) <= 12 else "w=<long>", f"sh={_shape(w)}", f"suf3={low[-3:]}"]
    if w[:1].isalpha():
        if lexicon.is_first_name(low):
            f.append("first")
        if lexicon.is_last_name(low):
            f.append("last")
        lv = lexicon.word_level(low)
        f.append(f"lv={lv // 20 if lv else 'x'}")
        if lexicon.is_clinical(low):
            f.append("clin")
        if low in lexicon.MONTHS_AND_DAYS:
            f.append("month")
        if low in lexicon.TITLES:
            f.append("title")
        if low in lexicon.CREDENTIALS:
            f.append("cred")
        if low in lexicon.ORG_WORDS:
            f.append("org")
        if low.upper() in lexicon.US_STATES or low in lexicon.STATE_NAMES:
            f.append("state")
    elif w[:1].isdigit():
        f.append(f"dlen={min(len(w), 9)}")
    return tuple(f)


def features(toks: list[tuple[int, int, str]], text: str) -> list[list[str]]:
    out = []
    n = len(toks)
    words = [_word_features(t[2]) for t in toks]
    for i, (s, e, w) in enumerate(toks):
        f = ["b"] + list(words[i])
        if s == 0 or "\n" in text[max(0, s - 2):s]:
            f.append("line0")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.extend(f"{d}:{x}" for x in words[j] if not x.startswith("suf3"))
            else:
                f.append(f"{d}:edge")
        out.append(f)
    return out


class CrfRecognizer(Recognizer):
    """NAME, DATE, LOCATION, CONTACT and ID spans the model tags (B-/I- labels)."""

    name = "crf"
    types = ("NAME", "DATE", "LOCATION", "CONTACT", "ID", "AGE")

    def __init__(self, path: Path, score: float = 0.5, min_probability: float = 0.0):
        import pycrfsuite

        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(path))
        self.score = score
        self.min_probability = min_probability

    def analyze(self, doc: Document) -> list[Span]:
        toks = tokens(doc.text)
        if not toks:
            return []
        labels = self.tagger.tag(features(toks, doc.text))
        out: list[Span] = []
        cur: list | None = None
        for i, ((s, e, _), lab) in enumerate(zip(toks, labels)):
            if lab != "O" and self.min_probability and self.tagger.marginal(lab, i) < self.min_probability:
                lab = "O"
            if lab == "O":
                cur = None
                continue
            kind, typ = lab.split("-", 1)
            if kind == "I" and cur and cur[2] == typ:
                cur[1] = e
                out[-1] = self.span(cur[0], e, typ, "the CRF model's tag", self.score)
                continue
            cur = [s, e, typ]
            out.append(self.span(s, e, typ, "the CRF model's tag", self.score))
        return out


# --------------------------------------------------------------------------- training text

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORG_TAILS = ["Hospital", "Medical Center", "Clinic", "Health Center", "Rehabilitation Center", "Nursing Home",
             "Elementary School", "High School", "Church", "Family Practice", "Counseling Center", "Pharmacy"]
STREET_TYPES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Lane", "Ln", "Drive", "Dr", "Court", "Ct", "Way", "Blvd"]
CREDS = ["MD", "DO", "RN", "NP", "PA-C", "LCSW", "PhD", "MD, PhD", "PsyD", "LMHC"]
TITLES = ["Dr.", "Dr", "Mr.", "Ms.", "Mrs."]
RELS = ["wife", "husband", "mother", "father", "daughter", "son", "sister", "brother", "friend", "case manager"]

TEMPLATES = [
    "{TITLE} {LAST} saw the patient on {DATE} for {DX}.",
    "Patient: {LASTFIRST}   MRN: {MRN}   DOB: {DATE}",
    "Name: {FULL}  Unit #: {MRN}",
    "{FULL} is a {AGE} y/o with {DX} who presents with {DX}.",
    "{FIRST} reports {DX}; started {DOSE}.",
    "Lives with {REL} {FIRST} in {CITY}.",
    "Lives at {STREET}, {CITY}, {ST} {ZIP}.",
    "Admitted to {ORG} on {DATE}. {VITALS}.",
    "Transferred from {ORG} to {ORG} on {DATE}.",
    "Follow up with {TITLE} {LAST} at {ORG} in {N} weeks; call {PHONE}.",
    "Electronically signed by {FULL}, {CRED} on {DATE}.",
    "{FULL}, {CRED}",
    "Discussed with {REL} {FULL} at {PHONE}.",
    "Email from {EMAIL} received {DATE}.",
    "HPI: {AGE} yo {SEX} with h/o {DX}, {DX}. {VITALS}. {LABS}.",
    "A/P: {DX}. {DOSE}. {SCORE}. {DX}.",
    "PMH: {DX}; {DX}; s/p {PROC} {YEAR}.",
    "Meds: {DOSE}; {DOSE}; {DOSE}.",
    "{VITALS}. {LABS}. {SCORE}.",
    "{EPONYM}'s {DXWORD} noted; {DOSE}.",
    "Seen in clinic {WEEKDAY}, {DATE}. {DX}.",
    "{FIRST} attends {ORG} and works at {ORG}.",
    "Per {REL} ({FIRST}), pt fell at home on {WEEKDAY}.",
    "Cc: {FULL}, {CRED}; {TITLE} {LAST}.",
    "Returned call to {FIRST} at {PHONE} on {DATE}.",
    "The {AGE}-year-old was seen at {ORG} in {CITY}, {ST}.",
    "Dictated by: {LASTFIRST}  D: {DATE}  T: {DATE}",
    "{DX}, {DX} and {DX}. {VITALS}.",
    "Insurance ID {MRN}; account {MRN}.",
    "She moved from {CITY} to {CITY} in {MONTH}.",
]


def _census(fname: str, limit: int) -> list[str]:
    out = []
    for line in (resources.files("names") / fname).read_text(encoding="utf-8").splitlines()[:limit]:
        out.append(line.split()[0].capitalize())
    return out


def _lists() -> dict[str, list[str]]:
    firsts = _census("dist.female.first", 2500) + _census("dist.male.first", 1200)
    lasts = _census("dist.all.last", 12000)
    places = [ln.split("\t")[0] for ln in gzip.open(DATA / "us_places.txt.gz", "rt", encoding="utf-8") if ln.strip()]
    drugs = sorted(w for w, src in (ln.rstrip("\n").split("\t") for ln in gzip.open(DATA / "clinical_words.txt.gz", "rt",
                                                                                    encoding="utf-8")) if src == "drug")
    import simple_icd_10_cm as icd

    codes = [c for c in icd.get_all_codes(with_dots=True) if icd.is_leaf(c)]
    rng = random.Random(3)
    descs = [icd.get_description(c) for c in rng.sample(codes, 6000)]
    eponyms = sorted({m.group(1) for d in descs for m in re.finditer(r"\b([A-Z][a-z]{3,})['’]s\b", d)})
    return {"first": firsts, "last": lasts, "place": places, "drug": drugs, "dx": descs, "eponym": eponyms or ["Parkinson"]}


class Writer:
    def __init__(self) -> None:
        self.text = ""
        self.spans: list[tuple[int, int, str]] = []

    def put(self, s: str, typ: str | None = None) -> None:
        if typ:
            self.spans.append((len(self.text), len(self.text) + len(s), typ))
        self.text += s


def _date(rng: random.Random) -> str:
    y, m, d = rng.randint(1930, 2026), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{m}/{d}/{y}", f"{m:02d}/{d:02d}/{y % 100:02d}", f"{MONTHS[m - 1]} {d}, {y}", f"{y}-{m:02d}-{d:02d}",
                       f"{m}/{d}", f"{MONTHS[m - 1][:3]} {d}", f"{d} {MONTHS[m - 1]} {y}"])


def _fill(rng: random.Random, L: dict, slot: str, w: Writer) -> None:
    first, last = rng.choice(L["first"]), rng.choice(L["last"])
    if slot == "FULL":
        w.put(f"{first} {last}" if rng.random() < 0.8 else f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}", "NAME")
    elif slot == "FIRST":
        w.put(first, "NAME")
    elif slot == "LAST":
        w.put(last, "NAME")
    elif slot == "LASTFIRST":
        w.put(f"{last}, {first}", "NAME")
    elif slot == "DATE":
        w.put(_date(rng), "DATE")
    elif slot == "YEAR":
        w.put(str(rng.randint(1990, 2025)), "DATE")
    elif slot == "MONTH":
        w.put(rng.choice(MONTHS), "DATE")
    elif slot == "WEEKDAY":
        w.put(rng.choice(WEEKDAYS), "DATE")
    elif slot == "AGE":
        w.put(str(rng.randint(18, 99)), "AGE")
    elif slot == "CITY":
        w.put(rng.choice(L["place"]), "LOCATION")
    elif slot == "ST":
        w.put(rng.choice(sorted(lexicon.US_STATES)))
    elif slot == "ZIP":
        w.put(f"{rng.randint(1000, 99999):05d}", "LOCATION")
    elif slot == "STREET":
        w.put(f"{rng.randint(2, 9999)} {rng.choice(L['last'] + L['place'])} {rng.choice(STREET_TYPES)}", "LOCATION")
    elif slot == "ORG":
        head = rng.choice([rng.choice(L["place"]), rng.choice(L["last"]), f"Saint {first}", f"{rng.choice(L['place'])} Valley"])
        w.put(f"{head} {rng.choice(ORG_TAILS)}", "LOCATION")
    elif slot == "PHONE":
        w.put(rng.choice([f"({rng.randint(201, 989)}) 555-{rng.randint(0, 9999):04d}", f"{rng.randint(201, 989)}-555-{rng.randint(0, 9999):04d}"]), "CONTACT")
    elif slot == "EMAIL":
        w.put(f"{first.lower()}.{last.lower()}@example.{rng.choice(['com', 'org', 'net'])}", "CONTACT")
    elif slot == "MRN":
        w.put(rng.choice([str(rng.randint(10**5, 10**8)), f"{rng.choice(['MR', 'A', 'K'])}{rng.randint(10**4, 10**7)}"]), "ID")
    elif slot == "TITLE":
        w.put(rng.choice(TITLES))
    elif slot == "CRED":
        w.put(rng.choice(CREDS))
    elif slot == "REL":
        w.put(rng.choice(RELS))
    elif slot == "SEX":
        w.put(rng.choice(["M", "F", "male", "female"]))
    elif slot == "N":
        w.put(str(rng.randint(1, 12)))
    elif slot == "DX":
        d = rng.choice(L["dx"])
        w.put(d if rng.random() < 0.5 else d[0].lower() + d[1:])
    elif slot == "DXWORD":
        w.put(rng.choice(["disease", "syndrome", "sign", "palsy", "lymphoma"]))
    elif slot == "EPONYM":
        w.put(rng.choice(L["eponym"]))
    elif slot == "PROC":
        w.put(rng.choice(["CABG", "appendectomy", "TKA", "cholecystectomy", "ORIF"]))
    elif slot == "DOSE":
        drug = rng.choice(L["drug"])
        drug = drug.capitalize() if rng.random() < 0.5 else drug
        w.put(f"{drug} {rng.choice([5, 10, 20, 25, 40, 81, 500])} mg {rng.choice(['PO daily', 'BID', 'IV q8h', 'QHS', 'PRN'])}")
    elif slot == "VITALS":
        w.put(f"BP {rng.randint(90, 180)}/{rng.randint(50, 100)}, HR {rng.randint(50, 130)}, RR {rng.randint(10, 30)}, "
              f"SpO2 {rng.randint(85, 100)}%")
    elif slot == "LABS":
        w.put(rng.choice([f"ABG {rng.choice(['7.31', '7.38', '7.44'])}/{rng.randint(30, 60)}/{rng.randint(60, 120)}",
                          f"Na {rng.randint(125, 145)} K {rng.choice(['3.4', '4.1', '5.2'])} Cr {rng.choice(['0.9', '1.8'])}",
                          f"I:E 1:{rng.randint(2, 4)}, PEEP {rng.randint(5, 12)}", f"WBC {rng.randint(3, 20)}.{rng.randint(0, 9)}"]))
    elif slot == "SCORE":
        w.put(rng.choice([f"GCS {rng.randint(3, 15)}", f"NYHA class {rng.choice(['II', 'III'])}", f"pain {rng.randint(0, 10)}/10",
                          f"PHQ-9 {rng.randint(0, 27)}", f"CIWA {rng.randint(0, 30)}"]))
    else:
        raise KeyError(slot)


SLOT_RE = re.compile(r"\{([A-Z]+)\}")


def document(rng: random.Random, L: dict) -> tuple[str, list[tuple[int, int, str]]]:
    w = Writer()
    for _ in range(rng.randint(4, 9)):
        tpl = rng.choice(TEMPLATES)
        pos = 0
        for m in SLOT_RE.finditer(tpl):
            w.put(tpl[pos:m.start()])
            _fill(rng, L, m.group(1), w)
            pos = m.end()
        w.put(tpl[pos:] + rng.choice([" ", "\n", "\n\n"]))
    text = w.text
    r = rng.random()
    if r < 0.2:
        text = text.upper()
    elif r < 0.27:
        text = text.lower()
    return text, w.spans


def labelled(text: str, spans: list[tuple[int, int, str]]) -> tuple[list[list[str]], list[str]]:
    toks = tokens(text)
    labels = []
    for s, e, _ in toks:
        lab = "O"
        for a, b, typ in spans:
            if s < b and a < e:
                lab = ("B-" if s <= a else "I-") + typ
                break
        labels.append(lab)
    return features(toks, text), labels


def build(out: Path, n_docs: int = 3000, seed: int = 7, c1: float = 0.5) -> Path:
    import pycrfsuite

    L = _lists()
    rng = random.Random(seed)
    trainer = pycrfsuite.Trainer(verbose=False)
    for _ in range(n_docs):
        text, spans = document(rng, L)
        x, y = labelled(text, spans)
        trainer.append(x, y)
    trainer.set_params({"c1": c1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out



# --------------------------------------------------------------------------- the comparison

def _bench():
    spec = importlib.util.spec_from_file_location("deid_eval", ROOT / "bench" / "deid_eval.py")
    de = importlib.util.module_from_spec(spec)
    sys.modules["deid_eval"] = de
    spec.loader.exec_module(de)
    return de


def compare(model: Path) -> None:
    de = _bench()

    class System(de.System):
        uses_record = True

        def __init__(self, name, make):
            self.name = name
            self.engines = {p: make(p) for p in ("disguise", "safe_harbor")}
            self.engine = self.engines["disguise"]

        def use_policy(self, policy):
            self.engine = self.engines[policy]

        def analyze(self, text, record):
            return self.engine.analyze(text, record)

        def spans(self, result, text):
            return [(s.start, s.end, s.type) for s in result]

    def with_crf(threshold):
        def make(policy):
            registry = default_registry()
            registry.add(CrfRecognizer(model, 0.5, threshold))
            return Engine(registry, policy=policy)
        return make

    systems = [System("rules", lambda p: Engine(policy=p))] + [
        System(f"rules+crf p>={t:g}", with_crf(t)) for t in (0.0, 0.95, 0.99)]
    data = ROOT / "bench" / "data" / "deid"
    print(f"{'set':22s} {'system':18s}     P      R     F1  in-record")
    for name in de.RECORD_FILES:
        notes = de.load_therapy(data / name)
        for s in systems:
            t = de.score(s, notes, record=True, policy=de.POLICY_OF_SET.get(name, "disguise"))["all"]
            c = t.overall
            print(f"{name:22s} {s.name:18s} {c.precision:.3f}  {c.recall:.3f}  {c.f1:.3f}  {t.in_record.found}/{t.in_record.total}")
    synth = de.load_synth(data / de.SYNTH_FILE)
    for s in systems:
        c = de.score(s, synth, record=False)["all"].overall
        print(f"{'presidio_synth':22s} {s.name:18s} {c.precision:.3f}  {c.recall:.3f}  {c.f1:.3f}")
    notes = de.load_therapy(data / de.THERAPY_FILE)
    for s in systems[:2]:
        t0 = time.perf_counter()
        for n in notes:
            s.analyze(n.text, n.record)
        print(f"{s.name}: {len(notes) / (time.perf_counter() - t0):.1f} notes/s on therapy_dev")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000, help="training documents to generate")
    parser.add_argument("--c1", type=float, default=0.5, help="L1 regularisation")
    parser.add_argument("--rebuild", action="store_true", help="train again even when the model exists")
    parser.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    if args.rebuild or not args.model.is_file():
        t0 = time.perf_counter()
        build(args.model, args.docs, c1=args.c1)
        print(f"trained {args.model} ({args.model.stat().st_size} bytes) in {time.perf_counter() - t0:.0f} s")
    compare(args.model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
