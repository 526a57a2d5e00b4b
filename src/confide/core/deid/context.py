"""What the words on both sides of a candidate say it is, when that is no identifier.

Clinical text names things after people and companies ("Fleischner guidelines", "Veress
needle", "Boston Scientific ICD"), labels its fields ("Acct: 93597"), cites statutes
("Conn. Gen. Stat. § 17a-502", "M.G.L. c. 123") and writes scores after the scale's name
("Karnofsky 70", "Mallampati II", "NYHA class III"). The words themselves are capitalised
and unknown to the word lists, so they look like names; the words beside them say they are
not. These rules are structural: they name no scale, brand or statute, only the kinds of
word that follow one. A value the chart knows is never dropped here.
"""

from __future__ import annotations

import re

from . import lexicon
from .document import Document
from .spans import Span

# nouns an eponym or a maker's name stands before: "X guidelines", "X needle", "X pacemaker"
EPONYM_HEADS = frozenset("""
guideline guidelines criteria criterion classification score scale sign test maneuver manoeuvre needle needles
catheter catheters tube tubes drain pacemaker pacemakers defibrillator icd stent stents valve valves pump pumps
dressing dressings device devices component components tray implant implants screw screws plate nail rod
prosthesis graft mesh sheath wire forceps retractor retractors clamp procedure operation repair incision syndrome
disease reflex fracture protocol grade stage index method technique port monitor mattress collar splint brace
suture sutures staples scanner ventilator bipap cpap cannula mask filter coil balloon lens segment elevation
elevations depression wave
""".split())
# what a scale's name is followed by: a class, a grade, or its value
SCALE_VALUE_RE = re.compile(r"[ \t]+(?:(?i:class|grade|stage|score|type|level)[ \t]+\w+|(?:I{1,3}|IV|V|VI{0,3})\b(?![.'’]\w)|\d{1,3}\b(?![/:.,-]?\d)(?!\s*(?:y|yo|y/o|years?|yrs?|months?|mos?)\b)|[A-C]\b(?![.'’]\w))")
# a lab's count: "Retic Ct 2.1", "Eos count 0.3"
LAB_COUNT_AFTER_RE = re.compile(r"[ \t]+(?:ct|Ct|CT|cnt|count|Count|COUNT)\.?[ \t]*:?[ \t]*\d")
# a field label: "Acct: 9359", "Unit #: 77", "Ref: A-12"
LABEL_VALUE_RE = re.compile(r"[ \t]*#?[ \t]*:[ \t]*#?[ \t]*[A-Z]{0,4}\d")
# a statute or regulation after the abbreviations: "§ 12", "c. 123", "ch. 111", "Part 2"
CITATION_AFTER_RE = re.compile(r"[.,]?[ \t]*(?:(?:[A-Za-z]{1,6}\.|\d+[A-Za-z]?(?:[.-]\d+[A-Za-z]?)*,?)[ \t]*){0,5}"
                               r"(?:§|[cC][hH]?\.[ \t]*\d|Part[ \t]+\d|Title[ \t]+\d)")
_MONTH_STEMS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
_ABBREV_RE = re.compile(r"(?:[A-Za-z]{1,6}\.?[ \t]?){1,4}")
_SUTURE_BEFORE_RE = re.compile(r"\b\d-0[ \t]+$")


def not_identifier(doc: Document, span: Span) -> str | None:
    """A reason the words around `span` make it no identifier, or None."""
    if span.in_record or span.type not in ("NAME", "LOCATION"):
        return None
    text = doc.text
    value = text[span.start:span.end]
    if span.type == "LOCATION" and MEASURE_START_RE.match(value):
        return "a measurement, not a house number"
    after = text[span.end:span.end + 60]
    before = text[max(0, span.start - 40):span.start]
    if _ABBREV_RE.fullmatch(value) and "." in value + after[:1] and CITATION_AFTER_RE.match(after):
        return "part of a statute citation"
    words = value.split()
    if _titled(doc, span.start):
        return None
    if not re.search(r"\d", value) and _before_thing(doc, after, dotted=len(value) <= 3):
        return "an eponym or a maker's name before what it names"
    if DOSE_AFTER_RE.match(after):
        return "a drug before its dose"
    compound = re.search(r"[^\W\d_]+-$", before)
    tail = re.match(r"-[^\W\d_]+", after)
    if (compound or tail) and len(words) == 1:
        whole = ((compound.group() if compound else "") + value + (tail.group() if tail else "")).lower()
        if lexicon.is_clinical(whole):
            return "part of a hyphenated clinical word"
    if _SUTURE_BEFORE_RE.search(before):
        return "a suture or material after its size"
    if span.type == "NAME" and len(words) == 1 and not lexicon.is_first_name(value.strip(".")):
        if LABEL_VALUE_RE.match(after) and re.search(r"(?:^|\n|[ \t]{2,}|\t)$", before):
            return "a field label before its value"
        if LAB_COUNT_AFTER_RE.match(after):
            return "a lab's name before its count"
        m = SCALE_VALUE_RE.match(after)
        if m and value.lower()[:3] not in _MONTH_STEMS and (
                re.match(r"[ \t]+(?:class|grade|stage|score|type|level|[IV]+\b)", m.group(), re.I)
                or re.search(r"(?:^|[;.:,]|\n|[^\W\d_]-)[ \t]*$", before)):
            return "a scale's name before its value"
    return None


# "1 mm ST segment", "2 cm Dr...": a number with a unit is a measurement, never a house number
MEASURE_START_RE = re.compile(r"\d+(?:\.\d+)?[ \t]*(?i:mm|cm|m|km|mg|mcg|g|kg|ml|l|lb|lbs|in|ft|min|hrs?|units?|mmhg|%)\b")
DOSE_AFTER_RE = re.compile(r"[ \t]+\d+(?:\.\d+)?[ \t]*(?:mg|mcg|g|gm|grams?|units?|u|ml|mL|meq|mEq|mmol|IU|%)\b", re.I)
_WORD_AFTER_RE = re.compile(r"[ \t]+([A-Za-z][A-Za-z-]*)")


def _before_thing(doc: Document, after: str, dotted: bool = False) -> bool:
    """"Veress needle", "Boston Scientific ICD", "St. Jude Medical pacemaker", "Stryker Triathlon
    femoral component": at most two more capitalised words (a model's name) or clinical
    adjectives, then a noun an eponym or a maker's name stands before."""
    pos = 1 if dotted and after.startswith(".") else 0  # "St. Jude Medical pacemaker"
    for k in range(3):
        m = _WORD_AFTER_RE.match(after, pos)
        if not m:
            return False
        w = m.group(1)
        if k == 0 and pos == 1 and w[0].isupper():
            pos = m.end()  # the saint's name after "St.": any given name
            continue
        if w.lower() in EPONYM_HEADS and (w.islower() or w.isupper() or not doc.cased):
            return True
        model = doc.cased and w[0].isupper() and not w.isupper() and not lexicon.is_first_name(w) and not lexicon.is_last_name(w)
        if not (model or (w.islower() and w in lexicon.clinical_words())):
            return False
        pos = m.end()
    return False


def inside_kept_place(doc: Document, span: Span) -> bool:
    """"New Hampshire", "Cape Verde": a word found as a name that is part of a state's or a
    country's name written out (Safe Harbor keeps those)."""
    text = doc.text
    before = re.search(r"((?:[^\W\d_]+[ \t]){0,2})$", text[max(0, span.start - 30):span.start]).group(1)
    after = re.match(r"((?:[ \t][^\W\d_]+){0,2})", text[span.end:span.end + 30]).group(1)
    words_b, words_a = before.split(), after.split()
    value = text[span.start:span.end].split()
    for i in range(len(words_b) + 1):
        for j in range(len(words_a) + 1):
            name = " ".join(words_b[len(words_b) - i:] + value + words_a[:j]).lower()
            if (i or j) and (name in lexicon.STATE_NAMES or name in lexicon.countries()):
                return True
    return False


_TITLE_BEFORE_RE = re.compile(r"(?:\b(?:dr|mr|mrs|ms|mx|miss|prof|doctor)\.?)[ \t]+$", re.I)


def _titled(doc: Document, start: int) -> bool:
    return bool(_TITLE_BEFORE_RE.search(doc.text, max(0, start - 12), start))


def person_by_context(doc: Document, span: Span) -> bool:
    """"Dr. Montenegro", "Montenegro, Juno MD", "Chad, RN": words that make a place's name a person's."""
    if _titled(doc, span.start):
        return True
    after = doc.text[span.end:span.end + 30]
    m = re.match(r",?[ \t]+(?:[A-Z][a-z]+[ \t]+)?([A-Za-z][A-Za-z-]{1,8})\b", after)
    return bool(m and m.group(1).lower() in lexicon.CREDENTIALS and m.group(1).lower() not in ("ma", "ms", "med", "cap", "pa"))


_PAREN_INITIALS_RE = re.compile(r"[ \t]*\(([A-Za-z]{2,3})\)")


def initials_after_names(doc: Document, spans: list[Span]) -> list[Span]:
    """"Iwasaki, Grant (GI)": letters in brackets right after a full name that are its initials
    (either order) are that person's; in the record when a chart person has them."""
    out = []
    known = _record_initials(doc.record)
    for s in spans:
        if s.type != "NAME":
            continue
        m = _PAREN_INITIALS_RE.match(doc.text, s.end)
        if not m:
            continue
        words = words_in(doc, s)
        if len(words) < 2:
            continue
        heads = "".join(w[0] for w in words).upper()
        got = m.group(1).upper()
        if sorted(got) != sorted(heads) or got not in (heads, heads[::-1], heads[1:] + heads[:1], heads[-1:] + heads[:-1]):
            continue
        out.append(Span(m.start(1), m.end(1), "NAME", "initials_after_name", "the initials of the name before them",
                        max(0.8, s.score), s.in_record or got in known))
    return out


_ORG_SMALL_WORDS = {"of", "the", "and", "for", "at", "in", "on", "&"}


def acronyms_after_places(doc: Document, spans: list[Span]) -> list[Span]:
    """"Narragansett Bay Medical Center (NBMC)": capitals in brackets right after a place's or an
    organization's name that are its initials are its name too; so is the same acronym anywhere
    else in the note."""
    out = []
    seen: set[str] = set()
    for s in spans:
        if s.type != "LOCATION":
            continue
        m = re.match(r"[ \t]*\(([A-Z]{2,6})\)", doc.text[s.end:s.end + 12])
        if not m:
            continue
        words = [w for w in re.findall(r"[^\W\d_]+", doc.text[s.start:s.end]) if w.lower() not in _ORG_SMALL_WORDS]
        heads = "".join(w[0] for w in words).upper()
        got = m.group(1)
        if len(words) >= 2 and got == heads:
            out.append(Span(s.end + m.start(1), s.end + m.end(1), "LOCATION", "acronym_after_place",
                            "the initials of the place before them", max(0.8, s.score), s.in_record))
            seen.add(got)
    for got in seen:
        for m in re.finditer(rf"(?<![\w-]){got}(?![\w-])", doc.text):
            out.append(Span(m.start(), m.end(), "LOCATION", "acronym_after_place", "an acronym the note gave a place", 0.75))
    return out


def words_in(doc: Document, s: Span) -> list[str]:
    return re.findall(r"[^\W\d_]+", doc.text[s.start:s.end])


def _record_initials(record: dict | None) -> set[str]:
    out: set[str] = set()
    if not record:
        return out
    contacts = record.get("contacts")
    people = [record.get("client")] + (list(contacts) if isinstance(contacts, (list, tuple)) else [])
    for p in people:
        if not isinstance(p, dict):
            continue
        f, m, last = (p.get(k) if isinstance(p.get(k), str) else "" for k in ("first_name", "middle_name", "last_name"))
        f, m, last = f.strip(), m.strip(), last.strip()
        if f and last:
            for a, b in ((f, last), (last, f)):
                out.add((a[0] + b[0]).upper())
            if m:
                out.add((f[0] + m[0] + last[0]).upper())
    return out


# "Dictation, jorvik hallstrom, for patient ...", "dictated by meribel ostrander, np": the
# dictating person's name in a header, often in lower case
DICTATION_HEADER_RE = re.compile(
    r"(?i:\b(?:dictation|dictated(?:[ \t]+by)?|transcribed(?:[ \t]+by)?|signed(?:[ \t]+by)?|author)[ \t]*[,:]?[ \t]+)"
    r"([^\W\d_][\w'’-]+(?:[ \t]+[^\W\d_]\.?)?[ \t]+[^\W\d_][\w'’-]+)(?=[ \t]*(?:,|$|\n|[ \t](?i:for|re|on|md|do|np|pa)\b))", re.M)
# "hit by a car on Orchard", "lives on Maple", "the corner of Sumner and Quarry": a street
# named by one ordinary word after "on" where the sentence is about a place
LOCATIVE_RE = re.compile(r"(?i:\b(?:lives?|lived|living|stays?|stayed|staying|house|home|apartment|walk\w*|driv\w*|drove|"
                         r"hit|crash\w*|accident|park(?:ed|ing)|stopped|found|arrested|shot|robbed|fight|fell|bus|"
                         r"moved|grew[ \t]+up|store|shop)\b)[^.;\n]{0,40}$")
ON_STREET_RE = re.compile(r"\b(?:on|ON|off|OFF)[ \t]+([A-Z][a-z]{2,}|[A-Z]{3,})(?=[ \t]*(?:[,.;!?)]|$|\n|[ \t]+[a-z]|[ \t]+(?:AND|NEAR|BY|LAST|THIS)\b))")
CORNER_RE = re.compile(r"(?i:\bcorner[ \t]+of[ \t]+)([A-Z][A-Za-z]+[ \t]+(?:and|AND|&)[ \t]+[A-Z][A-Za-z]+)")
# "Saint Rita's", "St. Brigid's Academy": a saint's name is a place's (a school, a church, a hospital)
SAINT_PLACE_RE = re.compile(r"\b(?:Saint|SAINT|St\.?|ST\.?)[ \t]+[A-Z][A-Za-z]+(?:['’][sS])(?:[ \t]+[A-Z][A-Za-z]+){0,2}")
# "from Winston-Salem", "to Sedro-Woolley": a hyphenated proper name after a place preposition
HYPHEN_TOWN_RE = re.compile(r"\b(?:from|to|in|near|outside|FROM|TO|IN|NEAR|OUTSIDE)[ \t]+"
                            r"([A-Z][a-z]+(?:-[A-Z][a-z]+){1,2}|[A-Z]{3,}(?:-[A-Z]{3,}){1,2})\b(?!-)(?![ \t]+[A-Z])")


def context_spans(doc: Document) -> list[Span]:
    """Identifiers that only the words around them show."""
    text = doc.text
    out: list[Span] = []
    for m in DICTATION_HEADER_RE.finditer(text):
        words = re.findall(r"[^\W\d_]+", m.group(1))
        if any(lexicon.is_not_identifier(w.lower()) or lexicon.is_clinical(w) or w.lower() in lexicon.TITLES for w in words):
            continue
        if any(w.lower() in ("for", "on", "the", "patient", "client", "note", "report", "letter") for w in words):
            continue
        out.append(Span(m.start(1), m.end(1), "NAME", "context_name", "a name in a dictation header", 0.8))
    for m in ON_STREET_RE.finditer(text):
        w = m.group(1)
        if not LOCATIVE_RE.search(text, max(0, m.start() - 48), m.start()):
            continue
        b = w.lower()
        if (b in lexicon.MONTHS_AND_DAYS or lexicon.is_clinical(w) or lexicon.is_not_identifier(b)
                or b in lexicon.TITLES or b in lexicon.RELATIONS or w.isupper() and doc.cased):
            continue
        out.append(Span(m.start(1), m.end(1), "LOCATION", "context_place", "a street named after 'on' where the sentence is about a place", 0.7))
    for m in CORNER_RE.finditer(text):
        out.append(Span(m.start(1), m.end(1), "LOCATION", "context_place", "an intersection", 0.8))
    for m in SAINT_PLACE_RE.finditer(text):
        end = m.end()
        tail = re.search(r"(?:[ \t]+[A-Z][A-Za-z]+)+$", m.group())
        if tail and not any(w.lower() in lexicon.ORG_WORDS or w.lower() in ("academy", "parish", "church", "school")
                            for w in tail.group().split()):
            end = m.start() + tail.start()
        out.append(Span(m.start(), end, "LOCATION", "context_place", "a saint's name for a place", 0.9))
    for m in HYPHEN_TOWN_RE.finditer(text):
        parts = m.group(1).split("-")
        if any(lexicon.is_common_word(p.lower()) or lexicon.is_clinical(p) or p.lower() in lexicon.ABBREVIATIONS for p in parts):
            continue  # "Parent-Child", "FBT-INFORMED": words, not a town
        out.append(Span(m.start(1), m.end(1), "LOCATION", "context_place", "a hyphenated place name after a place preposition", 0.86))
    return out


_NUMBER_THEN_WORDS_RE = re.compile(r"\d+[A-Za-z]?[ \t]+((?:[a-z]+[ \t]+)+)(?=[A-Z])")
_STREET_SMALL_WORDS = {"de", "la", "del", "du", "van", "von", "of", "the", "old", "st", "n", "s", "e", "w"}


def without_sentence_before_a_place(doc: Document, span: Span) -> Span:
    """"Form 7 filed with Westerly District Court": a number and ordinary lower-case words
    before a capitalised name are a sentence, not a house number and a street; the place is
    the capitalised part."""
    if span.in_record or span.type != "LOCATION" or not doc.cased:
        return span
    m = _NUMBER_THEN_WORDS_RE.match(doc.text, span.start, span.end)
    if not m or all(w in _STREET_SMALL_WORDS for w in m.group(1).split()):
        return span
    start = m.end()
    if span.end - start < 3:
        return span
    return Span(start, span.end, span.type, span.recognizer, span.explanation + " (without the words before it)",
                span.score, span.in_record)
