"""Web addresses and IP addresses (CONTACT)."""

from __future__ import annotations

import re

from ..document import Document
from ..spans import Span
from .base import Recognizer, trim

TLDS = "com|org|net|edu|gov|io|co|us|me|tv|ly|app|info|biz|health|care|ai|gg|xyz|page|link|site|online|dev"
URL_RE = re.compile(
    r"(?<![\w@.-])(?:(?:https?://|www\.)[^\s<>\"]+"
    rf"|(?:[A-Za-z0-9-]+\.)+(?:{TLDS})\b(?:/[^\s<>\"]*)?)",
    re.IGNORECASE,
)
IP_RE = re.compile(r"(?<![\w.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\w.])")


class UrlRecognizer(Recognizer):
    name = "url"
    types = ("CONTACT",)

    def analyze(self, doc: Document) -> list[Span]:
        out = []
        for m in URL_RE.finditer(doc.text):
            s, e = trim(doc.text, m.start(), m.end(), " \t\n,;:.()[]\"'")
            if e > s and "@" not in doc.text[max(0, s - 1):s]:
                out.append(self.span(s, e, "CONTACT", "web address", 0.9))
        for m in IP_RE.finditer(doc.text):
            out.append(self.span(m.start(), m.end(), "CONTACT", "IP address", 0.85))
        return out
