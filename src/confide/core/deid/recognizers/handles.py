"""Social media handles such as @name (CONTACT)."""

from __future__ import annotations

import re

from .. import lexicon
from ..document import Document
from ..spans import Span
from .base import Recognizer

HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")


_NUM_WORD = (r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
             r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)")
USERNAME_RE = re.compile(r"\b(?:user\s*name|user\s*id|login|log-in|screen\s*name|gamer\s*tag|handle|account\s+name|"
                         r"(?:creator|account|user|profile|streamer|channel|someone|person|guy|girl)\s+(?:named|called)|posts?\s+as|goes\s+by)"
                         r"(?:\s+(?:is|was))?\s*[:=]?\s*([A-Za-z0-9][A-Za-z0-9._-]{2,30}[A-Za-z0-9](?:#\d{4})?)(?![\w@])", re.I)
PAGER_RE = re.compile(r"\b(?:pager|beeper|pgr|bleep)\b[^\n\d]{0,30}?(?<![\d-])(\d{4,7})(?![\d-])"
                      r"|\b(?:page|paging)\s+(?:me|him|her|them|us)\s+(?:at|on)\s+(\d{5,7})(?![\d-])"
                      # "Dr. Fox paged @ 2342 to 48940", "paged to 55739": the pager after "to", a clock time may come first
                      r"|\b(?:re)?paged\b[^\n\d]{0,12}?(?:(?:@|at)[ \t]*\d{3,4}[ \t]*)?(?:to|at|on)[ \t]*#?[ \t]*(\d{5,7})(?![\d-])", re.I)
# "the one ending in 1792", "cell ends in 0143", "last four 0143": part of a telephone number
ENDING_RE = re.compile(r"\b(?:ending\s+(?:in|with)|ends\s+(?:in|with)|last\s+(?:4|four)(?:\s+digits)?(?:\s+(?:is|are|of))?)"
                       r"\s*[:#]?\s*(\d{4})(?![\d/.,:-]\d|[\w/%])", re.I)
EXTENSION_RE = re.compile(rf"\b(?:extension|ext\.?)\s*(?:#|number|no\.?)?\s*(\d{{1,6}}\b|{_NUM_WORD}(?:[\s-]+{_NUM_WORD}){{0,5}}\b)", re.I)


class HandleRecognizer(Recognizer):
    """Handles (@name), user names after a label, pager numbers and telephone extensions."""

    name = "handle"
    types = ("CONTACT",)

    def analyze(self, doc: Document) -> list[Span]:
        text = doc.text
        out = [self.span(m.start(), m.end(), "CONTACT", "social media handle", 0.85)
               for m in HANDLE_RE.finditer(text) if len(m.group()) >= 3]
        for m in USERNAME_RE.finditer(text):
            value = m.group(1)
            label = m.group().lower()
            if ("named" in label or "called" in label or " as" in label or "goes" in label) and not (
                    any(c.isdigit() or c in "._" for c in value) and value == value.lower()):
                continue  # after "named" only a handle's shape: "lunar.moth", "void_77"
            if any(c.isdigit() or c in "._" for c in value) or not lexicon.is_common_word(value.lower(), 60):
                out.append(self.span(m.start(1), m.end(1), "CONTACT", "a user name after a label", 0.8))
        low = doc.lower_text
        for m in (PAGER_RE.finditer(text) if any(w in low for w in ("pag", "beep", "pgr", "bleep")) else ()):
            g = next(k for k in (1, 2, 3) if m.group(k))
            out.append(self.span(m.start(g), m.end(g), "CONTACT", "pager number", 0.8))
        for m in (ENDING_RE.finditer(text) if "end" in low or "last" in low else ()):
            out.append(self.span(m.start(1), m.end(1), "CONTACT", "the last four digits of a number", 0.75))
        for m in EXTENSION_RE.finditer(text):
            out.append(self.span(m.start(1), m.end(1), "CONTACT", "telephone extension", 0.75))
        return out
