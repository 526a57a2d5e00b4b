"""Shift a date, written in any of the formats the date recognizer finds, by a number of
days, and write it back in the same format (separators, padding, month-name style, case)."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept(?:ember)?|sep|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?P<mdot>\.?)"
_WD = r"(?:(?P<wd>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday|s)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?P<wdot>\.?)(?P<wsep>,?\s+))?"
_ORD = r"(?P<ord>st|nd|rd|th)?"
FORMS = [
    ("iso", re.compile(rf"^{_WD}(?P<y>\d{{4}})(?P<sep>-)(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})$", re.I)),
    ("mdy", re.compile(rf"^{_WD}(?P<m>\d{{1,2}})(?P<sep>[/.-])(?P<d>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})$", re.I)),
    ("md", re.compile(rf"^{_WD}(?P<m>\d{{1,2}})(?P<sep>/)(?P<d>\d{{1,2}})$", re.I)),
    ("my", re.compile(r"^(?P<m>\d{1,2})(?P<sep>/)(?P<y>\d{4}|\d{2})$")),
    ("name_dy", re.compile(rf"^{_WD}(?P<the>the\s+)?{_MONTH}(?P<msep>\s+)(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}(?:(?P<ysep>,?\s+)(?P<y>\d{{4}}))?$", re.I)),
    ("d_name_y", re.compile(rf"^{_WD}(?P<the>the\s+)?(?P<d>\d{{1,2}}){_ORD}(?P<of>\s+of)?(?P<msep>\s+){_MONTH}(?:(?P<ysep>,?\s+)(?P<y>\d{{4}}))?$", re.I)),
    ("name_y", re.compile(rf"^{_MONTH}(?P<ysep>,?\s+(?:of\s+)?)(?P<y>\d{{4}})$", re.I)),
    ("name", re.compile(rf"^(?P<mid>mid-?)?{_MONTH}$", re.I)),
    ("year", re.compile(r"^(?P<y>(?:19|20)\d{2})$")),
    ("ordinal", re.compile(rf"^(?P<the>the\s+)?(?P<d>\d{{1,2}}){_ORD}$", re.I)),
]
REFERENCE_YEAR = 2000  # a leap year, for dates written without one


def shift_date(value: str, days: int) -> str | None:
    """`value` moved by `days`, in its own format; None when it cannot be read as a date."""
    v = value.strip()
    for kind, pattern in FORMS:
        m = pattern.match(v)
        if not m:
            continue
        try:
            return _shift(kind, m, days)
        except (ValueError, OverflowError):
            return None
    return None


def _year(text: str | None) -> tuple[int, bool]:
    if not text:
        return REFERENCE_YEAR, False
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 50 else 1900
    return y, True


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(name.lower()[:3]))


def _shift(kind: str, m: re.Match, days: int) -> str:
    g = m.groupdict()
    if kind == "year":
        new = dt.date(int(g["y"]), 7, 1) + dt.timedelta(days=days)
        return str(new.year)
    if kind == "name":
        new = dt.date(REFERENCE_YEAR, _month_number(g["month"]), 15) + dt.timedelta(days=days)
        return (g.get("mid") or "") + _month_name(new.month, g["month"], g["mdot"])
    if kind == "ordinal":
        new = dt.date(REFERENCE_YEAR, 1, int(g["d"])) + dt.timedelta(days=days)
        return (g.get("the") or "") + str(new.day) + (_ordinal(new.day, g["ord"]) if g["ord"] else "")
    if kind == "my":
        y, _ = _year(g["y"])
        new = dt.date(y, int(g["m"]), 15) + dt.timedelta(days=days)
        return f"{_pad(new.month, g['m'])}/{_yr(new.year, g['y'])}"
    if kind == "name_y":
        new = dt.date(int(g["y"]), _month_number(g["month"]), 15) + dt.timedelta(days=days)
        return _month_name(new.month, g["month"], g["mdot"]) + g["ysep"] + str(new.year)
    month = int(g["m"]) if kind in ("iso", "mdy", "md") else _month_number(g["month"])
    y, has_year = _year(g.get("y"))
    old = dt.date(y, month, int(g["d"]))
    new = old + dt.timedelta(days=days)
    wd = ""
    if g.get("wd"):
        wd = _weekday(new.weekday(), g["wd"]) + (g.get("wdot") or "") + g["wsep"]
    if kind in ("iso", "mdy", "md"):
        padded = g["m"].startswith("0") or g["d"].startswith("0") or (len(g["m"]) == 2 and len(g["d"]) == 2)
        mm, dd = (f"{new.month:02d}", f"{new.day:02d}") if padded else (str(new.month), str(new.day))
        if kind == "iso":
            return f"{wd}{new.year:04d}-{mm}-{dd}"
        if kind == "mdy":
            return f"{wd}{mm}{g['sep']}{dd}{g['sep']}{_yr(new.year, g['y'])}"
        return f"{wd}{mm}/{dd}"
    name = _month_name(new.month, g["month"], g["mdot"])
    day = str(new.day) + (_ordinal(new.day, g["ord"]) if g.get("ord") else "")
    year = (g["ysep"] + str(new.year)) if has_year and g.get("y") else ""
    the = g.get("the") or ""
    if kind == "name_dy":
        return f"{wd}{the}{name}{g['msep']}{day}{year}"
    return f"{wd}{the}{day}{g.get('of') or ''}{g['msep']}{name}{year}"


def _pad(n: int, like: str) -> str:
    return f"{n:02d}" if len(like) == 2 and like.startswith("0") else str(n)


def _yr(year: int, like: str) -> str:
    return f"{year % 100:02d}" if len(like) == 2 else str(year)


def _ordinal(day: int, like: str) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return suffix.upper() if like.isupper() else suffix


def _case_like(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word.capitalize()
    return word.lower()


def _month_name(month: int, like: str, dot: str) -> str:
    full = MONTHS[month - 1]
    if len(like) > 3 and like.lower() not in ("sept",):
        return _case_like(full, like)
    short = "sept" if month == 9 and like.lower() == "sept" else full[:3]
    return _case_like(short, like) + dot


LONGER_ABBR = ("mon", "tues", "wed", "thurs", "fri", "sat", "sun")


def _weekday(index: int, like: str) -> str:
    if len(like) > 5:
        word = WEEKDAYS[index]
    elif len(like) >= 4:
        word = LONGER_ABBR[index]
    else:
        word = WEEKDAYS[index][:3]
    return _case_like(word, like)
