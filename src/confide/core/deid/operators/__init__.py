"""Operators: what replaces a span (Presidio's anonymizer operators)."""

from __future__ import annotations

import re

from ..spans import Span
from .redact import placeholder
from .surrogate import Surrogates, first_names_to_keep

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def render(text: str, spans: list[Span], *, mode: str = "redact", record: dict | None = None,
           case_secret: bytes | None = None, keep_first_name: bool = False) -> str:
    """`text` with every span replaced: "[TYPE]" (redact) or a consistent surrogate.
    With keep_first_name the client's own first name stays, in either mode."""
    parts: list[str] = []
    pos = 0
    sur = Surrogates(case_secret, record=record, keep_first_name=keep_first_name) if mode == "surrogates" else None
    keep = first_names_to_keep(record) if keep_first_name else set()
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < pos:
            continue
        parts.append(text[pos:s.start])
        value = text[s.start:s.end]
        if sur:
            parts.append(sur.replace(value, s, text))
        elif keep and s.type == "NAME" and any(w.lower() in keep for w in _WORD.findall(value)):
            parts.append(_redact_keeping(value, keep))
        else:
            parts.append(placeholder(s))
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def _redact_keeping(value: str, keep: set[str]) -> str:
    """"Ana Ferreira" -> "Ana [NAME]" when only the first name may stay."""
    words = _WORD.findall(value)
    kept = [w for w in words if w.lower() in keep]
    rest = [w for w in words if w.lower() not in keep]
    return " ".join(kept) + (" [NAME]" if rest else "")


__all__ = ["Surrogates", "placeholder", "render"]
