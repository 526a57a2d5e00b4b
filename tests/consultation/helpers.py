"""A case for consultation tests: client c1 (Lena, treated by marsh) with progress
notes that name her, her father, their phones and emails, her address, date of birth,
record number and member id, and one of her psychotherapy notes."""

from __future__ import annotations

import json
import re
from datetime import date

from django.apps import apps

from confide.services import charting
from confide.services.demo.data import CLIENTS

LENA = next(c for c in CLIENTS if c["key"] == "c1")
FATHER = LENA["contacts"][0]

NOTES = [
    ("2026-10-06", "S: Elena Varga-Trent (goes by Lena) reports worry about her father Gabor Varga-Trent, who called "
                   "her at 253-555-0111 three times on Sunday. Lena says Gabor can be reached at (253) 555-0112 or "
                   "gabor.vt@example.com.\nO: DOB 06/18/1992, MRN HL-1000, member id CHP-448120937. Lives at 3817 "
                   "North Ferrell Lane, Tacoma, WA 98407; email lena.varga-trent@example.com.\nA: GAD-7 15, anxious; "
                   "continue sertraline 50 mg.\nP: Weekly CBT."),
    ("2026-10-20", "D: Lena practised scheduled worry time. Her father Gabor visited on Saturday; she noticed the urge "
                   "to reassure him.\nA: GAD-7 decreased to 11.\nP: Behavioral experiments with work emails."),
]


def make_notes(user, client_id, notes=NOTES) -> list[str]:
    return [str(charting.progress_note_create(user=user, client_id=client_id, session_date=day, text=text))
            for day, text in notes]


def chart_values(client: dict = LENA, *, keep_first_name: bool = False) -> list[str]:
    """Every identifier of the demo chart of `client`: names (each word) of the client
    and every contact and the guardian, phones, emails, address parts, date of birth in
    the forms the notes use, record number and member id."""
    index = CLIENTS.index(client)
    words = set()
    people = [client["legal_name"], client["preferred_name"], *(c["name"] for c in client["contacts"])]
    if client.get("guardian"):
        people.append(client["guardian"]["name"])
    for name in people:
        for word in re.split(r"[\s-]+", name):
            if len(word) >= 3:
                words.add(word)
        words.add(name)
    if keep_first_name:
        words -= {client["legal_name"].split()[0], client["preferred_name"]}
    street, city, state_zip = [p.strip() for p in client["address"].split(",")]
    dob = date.fromisoformat(client["dob"])
    values = sorted(words) + [
        street, street.split()[0] + " " + street.split()[2], city, state_zip.split()[1],
        client["phone"], client["email"], *(c["phone"] for c in client["contacts"]),
        *(c["email"] for c in client["contacts"]),
        client["dob"], f"{dob.month:02d}/{dob.day:02d}/{dob.year}", f"{dob.month}/{dob.day}/{dob.year}",
        f"HL-{1000 + index}", client["insurance"]["member_id"],
    ]
    return values


def leaks(text: str, values) -> list[str]:
    """The values found in `text` as whole tokens, in any case: a value counts only
    where no letter or digit touches it, so a ZIP code does not "leak" from inside a
    hash, a UUID or a timestamp. Phones count also by their digits, written with any
    separators."""
    found = []
    low = text.lower()
    phone_runs = {re.sub(r"\D", "", run) for run in re.findall(r"(?<![0-9a-z])\+?[\d][\d\s().-]{8,}\d(?![0-9a-z])", low)}
    for value in values:
        v = value.lower()
        if re.search(rf"(?<![0-9a-z]){re.escape(v)}(?![0-9a-z])", low):
            found.append(value)
        elif re.fullmatch(r"[\d\s().+-]+", value) and len(re.sub(r"\D", "", value)) >= 10 \
                and re.sub(r"\D", "", value)[-10:] in {run[-10:] for run in phone_runs if len(run) <= 11}:
            found.append(value)
    return found


def audit_text() -> str:
    """Every audit event, as text."""
    from confide.apps.auditlog.models import AuditEvent

    return "\n".join(json.dumps(row, default=str) for row in AuditEvent.objects.all().values())


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for label in ("records", "practice", "auditlog")
            for m in apps.get_app_config(label).get_models()}
