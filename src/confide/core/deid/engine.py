"""The engine: run every recognizer, drop what is no identifier, resolve overlaps."""

from __future__ import annotations

import bisect
import re

from . import context, lexicon
from .data.clinical import NOT_IDENTIFIERS
from .document import Document
from .registry import Registry, default_registry
from .spans import TYPES, Span

AGE_AFTER_NAME_RE = re.compile(
    r"(?:\s*\([^()\n]{1,24}\))?(?:\s*\((\d{1,3})(?:\s+at\s+\w+)?\)|(?:,|\s+[|·])\s*(\d{1,3})"
    r"(?=\s*[,;·|)\n]|\s+(?:y|yo|y/o|year|years|yrs)\b|\s{2,}|\s+\(|\s+(?:DOB|MRN|dob|mrn)\b|$)"
    r"|\s+(?:was|is|turned|turns)\s+(\d{1,2})(?=[\s.,;)]|$)(?!\s*(?:%|mg|min|minutes|hours|hrs|days|weeks|months|times|x|am|pm|/|:)))",
    re.I)
_CONTENT_RE = re.compile(r"[^\W_]")


POLICIES = ("disguise", "safe_harbor")


class Engine:
    """Finds identifiers in text. `analyze` returns sorted, non-overlapping spans with reasons.

    policy "disguise" (the default, for consultation) finds every age and every place; policy
    "safe_harbor" follows 45 CFR 164.514(b)(2), which keeps ages under 90, states and countries:
    those spans are left out."""

    def __init__(self, registry: Registry | None = None, *, policy: str = "disguise"):
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {', '.join(POLICIES)}")
        self.registry = registry if registry is not None else default_registry()
        self.policy = policy

    def analyze(self, text: str, record: dict | None = None) -> list[Span]:
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        if not text.strip():
            return []
        doc = Document(text, record)
        candidates: list[Span] = []
        for recognizer in self.registry.recognizers:
            candidates.extend(recognizer.analyze(doc))
        candidates.extend(context.context_spans(doc))
        candidates.extend(context.initials_after_names(doc, candidates))
        candidates.extend(context.acronyms_after_places(doc, candidates))
        candidates.extend(_ages_after_names(doc, candidates))
        kept = [_with_trailing_name_word(doc, _without_leading_verb(doc, context.without_sentence_before_a_place(doc, s)))
                for s in candidates if _plausible(doc, s)]
        if self.policy == "safe_harbor":
            shown = {(s.start, s.end) for s in kept if s.type == "LOCATION" and _kept_by_safe_harbor(doc.text[s.start:s.end], s.type)}
            # "Born in Brazil": a country Safe Harbor keeps stays, even where a name recognizer also took it
            kept = [s for s in kept if not _kept_by_safe_harbor(doc.text[s.start:s.end], s.type)
                    and not (s.type in ("NAME", "LOCATION") and not s.in_record and context.inside_kept_place(doc, s))
                    and not (s.type == "NAME" and not s.in_record and (s.start, s.end) in shown
                             and not context.person_by_context(doc, s))]
        return resolve(kept, text)


# initials whose place says they are a person's, whatever else the letters spell ("RA/sl" under a letter)
STRUCTURAL_INITIALS = ("typist's initials",)


LEADING_VERBS = {"attends", "attended", "attend", "works", "worked", "visits", "visited", "joined", "called", "contacted",
                 "per", "saw", "met", "left", "quit", "lives", "lived", "moved", "transferred", "admitted", "referred"}


def _without_leading_verb(doc: Document, span: Span) -> Span:
    """"Attends Cedar Hills Church", "Moved Fernhill Park" at a sentence's start: a verb a run of
    capitalised words took in is no part of the name."""
    if span.in_record or span.type not in ("LOCATION", "NAME"):
        return span
    i = doc.token_at(span.start)
    if i is None or doc.tokens[i].lower not in LEADING_VERBS or i + 1 >= len(doc.tokens) or doc.tokens[i + 1].start >= span.end:
        return span
    return Span(doc.tokens[i + 1].start, span.end, span.type, span.recognizer, span.explanation, span.score, span.in_record)


PLACE_TAIL_WORDS = lexicon.ORG_WORDS | {"ponds", "pond", "park", "county", "heights", "hills", "lake", "lakes", "valley",
                                        "springs", "falls", "ridge", "commons", "square", "plaza", "point", "harbor",
                                        "station", "gardens", "terrace", "estates", "landing", "crossing", "deaconess",
                                        "zoo", "museum", "aquarium", "stadium", "arena", "center", "centre", "medical"}
# after a name, words that make it a place: "Beth Israel Deaconess", "Mercy General", "Kaiser Permanente"
NAME_TO_PLACE_WORDS = {"deaconess", "general", "memorial", "regional", "center", "centre", "ponds", "park",
                       "county", "heights", "hills", "zoo", "museum", "stadium", "arena"}


def _with_trailing_name_word(doc: Document, span: Span) -> Span:
    """"Linden Ponds", "Beth Israel Deaconess": the capitalised word right after a place or a
    name found by its first words is part of it, when it is a place's word or no word at all."""
    if span.in_record or span.type not in ("LOCATION", "NAME") or not doc.cased:
        return span
    i = doc.token_at(span.end - 1)
    end = span.end
    for _ in range(2):
        if i is None or i + 1 >= len(doc.tokens):
            break
        nxt = doc.tokens[i + 1]
        if doc.text[end:nxt.start] != " " or not nxt.cap or nxt.sent_start:
            break
        b = nxt.base
        if lexicon.is_not_identifier(b) or lexicon.is_clinical(b) or b in lexicon.MONTHS_AND_DAYS or b in lexicon.TITLES:
            break
        if b in PLACE_TAIL_WORDS and (span.type == "LOCATION" or b in lexicon.ORG_STRONG or b in NAME_TO_PLACE_WORDS):
            end = nxt.end - (2 if nxt.possessive else 0)
            i += 1
            continue
        break
    if end == span.end:
        return span
    return Span(span.start, end, span.type, span.recognizer, span.explanation + " (with the word after it)", span.score, span.in_record)


def _plausible(doc: Document, span: Span) -> bool:
    if span.type not in TYPES or span.end > len(doc.text) or span.start < 0 or span.end <= span.start:
        return False
    if doc.placeholders and doc.in_placeholder(span.start, span.end):
        return False
    if not span.in_record and not span.explanation.startswith(STRUCTURAL_INITIALS):
        value = doc.text[span.start:span.end].strip().lower().rstrip(".")
        if value in NOT_IDENTIFIERS:
            return False
        if span.type == "NAME" and _clinical_language(value):
            return False
        if span.type == "LOCATION" and value.upper() not in lexicon.US_STATES and not re.search(r"\d", value) \
                and _clinical_language(value):  # "MICU 3", "4 West": a unit with its number is a place
            return False
        if context.not_identifier(doc, span):
            return False
    return True


_WORDS_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _clinical_language(value: str) -> bool:
    """Every word of the span is clinical language (a drug, a disease word, an abbreviation):
    "Lasix", "Hgb", "Nervosa", "Family Health". A common given name never is."""
    words = _WORDS_RE.findall(value)
    return bool(words) and all(len(w) > 1 and lexicon.is_clinical(w) and not lexicon.is_first_name(w) for w in words)


_AGE_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                          "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_AGE_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}


def _kept_by_safe_harbor(value: str, type_: str) -> bool:
    """Safe Harbor removes ages over 89 and places smaller than a state, nothing larger."""
    v = value.strip().lower()
    if type_ == "AGE":
        m = re.match(r"\d+", v)
        if m:
            return int(m.group()) < 90
        parts = re.split(r"[\s-]+", v)
        n = _AGE_TENS.get(parts[0], _AGE_WORDS.get(parts[0]))
        if n is None:
            return False  # "in her nineties" and the like: keep it out of the text
        return n + (_AGE_WORDS.get(parts[1], 0) if len(parts) > 1 else 0) < 90
    if type_ == "LOCATION":
        v = v.rstrip(".")
        return v in lexicon.countries() or v in lexicon.STATE_NAMES or value.strip().upper() in lexicon.US_STATES
    return False


def _ages_after_names(doc: Document, spans: list[Span]) -> list[Span]:
    """"Pia (17)", "Ines, 47, night-shift nurse": a number right after a person's name is an age."""
    out = []
    for s in spans:
        if s.type != "NAME":
            continue
        m = AGE_AFTER_NAME_RE.match(doc.text, s.end)
        if m:
            g = next(k for k in (1, 2, 3) if m.group(k))
            if int(m.group(g)) <= 120:
                out.append(Span(m.start(g), m.end(g), "AGE", "age_after_name", "a number right after a name", 0.8))
    return out


def resolve(candidates: list[Span], text: str) -> list[Span]:
    """Non-overlapping spans: same-type overlaps are merged; otherwise the higher score wins,
    then the longer span; what a losing span covers outside the winners is kept."""
    merged = _merge_same_type(candidates)
    order = sorted(merged, key=lambda s: (-s.score, -s.length, s.start))
    starts: list[int] = []
    chosen: list[Span] = []
    for cand in order:
        for piece in _subtract(cand, starts, chosen, text):
            i = bisect.bisect_left(starts, piece.start)
            starts.insert(i, piece.start)
            chosen.insert(i, piece)
    return chosen


def _merge_same_type(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    by_type: dict[str, list[Span]] = {}
    for s in spans:
        by_type.setdefault(s.type, []).append(s)
    for group in by_type.values():
        group.sort(key=lambda s: (s.start, -s.end))
        cur = group[0]
        for s in group[1:]:
            if s.start < cur.end:
                if s.end <= cur.end and (cur.score >= s.score or cur.in_record or not s.in_record):
                    if s.score > cur.score or (s.in_record and not cur.in_record):
                        cur = Span(cur.start, cur.end, cur.type, s.recognizer if s.score > cur.score else cur.recognizer,
                                   s.explanation if s.score > cur.score else cur.explanation,
                                   max(cur.score, s.score), cur.in_record or s.in_record)
                    continue
                best = s if (s.score, s.in_record) > (cur.score, cur.in_record) else cur
                cur = Span(cur.start, max(cur.end, s.end), cur.type, best.recognizer, best.explanation,
                           max(cur.score, s.score), cur.in_record or s.in_record)
            else:
                out.append(cur)
                cur = s
        out.append(cur)
    return out


def _subtract(cand: Span, starts: list[int], chosen: list[Span], text: str) -> list[Span]:
    i = bisect.bisect_left(starts, cand.start)
    if i > 0:
        i -= 1
    pieces = []
    pos = cand.start
    while i < len(chosen) and chosen[i].start < cand.end:
        c = chosen[i]
        if c.end > pos:
            if c.start > pos:
                pieces.append((pos, c.start))
            pos = max(pos, c.end)
        i += 1
    if pos < cand.end:
        pieces.append((pos, cand.end))
    if len(pieces) == 1 and pieces[0] == (cand.start, cand.end):
        return [cand]
    out = []
    for s, e in pieces:
        while s < e and not _CONTENT_RE.match(text[s]):
            s += 1
        while e > s and not _CONTENT_RE.match(text[e - 1]):
            e -= 1
        if e - s >= 2 or (e > s and text[s].isdigit()):
            out.append(Span(s, e, cand.type, cand.recognizer, cand.explanation + " (part left beside a stronger span)",
                            cand.score, cand.in_record))
    return out
