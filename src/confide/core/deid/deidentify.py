"""deidentify(): analyze, then redact or replace, until nothing more is found."""

from __future__ import annotations

from .engine import Engine
from .spans import DeidResult, Span

_default_engine: Engine | None = None


def default_engine() -> Engine:
    global _default_engine
    if _default_engine is None:
        _default_engine = Engine()
    return _default_engine


def deidentify(text: str, record: dict | None = None, *, mode: str = "redact", case_secret: bytes | None = None,
               keep_first_name: bool = False, engine: Engine | None = None) -> DeidResult:
    """De-identify `text`. mode "redact" writes [NAME], [DATE], ...; "surrogates" writes
    consistent invented values (keyed by `case_secret`). The spans are offsets into `text`."""
    from .operators import render

    if mode not in ("redact", "surrogates"):
        raise ValueError("mode must be 'redact' or 'surrogates'")
    engine = engine or default_engine()
    spans = engine.analyze(text, record)
    out = render(text, spans, mode=mode, record=record, case_secret=case_secret, keep_first_name=keep_first_name)
    if mode == "redact":
        spans, out = _to_fixed_point(engine, text, spans, out, record, keep_first_name)
    return DeidResult(out, spans)


def _to_fixed_point(engine: Engine, text: str, spans: list[Span], out: str, record: dict | None,
                    keep_first_name: bool = False, rounds: int = 4) -> tuple[list[Span], str]:
    """Redaction changes the words around a span; if that lets a recognizer find more in the
    output, add what it finds (mapped back to input offsets) so a second pass changes nothing."""
    from .engine import resolve
    from .operators import render

    for _ in range(rounds):
        again = engine.analyze(out, record)
        if not again:
            break
        mapped = _map_back(again, spans, text, out, record, keep_first_name)
        if not mapped:
            break
        spans = resolve(spans + mapped, text)
        out = render(text, spans, mode="redact", record=record, keep_first_name=keep_first_name)
    return spans, out


def _map_back(found: list[Span], spans: list[Span], text: str, out: str, record: dict | None = None,
              keep_first_name: bool = False) -> list[Span]:
    """Offsets in the redacted output -> offsets in the input (outside placeholders only)."""
    from dataclasses import replace

    from .operators import render

    def placeholder(s: Span) -> str:
        value = text[s.start:s.end]
        return render(value, [replace(s, start=0, end=len(value))], mode="redact", record=record,
                      keep_first_name=keep_first_name)

    # segments: (out_start, out_end, in_start) for the text between placeholders
    segments = []
    o = i = 0
    for s in spans:
        segments.append((o, o + (s.start - i), i))
        o += s.start - i
        o += len(placeholder(s))
        i = s.end
    segments.append((o, o + (len(text) - i), i))
    mapped = []
    for f in found:
        for o_start, o_end, in_start in segments:
            if o_start <= f.start and f.end <= o_end:
                mapped.append(Span(in_start + f.start - o_start, in_start + f.end - o_start, f.type, f.recognizer,
                                   f.explanation + " (found on a second pass)", f.score, f.in_record))
                break
    return mapped
