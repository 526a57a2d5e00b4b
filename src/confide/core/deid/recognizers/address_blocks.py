"""Address pieces that the US street patterns miss (LOCATION).

- unit designators: "Apt. 4B", "Suite 210", "Unit 7";
- military mail: "PSC 1234, Box 5678, APO AE 09012";
- postal codes by their label ("ZIP: 5020", "postal code 75008"), Canadian postal codes
  ("K1A 0B1"), and a number right after a country name ("Norway 0150");
- address blocks: after a unit, or a street written number-name-number ("42 Rue Verte 7",
  "Kirkeveien 12" after a house number), the next short pieces set off by two spaces, a
  comma, ">" or a line break are the city, region and postal code;
- an address after "lives at", "resides at", "address:", "mail it to": the clause.
A country or US state alone is not an identifier (Safe Harbor keeps them) and is not
marked here.
"""

from __future__ import annotations

import re

from .. import lexicon
from ..document import Document
from ..spans import Span
from .base import Recognizer, trim

UNIT_RE = re.compile(r"(?<![\w-])(?:apt|apartment|suite|ste|unit)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?(?![\w-])", re.I)
WARD_RE = re.compile(r"(?<![\w-])(?:ward|pod)[ \t]*#?[ \t]*[A-Za-z]?\d{1,3}[A-Za-z]?(?![\w-])", re.I)
# a hospital unit named by number: "admitted to Unit 4B", "transferred to 5 North", "CHH 4 WEST", "BHU 2"
HOSPITAL_UNIT_RE = re.compile(
    r"(?<![\w-])(?:(?:Unit|UNIT|BHU|PICU|NICU|MICU|SICU|CCU|ICU)[ \t]*[#:]?[ \t]*\d{1,2}[A-Za-z]?(?![\w-])(?![ \t]+(?:of|OF)\b)"
    r"|\d{1,2}[ \t]?(?:North|South|East|West|NORTH|SOUTH|EAST|WEST)(?![\w-]))")
# a ward named by a building or a wing and a number, or a unit's kind and number, where the words
# around say a ward is meant: "adm to Tower 7", "the Blake 10 nurses' station", "step-down 5 bed 9",
# "MRN 1234567  MICU 2 bed 4A"
NAMED_WARD_RE = re.compile(
    r"(?<![\w-])((?:[A-Z][a-z]{2,}|[A-Z]{3,}|(?i:step[- ]?down|tele(?:metry)?|pcu|cvicu|ticu|nsicu|cicu|bmt|l&d|psych))"
    r"[ \t]\d{1,2}[A-Da-d]?)(?![\w-])")
WARD_AFTER_RE = re.compile(r"[ \t]+(?i:bed|rm\b|room|conf(?:erence)?\b|nurses['’]?|nursing\s+station|charge\b|station)")
WARD_BEFORE_RE = re.compile(r"(?i:\b(?:adm(?:it(?:ted)?)?|admission|transfer(?:red)?|tx(?:'d|d)?|rec'?d|received|returned|back|moved|sent|"
                            r"came|arrived|bumped|floated|upgraded|downgraded)\b[^\n.;]{0,24}?\b(?:to|from|on))"
                            r"[ \t]+(?:the[ \t]+)?$", re.M)
FIELD_GAP_RE = re.compile(r"(?:^|[ \t]{2,}|\t)$", re.M)
NOT_WARD_WORDS = frozenset("""
room rm bed level day days stage grade class type step phase page line dose lead zone cycle trial week hour point port vial
bag unit units floor pod ward apt suite box lot part chapter section table figure item question goal session visit year
years month months x version number no option gate exit door hall rooms beds vs pm am hd pod icu ed
""".split())
UNIT_CONTEXT_RE = re.compile(r"(?:\b(?:to|on|from|in|at|onto|TO|ON|FROM|IN|AT|ONTO)|\b[A-Z]{2,5}|[:(,]|[ \t][-–—]|^)[ \t]*$", re.M)
MILITARY_RE = re.compile(r"(?<![\w-])(?:PSC|CMR|Unit)\s+\d{1,5},?\s+Box\s+\d{1,5}[,\s]+(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5}(?![\w-])")
CANADIAN_RE = re.compile(r"(?<![\w-])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d(?![\w-])")
POSTAL_LABEL_RE = re.compile(
    r"\b(?:zip(?:\s*code)?|postal\s*code|post\s*code|postcode)\s*[:#]?\s*([A-Za-z0-9](?:[A-Za-z0-9-]| (?=\S))*)", re.I)
POSTAL_NUMBER_RE = re.compile(r"(?<=[^\W\d_])[ \t]+(\d{3,6}(?:[ -]\d{2,4})?)(?![\w-])")
WORDS_BEFORE_RE = re.compile(r"((?:[^\W\d_]+[ -]){0,2}[^\W\d_]+)$")
# a street written "name number" after a house number: "28245 Elmgata 82"
EURO_STREET_RE = re.compile(r"(?<![\w.,/-])\d{1,6}[ \t]+(?:[^\W\d_][\w'’.-]*[ \t]+){1,4}\d{1,5}[A-Za-z]?(?![\w/-])")
GAP_RE = re.compile(r"[ \t,>]*")
SEP = r"(?:[ \t]{2,}|[ \t]*>[ \t]*|[ \t]*\?{3}[ \t]*|[ \t]*\n[ \t]*|,[ \t]*)"
PIECE_RE = re.compile(
    SEP + r"((?:[^\W\d_][\w'’.-]*|\d{3,6}|[A-Z]\d[A-Z] ?\d[A-Z]\d)(?:[ \t](?:[^\W\d_][\w'’.-]*|\d{3,6}(?:[ -]\d{2,4})?)){0,3})"
    r"(?=[ \t]*(?:$|\n|[,.;>?(]|[ \t]{2}))")
CONTEXT_RE = re.compile(
    r"\b(?:lives|living|live|resides|residing|reside|address(?:\s+is)?\s*:?|mail(?:\s+it)?\s+to|send(?:\s+it)?\s+to"
    r"|ship(?:\s+it)?\s+to|drops?\s+(?:you|him|her|them)\s+off)\s+(?:at\s+|on\s+)?(?=\d)", re.I)
CLAUSE_END_RE = re.compile(r"\n|[;!?|·]|[ \t]{2}|\.(?:\s+[A-Z]|\s*$)|\s(?:in|for|on|the|and|but|which|if|when|since|because|with)\s"
                           r"|\s[A-Za-z][\w-]*\s?:|\s(?:phone|tel|fax|cell|email|e-mail|dob|mrn)\b", re.I)
NOT_ADDRESS_WORDS = {"am", "pm", "times", "days", "weeks", "months", "years", "sessions", "mg", "minutes", "min", "hours",
                     "hrs", "blocks", "miles", "doors", "people", "kids", "children", "floors", "of", "or", "to", "x",
                     # measurements read aloud: "132 over 85", "heart rate 104", "pulse ox 97"
                     "over", "rate", "heart", "pressure", "pulse", "ox", "sat", "sats", "temp", "temperature", "weight",
                     "glucose", "sugar", "score", "nine", "seven", "phq", "gad", "by", "per", "out"}


class AddressBlockRecognizer(Recognizer):
    name = "address_block"
    types = ("LOCATION",)

    def analyze(self, doc: Document) -> list[Span]:
        text = doc.text
        out: list[Span] = []
        anchors: list[int] = []  # ends of unit numbers, where a city and postal code may follow
        for m in UNIT_RE.finditer(text):
            if doc.cased and not m.group()[0].isupper() and not (
                    m.group().lower().startswith("unit") and re.search(r"\b(?:to|on|from|onto|in)[ \t]+$", text[max(0, m.start() - 8):m.start()])
                    and re.search(r"\d[A-Za-z]$", m.group())):
                continue  # "the unit 2 ..." in a mixed-case note; "moved to unit 5B" is a ward
            out.append(self.span(m.start(), m.end(), "LOCATION", "apartment, suite or unit number", 0.8))
            anchors.append(m.end())
        for m in EURO_STREET_RE.finditer(text):
            words = re.findall(r"[^\W\d_]+", m.group())
            if any(w.lower() in NOT_ADDRESS_WORDS or lexicon.is_not_identifier(w.lower()) for w in words):
                continue
            if doc.cased and not all(w[0].isupper() for w in words if len(w) > 2):
                continue
            block = self._block_after(doc, m.end())
            if block or UNIT_RE.match(text, GAP_RE.match(text, m.end()).end()):
                out.append(self.span(m.start(), m.end(), "LOCATION", "street written name then number, in an address block", 0.75))
                out.extend(block)
        for end in anchors:
            out.extend(self._block_after(doc, end))
        for m in WARD_RE.finditer(text):
            if doc.cased and not m.group()[0].isupper():
                continue
            if re.fullmatch(r"POD[ \t]*#?[ \t]*\d{1,2}", m.group()):
                continue  # "POD 2": the second day after an operation
            out.append(self.span(m.start(), m.end(), "LOCATION", "a ward or pod of a facility", 0.75))
        for m in HOSPITAL_UNIT_RE.finditer(text):
            if UNIT_CONTEXT_RE.search(text, max(0, m.start() - 12), m.start()) or WARD_AFTER_RE.match(text, m.end()) \
                    or WARD_BEFORE_RE.search(text, max(0, m.start() - 48), m.start()) \
                    or FIELD_GAP_RE.search(text, max(0, m.start() - 4), m.start()):
                out.append(self.span(m.start(), m.end(), "LOCATION", "a hospital unit named by number", 0.7))
        for m in NAMED_WARD_RE.finditer(text):
            word = m.group(1).split()[0].lower()
            if word in NOT_WARD_WORDS or (lexicon.is_not_identifier(word) or lexicon.is_clinical(word)) and not re.match(r"(?i)step|tele|pcu|cvicu|ticu|nsicu|cicu|bmt|l&d|psych", word):
                continue
            if WARD_AFTER_RE.match(text, m.end()) or WARD_BEFORE_RE.search(text, max(0, m.start() - 48), m.start()):
                out.append(self.span(m.start(1), m.end(1), "LOCATION", "a ward named by a building or unit and a number", 0.85))
        for m in MILITARY_RE.finditer(text):
            out.append(self.span(m.start(), m.end(), "LOCATION", "military mail address (APO/FPO/DPO)", 0.9))
        for m in CANADIAN_RE.finditer(text):
            out.append(self.span(m.start(), m.end(), "LOCATION", "Canadian postal code", 0.75))
        for m in POSTAL_LABEL_RE.finditer(text):
            value = m.group(1).split("  ")[0]
            if re.search(r"\d", value):
                s, e = trim(text, m.start(1), m.start(1) + len(value))
                out.append(self.span(s, e, "LOCATION", "postal code after a label", 0.9))
        countries = lexicon.countries()
        for m in POSTAL_NUMBER_RE.finditer(text):
            before = WORDS_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
            words = before.group(1).lower().replace("-", " ").split() if before else []
            if any(" ".join(words[k:]) in countries for k in range(len(words))):
                out.append(self.span(m.start(1), m.end(1), "LOCATION", "postal code after a country name", 0.8))
        for m in CONTEXT_RE.finditer(text):
            span = self._clause(doc, m.end())
            if span:
                out.append(span)
        return out

    def _block_after(self, doc: Document, end: int) -> list[Span]:
        """The city, region and postal code pieces after an address anchor, up to four."""
        out: list[Span] = []
        text = doc.text
        pos = end
        for _ in range(4):
            m = PIECE_RE.match(text, pos)
            if not m:
                break
            piece = m.group(1)
            words = re.findall(r"[^\W\d_]+", piece)
            low = piece.lower()
            if "@" in piece or any(lexicon.is_not_identifier(w.lower()) for w in words):
                break
            if doc.cased and words and not all(w[0].isupper() or w.lower() in ("de", "la", "del", "do", "da", "nan") for w in words):
                break
            if words and all(lexicon.is_common_word(w.lower(), 35) for w in words) and not re.search(r"\d", piece) \
                    and low not in lexicon.countries() and low not in lexicon.STATE_NAMES:
                break  # "Main office", "Call back": ordinary words, not a city
            if low not in lexicon.countries() and low not in lexicon.STATE_NAMES and piece.upper() not in lexicon.US_STATES:
                out.append(self.span(m.start(1), m.end(1), "LOCATION", "city, region or postal code in an address block", 0.65))
            pos = m.end()
        return out

    def _clause(self, doc: Document, start: int) -> Span | None:
        """'lives at 12 Harbour Row 4, Oslo': the address up to the end of the clause."""
        text = doc.text
        limit = min(len(text), start + 100)
        m = CLAUSE_END_RE.search(text, start + 1, limit)
        end = m.start() if m else limit
        clause = text[start:end]
        words = re.findall(r"[^\W\d_]+", clause)
        if not any(len(w) >= 3 and w.lower() not in NOT_ADDRESS_WORDS for w in words):
            return None
        if doc.cased and not any(w[0].isupper() for w in words if len(w) >= 3):
            return None
        s, e = trim(text, start, end)
        if e - s < 4:
            return None
        return self.span(s, e, "LOCATION", "address after 'lives at', 'address:'", 0.7)
