"""E-mail addresses (CONTACT)."""

from __future__ import annotations

import re

from ..document import Document
from ..spans import Span
from .base import Recognizer

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b")


class EmailRecognizer(Recognizer):
    name = "email"
    types = ("CONTACT",)

    def analyze(self, doc: Document) -> list[Span]:
        return [self.span(m.start(), m.end(), "CONTACT", "e-mail address", 0.95) for m in EMAIL_RE.finditer(doc.text)]
