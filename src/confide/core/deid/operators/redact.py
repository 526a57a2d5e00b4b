"""Redact: a span becomes its type in brackets, "[NAME]"."""

from __future__ import annotations

from ..spans import Span


def placeholder(span: Span) -> str:
    return f"[{span.type}]"
