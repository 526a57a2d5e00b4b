"""Ages: "34-year-old", "16 y/o", "age 52", "aged 91", "Age: 42", "turns five", "80th birthday".

The span is the number (or number word) only, as in the gold annotations. Ages of people
named in the note ("Pia (17)", "Ines, 47,") are added by the engine next to NAME spans.
"""

from __future__ import annotations

import re

from ..document import Document
from ..spans import Span
from .base import Recognizer, finditer_in, windows

NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety").split()
_NUM = r"(?:1[01]\d|120|\d{1,2})"
_WORDNUM = r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|" \
           r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|" \
           r"seventeen|eighteen|nineteen)"
AGE_PATTERNS = [
    (re.compile(rf"(?<![\w.,/])({_NUM}|{_WORDNUM})(?:\s*|-)(?:years?|yrs?|y)(?:\s*|-)old\b", re.I), "N-year-old"),
    (re.compile(rf"(?<![\w.,/])({_NUM})\s*(?:y/o|y\.o\.?|yo|yof|yom|y\.?o\.?\s*[mf])(?![\w/])", re.I), "N y/o"),
    (re.compile(rf"(?<![\w.,/#-])({_NUM})(?:M|F)(?![\w/-])"), "NM/NF (age and sex)"),
    (re.compile(rf"\b(?:age|aged)\s*[:=]?\s*(?:of\s+)?({_NUM}|{_WORDNUM})\b(?![/.]\d)", re.I), "age N"),
    (re.compile(rf"\b(?:turns?|turned|turning)\s+({_NUM}|{_WORDNUM})\b(?![/.:]\d|\s*(?:%|percent|times|minutes|min|hours|days|weeks|months|am|pm))", re.I), "turns N"),
    (re.compile(rf"\b({_NUM}(?:st|nd|rd|th))\s+birthday\b", re.I), "Nth birthday"),
    (re.compile(rf"\b(?:at|by|since|until|when\s+(?:he|she|they)\s+was|when\s+(?:he|she|they)\s+were)\s+(?:age\s+)?({_NUM})"
                rf"(?=\s*[;,.)]|\s+(?:to|and|when|after|before|with|he|she|they|but|in|for|from|while|y/o|yo|years?)\b)"
                rf"(?!\s*(?:%|mg|min|minutes|hours|hrs|days|weeks|months|times|am|pm|o'clock|/|:|\.\d))", re.I), "at N (an age)"),
    (re.compile(rf"\b(?:he|she|they|i)\s+(?:is|was|were|am|turned|turns)\s+({_NUM})(?=\s*[;,.)]|\s+(?:and|when|now|but|years?)\b)", re.I), "is N"),
    (re.compile(rf"\b(?:son|daughter|sons|daughters|brother|sister|half-brother|half-sister|stepson|stepdaughter|child|"
                rf"kids?|children|boy|girl|grandson|granddaughter|twins?|nephew|niece|baby)\s*(?:\(|,)?\s*({_NUM})"
                rf"(?=\s*[),;]|\s+and\b|\s*$)", re.I), "relation and age"),
    (re.compile(rf"\b(?:in\s+(?:his|her|their)\s+)({_NUM}0s|(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b", re.I), "in their Ns"),
]


AGE_ANCHOR_RE = re.compile(
    r"\d|(?i:\b(?:years?|yrs?|y/o|yo|age|aged|turns?|turned|turning|birthday|twenties|thirties|forties|fifties"
    r"|sixties|seventies|eighties|nineties)\b)")


MEASURE_BEFORE_RE = re.compile(
    r"(?i)\b(?:rvr|hr|heart\s+rate|rate|pulse|bp|sbp|dbp|map|rr|sats?|spo2|o2|glucose|sugars?|bg|fsbs|temp|weight|wt|"
    r"hgb|plt|wbc|cr|k|na|inr|peep|fio2|tv|bpm|rhythm|sinus|afib|tachy\w*|brady\w*|vent|drip|gtt|infusion|dose|titrated|"
    r"increased|decreased|weaned|set|capped|score|scored|level)\b[^.;\n]{0,18}$")


LIFE_BEFORE_RE = re.compile(r"(?i)\b(?:lived|living|stayed|raised|grew|born|breastfed|bedwetting|wet|nursed|school|"
                            r"custody|foster|spoke|talk(?:ed)?|walk(?:ed)?|years?|childhood|abused?)\b[^.;\n]{0,30}$")


class AgeRecognizer(Recognizer):
    name = "age"
    types = ("AGE",)

    def analyze(self, doc: Document) -> list[Span]:
        out = []
        spans = windows(doc.text, AGE_ANCHOR_RE, 48, 48)
        for pattern, why in AGE_PATTERNS:
            for m in finditer_in(pattern, doc.text, spans):
                value = m.group(1)
                if value.isdigit() and int(value) > 120:
                    continue
                if why.startswith("at N") and "age" not in m.group().lower() and MEASURE_BEFORE_RE.search(
                        doc.text, max(0, m.start() - 24), m.start()):
                    continue  # "Afib with RVR at 118", "sats at 88": a measurement, not an age
                if why.startswith("at N") and "age" not in m.group().lower() and value.isdigit() and int(value) <= 12 \
                        and re.match(r"(?i)(?:until|by|till)\b", m.group()) and not LIFE_BEFORE_RE.search(
                            doc.text, max(0, m.start() - 40), m.start()):
                    continue  # "I'm at work until 6", "call back by 5": a clock time
                out.append(self.span(m.start(1), m.end(1), "AGE", f"age ({why})", 0.85))
        return out
