"""The billing work queue: attended sessions not yet charged (with the procedure code of
their type and the practice's fee), charges recorded in bulk for a day or a week,
services a self-pay restriction keeps from the plan, and the claims built.

Every list passes the PDP per client with the billing category (`directory.listing`,
one audit event for the list): the biller sees the practice's clients (INT-BILLER), a
clinician those they treat or supervise, the front desk and the administrator none. A
session's day, length, type and whether it had a room are what billing's dates of
service already read of the calendar; nothing else of the appointment is decrypted,
its attendance excepted (the chart's billing section reads it the same way).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import FilteredRelation, Q

from confide.apps.practice.models import User
from confide.apps.records.models import Appointment, Charge, Claim, Client
from confide.core.errors import ConfideError, Forbidden, InvalidInput, NotFound
from confide.services import access
from confide.services.billing.settings import cpt_for, fee_for, profile_of
from confide.services.directory import listing
from confide.services.disclosures import insurers
from confide.services.keys import client_data_key, data_key_of
from confide.services.practice_time import (
    human_date,
    local_to_utc,
    local_today,
    practice_zone,
)
from confide.services.projection import appointment_status
from confide.services.sealing import unseal

ROLES = frozenset({"biller", "clinician", "supervisor"})
MAX_DAYS = 31
MAX_BULK = 200
# What a restriction means, in words a biller and a clinician read on the screen.
RESTRICTED_WORDS = ("The client paid for this in full and asked that it not go to their health plan "
                    "(45 CFR 164.522(a)(1)(vi)): it is never claimed.")
CLIENT_RESTRICTED_WORDS = ("The client pays out of pocket and asked that no health plan hear of their care "
                           "(45 CFR 164.522(a)(1)(vi)): no claim is made for them.")


def _check_role(user: User) -> None:
    if user.role not in ROLES or user.practice_id is None:
        raise Forbidden("billing is the biller's, and a clinician's for their own clients")


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding `day`."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def period_check(start, end, practice_id) -> tuple[date, date]:
    """A period of days of service: both ends dates, in order, at most a month, not
    after today in the practice."""
    try:
        first = start if isinstance(start, date) else date.fromisoformat(str(start))
        last = end if isinstance(end, date) else date.fromisoformat(str(end))
    except ValueError:
        raise InvalidInput("period: dates as YYYY-MM-DD") from None
    if last < first:
        raise InvalidInput("period: the last day comes before the first")
    if (last - first).days >= MAX_DAYS:
        raise InvalidInput(f"period: at most {MAX_DAYS} days at a time")
    today = local_today(practice_id)
    if first > today:
        raise InvalidInput("period: sessions are billed once they have taken place")
    return first, min(last, today)


@dataclass(frozen=True)
class _Permitted:
    ids: list[uuid.UUID]
    names: dict[uuid.UUID, str]


def _permitted(user: User, client_ids, view: str) -> _Permitted:
    allowed = listing(user, sorted(set(client_ids)), categories={"billing"}, action="list",
                      detail={"view": view})
    return _Permitted(ids=sorted(allowed), names={cid: c.legal_name or c.name for cid, c in allowed.items()})


def _client_restricted(dek: bytes, client: Client) -> bool:
    billing = unseal(dek, Client, "billing_enc", client.id, client.billing_enc) or {}
    return bool(billing.get("self_pay") and billing.get("restrict_payer"))


def _place(appt: Appointment) -> str:
    """Office when the session had a room; telehealth in the client's home otherwise
    (the biller can change it before recording)."""
    return "11" if appt.room_id else "10"


def work_queue(*, user: User, start, end) -> dict:
    """Attended sessions of the period not yet charged, charges of the period (those a
    restriction keeps from the plan apart), and the claims built for the clients."""
    _check_role(user)
    first, last = period_check(start, end, user.practice_id)
    tz = practice_zone(user.practice_id)
    lo, hi = local_to_utc(user.practice_id, first, time(0)), local_to_utc(user.practice_id, last + timedelta(1),
                                                                             time(0))
    # The session's type is joined in the practice (its filter in the join: a session
    # without a type is listed all the same).
    appts = list(Appointment.objects.filter(practice_id=user.practice_id, starts_at__gte=lo, starts_at__lt=hi,
                                            cancelled_at__isnull=True)
                 .annotate(kind=FilteredRelation("appointment_type",
                                                 condition=Q(appointment_type__practice_id=user.practice_id)))
                 .select_related("clinician", "kind").order_by("starts_at", "id"))
    # A charge of a session carries the session's local day, so the session's time (plain)
    # finds the period's charges without decrypting the practice's history; a charge
    # recorded without a session is read to learn its day.
    sessions = Appointment.objects.filter(practice_id=user.practice_id, starts_at__gte=lo, starts_at__lt=hi)
    charge_rows = list(Charge.objects.filter(practice_id=user.practice_id)
                       .filter(Q(appointment_id__in=sessions.values("id")) | Q(appointment__isnull=True))
                       .only("id", "client_id", "appointment_id", "body_enc", "created_at"))
    candidates = {a.client_id for a in appts} | {c.client_id for c in charge_rows}
    permitted = _permitted(user, candidates, "billing_queue")
    allowed = set(permitted.ids)
    profile = profile_of(user.practice_id)
    clients = {c.id: c for c in Client.objects.filter(practice_id=user.practice_id, id__in=list(allowed))}
    deks = {cid: client_data_key(cid, user.practice_id) for cid in allowed}
    restricted_client = {cid: _client_restricted(deks[cid], clients[cid]) for cid in allowed}
    charged_appts, charges, restricted = set(), [], []
    claimed = claimed_charge_ids(user.practice_id, allowed)
    for row in charge_rows:
        if row.client_id not in allowed:
            continue
        if row.appointment_id:
            charged_appts.add(row.appointment_id)
        body = unseal(deks[row.client_id], Charge, "body_enc", row.id, row.body_enc) or {}
        day = date.fromisoformat(body["date_of_service"])
        if not first <= day <= last:
            continue
        item = {"id": str(row.id), "client_id": str(row.client_id), "client": permitted.names[row.client_id],
                "date": body["date_of_service"], "day": human_date(day), "cpt": body.get("cpt"),
                "fee": body.get("fee"), "units": body.get("units", 1),
                "provider": (body.get("provider") or {}).get("name", ""),
                "claimed": str(row.id) in claimed,
                "restricted": bool(body.get("paid_in_full") and body.get("restrict_payer"))}
        if item["restricted"]:
            item["why"] = RESTRICTED_WORDS
            restricted.append(item)
        elif restricted_client[row.client_id]:
            item["why"] = CLIENT_RESTRICTED_WORDS
            restricted.append(item)
        else:
            charges.append(item)
    unbilled = []
    for a in appts:
        if a.client_id not in allowed or a.id in charged_appts:
            continue
        if appointment_status(deks[a.client_id], a) != "attended":
            continue
        label = a.kind.label if a.kind else ""
        cpt = cpt_for(profile, a.appointment_type_id, label, a.minutes)
        day = a.starts_at.astimezone(tz).date()
        unbilled.append({"appointment_id": str(a.id), "client_id": str(a.client_id),
                         "client": permitted.names[a.client_id], "date": day.isoformat(), "day": human_date(day),
                         "clinician": a.clinician.full_name, "type": label or "Session", "minutes": a.minutes,
                         "cpt": cpt, "fee": fee_for(profile, cpt), "place_of_service": _place(a),
                         "restricted": restricted_client[a.client_id],
                         "why": CLIENT_RESTRICTED_WORDS if restricted_client[a.client_id] else ""})
    key = lambda r: (r["date"], r["client"].casefold())  # noqa: E731
    return {"first": first.isoformat(), "last": last.isoformat(), "first_day": human_date(first),
            "last_day": human_date(last), "unbilled": sorted(unbilled, key=key), "charges": sorted(charges, key=key),
            "restricted": sorted(restricted, key=key),
            "claims": claims_of(user, allowed, permitted.names, deks)}


def claimed_charge_ids(practice_id, client_ids) -> set[str]:
    """Charges already on a claim (the claims' bodies name them), of the practice's
    clients `client_ids`."""
    out: set[str] = set()
    claims = Claim.objects.filter(practice_id=practice_id, client_id__in=list(client_ids))
    for claim in claims.only("id", "client_id", "practice_id", "body_enc"):
        body = unseal(data_key_of(claim), Claim, "body_enc", claim.id, claim.body_enc) or {}
        out.update(body.get("charge_ids") or [])
    return out


def claims_of(user: User, client_ids, names: dict, deks: dict, limit: int = 50) -> list[dict]:
    rows = Claim.objects.filter(practice_id=user.practice_id, client_id__in=list(client_ids)).order_by(
        "-created_at", "-id")[:limit]
    tz = practice_zone(user.practice_id)
    out = []
    for claim in rows:
        body = unseal(deks[claim.client_id], Claim, "body_enc", claim.id, claim.body_enc) or {}
        out.append({"id": str(claim.id), "client_id": str(claim.client_id), "client": names.get(claim.client_id, ""),
                    "payer": body.get("payer", ""), "total": body.get("total", ""),
                    "services": len(body.get("charge_ids") or []), "control_number": claim.control_number,
                    "built": human_date(claim.created_at.astimezone(tz).date())})
    return out


def charges_record(*, user: User, items: list[dict]) -> dict:
    """Record a charge for each attended session chosen (a day's or a week's), with its
    procedure code, fee, units and place of service; a session paid in full whose
    client asked that the plan not hear of it is recorded as restricted. Each charge
    goes through the door on its own; a row refused says why in one line and the
    others are recorded."""
    _check_role(user)
    if not isinstance(items, list) or not items:
        raise InvalidInput("charges: choose at least one session")
    if len(items) > MAX_BULK:
        raise InvalidInput(f"charges: at most {MAX_BULK} at a time")
    recorded, refused = [], []
    for item in items:
        appt_id = access.parse_client_id(item.get("appointment_id"))
        appt = Appointment.objects.filter(id=appt_id, practice_id=user.practice_id).first() if appt_id else None
        try:
            if appt is None:
                raise NotFound()
            charge_id = _charge_session(user, appt, item)
            recorded.append({"appointment_id": str(appt.id), "charge_id": str(charge_id)})
        except NotFound:
            refused.append({"appointment_id": str(item.get("appointment_id"))[:40], "error": "no such session"})
        except ConfideError as exc:
            refused.append({"appointment_id": str(appt.id), "error": str(exc)})
    return {"recorded": recorded, "refused": refused}


def _charge_session(user: User, appt: Appointment, item: dict) -> uuid.UUID:
    with access.governed(user=user, client_id=appt.client_id, action="read", purpose=access.default_purpose(user),
                         categories={"billing"}, detail={"view": "session_to_charge"}, require_all=True) as ok:
        dek = data_key_of(ok.client)
        if appointment_status(dek, appt) != "attended":
            raise InvalidInput("session: only an attended session is charged")
        if Charge.objects.filter(practice_id=appt.practice_id, appointment_id=appt.id).exists():
            raise InvalidInput("session: already charged")
        restricted = _client_restricted(dek, Client.objects.get(id=ok.client.id, practice_id=ok.client.practice_id))
    paid_in_full = bool(item.get("paid_in_full")) or restricted
    units = item.get("units", 1)
    try:
        units = int(units)
    except (TypeError, ValueError):
        raise InvalidInput("units: a whole number from 1 to 99") from None
    return insurers.charge_add(user=user, client_id=appt.client_id, appointment_id=appt.id,
                               date_of_service=appt.starts_at.astimezone(practice_zone(user.practice_id)).date(),
                               cpt=str(item.get("cpt", "")).strip(), fee=str(item.get("fee", "")).strip(),
                               units=units, paid_in_full=paid_in_full, restrict_payer=paid_in_full and (
                                   restricted or bool(item.get("restrict_payer"))),
                               place_of_service=item.get("place_of_service") or _place(appt))


def today_week(user: User) -> tuple[date, date]:
    return week_of(local_today(user.practice_id))


def parse_day(raw, default: date) -> date:
    try:
        return date.fromisoformat(str(raw)) if raw else default
    except ValueError:
        return default

