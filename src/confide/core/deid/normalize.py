"""Forms a value takes when it is said or spelled rather than written: numbers in words
("five five five, oh one four three", "seven thirty-nine", "nineteen ninety-three") and
names spelled letter by letter ("M-A-R-Y", "d a v i s", "K. O. W. A. L"). Each run is
found with the offsets of its pieces, so a matcher can compare the value it stands for
with what the chart knows and mark exactly the words that say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ONES = {"zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINAL_ONES = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                "ninth": 9}
ORDINAL_TEENS = {"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
                 "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19}
ORDINAL_TENS = {"twentieth": 20, "thirtieth": 30}
_NUMBER_WORD = "|".join(sorted([*ONES, *TEENS, *TENS, *ORDINAL_ONES, *ORDINAL_TEENS, *ORDINAL_TENS, "double", "triple",
                                "hundred", "thousand"], key=len, reverse=True))
NUMBER_WORD_RE = re.compile(rf"(?<![\w'’])(?:{_NUMBER_WORD})(?![\w'’])", re.I)
# between two number words of one run: spaces, a comma, a hyphen, a dash, "and"
# between two number words of one run: spaces, a comma, a hyphen, a dash, "and", the pause
# a transcript writes as dots ("four two six... double five five")
_JOIN_RE = re.compile(r"(?:[ \t,-]|\band\b|–|—|\.{2,3}|…){1,6}", re.I)
_JOIN_MAX = 10


@dataclass(frozen=True)
class Piece:
    """One number said in words: its offsets, its digits as said ("39", "0", "1993"),
    its value, and whether it was an ordinal ("twenty-fourth")."""

    start: int
    end: int
    digits: str
    value: int
    ordinal: bool = False


def _value(word: str) -> tuple[int, bool] | None:
    w = word.lower()
    for table, ordinal in ((ONES, False), (TEENS, False), (TENS, False), (ORDINAL_ONES, True), (ORDINAL_TEENS, True),
                           (ORDINAL_TENS, True)):
        if w in table:
            return table[w], ordinal
    return None


def number_runs(text: str, min_pieces: int = 2) -> list[list[Piece]]:
    """Runs of numbers said in words, each a list of pieces ("thirty-nine" is one piece,
    "oh five" two, "double five" two fives, "nineteen ninety-three" two)."""
    if not NUMBER_WORD_RE.search(text):
        return []
    words = [(m.start(), m.end(), m.group().lower()) for m in NUMBER_WORD_RE.finditer(text)]
    runs: list[list[tuple[int, int, str]]] = []
    for w in words:
        if runs and w[0] - runs[-1][-1][1] <= _JOIN_MAX and _JOIN_RE.fullmatch(text[runs[-1][-1][1]:w[0]]):
            runs[-1].append(w)
        else:
            runs.append([w])
    out = []
    for run in runs:
        pieces = _pieces(text, run)
        if len(pieces) >= min_pieces or (pieces and len(pieces[0].digits) >= 3):
            out.append(pieces)
    return out


def _pieces(text: str, run: list[tuple[int, int, str]]) -> list[Piece]:
    pieces: list[Piece] = []
    repeat = 1
    repeat_start = None  # where "double" was said: the repeated digits' span starts there
    i = 0
    while i < len(run):
        s, e, w = run[i]
        if w in ("double", "triple"):
            repeat = 2 if w == "double" else 3
            repeat_start = s
            i += 1
            continue
        if w in ("hundred", "thousand"):
            if pieces and len(pieces[-1].digits) == 1:  # "nine hundred" -> 900, "two thousand" -> 2000
                p = pieces.pop()
                zeros = 2 if w == "hundred" else 3
                value = p.value * 10 ** zeros
                nxt = _value(run[i + 1][2]) if i + 1 < len(run) and w == "thousand" else None
                if nxt is not None and not nxt[1] and nxt[0] < 10 and "-" not in text[e:run[i + 1][0]]:
                    value += nxt[0]  # "two thousand five" -> 2005
                    e = run[i + 1][1]
                    i += 1
                pieces.append(Piece(p.start, e, str(value), value))
            i += 1
            continue
        v = _value(w)
        if v is None:
            i += 1
            continue
        value, ordinal = v
        if w in ("o",) and not (pieces or (i + 1 < len(run))):
            i += 1
            continue
        if value in TENS.values() and not ordinal and i + 1 < len(run):
            nxt = _value(run[i + 1][2])
            if nxt is not None and 1 <= nxt[0] <= 9 and run[i + 1][2] not in ("oh", "o", "zero"):
                between = text[e:run[i + 1][0]]
                if between in ("-", " ", "‐"):
                    value += nxt[0]
                    ordinal = nxt[1]
                    e = run[i + 1][1]
                    i += 1
        digits = "0" if w in ("oh", "o", "zero") else str(value)
        if repeat > 1 and repeat_start is not None:
            s = repeat_start
        for _ in range(repeat):
            pieces.append(Piece(s, e, digits, value, ordinal))
        repeat = 1
        repeat_start = None
        i += 1
    return pieces


def find_digits(pieces: list[Piece], target: str) -> list[tuple[int, int]]:
    """Where the run says the digit string `target`, on piece boundaries: (start, end) offsets."""
    out = []
    joined = ""
    bounds: list[int] = []  # digit offset where each piece starts
    for p in pieces:
        bounds.append(len(joined))
        joined += p.digits
    starts = {b: k for k, b in enumerate(bounds)}
    pos = joined.find(target)
    while pos >= 0:
        end = pos + len(target)
        if pos in starts and (end == len(joined) or end in starts):
            first = starts[pos]
            last = (starts[end] - 1) if end in starts else len(pieces) - 1
            out.append((pieces[first].start, pieces[last].end))
        pos = joined.find(target, pos + 1)
    return out


# one letter, maybe told apart by a word that starts with it: "M", "M as in Mary", "b like boy"
_LETTER = r"[A-Za-z](?:[ \t]+(?:as|like|for)(?:[ \t]+in)?[ \t]+[A-Za-z][A-Za-z'’-]*)?"
_LETTER_RE = re.compile(_LETTER)
SPELLED_RE = re.compile(rf"(?<![\w'’.-])(?:{_LETTER}(?:\.?[ \t]?-[ \t]?|\.?,[ \t]?|\.[ \t]?|[ \t])){{2,}}{_LETTER}\.?(?![\w'’-])")


def spelled_runs(text: str) -> list[list[tuple[int, str]]]:
    """Runs of letters said one by one: for each run, (offset, lower-case letter) per letter
    ("M-A-R-Y", "d a v i s", "K. O. W.", "O, Y, E", "B as in boy, A, N")."""
    out = []
    for m in SPELLED_RE.finditer(text):
        out.append([(m.start() + u.start(), u.group()[0].lower()) for u in _LETTER_RE.finditer(m.group())][:40])
    return out


def spelled_words(text: str, known: dict[str, str]) -> list[tuple[int, int, str]]:
    """The longest stretches of spelled runs that spell a word in `known`: (start, end, known[word]).
    A run may take in a letter of the next word ("Y I L M A Z. I called"), so sub-runs count."""
    out = []
    for run in spelled_runs(text):
        letters = "".join(c for _, c in run)
        i = 0
        while i < len(run):
            for j in range(len(run), i + 2, -1):
                why = known.get(letters[i:j])
                if why:
                    end = _LETTER_RE.match(text, run[j - 1][0]).end()  # "... R as in romeo": to the word's end
                    if end < len(text) and text[end] == "." and (end + 1 == len(text) or not text[end + 1].isalpha()):
                        end += 1
                    out.append((run[i][0], end, why))
                    i = j - 1
                    break
            i += 1
    return out
