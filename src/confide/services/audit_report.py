"""The privacy officer's practice-wide audit report (45 CFR 164.308(a)(1)(ii)(D),
164.312(b); ONC 170.315(d)(3)): the practice's audit chain, filtered by user, client
reference, action and time range, newest first, paged, and exported as CSV.

The chain holds codes and pseudonyms, never names of clients or note text, so the
report shows the client by the practice's reference (what the break-glass queue and
the accounting requests show too). Reading the report and exporting it are themselves
audited.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone

from confide.apps.practice.models import User
from confide.core.errors import Forbidden, InvalidInput
from confide.services import words
from confide.services.audit import audit_append, audited_transaction, practice_events
from confide.services.practice_time import human_datetime, local_to_utc, local_today
from confide.services.validation import parse_date

PAGE_SIZE = 50
EXPORT_MAX = 100_000
PRIVACY_OFFICER_ROLE = "practice_admin"
_REF_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz-_")


def _officer_only(user: User) -> None:
    if user.role != PRIVACY_OFFICER_ROLE:
        raise Forbidden("only the privacy officer (the practice administrator) reads the practice's audit report")


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def people(user: User) -> dict[str, str]:
    """The practice's people by the id the chain records, with their names."""
    return {str(u.pk): u.full_name or u.username for u in User.objects.filter(practice_id=user.practice_id)}


def actions(user: User) -> list[str]:
    """Every action the practice's chain holds (for the filter's choices)."""
    return sorted(set(practice_events(practice_id=user.practice_id).order_by().values_list("action", flat=True)
                      .distinct()))


def _filters(user: User, *, actor, client_ref, action, since, until) -> tuple[dict, dict]:
    """The query filters and the clean values (for the form and the audit event)."""
    query, clean = {}, {}
    if actor not in (None, ""):
        if str(actor) not in people(user):
            raise InvalidInput("user: not one of the practice's people")
        query["actor"] = clean["user"] = str(actor)
    if client_ref not in (None, ""):
        ref = str(client_ref).strip().lower()
        if len(ref) > 80 or not set(ref) <= _REF_CHARS:
            raise InvalidInput("client reference: letters, digits and dashes, as the log shows it")
        query["client_ref"] = clean["client_ref"] = ref
    if action not in (None, ""):
        if len(str(action)) > 80 or str(action) not in actions(user):
            raise InvalidInput("action: one the log holds")
        query["action"] = clean["action"] = str(action)
    today = local_today(user.practice_id)
    start = parse_date("from", since) if since not in (None, "") else None
    end = parse_date("to", until) if until not in (None, "") else None
    for name, day in (("from", start), ("to", end)):
        if day is not None and not date(2000, 1, 1) <= day <= today + timedelta(days=1):
            raise InvalidInput(f"{name}: a day from 2000 to today")
    if start and end and end < start:
        raise InvalidInput("to: on or after from")
    if start:
        query["at__gte"] = _iso(local_to_utc(user.practice, start, time(0)))
        clean["from"] = start.isoformat()
    if end:
        query["at__lt"] = _iso(local_to_utc(user.practice, end + timedelta(days=1), time(0)))
        clean["to"] = end.isoformat()
    return query, clean


def _row(user: User, names: dict[str, str], e) -> dict:
    detail = e.detail or {}
    moment = datetime.strptime(e.at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc) if e.at else None
    return {"seq": e.seq, "at": e.at, "when": human_datetime(user.practice, moment, year=True) if moment else "",
            "user": names.get(e.actor, e.actor), "user_id": e.actor, "role": words.role_word(e.actor_role),
            "action": e.action, "purpose": e.purpose, "client_ref": e.client_ref or "",
            "decision": e.decision, "rules": ", ".join(e.rule_ids or []),
            "categories": ", ".join(e.categories or []),
            "what": str(detail.get("view") or detail.get("record") or detail.get("step") or "")}


def audit_report(*, user: User, actor=None, client_ref=None, action=None, since=None, until=None,
                 before: int | None = None) -> dict:
    """One page of the practice's audit events matching the filters, newest first:
    the first page, or the events older than `before` (a sequence number; keyset
    paging, so events appended meanwhile never shift a page)."""
    _officer_only(user)
    if before is not None and (type(before) is not int or before < 1):
        raise InvalidInput("before: a sequence number from the report")
    query, clean = _filters(user, actor=actor, client_ref=client_ref, action=action, since=since, until=until)
    if before is not None:
        query["seq__lt"] = before
    rows = list(practice_events(practice_id=user.practice_id, **query)[:PAGE_SIZE + 1])
    names = people(user)
    with audited_transaction():
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="audit.report", purpose="HOPERAT", detail={"filters": clean, "before": before})
    page = rows[:PAGE_SIZE]
    return {"rows": [_row(user, names, e) for e in page], "before": before,
            "next_before": page[-1].seq if len(rows) > PAGE_SIZE else None, "filters": clean}


CSV_COLUMNS = ("seq", "at", "user", "role", "action", "purpose", "client_ref", "decision", "rules", "categories",
               "what")


def audit_export_csv(*, user: User, actor=None, client_ref=None, action=None, since=None,
                     until=None) -> Iterator[str]:
    """Every matching event (up to 100,000), newest first, as CSV lines. The export is
    audited before the first line is produced."""
    _officer_only(user)
    query, clean = _filters(user, actor=actor, client_ref=client_ref, action=action, since=since, until=until)
    with audited_transaction():
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="audit.exported", purpose="HOPERAT", detail={"filters": clean})
    names = people(user)
    events = practice_events(practice_id=user.practice_id, **query)[:EXPORT_MAX]

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        yield buffer.getvalue()
        for e in events.iterator(chunk_size=2000):
            buffer.seek(0)
            buffer.truncate()
            row = _row(user, names, e)
            # A cell a spreadsheet would run as a formula is quoted as text.
            writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
            yield buffer.getvalue()
    return lines()


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
