"""Diagnoses from the ICD-10-CM code set as simple-icd-10-cm ships it (never a typed
list): search by code or by words, and only a billable code (a leaf of the
classification) goes into a chart, with the code set's own description."""

from __future__ import annotations

import re
import uuid
from datetime import date
from functools import lru_cache

import simple_icd_10_cm as icd

from confide.apps.practice.models import User
from confide.apps.records.models import Diagnosis
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.sealing import seal
from confide.services.validation import parse_date

_CODE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")


@lru_cache(maxsize=1)
def _billable() -> tuple[tuple[str, str, str], ...]:
    """Every billable code: (code with its dot, description, casefolded description)."""
    out = []
    for code in icd.get_all_codes(True):
        if _CODE.match(code) and icd.is_leaf(code):
            text = icd.get_description(code)
            out.append((code, text, text.casefold()))
    return tuple(out)


def icd10_check(code) -> tuple[str, str]:
    """The code (with its dot) and its description; InvalidInput unless it is a
    billable ICD-10-CM code."""
    if not isinstance(code, str) or not _CODE.match(code.strip().upper()):
        raise InvalidInput("diagnosis: give an ICD-10-CM code such as F41.1")
    raw = code.strip().upper()
    dotted = raw if "." in raw or len(raw) <= 3 else icd.add_dot(raw)
    if not icd.is_valid_item(dotted):
        raise InvalidInput("diagnosis: not an ICD-10-CM code")
    if not icd.is_leaf(dotted):
        raise InvalidInput("diagnosis: that code is a category; choose one of its billable codes")
    return dotted, icd.get_description(dotted)


def icd10_search(query, *, limit: int = 25) -> list[dict]:
    """Billable codes whose code starts with the query (with or without its dot) or
    whose description holds every word of it. Codes first, then words."""
    if not isinstance(query, str) or not query.strip() or len(query) > 100:
        raise InvalidInput("diagnosis search: give 1 to 100 characters")
    q = query.strip()
    flat = q.upper().replace(".", "")
    words = q.casefold().split()
    by_code, by_words = [], []
    for code, text, folded in _billable():
        if code.replace(".", "").startswith(flat):
            by_code.append({"code": code, "description": text})
        elif all(w in folded for w in words):
            by_words.append({"code": code, "description": text})
        if len(by_code) >= limit:
            break
    return (by_code + by_words)[:limit]


def diagnosis_add(*, user: User, client_id, code: str, since=None) -> dict:
    """Add a diagnosis by its code; the description is the code set's."""
    dotted, text = icd10_check(code)
    day = parse_date("diagnosis", since) if since else date.today()
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"diagnosis"}, detail={"record": "diagnosis"}) as ok:
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        body = {"code": dotted, "description": text, "since": day.isoformat()}
        Diagnosis.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                 body_enc=seal(dek, Diagnosis, "body_enc", rid, body))
    return {"id": str(rid), **body}
