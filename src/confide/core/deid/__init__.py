"""De-identification for consultation and supervision (DESIGN.md promise 12).

Shaped like Presidio: recognizers (one module each under `recognizers/`) find spans with
explanations, a `Registry` holds them, the `Engine` resolves overlaps, and operators
(`operators/`) redact or replace. Pure Python, no Django, no model, nothing downloaded.

    from confide.core.deid import deidentify
    deidentify(note_text, record=chart, mode="surrogates", case_secret=secret).text
"""

from __future__ import annotations

from .deidentify import deidentify
from .engine import Engine
from .registry import Registry, default_registry
from .spans import TYPES, DeidResult, Span

__all__ = ["TYPES", "DeidResult", "Engine", "Registry", "Span", "default_registry", "deidentify"]
