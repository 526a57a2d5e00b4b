"""Everything the client's chart already knows, found wherever the note says it (in_record).

Given the record (the client's and contacts' names, preferred names, addresses, phones,
emails, dates of birth and ids) it finds every occurrence of those values and their
common variants: first or last name alone, "Last, First", nicknames both ways
(Robert/Bob), initials (K.T.), street abbreviations (Street/St, North/N), state name
vs. code, a phone or ZIP in any formatting, a date of birth in any common format or
as a birthday (month and day), ids with or without separators. Matching ignores case
and respects word boundaries. A value that is also an ordinary word ("Will", "Hope",
"Mobile") is matched where it is used as a name or place, not as the word.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from .. import lexicon
from ..data.nicknames import name_variants
from ..document import Document
from ..normalize import Piece, find_digits, spelled_words
from ..spans import Span
from .base import Recognizer
from .names import record_word_use

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STREET_SUFFIX = {
    "street": "st", "avenue": "ave", "boulevard": "blvd", "road": "rd", "drive": "dr", "lane": "ln", "court": "ct",
    "place": "pl", "terrace": "ter", "parkway": "pkwy", "highway": "hwy", "circle": "cir", "trail": "trl",
    "square": "sq", "way": "way", "loop": "loop", "pike": "pike", "alley": "aly", "plaza": "plz", "crossing": "xing",
    "expressway": "expy", "freeway": "fwy", "turnpike": "tpke", "point": "pt", "ridge": "rdg", "heights": "hts",
}
DIRECTIONS = {"north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw",
              "southeast": "se", "southwest": "sw"}
UNIT_WORDS = {"apartment": "apt", "suite": "ste", "unit": "unit", "number": "#", "room": "rm", "building": "bldg",
              "floor": "fl", "lot": "lot"}
NAME_KEYS = ("first_name", "last_name", "preferred_name", "middle_name", "maiden_name", "nickname", "name",
             "full_name", "alias", "aka")
ID_HINTS = ("mrn", "id", "number", "ssn", "plate", "license", "licence", "policy", "group", "account", "claim",
            "member", "case", "medicaid", "medicare", "vin", "npi")
PLACE_HINTS = ("employer", "school", "workplace", "church", "work", "company", "city", "county", "town")
_SEP = r"[\s./-]?"


@dataclass
class _Pattern:
    """The chart's values of one kind as alternatives of one regex, compiled per note from only the
    alternatives whose literal part the note contains: an alternative that cannot match anywhere in
    the text changes nothing in an alternation, and compiling a chart's every variant for each
    note was most of the engine's time (each note of a benchmark has a chart of its own)."""

    alternatives: list[str]
    assemble: "Callable[[list[str]], str]"
    flags: int
    type: str
    why: str
    check: str = ""  # "" | "word" (may be an ordinary word) | "state" (needs address context)
    group: int = 0

    def __post_init__(self) -> None:
        self.needles = [_needle(a) for a in self.alternatives]
        self._compiled: dict[tuple[str, ...], re.Pattern] = {}

    def regex_for(self, doc: Document) -> re.Pattern | None:
        """The regex of the alternatives that may match in this note (None: none can)."""
        if doc.text.isascii():
            lower, bare = doc.lower_text, None
            present = []
            for alt, needle in zip(self.alternatives, self.needles):
                if needle is not None:
                    literal, stripped = needle
                    if stripped:
                        if bare is None:
                            bare = _SEPARATORS_RE.sub("", lower)
                        if literal not in bare:
                            continue
                    elif literal not in lower:
                        continue
                present.append(alt)
            key = tuple(present)
        else:  # case folding beyond ASCII: no filter, the regex of every alternative
            key = tuple(self.alternatives)
        if not key:
            return None
        hit = self._compiled.get(key)
        if hit is None:
            hit = self._compiled[key] = re.compile(self.assemble(list(key)), self.flags)
        return hit


_SEPARATORS_RE = re.compile(r"[\s./-]")
_SEP_OPTIONAL = r"[\s./-]?"
_REGEX_SPECIAL = set(".^$*+?{}[]\\|()")


def _needle(alternative: str) -> tuple[str, bool] | None:
    """The longest literal every match of `alternative` contains, lower-cased, and whether it is to
    be looked for in the text with its separators removed (an id whose characters may be grouped
    by any separator); None when there is no such literal (the alternative is always kept). Only
    the regex's top level is read: a group, a class or a quantified character ends a literal run."""
    stripped = _SEP_OPTIONAL in alternative
    pattern = alternative.replace(_SEP_OPTIONAL, "") if stripped else alternative
    best, run, depth, i, n = "", [], 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        literal = None
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if depth == 0 and not nxt.isalnum() and nxt.isascii():
                literal = nxt
            i += 2
        elif c == "[":  # a class: skip to its end
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
        elif c == "(":
            depth += 1
            i += 1
        elif c == ")":
            depth -= 1
            i += 1
        elif c == "|" and depth == 0:
            return None  # alternatives at the top: no literal is common to all
        elif c in "?*{":
            if depth == 0 and run and pattern[i - 1] not in ")]":
                run.pop()  # the character before is optional or repeated: the run ends before it
                if len(run) > len(best):
                    best = "".join(run)
                run = []
            if c == "{":  # skip the counts
                while i < n and pattern[i] != "}":
                    i += 1
            i += 1
        else:
            if depth == 0 and c not in _REGEX_SPECIAL and c.isascii():  # beyond ASCII, case folding differs
                literal = c
            i += 1
        if literal is not None:
            run.append(literal)
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    if len(run) > len(best):
        best = "".join(run)
    best = best.lower()
    if stripped:
        best = _SEPARATORS_RE.sub("", best)
    return (best, stripped) if best else None


def _w(value: str) -> str:
    """A value as a regex: spaces match any whitespace, case is ignored by the caller."""
    return r"\s+".join(re.escape(p) for p in value.split())


def _bounded(alternatives: list[str]) -> str:
    alts = sorted(set(a for a in alternatives if a), key=lambda a: (-len(a), a))
    return r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])"


def _initials_regex(alternatives: list[str]) -> str:
    return r"(?<![\w.])(?:" + "|".join(sorted(alternatives, key=lambda a: (-len(a), a))) + ")"


def _bare_initials_regex(alternatives: list[str]) -> str:
    return r"(?<![\w.-])(?:" + "|".join(sorted(alternatives, key=lambda a: (-len(a), a))) + r")(?![\w.-])"


def _str(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


class RecordRecognizer(Recognizer):
    name = "record"
    types = ("NAME", "DATE", "LOCATION", "CONTACT", "ID")

    def analyze(self, doc: Document) -> list[Span]:
        record = doc.record
        if not record:
            return []
        index = _cached_index(record)
        out: list[Span] = []
        text = doc.text
        for p in index.patterns:
            regex = p.regex_for(doc)
            if regex is None:
                continue
            for m in regex.finditer(text):
                s, e = m.span(p.group)
                if s < 0 or e <= s:
                    continue
                if p.check and not self._accept(doc, s, e, p.check):
                    continue
                out.append(self.span(s, e, p.type, p.why, 1.0, in_record=True))
        out.extend(self._tokens(doc, index))
        out.extend(self._dates(doc, index))
        out.extend(self._phones(doc, index))
        out.extend(self._said(doc, index))
        out.extend(self._spelled(doc, index))
        out.extend(self._tails(doc, index))
        if index.short_initials:
            for m in SIGN_OFF_INITIALS_RE.finditer(doc.text):
                if m.group(1).upper() in index.short_initials and (m.group(1).isupper() or not doc.cased):
                    out.append(self.span(m.start(1), m.end(1), "NAME", "initials of a person in the record, alone on a "
                                         "sign-off or copy line", 1.0, in_record=True))
        return out

    def _said(self, doc: Document, index: "_Index") -> list[Span]:
        """Numbers the chart knows, said in words: phones, record numbers, ZIP codes, last
        four digits, and the date of birth ("April second, nineteen eighty-eight", "four two
        eighty-eight")."""
        runs = doc.number_runs
        if not runs:
            return []
        out = []
        for pieces in runs:
            for digits, (type_, why) in index.numbers.items():
                for s, e in find_digits(pieces, digits):
                    out.append(self.span(s, e, type_, why + ", said in words", 1.0, in_record=True))
            said = "".join(p.digits for p in pieces)
            if said in index.tails:
                type_, why = index.tails[said]
                out.append(self.span(pieces[0].start, pieces[-1].end, type_, why + " (its last four digits, said in words)",
                                     1.0, in_record=True))
            for s, e in _said_dates(doc.text, pieces, index.dobs):
                out.append(self.span(s, e, "DATE", "the date of birth in the record, said in words", 1.0, in_record=True))
            year = _said_year(pieces) if index.dobs and len(pieces) <= 2 else None
            if year is not None and year >= 1000 and any(d.year == year for d in index.dobs) \
                    and BIRTH_BEFORE_RE.search(doc.text, max(0, pieces[0].start - 40), pieces[0].start):
                out.append(self.span(pieces[0].start, pieces[-1].end, "DATE", "the year of birth in the record, said in words",
                                     1.0, in_record=True))
        return out

    def _spelled(self, doc: Document, index: "_Index") -> list[Span]:
        """A name the chart knows, spelled letter by letter: "M-A-R-Y", "d a v i s"."""
        return [self.span(s, e, "NAME", why + ", spelled out", 1.0, in_record=True)
                for s, e, why in spelled_words(doc.text, index.spelled)]

    def _tails(self, doc: Document, index: "_Index") -> list[Span]:
        """The last four digits of a number the chart knows, written alone ("ends in 0143",
        "x0143"), and an extension written after a phone the chart knows."""
        out = []
        if index.tails:
            for m in TAIL_RE.finditer(doc.text):
                hit = index.tails.get(m.group(1))
                if hit:
                    out.append(self.span(m.start(), m.end(), hit[0], hit[1] + " (its last four digits)", 1.0, in_record=True))
        return out

    def _tokens(self, doc: Document, index: "_Index") -> list[Span]:
        """Single-word names and places, looked up word by word (no regex per record)."""
        out: list[Span] = []
        for i, t in enumerate(doc.tokens):
            key = t.base
            end = t.end - 2 if t.possessive else t.end
            if key in index.names:
                out.append(self.span(t.start, end, "NAME", index.names[key], 1.0, in_record=True))
            elif key in index.word_names:
                glued = t.start > 0 and doc.text[t.start - 1] == "-" and i > 0 and doc.tokens[i - 1].base in index.names
                if glued or _beside_record_name(doc, i, index) or not record_word_use(doc, i):
                    out.append(self.span(t.start, end, "NAME", index.word_names[key] + " (used as a name here)", 1.0, in_record=True))
            elif key in index.places:
                why, is_word = index.places[key]
                if not is_word or self._accept(doc, t.start, end, "place"):
                    out.append(self.span(t.start, end, "LOCATION", why, 1.0, in_record=True))
            elif t.text.upper() in index.state_codes and (t.upper or not doc.cased or re.match(r"\s*\d{5}", doc.text[t.end:t.end + 7])) \
                    and self._accept(doc, t.start, t.end, "state"):
                out.append(self.span(t.start, t.end, "LOCATION", "the record's state", 1.0, in_record=True))
        if index.initials_after:
            text = doc.text
            for sp in list(out):
                if sp.type != "NAME":
                    continue
                key = text[sp.start:sp.end].lower().split("-")[-1]
                wanted = index.initials_after.get(key)
                m = INITIAL_AFTER_RE.match(text, sp.end) if wanted else None
                if m and m.group(1).upper() in wanted:
                    out.append(self.span(m.start(1), m.end(), "NAME", "an initial beside a name in the record", 1.0, in_record=True))
        return _join_adjacent(doc.text, out)

    def _dates(self, doc: Document, index: "_Index") -> list[Span]:
        if not index.dobs:
            return []
        out = []
        text = doc.text
        for m in NUMERIC_DATE_RE.finditer(text):
            a, b, c = m.group(1), m.group(3), m.group(4)
            cands = []
            if len(a) == 4:
                if c:
                    cands.append((int(b), int(c), int(a)))
            else:
                year = int(c) if c else None
                cands.append((int(a), int(b), year))
                cands.append((int(b), int(a), year))  # day first (passports, Europe)
            if any(_same_day(index.dobs, mo, d, y) for mo, d, y in cands):
                out.append(self.span(m.start(), m.end(), "DATE", "the date of birth in the record", 1.0, in_record=True))
        for pattern in (MONTH_DAY_RE, DAY_MONTH_RE):
            for m in pattern.finditer(text):
                month = _month_number(m.group("month"))
                if month and _same_day(index.dobs, month, int(m.group("day")), int(m.group("year").lstrip("'’")) if m.group("year") else None):
                    out.append(self.span(m.start(), m.end(), "DATE", "the date of birth in the record", 1.0, in_record=True))
        for m in MONTH_YEAR_RE.finditer(text):
            month = _month_number(m.group("month"))
            if month and any(d.month == month and d.year == int(m.group("year")) for d in index.dobs):
                out.append(self.span(m.start(), m.end(), "DATE", "the month and year of birth in the record", 1.0, in_record=True))
        days = {d.day for d in index.dobs}
        for m in BIRTHDAY_ORDINAL_RE.finditer(text):
            if int(m.group("day")) in days:
                out.append(self.span(m.start(1), m.end(1), "DATE", "the day of the month of the birth date in the record", 1.0, in_record=True))
        return out

    def _accept(self, doc: Document, s: int, e: int, check: str) -> bool:
        text = doc.text
        if check == "state":
            before = text[max(0, s - 30):s]
            after = text[e:e + 12]
            return bool(re.match(r"[,\s]\s*\d{5}", after) or re.search(r"[A-Za-z]{3},\s*$", before))
        if check == "bare_initials":
            return doc.cased
        if check == "initials":
            return not doc.cased or text[s:e].upper() == text[s:e] or text[s:e].count(".") >= 2  # "t.a.r."
        if check in ("word", "place"):
            i = doc.token_at(s)
            if i is None:
                return True
            t = doc.tokens[i]
            if check == "place":
                if doc.cased:
                    if t.cap or t.upper or text[s].isupper():  # "U-Haul"
                        return True
                    # "lives in kettle falls", "works at tractor supply": a place of several words the
                    # chart holds, in lower case after a word that puts a place after it
                    prev = doc.prev(i)
                    return bool(re.search(r"\s", text[s:e])) and prev is not None and prev.lower in PLACE_BEFORE_WORDS \
                        and doc.between(prev, t) == " "
                prev = doc.prev(i)
                return (prev is not None and prev.lower in ("in", "from", "to", "near", "at", "of")) or bool(
                    re.match(r",?\s*[A-Za-z]{2}\b", text[e:e + 5]))
            return not record_word_use(doc, i)
        return True

    def _phones(self, doc: Document, index: "_Index") -> list[Span]:
        wanted = index.phones
        if not wanted:
            return []
        out = []
        sevens = {d[-7:] for d in wanted}
        for m in PHONE_RE.finditer(doc.text):
            digits = re.sub(r"\D", "", m.group())
            if digits[-10:] in wanted or (len(digits) == 7 and digits in sevens):
                out.append(self.span(m.start(), m.end(), "CONTACT", "a phone number in the record", 1.0, in_record=True))
        return out


# "cc: TA", "-- TA", "—TA": two letters alone on a line, after a copy or sign-off mark
SIGN_OFF_INITIALS_RE = re.compile(r"^[ \t]*(?:b?cc:|c:|--?|—|–|/|~)[ \t]*([A-Za-z]{2})\.?[ \t]*$", re.M | re.I)
INITIAL_AFTER_RE = re.compile(r",?[ \t]+([A-Za-z])\.?(?=\s|$)")
TAIL_RE = re.compile(r"(?<![\w/.,:-])(?:x|#)?(\d{4})(?![\w/%]|[.,:-]\d)", re.I)
PHONE_RE = re.compile(r"(?<![\d])(?:\+?1[\s.-]*)?(?:\(\d{3}\)\s*|\d{3}[\s.-]*)?\d{3}[\s.-]*\d{4}(?![\d])")
_MONTH_ALT = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
NUMERIC_DATE_RE = re.compile(r"(?<![\w/.-])(\d{1,4})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\w/]|[.-]\d)")
MONTH_DAY_RE = re.compile(rf"(?<![\w])(?P<month>{_MONTH_ALT})\.?\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}|['’]\d{{2}}))?(?![\w])", re.I)
DAY_MONTH_RE = re.compile(rf"(?<![\w])(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_ALT})\.?(?:,?\s+(?P<year>\d{{4}}))?(?![\w])", re.I)
MONTH_YEAR_RE = re.compile(rf"(?<![\w])(?P<month>{_MONTH_ALT})\.?,?\s+(?:of\s+)?(?P<year>\d{{4}})(?![\w])", re.I)
BIRTHDAY_ORDINAL_RE = re.compile(r"\b(?:birthday|bday|b-day|born)\W{1,4}(?:is\s+|was\s+|on\s+)?((?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th))\b", re.I)


def _said_dates(text: str, pieces: list[Piece], dobs: list[dt.date]) -> list[tuple[int, int]]:
    """Dates of birth said in words: "April second, nineteen eighty-eight" (a month name
    before the pieces), "four two eighty-eight", "ten twenty-two nineteen eighty-six"."""
    if not dobs:
        return []
    out = []
    vals = [p.value for p in pieces]
    n = len(pieces)
    before = MONTH_BEFORE_RE.search(text, max(0, pieces[0].start - 16), pieces[0].start)
    for i in range(n):
        # month said as a number: m d yy | m d yy yy | m d yyyy
        for k in (3, 4):
            if i + k > n:
                continue
            m, d = vals[i], vals[i + 1]
            year = _said_year(pieces[i + 2:i + k])
            if year is not None and _same_day(dobs, m, d, year):
                out.append((pieces[i].start, pieces[i + k - 1].end))
    if before:
        month = _month_number(before.group(1))
        for k in (1, 2, 3):
            if k > n or not month:
                continue
            d = vals[0]
            year = _said_year(pieces[1:k]) if k > 1 else None
            if (k == 1 or year is not None) and _same_day(dobs, month, d, year):
                out.append((before.start(1), pieces[k - 1].end))
    return out


# "born in nineteen ninety-six", "date of birth March fifth, nineteen eighty-five": a year said
# near these words is the year of birth when it is the chart's
BIRTH_BEFORE_RE = re.compile(r"\b(?:born|birth|dob|d\.o\.b|birthday|b-day)\b[^.;\n]*$", re.I)


def _said_year(pieces: list[Piece]) -> int | None:
    if len(pieces) == 1:
        return pieces[0].value if pieces[0].value >= 1000 or pieces[0].value < 100 else None
    if len(pieces) == 2 and pieces[0].value in (19, 20) and pieces[1].value < 100:
        return pieces[0].value * 100 + pieces[1].value
    if len(pieces) == 2 and pieces[0].digits == "0" and pieces[1].value < 10:
        return pieces[1].value  # "oh five"
    return None


MONTH_BEFORE_RE = re.compile(r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
                             r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?:the\s+)?$", re.I)


def _month_number(name: str) -> int | None:
    key = name.lower()[:3]
    return MONTH_INDEX.get(key)


MONTH_INDEX = {m.lower(): i + 1 for i, m in enumerate(MONTH_ABBR)}


def _same_day(dobs: list[dt.date], month: int, day: int, year: int | None) -> bool:
    for d in dobs:
        if d.month == month and d.day == day:
            if year is None or year == d.year or (year < 100 and year == d.year % 100):
                return True
    return False


def _beside_record_name(doc: Document, i: int, index: "_Index") -> bool:
    """"summer szabo", "dawn o'neill": a word-name next to another name the chart knows is
    the name, whatever its case ("the summer" stays a season)."""
    tokens = doc.tokens
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens):
            a, b = (tokens[j], tokens[i]) if j < i else (tokens[i], tokens[j])
            if doc.between(a, b) in (" ", "-", ", ") and tokens[j].base in index.names and len(tokens[j].base) >= 3:
                return True
    return False


def _join_adjacent(text: str, spans: list[Span]) -> list[Span]:
    """'Ana' + 'Ferreira' -> one span 'Ana Ferreira' (also 'Ferreira, Ana', 'Ana-Ofelia')."""
    spans.sort(key=lambda s: s.start)
    out: list[Span] = []
    for s in spans:
        if out and out[-1].type == s.type == "NAME" and text[out[-1].end:s.start] in (" ", "-", ", "):
            last = out[-1]
            out[-1] = Span(last.start, s.end, "NAME", last.recognizer, last.explanation, 1.0, True)
        else:
            out.append(s)
    return out


def _people(record: dict):
    client = record.get("client")
    if isinstance(client, dict):
        yield client, "client"
    contacts = record.get("contacts")
    if isinstance(contacts, list):
        for c in contacts:
            if isinstance(c, dict):
                yield c, str(c.get("relation") or "contact")
    if "client" not in record and "contacts" not in record:
        yield record, "client"


@dataclass
class _Index:
    patterns: list[_Pattern]
    names: dict[str, str]
    word_names: dict[str, str]
    places: dict[str, tuple[str, bool]]
    state_codes: set[str]
    dobs: list[dt.date]
    phones: dict[str, str]
    numbers: dict[str, tuple[str, str]]  # digits said in words -> (type, why)
    tails: dict[str, tuple[str, str]]  # last four digits -> (type, why)
    spelled: dict[str, str]  # a name's letters -> why
    initials_after: dict[str, set[str]]  # a name word -> initials that may follow it ("Lund, T.", "Ana R Lund")
    short_initials: set[str] = None  # "TA": two capitals, found only alone on a sign-off or cc line

    def __post_init__(self) -> None:
        if self.short_initials is None:
            self.short_initials = set()


def _cached_index(record: dict) -> _Index:
    """build_index, once per chart: a practice de-identifies many notes of one client, and the
    compiled patterns are most of the cost."""
    try:
        key = json.dumps(record, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return build_index(record)
    return _index_for(key, record)


_INDEX_CACHE: "OrderedDict[str, _Index]" = OrderedDict()


def _index_for(key: str, record: dict) -> _Index:
    hit = _INDEX_CACHE.get(key)
    if hit is not None:
        _INDEX_CACHE.move_to_end(key)
        return hit
    index = build_index(record)
    _INDEX_CACHE[key] = index
    if len(_INDEX_CACHE) > 256:
        _INDEX_CACHE.popitem(last=False)
    return index


def build_index(record: dict) -> _Index:
    """Compile the record into what finds its values in a note."""
    names: dict[str, str] = {}  # single lower-case word -> why
    initials_after: dict[str, set[str]] = {}  # a name word -> initials that may follow it
    word_names: dict[str, str] = {}
    phrases: dict[str, str] = {}  # regex -> why (multi-word names, initials)
    initials: dict[str, str] = {}
    bare_initials: set[str] = set()
    places: dict[str, tuple[str, bool]] = {}
    place_phrases: dict[str, str] = {}
    word_place_phrases: dict[str, str] = {}
    state_codes: set[str] = set()
    dobs: list[dt.date] = []
    other_dates: list[str] = []
    contacts: list[str] = []
    ids: list[str] = []
    id_values: list[str] = []
    zips: list[str] = []
    phones: dict[str, str] = {}
    extensions: list[str] = []
    for person, role in _people(record):
        contacts.extend(_handles_of_name(person))
        _person_names(person, role, names, word_names, phrases, initials, initials_after)
        bare_initials.update(_bare_initials(person))
        for key, value in person.items():
            k = str(key).lower()
            if k in NAME_KEYS or k == "relation":
                continue
            if any(h in k for h in ("phone", "fax", "cell", "mobile", "tel")):
                v = _str(value) or ""
                main, ext = _split_extension(v)
                digits = re.sub(r"\D", "", main)
                if len(digits) >= 10:
                    phones[digits[-10:]] = k
                elif len(digits) == 7:
                    phones[digits] = k
                if ext:
                    extensions.append(ext)
                continue
            if any(h in k for h in HANDLE_HINTS):
                v = _str(value)
                if v and len(v.lstrip("@")) >= 3:
                    contacts.append(r"@?" + re.escape(v.lstrip("@")))
                continue
            if isinstance(value, dict) and ("address" in k or {"street", "city", "zip"} & set(value)):
                _address(value, places, place_phrases, word_place_phrases, state_codes)
                z = re.sub(r"\D", "", _str(value.get("zip")) or _str(value.get("postal_code")) or "")
                if len(z) >= 5:
                    zips.append(z[:5])
                continue
            v = _str(value)
            if v is None:
                continue
            if "email" in k or "@" in v:
                contacts.append(re.escape(v))
                contacts.extend(_handles_of_email(v))
                said = _said_email(v)
                if said:
                    contacts.append(said)
            elif k in ("dob", "birth_date", "date_of_birth", "birthdate", "birthday") or "birth" in k or k.endswith("_date"):
                d = _parse_date(v)
                if d:
                    dobs.append(d)
                else:
                    other_dates.append(_w(v))
            elif k in ("street", "city", "zip", "state", "address", "county"):
                _address({k: v}, places, place_phrases, word_place_phrases, state_codes)
            elif any(h in k for h in PLACE_HINTS):
                _place_value(v, f"the record's {k}", places, place_phrases, word_place_phrases)
            elif any(h in k for h in ID_HINTS) or re.search(r"\d", v):
                if sum(c.isalnum() for c in v) >= 3:
                    ids.append(_id_variant(v))
                    id_values.append(v)
    numbers: dict[str, tuple[str, str]] = {}
    tails: dict[str, tuple[str, str]] = {}
    for digits, key in phones.items():
        numbers[digits] = ("CONTACT", "a phone number in the record")
        if len(digits) == 10:
            numbers[digits[3:]] = ("CONTACT", "a phone number in the record")
        tails[digits[-4:]] = ("CONTACT", "a phone number in the record")
    for ext in extensions:  # "extension two oh four": said alone, an extension is the chart's too
        numbers.setdefault(ext, ("CONTACT", "a phone extension in the record"))
    for raw in id_values:
        digits = re.sub(r"\D", "", raw)
        if len(digits) >= 5:
            numbers.setdefault(digits, ("ID", "an id in the record"))
            tails.setdefault(digits[-4:], ("ID", "an id in the record"))
    for z in zips:
        numbers.setdefault(z, ("LOCATION", "the record's ZIP code"))
    spelled: dict[str, str] = {}
    for tok, why in {**word_names, **names}.items():
        letters = re.sub(r"[^a-z]", "", tok)
        if len(letters) >= 3 and "shortened" not in why:
            spelled[letters] = why
    for person, role in _people(record):
        full = "".join(re.sub(r"[^A-Za-z]", "", _str(person.get(k)) or "") for k in ("first_name", "last_name")).lower()
        if len(full) >= 3:
            spelled.setdefault(full, f"the {role}'s name")
        for k in NAME_KEYS:  # "V-O-N-S-T-A-D-E", "O-D-O-N-O-G-H-U-E": a name of several parts spelled as one
            whole = re.sub(r"[^A-Za-z]", "", _str(person.get(k)) or "").lower()
            if len(whole) >= 3:
                spelled.setdefault(whole, f"the {role}'s name")
    out: list[_Pattern] = []
    flags = re.IGNORECASE
    if phrases:
        out.append(_Pattern(list(phrases), _bounded, flags, "NAME", "a name in the record"))
    if initials:
        out.append(_Pattern(list(initials), _initials_regex, flags, "NAME", "initials of a person in the record", "initials"))
    if bare_initials:  # "TAR", "-TAR": in a mixed-case note only, in capitals, three letters or more
        out.append(_Pattern(list(bare_initials), _bare_initials_regex, 0,
                            "NAME", "initials of a person in the record, without periods", "bare_initials"))
    if other_dates:
        out.append(_Pattern(other_dates, _bounded, flags, "DATE", "a date in the record"))
    if place_phrases:
        out.append(_Pattern(list(place_phrases), _bounded, flags, "LOCATION", "a place in the record"))
    if word_place_phrases:
        out.append(_Pattern(list(word_place_phrases), _bounded, flags, "LOCATION", "a place in the record", "place"))
    if contacts:
        out.append(_Pattern(contacts, _bounded, flags, "CONTACT", "an e-mail address in the record"))
    if ids:
        out.append(_Pattern(ids, _bounded, flags, "ID", "an id in the record"))
    short_initials = set()
    for person, _role in _people(record):
        first, last = _str(person.get("first_name")), _str(person.get("last_name"))
        if first and last and first[0].isalpha():
            if last[0].isalpha():
                short_initials.add(first[0].upper() + last[0].upper())
            for part in re.split(r"[\s-]+", last):
                if part and part[0].isalpha() and part.lower() not in PARTICLE_WORDS:
                    short_initials.add(first[0].upper() + part[0].upper())
    return _Index(out, names, word_names, places, state_codes, dobs, phones, numbers, tails, spelled, initials_after,
                  short_initials)


def _person_names(person: dict, role: str, names: dict, word_names: dict, phrases: dict, initials: dict,
                  initials_after: dict) -> None:
    first = _str(person.get("first_name"))
    last = _str(person.get("last_name"))
    values = [v for v in (_str(person.get(k)) for k in NAME_KEYS) if v]
    tokens: set[str] = set()
    for v in values:
        tokens.update(t for t in re.split(r"[\s,-]+", v) if t)
    for given in (first, _str(person.get("preferred_name")), _str(person.get("nickname"))):
        if given:
            for g in given.split():
                tokens.update(name_variants(g))
    # short forms of a given name: "Lexi" for Alexandra, "Tomo" for Tomislav
    for given in (first, _str(person.get("preferred_name"))):
        for g in (given or "").replace("-", " ").split():
            g = g.lower()
            if len(g) < 5 or not g.isalpha():
                continue
            for short in {g[:k] for k in range(3, min(6, len(g)))} | {g[-k:] for k in range(4, len(g))}:
                if lexicon.word_level(short) is None and not lexicon.is_not_identifier(short):
                    names.setdefault(short, f"the {role}'s name, shortened")
    for tok in tokens:
        t = tok.strip(".\"()").lower()
        if t.endswith(("'s", "’s")):
            t = t[:-2]
        if len(t) < 2 or t in PARTICLE_WORDS:
            continue
        target = word_names if (lexicon.word_sense_dominates(t) or lexicon.is_not_identifier(t)) else names
        target[t] = f"the {role}'s name"
    for v in values:
        if re.search(r"[\s'’-]", v.strip()):  # "Van der Lind", "El-Amin", "O'Donoghue": the whole of it too
            phrases[_w(v)] = f"the {role}'s name"
            joined = re.sub(r"[\s'’-]+", "", v).lower()  # "Vanderlind", "ODonoghue", "Elamin": written as one word
            if len(joined) >= 5 and joined.isalpha() and not lexicon.is_not_identifier(joined):
                names.setdefault(joined, f"the {role}'s name, written as one word")
            if "-" in v:  # "al-Rashid" written "al Rashid", "Achebe-Ruiz" as "Achebe Ruiz"
                phrases[r"[\s-]+".join(re.escape(p) for p in re.split(r"[\s-]+", v.strip()) if p)] = f"the {role}'s name"
    if first and last:
        if any(lexicon.word_sense_dominates(w.lower()) or lexicon.is_not_identifier(w.lower()) for w in (first, last)):
            phrases[_w(f"{first} {last}")] = f"the {role}'s name"  # "May Straw": both words ordinary, together a name
        fi, li = first[0].upper(), last[0].upper()
        middle = _str(person.get("middle_name"))
        # "Hargreaves, D.", "BRZEZINSKI, LINDA R", "Linda R Brzezinski": an initial beside the names
        if fi.isalpha():
            initials_after.setdefault(re.split(r"[\s-]+", last.lower())[-1], set()).add(fi)
        if middle and middle[0].isalpha():
            initials_after.setdefault(first.split()[-1].lower(), set()).add(middle[0].upper())
        if fi.isalpha() and li.isalpha():
            initials[rf"{re.escape(fi)}\.\s?{re.escape(li)}\."] = f"the {role}'s initials"
            # "A. withdraws", "K.'s checking": the initial alone, used as a name
            initials[rf"{re.escape(fi)}\.(?=['’]s\b|,\s|(?-i:\s+[a-z])|\s*\()"] = f"the {role}'s initial"
        if middle and middle[0].isalpha():
            initials[rf"{re.escape(fi)}\.\s?{re.escape(middle[0].upper())}\.\s?{re.escape(li)}\."] = f"the {role}'s initials"
        parts = [p for p in re.split(r"[\s-]+", last) if p and p.lower() not in PARTICLE_WORDS]
        if len(parts) >= 2 and all(p[0].isalpha() for p in parts):  # "Tamsin A-R", "A.-R.": a double surname's initials
            body = r"\.?-?".join(re.escape(p[0].upper()) for p in parts)
            initials[rf"(?<=[A-Za-z] ){body}\.?(?![\w-])"] = f"the {role}'s surname, by its initials"


def _bare_initials(person: dict) -> set[str]:
    """'TAR' for Tamsin Achebe-Ruiz, 'TJAR' with her middle name, 'TJA': three letters or more,
    never a clinical abbreviation or an ordinary word in capitals."""
    first = _str(person.get("first_name"))
    last = _str(person.get("last_name"))
    if not first or not last:
        return set()
    middle = _str(person.get("middle_name"))
    lasts = [p[0].upper() for p in re.split(r"[\s-]+", last) if p and p.lower() not in PARTICLE_WORDS and p[0].isalpha()]
    if not first[0].isalpha() or not lasts:
        return set()
    forms = {first[0].upper() + "".join(lasts)}
    if middle and middle[0].isalpha():
        forms.add(first[0].upper() + middle[0].upper() + "".join(lasts))
    return {re.escape(f) for f in forms if len(f) >= 3 and not lexicon.is_not_identifier(f.lower())
            and not lexicon.is_clinical(f.lower()) and f.lower() not in lexicon.US_STATES}


PLACE_BEFORE_WORDS = {"in", "at", "from", "to", "near", "for", "of"}
PARTICLE_WORDS = {"de", "la", "del", "van", "von", "da", "di", "du", "le", "el", "al", "bin", "st", "jr", "sr", "ii", "iii", "los", "las", "dos"}


def _place_value(v: str, why: str, places: dict, place_phrases: dict, word_place_phrases: dict) -> None:
    words = v.split()
    common = all(lexicon.is_common_word(w.lower()) for w in re.findall(r"[^\W\d_]+", v))
    if len(words) == 1 and re.fullmatch(r"[^\W\d_]+", v):
        places[v.lower()] = (why, common)
    else:  # "U-Haul", "Kroll's", "Les Schwab": matched as a phrase (with or without a possessive 's)
        body = _w(v)
        if re.search(r"['’]s$", v):
            body = _w(v[:-2]) + r"(?:['’]s)?"
        (word_place_phrases if common else place_phrases)[body] = why
    # "Chief Kamiakin Middle School" is "Chief Kamiakin" when people talk about it
    short = KIND_OF_PLACE_RE.sub("", v).strip(" ,-")
    if short and short != v and len(short) >= 3 and not lexicon.is_not_identifier(short.lower()):
        _place_value(short, why + " (without its kind)", places, place_phrases, word_place_phrases)


KIND_OF_PLACE_RE = re.compile(
    r"(?:\s+(?:(?:junior|senior|middle|high|elementary|primary|grade|charter|community|public|preparatory|prep|"
    r"intermediate|technical)\s+)*(?:school|schools|elementary|high|academy|college|university|middle|inc\.?|llc|"
    r"co\.?|corp\.?|company|corporation|store|stores))+$", re.I)
HANDLE_HINTS = ("username", "user_name", "handle", "login", "screen_name", "screenname", "gamertag", "instagram",
                "twitter", "tiktok", "snapchat", "discord", "social")


def _split_extension(phone: str) -> tuple[str, str | None]:
    """'(253) 555-0143 ext. 204' -> ('(253) 555-0143', '204')."""
    m = re.search(r"\s*(?:ext\.?|extension|x|#)\s*(\d{1,6})\s*$", phone, re.I)
    if m and len(re.sub(r"\D", "", phone[:m.start()])) >= 7:
        return phone[:m.start()], m.group(1)
    return phone, None


def _handles_of_email(email: str) -> list[str]:
    """The local part of an e-mail is the person's handle elsewhere: 'maria.delgado88' from
    maria.delgado88@example.com, also written without its dots ('mariadelgado88')."""
    local = email.split("@", 1)[0].strip()
    if len(local) < 5 or not re.search(r"[A-Za-z]", local):
        return []
    out = [r"@?" + re.escape(local)]
    bare = re.sub(r"[._-]", "", local)
    if bare != local and len(bare) >= 5:
        out.append(r"@?" + re.escape(bare))
    return out


_SAID_EMAIL_SEPARATORS = {".": r"\s+(?:dot|period|point)\s+", "_": r"\s+underscore\s+", "-": r"\s+(?:dash|hyphen)\s+"}


def _said_email(email: str) -> str | None:
    """An e-mail address said aloud, as a voicemail transcript writes it: 'maria dot delgado88 at
    example dot com' (also 'underscore', 'dash'; the parts may run together as written)."""
    local, at, domain = email.strip().partition("@")
    if not at or not local or "." not in domain:
        return None

    def said(part: str) -> str:
        pieces = re.split(r"([._-])", part)
        return "".join(_SAID_EMAIL_SEPARATORS[p] if p in _SAID_EMAIL_SEPARATORS else re.escape(p) for p in pieces)

    return said(local) + r"\s+at\s+" + said(domain)


def _handles_of_name(person: dict) -> list[str]:
    """User names people make of their names: 'mdelgado', 'mariadelgado', 'maria_delgado',
    'maria.delgado', each maybe with digits after ('mdelgado88'), maybe after an '@'."""
    first = re.sub(r"[^a-z]", "", (_str(person.get("first_name")) or "").lower())
    last = re.sub(r"[^a-z]", "", (_str(person.get("last_name")) or "").lower())
    if len(first) < 2 or len(last) < 3:
        return []
    forms = {first[0] + last, first + last, first + "_" + last, first + "." + last, last + first[0], first + last[0]}
    return [r"@?" + re.escape(f) + r"\d{0,4}" for f in forms if len(f) >= 5]


def _address(addr: dict, places: dict, place_phrases: dict, word_place_phrases: dict, state_codes: set[str]) -> None:
    street = _str(addr.get("street")) or _str(addr.get("line1")) or _str(addr.get("address"))
    if street:
        place_phrases[_street_regex(street, with_number=True)] = "the record's street address"
        place_phrases[_street_regex(street, with_number=False)] = "the record's street"
    for key in ("line2", "unit", "apt"):
        v = _str(addr.get(key))
        if v and len(v) >= 3:
            place_phrases[_w(v)] = "the record's address"
    for key in ("city", "county", "town"):
        v = _str(addr.get(key))
        if v:
            _place_value(v, f"the record's {key}", places, place_phrases, word_place_phrases)
    state = _str(addr.get("state"))
    if state:
        code = state.upper() if len(state) == 2 else lexicon.STATE_NAMES.get(state.lower())
        if code:
            state_codes.add(code)
            full = lexicon.US_STATES.get(code)
            if full:
                _place_value(full, "the record's state", places, place_phrases, word_place_phrases)
        else:
            _place_value(state, "the record's state", places, place_phrases, word_place_phrases)
    zip_code = _str(addr.get("zip")) or _str(addr.get("postal_code")) or _str(addr.get("zip_code"))
    if zip_code:
        digits = re.sub(r"\D", "", zip_code)
        if len(digits) >= 5:
            place_phrases[re.escape(digits[:5]) + r"(?:-\d{4})?"] = "the record's ZIP code"
        else:
            place_phrases[_w(zip_code)] = "the record's postal code"


def _street_regex(street: str, with_number: bool) -> str:
    """A street as a regex with its usual variants: 'N'/'North'/'N.', 'St'/'Street'/'St.'."""
    words = street.replace(",", " ").split()
    parts: list[str] = []
    number = None
    if words and re.match(r"^\d+[A-Za-z]?(?:-\d+)?$", words[0]):
        number = words.pop(0)
    # split off a unit ("Apt 214", "#3", "Suite 5")
    unit = []
    for i, w in enumerate(words):
        lw = w.lower().rstrip(".")
        if lw in UNIT_WORDS or lw in UNIT_WORDS.values() or w.startswith("#"):
            unit = words[i:]
            words = words[:i]
            break
    for w in words:
        lw = w.lower().rstrip(".")
        if lw in DIRECTIONS or lw in DIRECTIONS.values():
            full = lw if lw in DIRECTIONS else next(k for k, v in DIRECTIONS.items() if v == lw)
            parts.append(rf"(?:{full}|{DIRECTIONS[full]}\.?)")
        elif lw in STREET_SUFFIX or lw in STREET_SUFFIX.values():
            full = lw if lw in STREET_SUFFIX else next(k for k, v in STREET_SUFFIX.items() if v == lw)
            parts.append(rf"(?:{full}|{STREET_SUFFIX[full]}\.?)")
        elif re.fullmatch(r"\d+(?:st|nd|rd|th)", lw):
            n = re.match(r"\d+", lw).group()
            parts.append(rf"{n}(?:st|nd|rd|th)?")
        else:
            parts.append(re.escape(w))
    if not parts:
        return re.escape(street)
    lead = words[0].lower().rstrip(".") if words else ""
    if not with_number and len(parts) >= 3 and (lead in DIRECTIONS or lead in DIRECTIONS.values()):
        body = rf"(?:{parts[0]}\s+)?" + r"\s+".join(parts[1:])  # "the Larkspur Ct. house" for SE Larkspur Ct
    else:
        body = r"\s+".join(parts)
    if unit:
        label = unit[0].lower().rstrip(".")
        ident = re.escape(unit[-1].lstrip("#")) if len(unit) > 1 or unit[0].startswith("#") else None
        if ident:
            labels = "|".join(re.escape(x) for x in {label, UNIT_WORDS.get(label, label)} | ({"apartment", "apt", "#", "unit"} if label in ("apt", "apartment", "#", "unit") else set()))
            body += rf"(?:,?\s*(?:(?:{labels})\.?\s*#?\s*){ident})?"
    elif with_number:  # a unit the record does not hold, written after its street: "... apt 3", "..., Unit 12B"
        body += r"(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\.?\s*#?\s*\d{1,5}[A-Za-z]?(?![\w-]))?"
    if with_number and number:
        return re.escape(number) + r"\s+" + body
    return body


def _parse_date(value: str) -> dt.date | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%m-%d-%Y", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y"):
        try:
            return dt.datetime.strptime(value[:len(value)], fmt).date()
        except ValueError:
            continue
    try:
        import dateparser

        parsed = dateparser.parse(value, languages=["en"])
        return parsed.date() if parsed else None
    except Exception:  # noqa: BLE001
        return None


def _id_variant(value: str) -> str:
    """An id with or without its separators: 'HBH-220914' also finds 'HBH 220914' and 'HBH220914'."""
    chars = [c for c in value if c.isalnum()]
    if 5 <= len(chars) <= 20:  # "A 773 0145", "A-7730145": separators anywhere, as people group what they read out
        return _SEP.join(re.escape(c) for c in chars)
    groups = [g for g in re.split(r"[\s./-]+", value) if g]
    if len(groups) <= 1:
        return re.escape(value)
    return _SEP.join(re.escape(g) for g in groups)
