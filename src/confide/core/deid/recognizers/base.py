"""What every recognizer is: a name, the types it finds, and `analyze(doc) -> spans`."""

from __future__ import annotations

import re

from ..document import Document
from ..spans import Span


class Recognizer:
    """One kind of identifier. Subclasses set `name` and `types` and implement `analyze`."""

    name: str = "recognizer"
    types: tuple[str, ...] = ()

    def analyze(self, doc: Document) -> list[Span]:  # pragma: no cover - interface
        raise NotImplementedError

    def span(self, start: int, end: int, type_: str, why: str, score: float, in_record: bool = False) -> Span:
        return Span(start, end, type_, self.name, why, score, in_record)


def trim(text: str, start: int, end: int, chars: str = " \t\n,;:.()[]\"'“”‘’") -> tuple[int, int]:
    """Shrink [start, end) past surrounding punctuation and space (keeps a final '.' of 'Jr.')."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        if text[end - 1] == "." and end - start >= 2 and text[end - 2].isalpha() and (
                end - start == 2 or not text[end - 3].isalpha()):
            break  # an initial such as "M."
        end -= 1
    return start, end


def windows(text: str, anchor: "re.Pattern", before: int, after: int) -> list[tuple[int, int]]:
    """Merged [start, end) windows around each anchor match: the costly patterns run only there."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in anchor.finditer(text):
        s, e = max(0, m.start() - before), min(n, m.end() + after)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def finditer_in(pattern: "re.Pattern", text: str, spans: list[tuple[int, int]]):
    """pattern.finditer over each window (lookbehinds still see the text before a window)."""
    for s, e in spans:
        yield from pattern.finditer(text, s, e)
