"""Dates in every common format (DATE).

Own patterns find the candidates (numeric m/d/y, ISO, month names with or without day and
year, weekday + date as one span, ordinals, years tied to an event, holidays used as
dates); dateparser validates the ones written with month names. Ratings ("7/10"),
fractions ("1/2 tab") and durations are not dates.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Document
from ..spans import Span
from .base import Recognizer, finditer_in, windows

MONTH = (r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?\.?|july?\.?|aug(?:ust|\.)?"
         r"|sep(?:t(?:ember)?)?\.?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)")
WEEKDAY = (r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday|s)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?"
           r"|sun(?:day)?)\.?")
ORD = r"(?:st|nd|rd|th)"
DAY = rf"(?:[12]\d|3[01]|0?[1-9]){ORD}?"
YEAR4 = r"(?:19|20)\d{2}"
WD = rf"(?:{WEEKDAY},?\s+)?"
_B = r"(?<![\w/.-])"
_E = r"(?![\w/]|-\d|\.\d)"

NUMERIC_RE = re.compile(rf"{_B}{WD}(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|['’]?\d{{2}}){_E}", re.I)
ISO_RE = re.compile(rf"{_B}{WD}({YEAR4})([-/.])(\d{{1,2}})\2(\d{{1,2}})(?:{_E}|(?=T\d))", re.I)
MON3 = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
# "12-MAR-1961", "03APR2025", "12 Mar 61", "MAR-12-1961": a month's abbreviation between numbers
DMY_ABBR_RE = re.compile(rf"{_B}(?:(0?[1-9]|[12]\d|3[01])([- /]?){MON3}\2((?:19|20)?\d{{2}})|{MON3}-(0?[1-9]|[12]\d|3[01])-((?:19|20)\d{{2}}))(?![\w/])", re.I)
# "DOB 19610312", "admitted 20250403": eight digits read as a date only after a date's label
COMPACT_RE = re.compile(r"\b(?:dob|d\.o\.b\.?|date(?:\s+of\s+(?:birth|service|admission|discharge))?|born|birth|admit(?:ted)?|"
                        r"admission|discharged?|d/c|dos|seen|visit|on|dated|expires?|exp)\W{0,3}((?:19|20)\d{2})(0[1-9]|1[0-2])"
                        r"(0[1-9]|[12]\d|3[01])(?!\d)", re.I)
# a score or a setting out of a small whole: "strength 5/5", "3/6 murmur", "recall 2/3", "BiPAP 12/6"
SCORE_BEFORE_RE = re.compile(
    r"\b(?:strength|motor|power|murmur|grade|recall(?:ed)?|reflex(?:es)?|dtrs?|oriented|orientation|vent(?:ilator)?|ps|peep|"
    r"bipap|cpap|ipap|epap|settings?|pressure\s+support|tone|pupils?|mmt|ashworth|gcs|moca|mmse|slums|scored?|trails|digits?|"
    r"subtests?|items?|criteria|correct|answered|words|sbt|rass|nihss|clonus|pulses?|edema|trace|aox|a&o|rom|sensation|"
    r"grip|ue|le|rue|lue|rle|lle|bue|ble|bilat(?:eral(?:ly)?)?|out\s+of)\b[^.;\n()]{0,12}$", re.I)
# a count out of a total: "day 3/7" of a course, "cultures 2/2", "doses 4/6"
COUNT_BEFORE_RE = re.compile(r"\b(?:day|days|cultures?|bottles?|sets?|doses?|cycles?|bcx|bcxs|ucx|cx|bld\s+cx)[ \t:#]*$", re.I)
SETTING_BEFORE_RE = re.compile(r"\b(?:bipap|cpap|ipap|epap|vent(?:ilator)?|ps|peep|psv|settings?|pressure\s+support|ps/peep|"
                               r"ipap/epap|nippv|niv|hfnc|on)\s*(?:of|at|=|:|to|changed\s+to|increased\s+to|decreased\s+to)?\s*$", re.I)
SCORE_AFTER_RE = re.compile(
    r"\s*(?:murmur|strength|systolic|diastolic|holosystolic|bilat(?:eral(?:ly)?)?|throughout|symmetric(?:al(?:ly)?)?|"
    r"sem|hsm|dm|mr|sm|ue|le|rue|lue|rle|lle|bue|ble|uext|lext|in\s+all|on\s+the\s+(?:left|right)|words|items|correct|criteria|recall|"
    r"with\s+cues|reflexes|pulses|edema|(?:left|right|l|r)\s+(?:arm|leg|hand|side|grip|ue|le))\b", re.I)
MONTH_DAY_RE = re.compile(rf"{_B}{WD}(?:the\s+)?{MONTH}\s+(?:the\s+)?{DAY}(?:,?\s+(?:{YEAR4}|['’]\d{{2}}(?![\w'’])))?(?![\w])", re.I)
DAY_MONTH_RE = re.compile(rf"{_B}{WD}(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTH}(?:,?\s+{YEAR4})?(?![\w])", re.I)
MONTH_YEAR_RE = re.compile(rf"{_B}{MONTH},?\s+(?:of\s+)?{YEAR4}(?![\w])", re.I)
SLASH_RE = re.compile(rf"(?<![+]){_B}{WD}(\d{{1,2}})/(\d{{1,2}})(?![\w/%]|\.\d|-\d)", re.I)
MONTH_SLASH_YEAR_RE = re.compile(rf"(?<![+]){_B}(0?[1-9]|1[0-2])/({YEAR4}|\d{{2}}){_E}(?!%)")
MONTH_ALONE_RE = re.compile(
    r"(?<![\w-])((?:mid-|early\s+|late\s+)?(?:january|february|march|april|june|july|august|september|october|november|december"
    r"|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.))(?![\w-])", re.I)
SEASON_RE = re.compile(rf"(?<![\w-])(?:early\s+|late\s+|mid-)?(?:spring|summer|fall|autumn|winter)(?:\s+of)?,?\s+{YEAR4}(?![\w])", re.I)
MONTH_RANGE_RE = re.compile(rf"(?<![\w-]){MONTH}\s*(?:[–—-]|to|through|thru)\s*{MONTH},?\s+{YEAR4}(?![\w])", re.I)
DATE_RANGE_RE = re.compile(r"(?<![\w/.])(\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))\s*[–—-]\s*(\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))(?![\w/])")
BARE_YEAR_RE = re.compile(r"(?<![\w/.$#-])(19[3-9]\d|20[0-4]\d)(?![\w/%]|[.,]\d|-\d|\s*(?:mg|units?|calories|kcal|steps|dollars))", re.I)
MAY_RE = re.compile(r"\b(?:in|since|until|by|through|thru|of|early|late|mid|mid-|last|next|this|during|from|before|after)"
                    r"\s+(may)\b(?!\s+(?:be|have|not|need|want|feel|help|benefit|also|require|return|choose|call|want|use))", re.I)
YEAR_CONTEXT_RE = re.compile(
    rf"(?:\b(?:in|since|from|until|till|by|during|circa|around|after|before|of|summer|spring|fall|autumn|winter|early|late|mid)"
    rf"\s+|\(|–|—|(?<=\d)-)({YEAR4})(?![\w/]|-\d\d-)", re.I)
YEAR_RANGE_RE = re.compile(rf"{_B}({YEAR4})\s*[–—-]\s*((?:19|20)?\d{{2}}){_E}")
ORDINAL_RE = re.compile(rf"\b((?:{WEEKDAY}\s+)?the\s+(?:[12]\d|3[01]|[1-9]){ORD})\b(?!\s+(?:grade|percentile|time|floor|session|week|visit|day of))", re.I)
LOWER_MONTH_CONTEXT_RE = re.compile(r"\b(?:in|since|until|till|by|through|thru|of|early|late|mid|last|next|this|during|from|"
                                    r"before|after|around)\s*-?\s*$", re.I)
HOLIDAYS = (
    r"christmas(?:\s+eve|\s+day)?|thanksgiving(?:\s+day)?|easter(?:\s+sunday)?|halloween|new\s+year'?s(?:\s+eve|\s+day)?"
    r"|valentine'?s(?:\s+day)?|mother'?s\s+day|father'?s\s+day|memorial\s+day|labor\s+day|independence\s+day"
    r"|(?:the\s+)?(?:4th|fourth)\s+of\s+july|july\s+(?:4th|fourth)|juneteenth|veterans\s+day|presidents'?\s+day"
    r"|mlk\s+day|martin\s+luther\s+king\s+(?:jr\.?\s+)?day|diwali|eid(?:\s+al-(?:fitr|adha))?|hanukkah|chanukah|passover"
    r"|rosh\s+hashanah|yom\s+kippur|lunar\s+new\s+year|chinese\s+new\s+year|t[eế]t|kwanzaa|cinco\s+de\s+mayo"
    r"|d[ií]a\s+de\s+(?:los\s+)?muertos|nowruz|holi|good\s+friday|ash\s+wednesday|palm\s+sunday|super\s+bowl\s+sunday"
)
HOLIDAY_RE = re.compile(rf"(?<![\w-])(?:{HOLIDAYS})(?![\w-])", re.I)
HOLIDAY_WORDS = {"christmas", "thanksgiving", "easter", "halloween", "new", "valentine", "valentine's", "valentines",
                 "mother's", "mothers", "father's", "fathers", "memorial", "labor", "independence", "4th", "fourth",
                 "july", "juneteenth", "veterans", "presidents", "mlk", "martin", "diwali", "eid", "hanukkah",
                 "chanukah", "passover", "rosh", "yom", "lunar", "chinese", "tet", "tết", "kwanzaa", "cinco", "dia",
                 "día", "nowruz", "holi", "good", "ash", "palm", "super"}
MONTH_ANCHOR_RE = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
NUMBER_ANCHOR_RE = re.compile(r"\d[/.-]\d")
YEAR_ANCHOR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
ORDINAL_ANCHOR_RE = re.compile(r"\d(?:st|nd|rd|th)\b", re.I)

# ---- dates written in words, in legal style, in other languages, with weekdays alone
_ORD_SMALL = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
ORD_WORD = (rf"(?:(?:twenty|thirty)[- ]?(?:{_ORD_SMALL})|{_ORD_SMALL}|tenth|eleventh|twelfth|thirteenth|fourteenth"
            r"|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)")
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
YEAR_WORDS = (rf"(?:(?:nineteen|twenty)[- ](?:hundred|oh[- ](?:{_UNITS})|(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS})"
              rf"|two\s+thousand(?:\s+and)?(?:[- ](?:{_TEENS}|(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS}))?)")
DAY_ANY = rf"(?:(?:[12]\d|3[01]|0?[1-9]){ORD}|{ORD_WORD})"
LEGAL_RE = re.compile(rf"(?<![\w-]){DAY_ANY}\s+day\s+of\s+{MONTH}(?:,?\s+(?:in\s+the\s+year\s+(?:of\s+)?)?(?:{YEAR4}|{YEAR_WORDS}))?(?![\w])", re.I)
MONTH_ORD_WORD_RE = re.compile(rf"(?<![\w-]){WD}{MONTH}\s+(?:the\s+)?{ORD_WORD}(?:,?\s+(?:{YEAR4}|{YEAR_WORDS}))?(?![\w-])", re.I)
ORD_WORD_MONTH_RE = re.compile(rf"(?<![\w-]){WD}(?:the\s+)?{ORD_WORD}\s+of\s+{MONTH}(?:,?\s+(?:{YEAR4}|{YEAR_WORDS}))?(?![\w-])", re.I)
WEEKDAY_THE_RE = re.compile(rf"(?<![\w-])(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+the\s+(?:{DAY_ANY}|twenty\s+(?:{_ORD_SMALL}))(?![\w-])", re.I)
WEEKDAY_RE = re.compile(r"(?<![\w-])(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|thurs|weds|tue|thu|fri)(?![\w-])(\.?)", re.I)
# "mon", "wed", "sat", "sun" are words too: a weekday only after a word that dates and before
# the clause ends ("bed offer expected wed.", "dispo ? sun", "f/u next mon")
SHORT_WEEKDAY_RE = re.compile(r"(?i:\b(?:expected|until|till|by|next|this|last|on|since|before|after)|\?)[ \t]+"
                              r"((?i:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun))\.?(?=[ \t]*(?:[,;)\n]|\.(?:\s|$)|$|(?i:am|pm|a\.m\.|p\.m\.)\b))")
FOREIGN_MONTH = (r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sept?iembre|octubre|noviembre|diciembre"
                 r"|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
                 r"|janeiro|fevereiro|mar[cç]o|maio|junho|julho|setembro|outubro|novembro|dezembro"
                 r"|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
                 r"|januar|februar|m[äa]rz|juni|juli|oktober|dezember)")
FOREIGN_WEEKDAY = (r"(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo"
                   r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)")
FOREIGN_RE = re.compile(rf"(?<![\w-])(?:{FOREIGN_WEEKDAY},?\s+)?(?:[12]\d|3[01]|0?[1-9])(?:\.|º|°|er)?\s+(?:de\s+|di\s+)?{FOREIGN_MONTH}(?:,?\s+(?:de\s+|del\s+)?{YEAR4})?(?![\w-])", re.I)
APOS_YEAR_RE = re.compile(r"(?<![\w'’])['’](\d{2})(?![\w'’%]|\.\d)")
APOS_CONTEXT_RE = re.compile(r"(?:\b(?:of|in|since|class|summer|spring|fall|autumn|winter|from|until|till|to|through|thru|grad|graduated|"
                             r"not|or|and|vs|born|year|back|early|late|mid|christmas|easter|thanksgiving|"
                             r"january|february|march|april|may|june|july|august|september|october|november|december|"
                             r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?|[–-])\s*$", re.I)
MONTH_BEFORE_APOS_RE = re.compile(rf"(?<![\w-]){MONTH}\s*$", re.I)
WORD_DATE_ANCHOR_RE = re.compile(r"(?i)\b(?:day\s+of|first|second|third|[a-z]+th|monday|tuesday|wednesday|thursday|friday|"
                                 r"saturday|sunday|tues|thurs|weds)\b|['’]\d\d")

CITATION_BEFORE_RE = re.compile(r"(?:§§?|\bsec(?:tion)?\.?|\bpart|\bchapter|\btitle|\bform|\brule)\s*$", re.I)
RATING_CONTEXT_RE = re.compile(
    r"(?:apgar|rat(?:e|ed|es|ing)|scor(?:e|ed|es|ing)|scale|level|pain|mood|anxiety|sleep|energy|stress|crav|urge|suds"
    r"|distress|intensity|confiden|motivat|appetite|out of|/10|sad|anger|depress|worry|focus|self-esteem|hope)",
    re.I)
FRACTION_AFTER_RE = re.compile(r"[ \t]*(?:tabs?|tablets?|pills?|doses?|mg|cups?|hours?|hrs?|of|times?|miles?|days?|weeks?|months?|years?|blocks?|inch(?:es)?|lbs?|packs?|ppd|drinks?|points?|pts?|sessions?|visits?|goals?|items?|nights?|meals?|classes?|shifts?)\b(?![ \t]*:)", re.I)
# month and day written with a dash or a dot, no year ("adm 7-25", "Thursday 9.4", "D/C: 6.5",
# "9-28 06:00: K 5.9"): ranges and decimals share the shape, so only where the words around
# say a date is meant: a weekday, an admission, discharge or procedure before it, or a clock
# time after it at the start of a line (a shift, "nsg note 3-11", "7p-7a", is no date)
_UNIT_AFTER = (r"(?![ \t]*(?i:days?\b|d\b|wks?\b|weeks?\b|hrs?\b|hours?\b|mos?\b|months?\b|yrs?\b|years?\b|mg\b|mcg\b|g\b"
               r"|units?\b|u\b|l\b|lpm\b|cm\b|mm\b|kg\b|lbs?\b|times\b|x\b|%|cc\b|ml\b|mmhg\b|/))")
DASH_DOT_MD_RE = re.compile(
    r"(?:(?<![\w-])((?:(?i:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday|s)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|saturday|sun(?:day)?)"
    r"|Sat|SAT)\.?,?[ \t]+)"
    r"|(?i:\b(?:adm(?:it(?:ted)?)?|admission|d/c|dc'?d|discharged?|dated?|seen|dos|doa|s/p[ \t]+[a-z]+|since)[ \t]*:?[ \t]+))"
    r"(?<![\w/.-])(1[0-2]|0?[1-9])([-.])(3[01]|[12]\d|0?[1-9])(?![\w/]|[.-]\d)" + _UNIT_AFTER)
LINE_MD_CLOCK_RE = re.compile(r"(?m)^[ \t]*(1[0-2]|0?[1-9])([-.])(3[01]|[12]\d|0?[1-9])(?=[ \t]+(?:[01]\d|2[0-3]):?[0-5]\d\b)")
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def valid_md(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= DAYS_IN_MONTH[month - 1]


@lru_cache(maxsize=4096)
def dateparser_accepts(value: str) -> bool:
    """Does dateparser read `value` as a date? (Cached: notes repeat their dates.)"""
    import dateparser

    cleaned = re.sub(r"(?i)\b(the|of)\b", " ", value)
    cleaned = re.sub(r"(?i)\bsept\b", "sep", cleaned)
    try:
        return dateparser.parse(cleaned, languages=["en"], settings={"STRICT_PARSING": False}) is not None
    except Exception:  # noqa: BLE001 - a parser failure means "not a date we can vouch for"
        return False


class DateRecognizer(Recognizer):
    name = "date"
    types = ("DATE",)

    def analyze(self, doc: Document) -> list[Span]:
        text = doc.text
        out: list[Span] = []

        def add(start: int, end: int, why: str, score: float) -> None:
            out.append(self.span(start, end, "DATE", why, score))

        num_w = windows(text, NUMBER_ANCHOR_RE, 16, 16)
        month_w = windows(text, MONTH_ANCHOR_RE, 24, 36)
        year_w = windows(text, YEAR_ANCHOR_RE, 24, 8)
        for m in finditer_in(NUMERIC_RE, text, num_w):
            a, b = int(m.group(1)), int(m.group(3))
            if valid_md(a, b) or valid_md(b, a):
                add(m.start(), m.end(), "numeric date (m/d/y)", 0.85)
        for m in finditer_in(ISO_RE, text, num_w):
            if valid_md(int(m.group(3)), int(m.group(4))):
                add(m.start(), m.end(), "ISO date (yyyy-mm-dd)", 0.85)
        if re.search(r"\d\W?(?i:[a-z]{3})\W?\d", text):
            for m in DMY_ABBR_RE.finditer(text):
                add(m.start(), m.end(), "day, month abbreviation and year ('12-MAR-1961')", 0.9)
        for m in COMPACT_RE.finditer(text):
            if valid_md(int(m.group(2)), int(m.group(3))):
                add(m.start(1), m.end(3), "eight-digit date after a date's label", 0.9)
        for pattern, why in ((MONTH_DAY_RE, "month name and day"), (DAY_MONTH_RE, "day and month name")):
            for m in finditer_in(pattern, text, month_w):
                value = m.group()
                if self._mar_verb(doc, m):
                    continue
                if dateparser_accepts(_strip_weekday(value)):
                    add(m.start(), m.end(), f"{why} (validated by dateparser)", 0.85)
        for m in finditer_in(SEASON_RE, text, year_w):
            add(m.start(), m.end(), "season and year", 0.7)
        for m in finditer_in(MONTH_RANGE_RE, text, month_w):
            add(m.start(), m.end(), "range of months in a year", 0.8)
        for m in finditer_in(DATE_RANGE_RE, text, num_w):
            for g in (1, 2):
                add(m.start(g), m.end(g), "date in a range", 0.85)
        for m in finditer_in(BARE_YEAR_RE, text, year_w):
            if CITATION_BEFORE_RE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "42 U.S.C. § 1983", "Section 2011": a section number
            if _clock(m.group(1)) and (re.match(r"\s*(?::(?!\d)|-\s*\d{4}|hrs?\b|h\b|hours\b)", text[m.end():m.end() + 8], re.I)
                                       or re.search(r"(?:\b(?:at|@|by|since|until|from|to)\s*|\d{4}\s*-\s*)$", text[max(0, m.start() - 8):m.start()], re.I)):
                continue  # "1945: vitals", "at 2030", "1900-0730": a clock time
            add(m.start(1), m.end(1), "a year", 0.45)
        for m in finditer_in(MONTH_YEAR_RE, text, month_w):
            add(m.start(), m.end(), "month and year", 0.8)
        for m in finditer_in(MONTH_SLASH_YEAR_RE, text, num_w):
            if COUNT_BEFORE_RE.search(text, max(0, m.start() - 20), m.start()):
                continue  # "antibiotics day 7/10": a count out of a total
            if len(m.group(2)) == 2 and (RATING_CONTEXT_RE.search(text[max(0, m.start() - 40):m.start()])
                                         or re.match(r"\s{1,2}(?:pain|rating|on\s+the\s+scale|scale)\b", text[m.end():m.end() + 20], re.I)):
                continue
            add(m.start(), m.end(), "month/year", 0.6)
        for m in finditer_in(SLASH_RE, text, num_w):
            month, day = int(m.group(1)), int(m.group(2))
            if not valid_md(month, day):
                continue
            before = text[max(0, m.start() - 40):m.start()]
            if day in (5, 10, 100) and (RATING_CONTEXT_RE.search(before) or RATING_CONTEXT_RE.match(text, m.end())
                                        or re.match(r"\s{1,2}(?:pain|rating|on\s+the\s+scale|scale)\b", text[m.end():m.end() + 20], re.I)):
                continue
            if SETTING_BEFORE_RE.search(before) and re.search(r"(?i)bipap|cpap|ipap|epap|vent|peep|\bps\b|psv|niv|hfnc", before[-24:]):
                continue  # "BiPAP 12/6", "PS 10/5": a ventilator's settings
            if COUNT_BEFORE_RE.search(before):
                continue  # "antibiotics day 3/7", "blood cultures 2/2": a count out of a total
            if month <= day and (SCORE_BEFORE_RE.search(before) or SCORE_AFTER_RE.match(text, m.end())):
                continue  # "strength 5/5", "3/6 murmur", "recall 2/3", "BiPAP 12/6": a score or a setting
            if FRACTION_AFTER_RE.match(text, m.end()):
                continue
            if re.search(r"(?<!:)\b\d{1,2} ?$", before):  # "3 1/2" (a clock time before, "03:10 2/7", is no whole number)
                continue
            add(m.start(), m.end(), "month/day", 0.75)
        for m in finditer_in(DASH_DOT_MD_RE, text, num_w):
            if valid_md(int(m.group(2)), int(m.group(4))):
                add(m.start(1) if m.group(1) else m.start(2), m.end(4), "month-day after a weekday or an event", 0.7)
        for m in finditer_in(LINE_MD_CLOCK_RE, text, num_w):
            if valid_md(int(m.group(1)), int(m.group(3))):
                add(m.start(1), m.end(3), "month-day before a clock time, starting a line", 0.7)
        for m in finditer_in(MONTH_ALONE_RE, text, month_w):
            month_word = re.sub(r"(?i)^(?:mid-|early\s+|late\s+)", "", m.group(1))
            if doc.cased and month_word[0].islower() and (month_word.lower() in ("march", "august") or not LOWER_MONTH_CONTEXT_RE.search(
                    text[max(0, m.start(1) - 12):m.start(1)])):
                continue  # "march" in a mixed-case note is the verb; "since april" is the month
            if month_word.lower() == "march" and doc.all_caps and re.match(r"\s+(?:IN|ON|TO|WITH|AROUND)\b", text[m.end():]):
                continue
            add(m.start(1), m.end(1), "month name", 0.6)
        for m in finditer_in(MAY_RE, text, month_w):
            if doc.cased and m.group(1)[0].islower():
                continue
            add(m.start(1), m.end(1), "'May' as a month after a time preposition", 0.6)
        for m in finditer_in(YEAR_CONTEXT_RE, text, year_w):
            if _clock(m.group(1)) and re.search(r"(?<!\d)(?:[01]\d|2[0-3])[0-5]\d-$", text[max(0, m.start(1) - 5):m.start(1)]):
                continue  # "0700-1900", "1900-0700": a shift's clock times
            add(m.start(1), m.end(1), "year of an event", 0.55)
        for m in finditer_in(YEAR_RANGE_RE, text, year_w):
            add(m.start(1), m.end(1), "year range", 0.55)
            add(m.start(2), m.end(2), "year range", 0.55)
        for m in finditer_in(ORDINAL_RE, text, windows(text, ORDINAL_ANCHOR_RE, 12, 4)):
            add(m.start(1), m.end(1), "day of the month ('the 28th')", 0.5)
        for m in SHORT_WEEKDAY_RE.finditer(text):
            add(m.start(1), m.end(1), "a short weekday after a word that dates", 0.6)
        self._words_and_weekdays(doc, add)
        self._said(doc, add)
        words = {t.lower for t in doc.tokens} if doc.tokens else set()
        for m in (HOLIDAY_RE.finditer(text) if words & HOLIDAY_WORDS or "4th" in text else ()):
            if doc.cased and not m.group()[0].isupper() and not m.group()[0].isdigit():
                continue
            add(m.start(), m.end(), "holiday used as a date", 0.85)
        return out

    def _words_and_weekdays(self, doc: Document, add) -> None:
        """"the nineteenth day of July, 2024", "May eleventh, twenty twenty-five", "Friday the
        twenty sixth", "6 de julio de 1960", "class of '87", and a weekday alone ("on thursday")."""
        text = doc.text
        if not WORD_DATE_ANCHOR_RE.search(text) and not FOREIGN_RE.search(text):
            return
        for pattern, why in ((LEGAL_RE, "date in legal style ('the 3rd day of May')"),
                             (MONTH_ORD_WORD_RE, "month and day in words"), (ORD_WORD_MONTH_RE, "day in words and month"),
                             (WEEKDAY_THE_RE, "weekday and day of the month"),
                             (FOREIGN_RE, "date in another language's order ('6 de julio de 1960')")):
            for m in pattern.finditer(text):
                add(m.start(), m.end(), why, 0.85)
        for m in WEEKDAY_RE.finditer(text):
            word = m.group(1)
            if doc.cased and word[0].islower() and word.lower() == "weds":
                continue  # "weds" in lower case may be the verb
            if text[m.end():m.end() + 1] in ("'", "’") or (word.lower() == "sunday" and re.match(r"\s+school", text[m.end():])):
                continue
            add(m.start(1), m.end(1), "weekday", 0.6)
        for m in APOS_YEAR_RE.finditer(text):
            before = text[max(0, m.start() - 14):m.start()]
            if APOS_CONTEXT_RE.search(before):
                month = MONTH_BEFORE_APOS_RE.search(before)  # "MAR '22", "June '19": the month too
                start = m.start() - len(month.group()) if month else m.start()
                add(start, m.end(), "two-digit year with an apostrophe", 0.7)

    @staticmethod
    def _said(doc: Document, add) -> None:
        """A date said as numbers in a dictation: "two ten twenty twenty-five", "four fifteen
        nineteen eighty-eight" (month, day, a year of two pieces or "two thousand five")."""
        for pieces in doc.number_runs:
            vals = [p.value for p in pieces]
            i = 0
            while i + 2 < len(pieces):
                if not pieces[i].ordinal and valid_md(vals[i], vals[i + 1]) and pieces[i].digits != "0":
                    j = i + 2
                    if vals[j] >= 1900 and vals[j] < 2100:
                        add(pieces[i].start, pieces[j].end, "a date said as numbers (month, day, year)", 0.8)
                        i = j + 1
                        continue
                    if vals[j] in (19, 20) and j + 1 < len(pieces) and vals[j + 1] < 100 and pieces[j + 1].digits != "0" \
                            and not pieces[j + 1].ordinal and len(pieces[j + 1].digits) == 2:
                        add(pieces[i].start, pieces[j + 1].end, "a date said as numbers (month, day, year)", 0.8)
                        i = j + 2
                        continue
                i += 1

    @staticmethod
    def _mar_verb(doc: Document, m: re.Match) -> bool:
        """"march 3 miles", "may 5 people": a lower-case word that is also a verb or a noun is the
        word, unless the day ends the clause ("return on march 29.") or a year follows."""
        if not (doc.cased and m.group()[:3] in ("mar", "may", "jan", "dec", "sat", "sun", "wed")):
            return False
        if YEAR_ANCHOR_RE.search(m.group()):
            return False
        if _strip_weekday(m.group()) != m.group():
            return False  # "on wed 18 May", "sun feb 8th": a weekday before a date dates it
        return not re.match(r"\s*(?:[.,;:!?)]|$)", doc.text[m.end():m.end() + 2])


def _clock(four: str) -> bool:
    """Could these four digits be a 24-hour clock time ("1945", "2030")?"""
    return int(four[:2]) <= 23 and int(four[2:]) <= 59


def _strip_weekday(value: str) -> str:
    return re.sub(rf"(?i)^{WEEKDAY},?\s+", "", value)
