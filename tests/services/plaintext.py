"""What plaintext client information looks like: every identifying value and note
sentence of the demo clients, for scanning database files, dumps and the audit log."""

from __future__ import annotations

import re

from confide.services.demo import data as demo_data


def _sentences(text: str) -> list[str]:
    """Sentences (and SOAP sections) of a note, long enough to be unambiguous."""
    parts = re.split(r"(?<=[.!?])\s+|\n+|\b[SOAP]:\s*|\b(?:Data|Assessment|Plan|Subjective|Objective):\s*", text)
    return [p.strip() for p in parts if p and len(p.strip()) >= 12]


def _needles() -> list[tuple[str, str, bool]]:
    """(what, plaintext, case-insensitive) for every demo client."""
    out: list[tuple[str, str, bool]] = []
    for c in demo_data.CLIENTS:
        key = c["key"]
        surname = c["legal_name"].split()[-1]
        out += [
            (f"{key} legal name", c["legal_name"], True),
            (f"{key} surname", surname, True),
            (f"{key} preferred name + surname", f"{c['preferred_name']} {surname}", True),
            (f"{key} email", c["email"], True),
            (f"{key} phone", c["phone"], False),
            (f"{key} phone digits", re.sub(r"\D", "", c["phone"]), False),
            (f"{key} address", c["address"], True),
            (f"{key} street", c["address"].split(",")[0], True),
        ]
        for contact in c.get("contacts", []):
            out += [(f"{key} contact name", contact["name"], True),
                    (f"{key} contact phone", contact["phone"], False),
                    (f"{key} contact phone digits", re.sub(r"\D", "", contact["phone"]), False),
                    (f"{key} contact email", contact["email"], True)]
        if c.get("guardian"):
            out.append((f"{key} guardian name", c["guardian"]["name"], True))
        for n in c["progress_notes"]:
            out += [(f"{key} progress note sentence", s, False) for s in _sentences(n["text"])]
        for n in c.get("psychotherapy_notes", []):
            out += [(f"{key} psychotherapy note sentence", s, False) for s in _sentences(n["text"])]
        out += [(f"{key} plan summary", c["plan"]["summary"], False)]
    return out


NEEDLES = _needles()
# The preferred name alone is a short word (e.g. "Lena"); look for it where it would
# sit in a plaintext JSON document, allowing PostgreSQL's jsonb spacing.
CONTEXT_PATTERNS = [
    (f"{c['key']} preferred name in context",
     re.compile(rb'"preferred_name"\s*:\s*"' + re.escape(c["preferred_name"].encode()) + rb'"', re.I))
    for c in demo_data.CLIENTS
]


def leaks(blob: bytes) -> list[str]:
    """Every needle found in blob: as UTF-8, case-folded where asked, and as hex (bytea dumps)."""
    lower = blob.lower()
    found = []
    for what, plain, nocase in NEEDLES:
        raw = plain.encode("utf-8")
        hexed = {raw.hex().encode("ascii")} | ({raw.lower().hex().encode("ascii")} if nocase else set())
        if raw in blob or (nocase and raw.lower() in lower) or any(h in lower for h in hexed):
            found.append(f"{what}: {plain[:40]!r}")
    for what, pattern in CONTEXT_PATTERNS:
        if pattern.search(blob):
            found.append(what)
    return found
