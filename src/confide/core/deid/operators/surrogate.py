"""Surrogates: consistent invented values within a case.

Every replacement is chosen by HMAC-SHA256 of the real value under the case's secret, so
the same real value gets the same invented value everywhere in the case (and a different
one in another case); nothing is stored. Dates move by one secret offset per case, so
intervals survive. Ages over 89 become "90+", the single "90 or older" category of 45 CFR
164.514(b)(2)(i)(C), written so that it reads in place ("a 90+-year-old", "aged 90+"); younger
ages and US state names stay (Safe Harbor removes only units smaller than a state).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from functools import lru_cache

from .. import lexicon
from ..spans import Span
from .dates import shift_date

PLACE_WORDS = ("Lakeview", "Riverside", "Oakwood", "Maple Grove", "Cedar Hill", "Brookside", "Pinecrest", "Fairview",
               "Westfield", "Northgate", "Willow Creek", "Stonebridge", "Hillcrest", "Meadowbrook", "Clearwater",
               "Ashford", "Briarwood", "Elmhurst", "Kingsley", "Harborview", "Sunnydale", "Greenfield", "Redwood",
               "Silver Lake", "Bayside", "Eastbrook", "Highland", "Glenwood", "Summerset", "Millbrook")
STREET_NAMES = ("Oak", "Maple", "Cedar", "Pine", "Elm", "Walnut", "Willow", "Birch", "Spruce", "Chestnut", "Juniper",
                "Laurel", "Hawthorn", "Aspen", "Magnolia", "Sycamore", "Poplar", "Alder", "Hickory", "Linden")
CITY_NAMES = ("Springfield", "Riverton", "Fairview", "Greenville", "Franklin", "Clinton", "Madison", "Georgetown",
              "Salem", "Bristol", "Dover", "Milton", "Oxford", "Ashland", "Burlington", "Clayton", "Dayton", "Kingston",
              "Lexington", "Marion", "Newport", "Oakland", "Plainview", "Riverside", "Shelby", "Troy", "Winchester")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_INITIALS_RE = re.compile(r"^(?:[A-Za-z]\.\s?)+$")


@lru_cache(maxsize=1)
def _first_pool() -> tuple[str, ...]:
    names = sorted(lexicon.first_names().items(), key=lambda kv: -kv[1])
    return tuple(n.capitalize() for n, _ in names[:600] if not lexicon.is_common_word(n, 60) and len(n) > 2)


@lru_cache(maxsize=1)
def _last_pool() -> tuple[str, ...]:
    names = sorted(lexicon.last_names().items(), key=lambda kv: kv[1])
    return tuple(n.capitalize() for n, _ in names[:1500] if not lexicon.is_common_word(n, 60) and len(n) > 2)


def _case_like(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like.islower():
        return word.lower()
    return word


def first_names_to_keep(record: dict | None) -> set[str]:
    """The client's own first and preferred names (lower-case words), for keep_first_name."""
    keep: set[str] = set()
    if isinstance(record, dict) and isinstance(record.get("client"), dict):
        client = record["client"]
        for key in ("first_name", "preferred_name"):
            v = client.get(key)
            if isinstance(v, str) and v.strip():
                keep.update(w.lower() for w in _WORD_RE.findall(v))
    return keep


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                       "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}


def age_number(value: str) -> int | None:
    """The age an AGE span states, in digits ("91", "91st") or words ("ninety-one"); else None."""
    digits = re.sub(r"\D", "", value)
    if digits:
        return int(digits)
    words = re.findall(r"[a-z]+", value.lower())
    if not words:
        return None
    if words[0] in _TENS:
        return _TENS[words[0]] + (_UNITS.get(words[1], 0) if len(words) > 1 else 0)
    if words[0] == "nineties":
        return 90
    return _UNITS.get(words[0])


class Surrogates:
    """Replaces spans with consistent surrogates for one case (keyed by `case_secret`)."""

    def __init__(self, case_secret: bytes | None, *, record: dict | None = None, keep_first_name: bool = False):
        # Without a case secret the surrogates are consistent within this call only.
        self.secret = case_secret if case_secret else os.urandom(32)
        self.keep: set[str] = first_names_to_keep(record) if keep_first_name else set()
        n = self._int("date-offset")
        days = 14 + n % 351  # two weeks to a year
        self.date_offset = days if (n >> 20) & 1 else -days

    # -- keyed choices ------------------------------------------------------------------
    def _int(self, *parts: str) -> int:
        msg = "\x1f".join(parts).encode("utf-8")
        return int.from_bytes(hmac.new(self.secret, msg, hashlib.sha256).digest()[:8], "big")

    def _pick(self, pool: tuple[str, ...], *parts: str, avoid: str = "") -> str:
        n = self._int(*parts)
        choice = pool[n % len(pool)]
        if choice.lower() == avoid.lower():
            choice = pool[(n + 1) % len(pool)]
        return choice

    def _digits(self, value: str, *parts: str) -> str:
        """Same shape: every digit and letter replaced (keyed), separators kept."""
        h = hashlib.sha256(hmac.new(self.secret, "\x1f".join(parts + (value,)).encode(), hashlib.sha256).digest()).digest()
        stream = h * (1 + len(value) // len(h))
        out = []
        for i, c in enumerate(value):
            b = stream[i]
            if c.isdigit():
                out.append(str(b % 10))
            elif c.isalpha() and c.isascii():
                letter = chr(ord("A") + b % 26)
                out.append(letter if c.isupper() else letter.lower())
            else:
                out.append(c)
        result = "".join(out)
        return result if result != value else self._digits(value + "#", *parts)

    # -- the operator ------------------------------------------------------------------
    def replace(self, value: str, span: Span, text: str = "") -> str:
        kind = span.type
        if kind == "NAME":
            return self._name(value)
        if kind == "DATE":
            shifted = shift_date(value, self.date_offset)
            return shifted if shifted is not None else "[DATE]"
        if kind == "AGE":
            return self._age(value)
        if kind == "LOCATION":
            return self._location(value)
        if kind == "CONTACT":
            return self._contact(value)
        return self._digits(value, "ID")

    def _name(self, value: str) -> str:
        if _INITIALS_RE.match(value.strip()):
            return re.sub(r"[A-Za-z]", lambda m: _case_like(chr(ord("A") + self._int("initial", m.group().upper()) % 26), m.group()), value)

        def one(m: re.Match) -> str:
            word = m.group()
            key = word.lower()
            if key in self.keep:
                return word
            if len(word) == 1:
                return chr(ord("A") + self._int("initial", word.upper()) % 26)
            given = key in lexicon.first_names() and (lexicon.last_names().get(key, 10**6) > 2000)
            pool = _first_pool() if given else _last_pool()
            return _case_like(self._pick(pool, "name", key, avoid=word), word)

        return _WORD_RE.sub(one, value)

    @staticmethod
    def _age(value: str) -> str:
        n = age_number(value)
        if n is not None and n > 89:
            return "90+"
        return value

    def _location(self, value: str) -> str:
        # an address in pieces ("12 Elm St, Dayton, OH 45402"): each piece on its own
        pieces = re.split(r"(\s*,\s*|[ \t]{2,}|\s*\n\s*|\s*>\s*)", value.strip())
        if len(pieces) > 1:
            return "".join(self._location(p) if i % 2 == 0 and p.strip() else p for i, p in enumerate(pieces))
        v = value.strip()
        m = re.fullmatch(r"(.*?[^\W\d_].*?)\s+(\d{3,6}(?:[ -]\d{2,4})?)", v)
        if m and (m.group(1).upper() in lexicon.US_STATES or m.group(1).lower() in lexicon.STATE_NAMES
                  or m.group(1).lower() in lexicon.countries()):
            return f"{m.group(1)} {self._digits(m.group(2), 'zip')}"  # "OH 45402", "Norway 2609"
        if v.lower() in lexicon.countries():
            return value  # a country may stay
        m = re.fullmatch(r"(?i)((?:apt|apartment|suite|ste|unit|#)\.?\s*#?\s*)([\w-]+)", v)
        if m:
            return m.group(1) + self._digits(m.group(2), "unit")
        if re.fullmatch(r"[\d\s-]{3,10}", v) and re.search(r"\d{3}", v):
            return self._digits(v, "postal")
        if v.upper() in lexicon.US_STATES or v.lower() in lexicon.STATE_NAMES:
            return value  # a state may stay
        if re.match(r"^\d", v) or re.match(r"(?i)^p\.?\s?o\.?\s+box", v):
            return self._street(v)
        words = v.split()
        suffix: list[str] = []
        while words and words[-1].lower().rstrip(".,") in lexicon.ORG_WORDS:
            suffix.insert(0, words.pop())
        if suffix:
            head = self._pick(PLACE_WORDS, "org", v.lower())
            return _case_like(f"{head} {' '.join(suffix)}", v)
        return _case_like(self._pick(CITY_NAMES, "place", v.lower(), avoid=v), v)

    def _street(self, v: str) -> str:
        m = re.match(r"(?i)^(p\.?\s?o\.?\s+box\s+)(\d+)", v)
        if m:
            return m.group(1) + self._digits(m.group(2), "box")
        m = re.match(r"^(\d+)(\s+)(.*)$", v)
        if not m:
            return self._digits(v, "street")
        number, space, rest = m.groups()
        tail = re.search(r"\s(\d{1,5}[A-Za-z]?)$", rest)  # "Kirkeveien 82": the number after the name
        if tail and not re.search(r"(?i)(?:apt|apartment|unit|suite|ste|#|rm|room)\.?\s*#?\s*\S+$", rest):
            name = self._pick(STREET_NAMES, "street", rest.lower())
            return _case_like(f"{self._digits(number, 'house')}{space}{name}gate {self._digits(tail.group(1), 'house2')}", v)
        words = rest.split()
        suffix = words[-1] if words else "St"
        unit = ""
        um = re.search(r"(?i)((?:,?\s*)(?:apt\.?|apartment|unit|suite|ste\.?|#|rm\.?|room)\s*#?\s*)([\w-]+)$", rest)
        if um:
            unit = um.group(1) + self._digits(um.group(2), "unit")
            words = rest[:um.start()].split()
            suffix = words[-1] if words else "St"
        name = self._pick(STREET_NAMES, "street", rest.lower())
        return _case_like(f"{self._digits(number, 'house')}{space}{name} {suffix}{unit}", v)

    def _contact(self, v: str) -> str:
        if "@" in v and not v.startswith("@"):
            user = self._pick(_first_pool(), "email", v.lower()).lower()
            return f"{user}{self._int('email-n', v.lower()) % 100}@example.org"
        if v.startswith("@"):
            return "@user" + str(self._int("handle", v.lower()) % 10**6)
        if re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", v):
            return f"192.0.2.{self._int('ip', v) % 254 + 1}"
        digits = re.sub(r"\D", "", v)
        if len(digits) >= 7 and not re.search(r"[A-Za-z]", v):
            return self._phone(v)
        return "https://example.org/" + format(self._int("url", v.lower()) % 16**8, "08x")

    def _phone(self, v: str) -> str:
        """A fictional number (555-01xx) in the same layout as the real one."""
        digits = re.sub(r"\D", "", v)
        n = self._int("phone", digits[-10:])
        area = str(200 + n % 700)
        new = (digits[:-10] if len(digits) > 10 else "") + area + "55501" + f"{(n >> 12) % 100:02d}"
        if len(digits) < 10:
            new = "55501" + f"{(n >> 12) % 100:02d}"
        it = iter(new[-len(digits):])
        return "".join(next(it) if c.isdigit() else c for c in v)
