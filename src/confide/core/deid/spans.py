"""The values the engine deals in: a detected span and a de-identified result."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = ("NAME", "DATE", "AGE", "LOCATION", "CONTACT", "ID")


@dataclass(frozen=True)
class Span:
    """One identifier: text[start:end] is of `type`; `recognizer` and `explanation` say why."""

    start: int
    end: int
    type: str
    recognizer: str
    explanation: str
    score: float
    in_record: bool = False

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown identifier type {self.type!r}")
        if not 0 <= self.start < self.end:
            raise ValueError("a span needs 0 <= start < end")

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class DeidResult:
    """The de-identified text, and the spans found (offsets into the INPUT text)."""

    text: str
    spans: list[Span] = field(default_factory=list)
