"""What a claim says of the practice: its billing identity (NPI, tax id, taxonomy,
address, phone), each provider's NPI and taxonomy, the fee schedule (CPT -> fee) and
the CPT code of each appointment type. No client information: kept on the practice
(`Practice.billing_profile`), set by the practice admin or the biller, every change
audited."""

from __future__ import annotations

import re
from decimal import Decimal

from confide.apps.practice.models import AppointmentType, Practice, User
from confide.core.errors import Forbidden, InvalidInput
from confide.services.audit import audit_append, audited_transaction

EDITORS = frozenset({"practice_admin", "biller"})
READERS = frozenset({"practice_admin", "biller", "clinician", "supervisor"})
PROVIDER_ROLES = ("clinician", "supervisor")

CPT = re.compile(r"^[0-9]{4}[0-9A-Z]$")
FEE = re.compile(r"^[0-9]{1,6}(\.[0-9]{2})?$")
TAXONOMY = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
STATE = re.compile(r"^[A-Z]{2}$")
# CMS place-of-service codes a therapy practice uses.
PLACES_OF_SERVICE = {"11": "office", "02": "telehealth, not in the client's home",
                     "10": "telehealth in the client's home"}
# The psychotherapy codes by what the session is (AMA CPT); a type without a code of
# its own is billed by its length under the CPT time rule (16-37, 38-52, 53+ minutes).
KNOWN_CPT = {
    "90791": "psychiatric diagnostic evaluation",
    "90832": "psychotherapy, 30 minutes",
    "90834": "psychotherapy, 45 minutes",
    "90837": "psychotherapy, 60 minutes",
    "90846": "family psychotherapy without the client",
    "90847": "family psychotherapy with the client",
    "90853": "group psychotherapy",
}
DEFAULT_CPT_BY_LABEL = {"first session": "90791", "family session": "90847", "group session": "90853"}


def npi_valid(npi: str) -> bool:
    """A National Provider Identifier: ten digits whose last is the Luhn check digit of
    the first nine prefixed by 80840 (45 CFR 162.406; CMS's NPI check-digit rule)."""
    if not isinstance(npi, str) or not re.fullmatch(r"[12][0-9]{9}", npi):
        return False
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10 == int(npi[9])


def _line(kind: str, value, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit or "\n" in value or "\r" in value:
        raise InvalidInput(f"{kind}: one line of at most {limit} characters")
    value = " ".join(value.split())
    if required and not value:
        raise InvalidInput(f"{kind}: required")
    return value


def _reader(user: User) -> Practice:
    if user.role not in READERS or user.practice_id is None:
        raise Forbidden("billing settings are the practice admin's and the biller's")
    return Practice.objects.get(id=user.practice_id)


def _editor(user: User) -> None:
    if user.role not in EDITORS or user.practice_id is None:
        raise Forbidden("billing settings are kept by the practice admin or the biller")


def _audit(user: User, action: str, detail: dict) -> None:
    audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action=action,
                 purpose="HOPERAT", detail=detail)


def profile_of(practice_id) -> dict:
    """The billing profile as the claim writer reads it (no role check: services only)."""
    practice = Practice.objects.get(id=practice_id)
    profile = dict(practice.billing_profile or {})
    profile.setdefault("fees", {})
    profile.setdefault("cpt_by_type", {})
    profile.setdefault("providers", {})
    profile["name"] = practice.name
    return profile


def billing_settings(*, user: User) -> dict:
    """The practice's billing identity, fee schedule, service codes and providers."""
    practice = _reader(user)
    profile = profile_of(practice.id)
    types = list(AppointmentType.objects.filter(practice_id=practice.id).order_by("label", "id"))
    people = list(User.objects.filter(practice_id=practice.id, role__in=PROVIDER_ROLES, is_active=True)
                  .order_by("full_name", "id"))
    return {
        "practice": {k: profile.get(k, "") for k in ("npi", "tax_id", "taxonomy", "phone", "contact",
                                                      "submitter_id")},
        "address": {k: (profile.get("address") or {}).get(k, "") for k in ("line", "city", "state", "zip")},
        "fees": [{"cpt": cpt, "meaning": KNOWN_CPT.get(cpt, ""), "fee": fee}
                 for cpt, fee in sorted(profile["fees"].items())],
        "types": [{"id": str(t.id), "label": t.label, "minutes": t.minutes, "active": t.active,
                   "cpt": cpt_for(profile, t.id, t.label, t.minutes),
                   "configured": str(t.id) in profile["cpt_by_type"]} for t in types],
        "providers": [{"id": p.pk, "name": p.full_name, "licence": p.licence,
                       **{k: (profile["providers"].get(str(p.pk)) or {}).get(k, "") for k in ("npi", "taxonomy")}}
                      for p in people],
        "ready": claim_readiness(profile),
        "editable": user.role in EDITORS,
    }


def claim_readiness(profile: dict) -> list[str]:
    """What the practice still has to set before a claim can be written, in words."""
    missing = []
    if not profile.get("npi"):
        missing.append("the practice's billing NPI")
    if not profile.get("tax_id"):
        missing.append("the practice's tax id (EIN)")
    address = profile.get("address") or {}
    if not (address.get("line") and address.get("city") and address.get("state") and address.get("zip")):
        missing.append("the practice's billing address with a nine-digit ZIP code")
    return missing


def practice_billing_set(*, user: User, npi, tax_id, taxonomy="", phone="", contact="", submitter_id="",
                         address: dict | None = None) -> dict:
    """The practice's billing identity, as a claim's billing provider (loop 2010AA)."""
    _editor(user)
    npi = _line("npi", npi, 10)
    if not npi_valid(npi):
        raise InvalidInput("npi: ten digits with a valid check digit (the NPI registry's number)")
    tax_id = re.sub(r"[- ]", "", _line("tax id", tax_id, 11))
    if not re.fullmatch(r"[0-9]{9}", tax_id):
        raise InvalidInput("tax id: the practice's nine-digit employer identification number")
    taxonomy = _line("taxonomy", taxonomy, 10).upper()
    if taxonomy and not TAXONOMY.match(taxonomy):
        raise InvalidInput("taxonomy: a ten-character provider taxonomy code such as 261QM0801X")
    phone = re.sub(r"[^0-9]", "", _line("phone", phone, 20))
    if phone and len(phone) != 10:
        raise InvalidInput("phone: a ten-digit telephone number")
    contact = _line("contact", contact, 60)
    submitter_id = _line("submitter id", submitter_id, 15)
    if submitter_id and not re.fullmatch(r"[A-Za-z0-9]+", submitter_id):
        raise InvalidInput("submitter id: letters and digits, as the clearinghouse gave it")
    address = address if isinstance(address, dict) else {}
    out_address = {"line": _line("address", address.get("line"), 55, required=True),
                   "city": _line("city", address.get("city"), 30, required=True),
                   "state": _line("state", address.get("state"), 2, required=True).upper(),
                   "zip": re.sub(r"[- ]", "", _line("ZIP code", address.get("zip"), 10, required=True))}
    if not STATE.match(out_address["state"]):
        raise InvalidInput("state: the two-letter postal code, such as WA")
    if not re.fullmatch(r"[0-9]{9}", out_address["zip"]):
        raise InvalidInput("ZIP code: nine digits (ZIP+4); a claim's billing address needs them")
    values = {"npi": npi, "tax_id": tax_id, "taxonomy": taxonomy, "phone": phone, "contact": contact,
              "submitter_id": submitter_id, "address": out_address}
    with audited_transaction():
        practice = Practice.objects.select_for_update().get(id=user.practice_id)
        profile = dict(practice.billing_profile or {})
        profile.update(values)
        practice.billing_profile = profile
        practice.save(update_fields=["billing_profile"])
        _audit(user, "billing.practice_set", {"fields": sorted(values)})
    return values


def _check_fee(cpt, fee) -> tuple[str, str]:
    if not isinstance(cpt, str) or not CPT.match(cpt.strip()):
        raise InvalidInput("cpt: a five-character procedure code (e.g. 90834)")
    if not isinstance(fee, str) or not FEE.match(fee.strip()):
        raise InvalidInput(f"fee for {cpt.strip()}: an amount such as 150.00")
    return cpt.strip(), f"{Decimal(fee.strip()):.2f}"


def fee_schedule_set(*, user: User, fees: dict) -> dict:
    """The practice's fee for each procedure code (replaces the schedule; an empty fee
    removes a code)."""
    _editor(user)
    if not isinstance(fees, dict) or len(fees) > 60:
        raise InvalidInput("fees: at most 60 procedure codes")
    schedule = {}
    for cpt, fee in fees.items():
        if isinstance(fee, str) and not fee.strip():
            continue
        code, amount = _check_fee(cpt, fee)
        schedule[code] = amount
    with audited_transaction():
        practice = Practice.objects.select_for_update().get(id=user.practice_id)
        profile = dict(practice.billing_profile or {})
        profile["fees"] = schedule
        practice.billing_profile = profile
        practice.save(update_fields=["billing_profile"])
        _audit(user, "billing.fees_set", {"codes": sorted(schedule)})
    return schedule


def service_codes_set(*, user: User, codes: dict) -> dict:
    """The CPT code of each appointment type (by type id); an empty code goes back to
    the default (by the type's name, else its length)."""
    _editor(user)
    if not isinstance(codes, dict):
        raise InvalidInput("codes: a code for each appointment type")
    types = {str(t.id): t for t in AppointmentType.objects.filter(practice_id=user.practice_id)}
    chosen = {}
    for type_id, cpt in codes.items():
        if str(type_id) not in types:
            raise InvalidInput("appointment type: no such type in this practice")
        if isinstance(cpt, str) and not cpt.strip():
            continue
        if not isinstance(cpt, str) or not CPT.match(cpt.strip()):
            raise InvalidInput(f"{types[str(type_id)].label}: a five-character procedure code (e.g. 90834)")
        chosen[str(type_id)] = cpt.strip()
    with audited_transaction():
        practice = Practice.objects.select_for_update().get(id=user.practice_id)
        profile = dict(practice.billing_profile or {})
        profile["cpt_by_type"] = chosen
        practice.billing_profile = profile
        practice.save(update_fields=["billing_profile"])
        _audit(user, "billing.service_codes_set", {"types": sorted(chosen)})
    return chosen


def provider_ids_set(*, user: User, provider_id, npi, taxonomy) -> dict:
    """A provider's individual NPI and taxonomy (the rendering provider, loop 2310B)."""
    _editor(user)
    provider = User.objects.filter(practice_id=user.practice_id, role__in=PROVIDER_ROLES,
                                   pk=provider_id if isinstance(provider_id, int) or str(provider_id).isdigit()
                                   else -1).first()
    if provider is None:
        raise InvalidInput("provider: no such clinician in this practice")
    npi = _line("npi", npi, 10)
    if npi and not npi_valid(npi):
        raise InvalidInput(f"npi for {provider.full_name}: ten digits with a valid check digit")
    taxonomy = _line("taxonomy", taxonomy, 10).upper()
    if taxonomy and not TAXONOMY.match(taxonomy):
        raise InvalidInput(f"taxonomy for {provider.full_name}: a ten-character code such as 101YM0800X")
    with audited_transaction():
        practice = Practice.objects.select_for_update().get(id=user.practice_id)
        profile = dict(practice.billing_profile or {})
        providers = dict(profile.get("providers") or {})
        providers[str(provider.pk)] = {"npi": npi, "taxonomy": taxonomy}
        profile["providers"] = providers
        practice.billing_profile = profile
        practice.save(update_fields=["billing_profile"])
        _audit(user, "billing.provider_set", {"provider": provider.pk})
    return {"npi": npi, "taxonomy": taxonomy}


def cpt_for(profile: dict, type_id, label: str | None, minutes: int) -> str:
    """The procedure code of a session: its type's code, else the type's usual code by
    name, else psychotherapy by length (CPT time rule)."""
    chosen = (profile.get("cpt_by_type") or {}).get(str(type_id)) if type_id else None
    if chosen:
        return chosen
    by_label = DEFAULT_CPT_BY_LABEL.get((label or "").strip().casefold())
    if by_label:
        return by_label
    if minutes >= 53:
        return "90837"
    if minutes >= 38:
        return "90834"
    return "90832"


def fee_for(profile: dict, cpt: str) -> str:
    return (profile.get("fees") or {}).get(cpt, "")


def provider_ids(profile: dict, user_id) -> dict:
    return dict((profile.get("providers") or {}).get(str(user_id)) or {})

