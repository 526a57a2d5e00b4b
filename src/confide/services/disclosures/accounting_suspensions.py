"""An agency's suspension of the accounting (45 CFR 164.528(a)(2); RULES.md 1.12).

A health oversight agency or a law enforcement official may state that telling the
client of a disclosure to them would be reasonably likely to impede their activities.
The privacy officer records the statement with its end date; from its start to its
end every accounting (the client's live view, a formal accounting) leaves out the
disclosures to that agency, and they reappear the day after the end. A written
statement lasts as long as it says; an oral one is documented (who, when) and lasts at
most 30 days (the rules' `accounting_clock` fact) unless a written statement follows,
which the privacy officer records on the same suspension.

The suspension is the practice's record and names the agency, never a client. Each
step is audited in the practice's chain.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from confide.apps.practice.models import User
from confide.apps.records.models import AccountingSuspension
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services.audit import audit_append, audited_transaction
from confide.services.policy import rules
from confide.services.practice_time import local_today
from confide.services.validation import parse_date

PRIVACY_OFFICER_ROLE = "practice_admin"
KINDS = {"health_oversight": "a health oversight agency", "law_enforcement": "a law enforcement official"}
STATEMENTS = ("written", "oral")
# Recipients of a disclosure a suspension can cover (the kinds packets name them with).
AGENCY_RECIPIENTS = frozenset({"agency", "law_enforcement"})
MAX_YEARS = 6  # a statement's end date at most this far ahead


def oral_days() -> int:
    fact = rules().fact("accounting_clock", "US")
    return int(fact.data["oral_suspension_days"]) if fact else 30


def agency_key(name: str) -> str:
    """How a suspension's agency matches a disclosure's recipient: case and spacing aside."""
    return " ".join(str(name or "").split()).casefold()


def _officer_only(user: User) -> None:
    if user.role != PRIVACY_OFFICER_ROLE:
        raise Forbidden("only the privacy officer (the practice administrator) records an agency's suspension")


def _text(name: str, raw, *, required: bool, limit: int = 200) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str) or len(raw) > limit or "\n" in raw or "\r" in raw:
        raise InvalidInput(f"{name}: one line of at most {limit} characters")
    raw = " ".join(raw.split())
    if required and not raw:
        raise InvalidInput(f"{name}: required")
    return raw


def _end(row: AccountingSuspension) -> date:
    return row.ended_early_on if row.ended_early_on and row.ended_early_on < row.ends_on else row.ends_on


def _out(row: AccountingSuspension, today: date) -> dict:
    end = _end(row)
    return {"id": str(row.id), "agency": row.agency, "agency_kind": row.agency_kind,
            "agency_kind_words": KINDS.get(row.agency_kind, row.agency_kind), "statement": row.statement,
            "statement_on": row.statement_on.isoformat(), "starts_on": row.starts_on.isoformat(),
            "ends_on": end.isoformat(), "written_on": row.written_on.isoformat() if row.written_on else None,
            "reference": row.reference, "recorded_by": row.recorded_by.full_name if row.recorded_by_id else "",
            "in_force": row.starts_on <= today <= end}


def _audit(user: User, step: str, row: AccountingSuspension) -> None:
    audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                 action="accounting.suspension", purpose="HOPERAT",
                 detail={"step": step, "suspension_id": str(row.id), "agency_kind": row.agency_kind,
                         "statement": row.statement, "starts_on": row.starts_on.isoformat(),
                         "ends_on": _end(row).isoformat()})


def suspension_record(*, user: User, agency: str, agency_kind: str, statement: str, ends_on,
                      starts_on=None, statement_on=None, reference: str = "") -> dict:
    """Record an agency's statement. `ends_on`: the last day of the suspension (for an
    oral statement at most 30 days from its start)."""
    _officer_only(user)
    name = _text("agency", agency, required=True)
    if agency_kind not in KINDS:
        raise InvalidInput(f"agency_kind: one of {', '.join(KINDS)}")
    if statement not in STATEMENTS:
        raise InvalidInput("statement: written or oral")
    today = local_today(user.practice_id)
    given = parse_date("statement_on", statement_on) if statement_on not in (None, "") else today
    if not today - timedelta(days=365) <= given <= today:
        raise InvalidInput("statement_on: the day the statement was given, within the past year")
    start = parse_date("starts_on", starts_on) if starts_on not in (None, "") else given
    if not given <= start <= today + timedelta(days=365):
        raise InvalidInput("starts_on: on or after the day of the statement, within a year")
    end = parse_date("ends_on", ends_on)
    if end < start:
        raise InvalidInput("ends_on: on or after the start")
    if end > today + timedelta(days=365 * MAX_YEARS):
        raise InvalidInput(f"ends_on: within {MAX_YEARS} years")
    if statement == "oral" and end > start + timedelta(days=oral_days() - 1):
        raise InvalidInput(f"ends_on: an oral statement suspends for at most {oral_days()} days unless a written "
                           "one follows (45 CFR 164.528(a)(2)(ii))")
    with audited_transaction():
        row = AccountingSuspension.objects.create(
            id=uuid.uuid4(), practice_id=user.practice_id, agency=name, agency_kind=agency_kind,
            statement=statement, statement_on=given, starts_on=start, ends_on=end,
            reference=_text("reference", reference, required=False), recorded_by=user)
        _audit(user, "recorded", row)
    return _out(row, today)


def _load(user: User, suspension_id) -> AccountingSuspension:
    try:
        sid = uuid.UUID(str(suspension_id))
    except ValueError:
        raise InvalidInput("suspension_id: not an id") from None
    row = (AccountingSuspension.objects.select_for_update().select_related("recorded_by")
           .filter(id=sid, practice_id=user.practice_id).first())
    if row is None:
        raise NotFound()
    return row


def suspension_put_in_writing(*, user: User, suspension_id, ends_on, written_on=None, reference: str = "") -> dict:
    """The written statement that follows an oral one: the suspension then lasts until
    the end date it states."""
    _officer_only(user)
    today = local_today(user.practice_id)
    end = parse_date("ends_on", ends_on)
    written = parse_date("written_on", written_on) if written_on not in (None, "") else today
    if written > today:
        raise InvalidInput("written_on: not after today")
    if end > today + timedelta(days=365 * MAX_YEARS):
        raise InvalidInput(f"ends_on: within {MAX_YEARS} years")
    with audited_transaction():
        row = _load(user, suspension_id)
        if row.statement != "oral" or row.written_on is not None:
            raise InvalidInput("suspension: only an oral statement is put in writing, once")
        if written > row.ends_on:
            raise InvalidInput("written_on: the oral suspension had already lapsed; record a new written statement")
        if end < row.starts_on:
            raise InvalidInput("ends_on: on or after the start")
        row.written_on, row.ends_on = written, end
        if reference:
            row.reference = _text("reference", reference, required=False)
        row.save(update_fields=["written_on", "ends_on", "reference"])
        _audit(user, "put_in_writing", row)
    return _out(row, today)


def suspension_end(*, user: User, suspension_id, on=None) -> dict:
    """The agency withdrew its statement: the suspension ends on `on` (default today)."""
    _officer_only(user)
    today = local_today(user.practice_id)
    day = parse_date("on", on) if on not in (None, "") else today
    with audited_transaction():
        row = _load(user, suspension_id)
        if day < row.starts_on or day >= _end(row):
            raise InvalidInput("on: a day from the start to before the current end")
        row.ended_early_on = day
        row.save(update_fields=["ended_early_on"])
        _audit(user, "ended", row)
    return _out(row, today)


def suspensions_list(*, user: User) -> list[dict]:
    _officer_only(user)
    today = local_today(user.practice_id)
    rows = (AccountingSuspension.objects.filter(practice_id=user.practice_id).select_related("recorded_by")
            .order_by("-starts_on", "agency"))
    return [_out(r, today) for r in rows]


def suspended_agencies(practice_id, on: date) -> dict[str, date]:
    """The agencies whose disclosures the accounting leaves out on `on` (the practice's
    date), each with the last day of its suspension."""
    out: dict[str, date] = {}
    for row in AccountingSuspension.objects.filter(practice_id=practice_id, starts_on__lte=on, ends_on__gte=on):
        end = _end(row)
        if on <= end:
            key = agency_key(row.agency)
            out[key] = max(out.get(key, end), end)
    return out


def is_suspended(recipient: dict, suspended: dict[str, date]) -> date | None:
    """The end of the suspension covering a disclosure to `recipient`, or None."""
    if (recipient or {}).get("kind") not in AGENCY_RECIPIENTS:
        return None
    return suspended.get(agency_key(recipient.get("name", "")))
