"""Telephone and fax numbers (CONTACT), found by libphonenumber's matcher for the US."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from ..document import Document
from ..spans import Span
from .base import Recognizer

FAX_RE = re.compile(r"fax\W{0,3}$", re.IGNORECASE)
# Numbers a note names as resources, never a person's: crisis lines and the like.
SERVICE_NUMBERS = {"988", "911", "211", "311", "411", "711"}
_DIGITS = re.compile(r"\d")
SLASHED_PHONE_RE = re.compile(r"\(?\d{3}\)?\s*/\s*\d{3}[-. ]\d{4}")
PHONE_BEFORE_RE = re.compile(r"\d{4}[ \t,;]*$")
# "call x4537", "ext. 212" with no number before it: an extension inside an organization
LONE_EXTENSION_RE = re.compile(r"(?<![\w.#/-])(?:(?:ext\.?|extension)[ \t]*#?[ \t]*(\d{2,6})|[xX](\d{3,5}))(?![\w.]|[ \t]*(?i:mg|mcg|units?|ml|days?|weeks?|times?|per|/))")
# a seven-digit local number, no area code, where the words before say a number to call:
# "call the 4 West nurses' station at 555-0192", "cell 555-0148", "tel. 555.0100"
LOCAL_PHONE_RE = re.compile(
    r"(?i:\b(?:call|calling|called|phone|ph|tel|telephone|cell|mobile|home|work|station|desk|number|no|line|fax|reach(?:ed)?|contact|"
    r"text|voicemail|vm)\b\.?[^\n\d]{0,24}?)(?<![\d/.-])([2-9]\d{2}[-.]\d{4})(?![\d/.-]?\d|[.-]\d)")
EXTENSION_RE = re.compile(r"[\s,;]*(?:ext\.?|extension|x)\s*#?\s*(\d{1,6})$", re.I)


class PhoneRecognizer(Recognizer):
    name = "phone"
    types = ("CONTACT",)

    def __init__(self, region: str = "US"):
        self.region = region

    def analyze(self, doc: Document) -> list[Span]:
        text = doc.text
        out = [self.span(m.start(m.lastindex), m.end(m.lastindex), "CONTACT", "a telephone extension on its own", 0.8)
               for m in LONE_EXTENSION_RE.finditer(text) if not PHONE_BEFORE_RE.search(text, max(0, m.start() - 24), m.start())]
        out += [self.span(m.start(1), m.end(1), "CONTACT", "a seven-digit local number after a word for calling", 0.8)
                for m in LOCAL_PHONE_RE.finditer(text)]
        if len(_DIGITS.findall(text[:200000])) < 7 and len(text) < 200000:
            return out
        for match in PhoneNumberMatcher(text, self.region, leniency=Leniency.POSSIBLE, max_tries=10**9):
            before = text[max(0, match.start - 2):match.start]
            if len(before) == 2 and before[1] in "-/#" and before[0].isalnum():
                continue  # the tail of an id such as "EOB-24-99817301"
            raw = match.raw_string
            if "/" in raw and not SLASHED_PHONE_RE.fullmatch(raw):
                continue  # "118-150/70-92", "120/80 110/70": blood pressures, not a phone
            digits = re.sub(r"\D", "", raw)
            if digits in SERVICE_NUMBERS or len(digits) < 10:
                continue
            ext = EXTENSION_RE.search(raw)
            if ext:  # "555-0100, ext. 481": the number and the extension, not the word "ext"
                out.append(self.span(match.start + ext.start(1), match.start + ext.end(1), "CONTACT", "telephone extension", 0.85))
                end = match.start + len(raw[:ext.start()].rstrip(" ,;"))
                out.append(self.span(match.start, end, "CONTACT", "telephone number", 0.85))
                continue
            kind = "fax number" if FAX_RE.search(text[max(0, match.start - 12):match.start]) else "telephone number"
            region = phonenumbers.region_code_for_number(match.number) or "unknown region"
            out.append(self.span(match.start, match.end, "CONTACT", f"{kind} ({region})", 0.85))
        return out
