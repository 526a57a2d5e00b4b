"""A note prepared once for every recognizer: its words, its case style, its record."""

from __future__ import annotations

import re
from functools import cached_property
from typing import NamedTuple

# Words: letters, with inner apostrophes ("O'Malley", "Columba's"); hyphens split words.
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# What the redact operator leaves behind; a second pass must not touch it.
PLACEHOLDER_RE = re.compile(r"\[(?:NAME|DATE|AGE|LOCATION|CONTACT|ID)\]")
_SENTENCE_END = set(".!?:;\n•*")
_UPPER_RE = re.compile(r"[A-Z\u00c0-\u00de]")
_LOWER_RE = re.compile(r"[a-z\u00df-\u00ff]")


class Token(NamedTuple):
    """One word (a tuple: built for every word of every note, so it must be cheap to make)."""

    index: int
    start: int
    end: int
    text: str
    lower: str
    base: str  # lower-case, without a possessive 's
    possessive: bool
    cap: bool  # Capitalised (first letter upper, some lower letter after it)
    upper: bool  # ALL UPPER, two letters or more
    sent_start: bool
    line_start: bool


class Document:
    """The text, its words, whether it is written in mixed case, and the record."""

    def __init__(self, text: str, record: dict | None = None):
        self.text = text
        self.record = record if isinstance(record, dict) else None
        self.placeholders = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
        self.tokens = self._tokenize()
        bare = PLACEHOLDER_RE.sub(" ", text) if self.placeholders else text
        upper = len(_UPPER_RE.findall(bare))
        n = upper + len(_LOWER_RE.findall(bare))
        self.all_caps = n >= 20 and upper / n > 0.8
        self.all_lower = n >= 20 and upper / n < 0.01
        # In mixed-case text capitalisation is evidence; in ALL CAPS or all-lower text it is not.
        self.cased = not (self.all_caps or self.all_lower)
        # A casual note ("pt ok. mo says ...") starts its sentences in lower case: there a
        # lower-case word may still be a name.
        starts = [t for t in self.tokens if t.sent_start and len(t.text) > 1]
        self.casual = self.cased and len(starts) >= 3 and sum(1 for t in starts if t.text[0].islower()) / len(starts) >= 0.4

    def _tokenize(self) -> list[Token]:
        text = self.text
        tokens: list[Token] = []
        holes = self.placeholders
        h = 0
        for m in WORD_RE.finditer(text):
            s, e = m.span()
            while h < len(holes) and holes[h][1] <= s:
                h += 1
            if h < len(holes) and holes[h][0] <= s < holes[h][1]:
                continue
            word = m.group()
            lower = word.lower()
            possessive = lower.endswith(("'s", "’s")) and len(lower) > 3
            base = lower[:-2] if possessive else lower
            cap = word[0].isupper() and not word.isupper()
            upper = len(word) >= 2 and word.isupper()
            sent, line = self._boundary(s)
            tokens.append(Token(len(tokens), s, e, word, lower, base, possessive, cap, upper, sent, line))
        return tokens

    def _boundary(self, start: int) -> tuple[bool, bool]:
        """(starts a sentence, starts a line) for a word beginning at `start`."""
        i = start - 1
        text = self.text
        while i >= 0 and text[i] in " \t\"'“‘([-–—>#0123456789)":
            if text[i] in "0123456789)" and not _is_list_number(text, i):
                return False, False
            i -= 1
        if i < 0:
            return True, True
        c = text[i]
        if c == "\n":
            return True, True
        if c == "." and i >= 1 and text[i - 1].isupper() and (i < 2 or not text[i - 2].isalpha()):
            return False, False  # "J. Smith": an initial, not the end of a sentence
        return c in _SENTENCE_END, False

    @cached_property
    def number_runs(self) -> list:
        """Numbers said in words ("two five three, five five five"), found once per note."""
        from .normalize import number_runs

        return number_runs(self.text)

    @cached_property
    def lower_text(self) -> str:
        return self.text.lower()

    @cached_property
    def starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    def token_at(self, pos: int) -> int | None:
        """Index of the token covering `pos`, else None."""
        import bisect

        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.tokens[i].start <= pos < self.tokens[i].end:
            return i
        return None

    def between(self, a: Token, b: Token) -> str:
        return self.text[a.end:b.start]

    def prev(self, i: int, n: int = 1) -> Token | None:
        j = i - n
        return self.tokens[j] if j >= 0 else None

    def next(self, i: int, n: int = 1) -> Token | None:
        j = i + n
        return self.tokens[j] if j < len(self.tokens) else None

    def in_placeholder(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.placeholders)


def _is_list_number(text: str, i: int) -> bool:
    """True when text[i] is part of a list marker such as "1." or "(2)" at a line start."""
    j = i
    while j >= 0 and text[j] in "0123456789().) ":
        j -= 1
    return j < 0 or text[j] == "\n"
