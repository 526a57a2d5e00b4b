"""Cities, states, ZIP codes, countries, counties and other named places (LOCATION).

Cities come from libphonenumber's US/Canadian place list, countries from pytz's ISO
table; a place that is also a person's name or an ordinary word needs context (a
preposition such as "in"/"from", or ", ST" after it). In mixed-case notes an unknown
capitalised word after "born in", "lives in", "from" ... is taken as a place too.
"""

from __future__ import annotations

import re

from .. import lexicon
from ..document import Document, Token
from ..spans import Span
from .base import Recognizer

STATE_CODE_RE = re.compile(r"(?<![\w-])(A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]|PR|GU|VI)(?![\w-])")
ZIP_AFTER_STATE_RE = re.compile(r"^[,\s]\s*(\d{5}(?:-\d{4})?)(?![\w-])")
ZIP_LABEL_RE = re.compile(r"\bzip(?:\s*code)?\s*[:#]?\s*(\d{5}(?:-\d{4})?)\b", re.I)
AMBIGUOUS_CODES = {"MD", "PA", "MA", "MS", "DO", "IN", "ME", "OR", "OK", "HI", "OH", "LA", "CO", "DE", "ID", "AL", "MI",
                   "MO", "MT", "NE", "SC", "SD", "UT", "VA", "WA", "PR", "GU", "VI", "IA", "IL", "AR", "CT", "NC", "ND"}
PLACE_PREPS = {"in", "from", "near", "outside", "to", "toward", "towards", "around", "of", "at", "visiting", "via",
               "moved", "live", "lives", "lived", "living", "born", "raised", "grew"}
STRONG_PREPS = {"in", "from", "near", "outside", "toward", "towards", "visiting"}
REGION_WORDS = {"county", "parish", "borough", "township", "province", "region", "district", "valley", "heights",
                "village", "hills", "beach", "springs", "bay", "island", "islands", "neighborhood", "area", "reservation",
                "reserve", "peninsula", "coast", "canyon", "lake", "mountains", "prefecture", "state", "territory"}
PARTICLES = {"de", "del", "la", "las", "los", "el", "of", "the", "du", "da", "do", "dos", "van", "von", "sur", "upon"}
DIRECTION_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "upper", "lower"}
_ALIASES = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def _key(words: list[str]) -> str:
    return " ".join(_ALIASES.get(w, w) for w in words)


def _gazetteer() -> dict[str, frozenset[str]]:
    cache = getattr(_gazetteer, "_cache", None)
    if cache is None:
        cache = {}
        for name, states in lexicon.us_places().items():
            words = re.sub(r"[.]", "", name).replace("-", " ").split()
            cache[_key(words)] = states
        _gazetteer._cache = cache  # type: ignore[attr-defined]
    return cache


_COUNTRIES: frozenset[str] | None = None
_FIRST_WORDS: frozenset[str] | None = None


def _countries() -> frozenset[str]:
    global _COUNTRIES
    if _COUNTRIES is None:
        _COUNTRIES = frozenset(_key(re.sub(r"[.]", "", c).replace("-", " ").split()) for c in lexicon.countries())
    return _COUNTRIES


def _first_words() -> frozenset[str]:
    """First words of every known place name (most words of a note are none: skip them fast)."""
    global _FIRST_WORDS
    if _FIRST_WORDS is None:
        words = {k.split()[0] for k in _gazetteer()} | {k.split()[0] for k in _countries()}
        words |= {k.split()[0] for k in lexicon.STATE_NAMES}
        words |= {a for a in _ALIASES}
        _FIRST_WORDS = frozenset(words)
    return _FIRST_WORDS


def _states() -> dict[str, str]:
    return {name: code for name, code in lexicon.STATE_NAMES.items()}


def _person_like(word: str) -> bool:
    w = word.lower()
    if w in lexicon.first_names():
        return True
    rank = lexicon.last_names().get(w)
    return rank is not None and rank <= 3000


class PlaceRecognizer(Recognizer):
    name = "place"
    types = ("LOCATION",)

    def analyze(self, doc: Document) -> list[Span]:
        out: list[Span] = []
        self._codes_and_zips(doc, out)
        self._named(doc, out)
        if doc.cased:
            self._unknown_after_preposition(doc, out)
        self._unknown_after_preposition_caps(doc, out)
        self._regions(doc, out)
        self._prefixed(doc, out)
        return out

    # "IN KAYENTA", "FROM KAMPOT": in capitals only a word no dictionary knows
    def _unknown_after_preposition_caps(self, doc: Document, out: list[Span]) -> None:
        tokens = doc.tokens
        for i, t in enumerate(tokens[:-1]):
            if t.lower not in ("in", "from", "near", "outside"):
                continue
            nxt = tokens[i + 1]
            if doc.between(t, nxt) != " " or len(nxt.base) < 4 or not re.search(r"[aeiouy]", nxt.base):
                continue
            if lexicon.word_level(nxt.base) is not None or lexicon.is_not_identifier(nxt.base) or lexicon.is_first_name(nxt.base):
                continue
            if doc.cased and not (nxt.upper and len(nxt.base) >= 5 and t.text.islower() and not lexicon.is_clinical(nxt.base)
                                  and not lexicon.is_last_name(nxt.base)):
                continue  # in a mixed-case note only a word in capitals: "in STAVANGER"
            out.append(self.span(nxt.start, nxt.end - (2 if nxt.possessive else 0), "LOCATION",
                                 f"unknown word after '{t.lower}'", 0.55))

    # "Lake Tahoe", "FORT DRUM", "Mount Shasta", "Camp Pendleton"
    def _prefixed(self, doc: Document, out: list[Span]) -> None:
        tokens = doc.tokens
        for i, t in enumerate(tokens[:-1]):
            if t.base not in ("lake", "fort", "mount", "mt", "camp", "port", "cape", "isle") or not (t.cap or t.upper):
                continue
            nxt = tokens[i + 1]
            if doc.between(t, nxt) not in (" ", ". ") or not (nxt.cap or nxt.upper):
                continue
            if lexicon.is_not_identifier(nxt.base) or (lexicon.word_sense_dominates(nxt.base) and not lexicon.is_last_name(nxt.base)):
                continue
            out.append(self.span(t.start, nxt.end - (2 if nxt.possessive else 0), "LOCATION", f"'{t.text} ...' place name", 0.7))

    # "Dayton, OH 45402", "Salem, OR 97301", "ZIP: 45402"
    def _codes_and_zips(self, doc: Document, out: list[Span]) -> None:
        text = doc.text
        for m in STATE_CODE_RE.finditer(text):
            code = m.group(1)
            zip_m = ZIP_AFTER_STATE_RE.match(text[m.end():m.end() + 14])
            before = text[max(0, m.start() - 40):m.start()]
            after_city = re.search(r"[A-Za-z]{3,}\.?,?\s*$", before) is not None and re.search(r",\s*$", before) is not None
            city_known = self._city_before(before)
            if zip_m:
                out.append(self.span(m.start(), m.end(), "LOCATION", "state code before a ZIP code", 0.9))
                zs = m.end() + zip_m.start(1)
                out.append(self.span(zs, zs + len(zip_m.group(1)), "LOCATION", "ZIP code after a state code", 0.9))
            elif after_city and (code not in AMBIGUOUS_CODES or city_known):
                if re.match(r"\s*(?:$|[\n|·;,.)]|\s{2})", text[m.end():m.end() + 3]):
                    out.append(self.span(m.start(), m.end(), "LOCATION", "state code after a city", 0.8))
        for m in ZIP_LABEL_RE.finditer(text):
            out.append(self.span(m.start(1), m.end(1), "LOCATION", "ZIP code after a label", 0.9))

    def _city_before(self, before: str) -> bool:
        m = re.search(r"((?:[A-Za-z.'-]+\s){0,3}[A-Za-z.'-]+),\s*$", before)
        if not m:
            return False
        words = re.sub(r"[.]", "", m.group(1)).replace("-", " ").lower().split()
        gaz = _gazetteer()
        return any(_key(words[i:]) in gaz for i in range(len(words)))

    # cities, states and countries by name
    def _named(self, doc: Document, out: list[Span]) -> None:
        tokens = doc.tokens
        gaz = _gazetteer()
        countries = _countries()
        states = _states()
        maxn = 4
        i = 0
        n_tok = len(tokens)
        first_words = _first_words()
        while i < n_tok:
            matched = 0
            if tokens[i].lower not in first_words and tokens[i].base not in first_words:
                i += 1
                continue
            for n in range(min(maxn, n_tok - i), 0, -1):
                toks = tokens[i:i + n]
                if not self._joined(doc, toks):
                    continue
                words = [t.base if t is toks[-1] else t.lower for t in toks]
                key = _key(words)
                kind = "city" if key in gaz else "country" if key in countries else "state" if key in states else None
                if kind is None:
                    continue
                score = self._place_score(doc, toks, kind)
                if score:
                    end = toks[-1].end - (2 if toks[-1].possessive else 0)
                    start = toks[0].start
                    prev = doc.prev(toks[0].index)
                    if prev is not None and prev.lower in DIRECTION_WORDS and (prev.cap or prev.upper) and doc.between(prev, toks[0]) == " ":
                        start = prev.start  # "East Haven", "North Ridge"
                    out.append(self.span(start, end, "LOCATION", f"{kind} name", score))
                    matched = n
                    break
            i += matched or 1

    @staticmethod
    def _joined(doc: Document, toks: list[Token]) -> bool:
        for a, b in zip(toks, toks[1:]):
            gap = doc.between(a, b)
            if gap not in (" ", ". ", "-") or (gap == ". " and a.lower not in _ALIASES):
                return False
        return True

    def _place_score(self, doc: Document, toks: list[Token], kind: str) -> float:
        text = doc.text
        if doc.cased and not all(t.cap or t.upper or t.lower in PARTICLES for t in toks):
            # a casual note writes towns in lower case too: "grandma's in salem", "moved from yakima"
            prev = doc.prev(toks[0].index)
            if not (doc.casual and kind == "city" and prev is not None and prev.lower in STRONG_PREPS
                    and doc.between(prev, toks[0]) == " " and all(t.text.islower() for t in toks)
                    and not any(lexicon.is_common_word(t.base, 60) or lexicon.is_not_identifier(t.base)
                                or lexicon.is_first_name(t.base) for t in toks)):
                return 0.0
            return 0.6
        if doc.cased and toks[0].upper and len(toks) == 1 and len(toks[0].text) <= 3:
            return 0.0  # an acronym in a mixed-case note
        words = [t.base for t in toks]
        prev = doc.prev(toks[0].index)
        prep = prev is not None and prev.lower in PLACE_PREPS and doc.between(prev, toks[0]).strip() in ("", ",")
        strong_prep = prep and prev.lower in STRONG_PREPS
        after = text[toks[-1].end:toks[-1].end + 24]
        state_after = re.match(r",?\s*(?:[A-Z]{2}\b|" + "|".join(lexicon.US_STATES.values()) + ")", after) is not None
        state_after = state_after and not re.match(r",?\s*(?:MD|PA|MA|MS|DO)\b(?!\s*\d)", after)
        common = all(lexicon.is_common_word(w) or w in PARTICLES for w in words)
        person = len(toks) == 1 and _person_like(words[0])
        if any(lexicon.is_not_identifier(w) for w in words) and len(toks) == 1:
            return 0.0
        if state_after and kind == "city":
            return 0.9
        if kind == "state":
            after_city = re.search(r"[A-Za-z]{3},\s*$", text[max(0, toks[0].start - 30):toks[0].start]) is not None
            if person or common:
                return 0.7 if strong_prep or state_after or (after_city and (doc.cased or len(toks) > 1)) else 0.0
            return 0.75
        if strong_prep and not (common and not doc.cased and len(toks) == 1):
            return 0.8
        if person:
            return 0.0
        if common:
            return 0.7 if (doc.cased and (len(toks) > 1 or prep) and not toks[0].sent_start) else 0.0
        if kind == "country":
            return 0.75
        return 0.7 if (doc.cased or len(toks) > 1 or prep) else 0.6

    # "born in Hai Phong", "lives in Eastwick", "came from Kampot" (mixed case only)
    def _unknown_after_preposition(self, doc: Document, out: list[Span]) -> None:
        tokens = doc.tokens
        for i, t in enumerate(tokens):
            if t.lower not in STRONG_PREPS:
                continue
            j = i + 1
            seq: list[Token] = []
            while j < len(tokens) and len(seq) < 4:
                nxt = tokens[j]
                prev = seq[-1] if seq else t
                if doc.between(prev, nxt) not in (" ", "-"):
                    break
                if not (nxt.cap or (seq and nxt.lower in PARTICLES and j + 1 < len(tokens) and tokens[j + 1].cap)):
                    break
                seq.append(nxt)
                j += 1
            while seq and seq[-1].lower in PARTICLES:
                seq.pop()
            if not seq:
                continue
            names = [s.base for s in seq if s.lower not in PARTICLES]
            if any(lexicon.is_common_word(w, 60) or lexicon.is_not_identifier(w) for w in names):
                continue
            if len(names) == 1 and lexicon.is_first_name(names[0]):
                continue
            end = seq[-1].end - (2 if seq[-1].possessive else 0)
            out.append(self.span(seq[0].start, end, "LOCATION", f"unknown proper name after '{t.lower}'", 0.6))

    # "Kent County", "Forest Hills", "the Oromia region"
    def _regions(self, doc: Document, out: list[Span]) -> None:
        tokens = doc.tokens
        for i, t in enumerate(tokens):
            if t.base not in REGION_WORDS or i == 0:
                continue
            seq: list[Token] = []
            j = i - 1
            while j >= 0 and len(seq) < 3:
                p = tokens[j]
                nxt = seq[0] if seq else t
                if doc.between(p, nxt) not in (" ", "-"):
                    break
                if doc.cased and not p.cap:
                    break
                if not doc.cased and (lexicon.is_common_word(p.base, 35) or lexicon.is_not_identifier(p.base)):
                    break
                seq.insert(0, p)
                j -= 1
            if not seq or any(lexicon.is_not_identifier(s.base) for s in seq):
                continue
            the_before = j >= 0 and tokens[j].lower == "the"
            if all(lexicon.is_common_word(s.base, 20) for s in seq) and not (the_before and doc.cased and (t.cap or t.upper)):
                continue
            region_cap = t.cap or t.upper
            if region_cap:
                out.append(self.span(seq[0].start, t.end, "LOCATION", f"named {t.base}", 0.7))
            elif doc.cased and j >= 0 and tokens[j].lower == "the":
                out.append(self.span(seq[0].start, seq[-1].end, "LOCATION", f"'the X {t.base}'", 0.65))
