"""Record, account, member, claim, case, licence and plate numbers, and SSNs (ID).

Mostly label-driven ("MRN: 00451237", "Member ID", "Case #"), plus the shapes such
numbers take on their own: SSNs, letter-prefixed codes with many digits, long digit runs.
Clinical codes (ICD-10, CPT, DSM-5, PHQ-9) do not have these shapes.
"""

from __future__ import annotations

import re

from ..document import Document
from ..spans import Span
from .base import Recognizer, finditer_in, windows

_NO = r"(?:\s*(?:#|no\.?|number|num\.?|id|ID)\b\.?)?"
LABELS = (
    r"mrn|mr\s?#|medical\s+record" + _NO + r"|chart" + _NO
    + r"|member" + _NO + r"|subscriber" + _NO + r"|beneficiary" + _NO + r"|policy" + _NO
    + r"|group" + r"(?:\s*(?:#|no\.?|number|num\.?|id)\.?|(?=\s*:))" + r"|claim" + _NO + r"|(?:prior\s+)?auth(?:orization)?" + _NO
    + r"|case" + r"(?:\s*(?:#|no\.?|number|num\.?|id)\.?)" + r"|account" + _NO + r"|acct\.?" + _NO
    + r"|(?:denial\s+|confirmation\s+|tracking\s+)?ref(?:erence)?" + _NO + r"|confirmation" + _NO
    + r"|intake" + r"(?:\s*(?:#|no\.?|number)\.?)" + r"|referral" + r"(?:\s*(?:#|no\.?|number)\.?)"
    + r"|licen[cs]e" + _NO + r"|lic\.?" + _NO + r"|npi|tax\s+id|tin|ein|dea" + _NO
    + r"|(?:license\s+)?plate" + _NO + r"|tag" + r"(?:\s*(?:#|no\.?|number)\.?)" + r"|vin"
    + r"|ssn|ss#|social\s+security" + _NO + r"|medicaid" + _NO + r"|medicare" + _NO + r"|medi-cal" + _NO
    + r"|ins(?:urance)?" + r"(?:\s*(?:#|no\.?|number|id|member\s+id)\.?)?" + r"|payer\s+id|ma\s+id|ahcccs" + _NO
    + r"|interpreter" + r"(?:\s*(?:#|no\.?|number|id)\.?)" + r"|badge" + _NO + r"|employee" + _NO
    + r"|student" + r"(?:\s*(?:#|no\.?|number|id)\.?)" + r"|docket" + _NO
    + r"|(?:doc|dept\.?\s+of\s+corrections|inmate|booking|offender|warrant|citation|cause|incident|report)" + r"(?:\s*(?:#|no\.?|number|id)\.?)" + r"|file" + r"(?:\s*(?:#|no\.?|number)\.?)"
    + r"|bar" + r"(?:\s*(?:#|no\.?|number)\.?)" + r"|job" + r"(?:\s*(?:#|no\.?|number)\.?)" + r"|serial" + _NO + r"|device" + r"(?:\s*(?:#|no\.?|number|id)\.?)" + r"|certificate" + _NO
    + r"|id" + r"(?:\s*(?:#|no\.?|number)\.?)?" + r"|numbers?"
)
VALUE = r"(?=[A-Z0-9./-]*\d)[A-Z0-9](?:[A-Z0-9]|[-./][A-Z0-9]){3,30}"
LABELED_RE = re.compile(
    rf"\b(?:{LABELS})(?:\s*[:#–-]\s*|\s+|(?<=#))(?:(?:is|of|was)\s+)?({VALUE})(?![\w-])", re.IGNORECASE)
LIST_NEXT_RE = re.compile(rf"\s*(?:,|;|and|&|/)\s*({VALUE})", re.IGNORECASE)
SSN_RE = re.compile(r"(?<![\w-])(?:\d{3}|[Xx*]{3})-(?:\d{2}|[Xx*]{2})-\d{4}(?![\w-])")
PLATE_RE = re.compile(r"\b(?:license\s+)?(?:plate|tag)s?\b\s*(?:#|no\.?|number)?\s*:?\s*([A-Z0-9]{1,4}[ -][A-Z0-9]{1,5})(?![\w-])", re.I)
CODE_RE = re.compile(r"(?<![\w-])(?:[A-Z]{2,5}\.\d{4,}|[A-Z]{1,6}-?\d{5,}(?:-\d+)*|[A-Z]{2,6}-\d{2,}-\d{3,}(?:-\d+)*"
                     r"|[A-Z]{2,6}-\d{4,}|[A-Z0-9]{8,20})(?![\w-])")
DIGITS_RE = re.compile(r"(?<![\w.,/-])\d{7,}(?![\w.,/-])|(?<![\w.,/-])\d{6}(?=\s*\)|\s*$)")
# "incident report filed #971550", "order #20931": five digits or more after "#" name a record
# ("#1", "#12" number a plan's problems)
HASH_NUMBER_RE = re.compile(r"(?<![\w&])#[ \t]?(\d{5,12})(?![\w/-]|[.-]\d)")
# Clinical codes and instruments: never identifiers.
CLINICAL_CODE_RE = re.compile(r"^(?:[A-TV-Z]\d{2}(?:\.\d{1,4})?[A-Z]?|\d{5}|PHQ\d*|GAD\d*|DSM\d*|PCL\d*|L\d-L\d)$", re.IGNORECASE)


# "Officer Dana Whitfield #2231", "Deputy Ruiz, badge 4471": a badge number after an officer's name
OFFICER_NUMBER_RE = re.compile(r"\b(?:officer|deputy|detective|det\.|sgt\.?|sergeant|trooper|cpl\.?|corporal|lt\.?|agent|ofc\.?)"
                               r"[ \t]+(?:[A-Z][\w'’-]*[ \t]+){0,2}[A-Z][\w'’-]*,?[ \t]*(?:\(?\s*#|no\.|badge\s*#?)\s?(\d{2,7})(?![\w-])", re.I)
TRACKING_RE = re.compile(r"\b(?:tracking|confirmation|reference|receipt|certified\s+mail)\s*(?:number|no\.?|#|num\.?)?\s*[:#]?\s*"
                         r"(?:is\s+)?(\d{2,6}(?:[ -]\d{2,6}){2,8})(?![\w-])", re.I)
VALUE_ANCHOR_RE = re.compile(r"\d{3,}|\d[A-Za-z]+\d|[A-Za-z]\d")


STRONG_LABELS = ("bar", "badge", "interpreter", "job", "case", "docket", "doc", "inmate", "booking", "offender", "warrant", "citation",
                 "cause", "incident", "employee", "student", "file", "member", "account", "acct",
                 "claim", "licen", "lic", "serial", "policy", "chart", "mrn", "medical record")


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


class IdRecognizer(Recognizer):
    name = "id_number"
    types = ("ID",)

    def analyze(self, doc: Document) -> list[Span]:
        text = doc.text
        out: list[Span] = []
        value_w = windows(text, VALUE_ANCHOR_RE, 48, 34)
        for m in finditer_in(LABELED_RE, text, value_w):
            self._labeled(text, m, out)
        for m in PLATE_RE.finditer(text):
            if _has_digit(m.group(1)):
                out.append(self.span(m.start(1), m.end(1), "ID", "vehicle plate", 0.9))
        for m in finditer_in(SSN_RE, text, value_w):
            out.append(self.span(m.start(), m.end(), "ID", "social security number format", 0.9))
        for m in finditer_in(CODE_RE, text, value_w):
            value = m.group()
            digits = sum(c.isdigit() for c in value)
            letters = sum(c.isalpha() for c in value)
            if digits >= 4 and letters >= 1 and (digits >= 5 or letters >= 3) and not CLINICAL_CODE_RE.match(value):
                out.append(self.span(m.start(), m.end(), "ID", "letter-prefixed number, the shape of a record or member id", 0.87))
        low = doc.lower_text
        officers = any(w in low for w in ("officer", "deputy", "det", "sgt", "sergeant", "trooper", "cpl", "corporal", "lt", "agent", "ofc"))
        for m in (OFFICER_NUMBER_RE.finditer(text) if officers and "#" in text or "no." in low or "badge" in low else ()):
            out.append(self.span(m.start(1), m.end(1), "ID", "a badge number after an officer's name", 0.85))
        for m in TRACKING_RE.finditer(text):
            out.append(self.span(m.start(1), m.end(1), "ID", "a number in digit groups after 'tracking', 'confirmation'", 0.9))
        for m in HASH_NUMBER_RE.finditer(text):
            out.append(self.span(m.start(1), m.end(1), "ID", "a number of five digits or more after '#'", 0.75))
        for m in finditer_in(DIGITS_RE, text, value_w):
            out.append(self.span(m.start(), m.end(), "ID", "long digit string", 0.55))
        return out

    def _labeled(self, text: str, m: re.Match, out: list[Span]) -> None:
        label = text[m.start():m.start(1)].strip().lower()
        value = m.group(1).rstrip(".-/")
        start = m.start(1)
        five_digits_labelled = re.fullmatch(r"\d{5}", value) is not None and label.startswith(STRONG_LABELS)
        if not _has_digit(value) or (CLINICAL_CODE_RE.match(value) and not five_digits_labelled):
            return  # "Bar No. 74838" is a number; a bare 5-digit code elsewhere may be a CPT code
        if re.fullmatch(r"\d{1,3}", value) or re.fullmatch(r"(?:19|20)\d\d", value):
            return
        if label.startswith(("number", "ins")) and sum(c.isdigit() for c in value) < 5:
            return
        if label.startswith("id") and sum(c.isdigit() for c in value) < 4:
            return
        out.append(self.span(start, start + len(value), "ID", f"number after the label {label!r}", 0.92))
        pos = start + len(value)
        for _ in range(20):  # "CLAIM NUMBERS: A, B, C"
            nxt = LIST_NEXT_RE.match(text, pos)
            if not nxt or not _has_digit(nxt.group(1)) or sum(c.isdigit() for c in nxt.group(1)) < 4:
                break
            v = nxt.group(1).rstrip(".-/")
            out.append(self.span(nxt.start(1), nxt.start(1) + len(v), "ID", f"next number in a list after {label!r}", 0.9))
            pos = nxt.start(1) + len(v)
