"""Street addresses (LOCATION): "240 W Birch St Apt 5", "P.O. Box 5521", "on Pelham Road".

A pattern finds candidate substrings (a house number, a street name, a street type);
usaddress's tagger confirms and bounds them (number, street, unit).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..document import Document
from ..spans import Span
from .base import Recognizer, finditer_in, trim, windows

STREET_TYPES = (
    "street|st|avenue|ave|av|boulevard|blvd|road|rd|drive|dr|lane|ln|way|court|ct|place|pl|terrace|ter|parkway|pkwy"
    "|highway|hwy|circle|cir|loop|trail|trl|square|sq|pike|alley|aly|plaza|crescent|row|walk|run|point|pt"
    "|crossing|xing|path|expressway|expy|freeway|fwy|turnpike|tpke|causeway|broadway|creek|ridge|hill|hills"
)
UNIT = r"(?:,?\s*(?:apt\.?|apartment|unit|suite|ste\.?|#|rm\.?|room|bldg\.?|building|floor|fl\.?|lot|space|trlr)\s*#?\s*[\w-]{1,6}|,?\s*\d+(?:st|nd|rd|th)\s+floor)"
DIRECTION = r"(?:n|s|e|w|ne|nw|se|sw|north|south|east|west|northeast|northwest|southeast|southwest)\.?"
NAME_WORD = r"(?:\d+(?:st|nd|rd|th)|[A-Za-z][A-Za-z'’.-]*)"
# one line: "CIWA 11\nresults called to DR. X" is a score, then a sentence, not "11 ... Dr"
STREET_RE = re.compile(
    rf"(?<![\w-])(\d{{1,6}}(?:-\d{{1,4}})?[A-Za-z]?)[ \t]+(?:{DIRECTION}[ \t]+)?(?:{NAME_WORD}[ \t]+){{0,3}}?"
    rf"(?:{NAME_WORD})[ \t]+(?:{STREET_TYPES})\.?(?:[ \t]+{DIRECTION})?(?![\w-])(?:{UNIT})?",
    re.I,
)
GRID_RE = re.compile(rf"(?<![\w-])\d{{1,6}}\s+{DIRECTION}\s+\d{{1,5}}\s+{DIRECTION}(?![\w-])(?:{UNIT})?", re.I)
POBOX_RE = re.compile(r"(?<![\w-])p\.?\s?o\.?\s+box\s+\d{1,8}\b", re.I)
ROUTE_RE = re.compile(r"(?<![\w-])(?:route|rte\.?|highway|hwy\.?|interstate|state\s+road|county\s+road|us|i|sr|cr)[- ]\d{1,4}\b(?![.,]\d|\s*(?:mg|ml|%|/))", re.I)
NAMED_STREET_RE = re.compile(
    rf"(?<![\w-])((?:{DIRECTION}\s+)?(?:[A-Z][A-Za-z'’.-]*\s+){{0,2}}[A-Z][A-Za-z'’-]*)\s+"
    rf"(Street|St\.?|Avenue|Ave\.?|Boulevard|Blvd\.?|Road|Rd\.?|Drive|Lane|Ln\.?|Way|Court|Parkway|Pkwy\.?|Highway"
    rf"|Pike|Terrace|Place|Circle|Trail)(?![\w-])(?!\.?\s+[A-Z][a-z])")
UPPER_NAMED_STREET_RE = re.compile(
    r"\b(?:ON|OFF|AT|NEAR|ALONG|DOWN|UP|ACROSS)\s((?:[A-Z][A-Z'’.-]*\s+){0,2}[A-Z][A-Z'’-]*)\s+"
    r"(STREET|ST\.?|AVENUE|AVE\.?|BOULEVARD|BLVD\.?|ROAD|RD\.?|DRIVE|LANE|LN\.?|WAY|PARKWAY|PKWY\.?|HIGHWAY|PIKE)(?![\w-])")
NUMBER_ANCHOR_RE = re.compile(r"(?<![\w-])\d{1,6}")
LIVES_ON_RE = re.compile(r"\b(?:lives?|living|lived|moved|house|home|apartment|apt|place|stays?|staying|address|duplex|trailer"
                         r"|walks?|walked|walking|drives?|drove|driving|parked|parks|store|shop|bus\s+stop|stop|located|school"
                         r"|(?:every\s+day|daily)|corner\s+of)\s+(?:is\s+|now\s+)?(?:on|off|to)\s+([A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’.-]*)?)", re.I)
STREET_TYPE_WORDS = {t for t in STREET_TYPES.split("|")}
_NOT_A_STREET = {"the", "a", "an", "her", "his", "their", "my", "our", "your", "its", "this", "that", "campus", "base",
                 "site", "disability", "probation", "parole", "medication", "medications", "meds", "time", "call", "hold",
                 "leave", "vacation", "board", "track", "edge", "foot", "weekends", "weekdays", "own", "and", "with", "in"}
TYPE_ANCHOR_RE = re.compile(r"(?i)\b(?:street|st|avenue|ave|boulevard|blvd|road|rd|drive|lane|ln|way|court|parkway|pkwy|highway|pike|terrace|place|circle|trail)\b")
_KEEP = {"AddressNumber", "AddressNumberPrefix", "AddressNumberSuffix", "StreetNamePreDirectional",
         "StreetNamePreModifier", "StreetNamePreType", "StreetName", "StreetNamePostType",
         "StreetNamePostDirectional", "StreetNamePostModifier", "OccupancyType", "OccupancyIdentifier",
         "SubaddressType", "SubaddressIdentifier", "BuildingName", "USPSBoxType", "USPSBoxID"}
_NOT_STREET_NAME = re.compile(r"^(?:mg|mcg|ml|min|mins|minutes|hours|hrs|days|weeks|months|years|times|pounds|lbs|miles|session|sessions)$", re.I)


@lru_cache(maxsize=2048)
def usaddress_street_end(candidate: str) -> int | None:
    """Length of the street part usaddress tags at the start of `candidate`, else None."""
    import usaddress

    try:
        parsed = usaddress.parse(candidate)
    except Exception:  # noqa: BLE001 - the tagger failing means "not confirmed"
        return None
    if not parsed or parsed[0][1] != "AddressNumber":
        return None
    labels = {label for _, label in parsed}
    if "StreetName" not in labels:
        return None
    pos = 0
    end = None
    for token, label in parsed:
        idx = candidate.find(token, pos)
        if idx < 0:
            break
        pos = idx + len(token)
        if label not in _KEEP:
            break
        end = pos
    return end


class AddressRecognizer(Recognizer):
    name = "street_address"
    types = ("LOCATION",)

    def analyze(self, doc: Document) -> list[Span]:
        text = doc.text
        out: list[Span] = []
        number_w = windows(text, NUMBER_ANCHOR_RE, 2, 90)
        for m in finditer_in(STREET_RE, text, number_w):
            words = m.group().split()
            if len(words) >= 2 and _NOT_STREET_NAME.match(words[1].rstrip(".,")):
                continue
            if any(w.endswith(".") and len(w) > 3 for w in words[1:-1]):
                continue  # "x 3 days. Pt reports": a sentence ends inside, no street
            if doc.cased and not any(w[0].isupper() for w in words[1:]):
                continue  # "3 ways to ..." in a mixed-case note: street names are capitalised
            end = usaddress_street_end(m.group())
            confirmed = end is not None and end >= len(m.group(1)) + 2
            s, e = trim(text, m.start(), m.start() + end if confirmed else m.end())
            if e <= s:
                continue
            out.append(self.span(s, e, "LOCATION", "street address" + (" (confirmed by usaddress)" if confirmed else ""),
                                 0.88 if confirmed else 0.75))
        for m in finditer_in(GRID_RE, text, number_w):
            out.append(self.span(m.start(), m.end(), "LOCATION", "grid street address", 0.85))
        for m in POBOX_RE.finditer(text):
            out.append(self.span(m.start(), m.end(), "LOCATION", "post office box", 0.85))
        for m in ROUTE_RE.finditer(text):
            if doc.cased and not m.group()[0].isupper():
                continue
            out.append(self.span(m.start(), m.end(), "LOCATION", "numbered road", 0.6))
        for m in LIVES_ON_RE.finditer(text):
            words = m.group(1).split()
            if words[0].lower() in _NOT_A_STREET or lexicon.is_not_identifier(words[0]):
                continue
            if doc.cased and not words[0][0].isupper():
                continue
            if len(words) == 2 and not (words[1].lower().rstrip(".") in STREET_TYPE_WORDS or (doc.cased and words[1][0].isupper())):
                words = words[:1]
            if len(words) == 1 and lexicon.is_common_word(words[0].lower(), 20):
                continue
            s = m.start(1)
            out.append(self.span(s, s + len(" ".join(words)) if " " in m.group(1) else m.end(1), "LOCATION",
                                 "a street named after 'lives on', 'the place on'", 0.65))
        named = UPPER_NAMED_STREET_RE if doc.all_caps else NAMED_STREET_RE
        for m in finditer_in(named, text, windows(text, TYPE_ANCHOR_RE, 80, 4)):
            first = m.group(1).split()[0].lower()
            if first in ("the", "a", "an", "on", "at", "in", "and", "or", "to", "his", "her", "their", "my"):
                s = m.start(1) + len(m.group(1).split()[0]) + 1
            else:
                s = m.start(1)
            s, e = trim(text, s, m.end())
            if e > s:
                out.append(self.span(s, e, "LOCATION", "street name with a street type", 0.7))
        return out
