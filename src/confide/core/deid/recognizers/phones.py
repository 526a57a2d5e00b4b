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


class PhoneRecognizer(Recognizer):
    name = "phone"
    types = ("CONTACT",)

    def __init__(self, region: str = "US"):
        self.region = region

    def analyze(self, doc: Document) -> list[Span]:
        text = doc.text
        if len(_DIGITS.findall(text[:200000])) < 7 and len(text) < 200000:
            return []
        out = []
        for match in PhoneNumberMatcher(text, self.region, leniency=Leniency.POSSIBLE, max_tries=10**9):
            before = text[max(0, match.start - 2):match.start]
            if len(before) == 2 and before[1] in "-/#" and before[0].isalnum():
                continue  # the tail of an id such as "EOB-24-99817301"
            digits = re.sub(r"\D", "", match.raw_string)
            if digits in SERVICE_NUMBERS or len(digits) < 10:
                continue
            kind = "fax number" if FAX_RE.search(text[max(0, match.start - 12):match.start]) else "telephone number"
            region = phonenumbers.region_code_for_number(match.number) or "unknown region"
            out.append(self.span(match.start, match.end, "CONTACT", f"{kind} ({region})", 0.85))
        return out
