"""Social media handles such as @name (CONTACT)."""

from __future__ import annotations

import re

from ..document import Document
from ..spans import Span
from .base import Recognizer

HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")


class HandleRecognizer(Recognizer):
    name = "handle"
    types = ("CONTACT",)

    def analyze(self, doc: Document) -> list[Span]:
        return [self.span(m.start(), m.end(), "CONTACT", "social media handle", 0.85)
                for m in HANDLE_RE.finditer(doc.text) if len(m.group()) >= 3]
