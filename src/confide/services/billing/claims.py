"""Claims: the client's billing page, building a claim for a period, and the claim's
files (the X12 837P and a CMS-1500-like PDF).

A claim is a disclosure: `insurers.claim_build` asks the PDP (US-HIPAA-PAYMENT-CLAIM,
the self-pay forbid), keeps only the permitted categories and writes the accounting
entry. In the same transaction the 837P is written from that packet (so it holds
nothing the packet does not) and validated with pyx12; a file pyx12 refuses is an
error and nothing is disclosed. Reading a claim back (the page, a download) goes
through the door again and is audited with what was read.
"""

from __future__ import annotations

import html
import uuid
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Max

from confide.apps.practice.models import PayerAgreement, User
from confide.apps.records.models import Charge, Claim, Client, Diagnosis, Disclosure
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.billing.queue import (
    CLIENT_RESTRICTED_WORDS,
    RESTRICTED_WORDS,
    claimed_charge_ids,
)
from confide.services.billing.settings import (
    KNOWN_CPT,
    PLACES_OF_SERVICE,
    claim_readiness,
    profile_of,
)
from confide.services.billing.x12 import (
    ClaimInvalid,
    Envelope,
    build_837p,
    validate_837p,
)
from confide.services.disclosures import insurers
from confide.services.disclosures.render import render_pdf
from confide.services.keys import client_data_key, data_key_of
from confide.services.practice_time import human_date, local_today, practice_zone
from confide.services.sealing import seal, unseal

BILLING_READ = frozenset({"identity", "billing", "diagnosis"})


def _day(raw) -> date:
    return date.fromisoformat(str(raw))


def _charges(dek: bytes, practice_id, client_id) -> list[tuple[Charge, dict]]:
    rows = Charge.objects.filter(practice_id=practice_id, client_id=client_id).order_by("created_at", "id")
    return [(c, unseal(dek, Charge, "body_enc", c.id, c.body_enc) or {}) for c in rows]


def client_billing(*, user: User, client_id) -> dict:
    """The client's billing page: plan and member id, each charge (claimed, waiting,
    or kept from the plan, in words), the claims built, and what a claim needs still."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories=BILLING_READ, detail={"view": "client_billing"}, require_all=True) as ok:
        client = Client.objects.get(id=ok.client.id, practice_id=ok.client.practice_id)
        dek = data_key_of(client)
        identity = unseal(dek, Client, "identity_enc", client.id, client.identity_enc) or {}
        billing = unseal(dek, Client, "billing_enc", client.id, client.billing_enc) or {}
        recorded = Diagnosis.objects.filter(practice_id=client.practice_id, client_id=client.id)
        diagnoses = [unseal(dek, Diagnosis, "body_enc", d.id, d.body_enc) or {}
                     for d in recorded.order_by("created_at", "id")]
        claimed = claimed_charge_ids(client.practice_id, [client.id])
        client_restricted = bool(billing.get("self_pay") and billing.get("restrict_payer"))
        charges = []
        for row, body in _charges(dek, client.practice_id, client.id):
            restricted = bool(body.get("paid_in_full") and body.get("restrict_payer"))
            charges.append({"id": str(row.id), "date": body.get("date_of_service"),
                            "day": human_date(_day(body["date_of_service"])), "cpt": body.get("cpt"),
                            "meaning": KNOWN_CPT.get(body.get("cpt"), ""), "fee": body.get("fee"),
                            "units": body.get("units", 1), "provider": (body.get("provider") or {}).get("name", ""),
                            "paid_in_full": bool(body.get("paid_in_full")), "restricted": restricted,
                            "claimed": str(row.id) in claimed,
                            "why": RESTRICTED_WORDS if restricted else (CLIENT_RESTRICTED_WORDS if client_restricted
                                                                        else "")})
        claims = []
        tz = practice_zone(client.practice_id)
        built = Claim.objects.filter(practice_id=client.practice_id, client_id=client.id)
        for claim in built.order_by("-created_at", "-id"):
            body = unseal(dek, Claim, "body_enc", claim.id, claim.body_enc) or {}
            claims.append({"id": str(claim.id), "payer": body.get("payer"), "total": body.get("total"),
                           "period": body.get("period"), "control_number": claim.control_number,
                           "built": human_date(claim.created_at.astimezone(tz).date()),
                           "services": len(body.get("charge_ids") or [])})
    unclaimed = [c for c in charges if not c["claimed"] and not c["restricted"] and not client_restricted]
    payers = list(PayerAgreement.objects.filter(practice_id=user.practice_id).order_by("payer")
                  .values_list("payer", flat=True))
    return {
        "client_id": str(client.id), "name": identity.get("legal_name", ""),
        "preferred_name": identity.get("preferred_name", ""),
        "payer": billing.get("payer", ""), "member_id": billing.get("member_id", ""), "group": billing.get("group", ""),
        "self_pay": bool(billing.get("self_pay")), "client_restricted": client_restricted,
        "restricted_words": CLIENT_RESTRICTED_WORDS if client_restricted else "",
        "diagnoses": [{"code": d.get("code"), "description": d.get("description", "")} for d in diagnoses],
        "charges": charges, "claims": claims, "payers": payers,
        "unclaimed_first": min((c["date"] for c in unclaimed), default=""),
        "unclaimed_last": max((c["date"] for c in unclaimed), default=""),
        "settings_missing": claim_readiness(profile_of(user.practice_id)),
        "today": local_today(user.practice_id).isoformat(),
    }


def _next_control_number(practice_id) -> int:
    top = Claim.objects.filter(practice_id=practice_id).aggregate(m=Max("control_number"))["m"] or 0
    return top + 1


def claim_create(*, user: User, client_id, payer, first, last) -> dict:
    """Build a claim to `payer` for the client's services from `first` to `last` (days
    of service, the practice's dates) not claimed before and not kept from the plan.
    Refused in one line: nothing to claim, services of the period already claimed,
    the practice's billing settings incomplete, or the PDP's refusal (a self-pay
    restriction names its rule)."""
    try:
        start, end = _day(first), _day(last)
    except ValueError:
        raise InvalidInput("period: dates as YYYY-MM-DD") from None
    if end < start:
        raise InvalidInput("period: the last day comes before the first")
    payer = insurers._one_line("payer", payer)
    # Through the door first: a caller without a relationship learns nothing here.
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"billing"}, detail={"view": "claim_prepare"}, require_all=True) as ok:
        cid = ok.client.id
        dek = client_data_key(cid, ok.client.practice_id)
        claimed = claimed_charge_ids(ok.client.practice_id, [cid])
        in_period = [(row, body) for row, body in _charges(dek, ok.client.practice_id, cid)
                     if start <= _day(body["date_of_service"]) <= end
                     and not (body.get("paid_in_full") and body.get("restrict_payer"))]
    already = sorted({body["date_of_service"] for row, body in in_period if str(row.id) in claimed})
    if already:
        raise InvalidInput("period: services of " + ", ".join(human_date(_day(d)) for d in already)
                           + " are on a claim already; choose the days after them")
    missing = claim_readiness(profile_of(user.practice_id))
    if missing:
        raise InvalidInput("billing settings: a claim needs " + ", ".join(missing))
    charge_ids = [str(row.id) for row, _body in in_period]
    made: dict = {}

    def write_claim(disclosure_id: uuid.UUID) -> None:
        row = Disclosure.objects.get(id=disclosure_id, practice_id=user.practice_id)
        packet = unseal(dek, Disclosure, "packet_enc", row.id, row.packet_enc)
        profile = profile_of(user.practice_id)
        control = _next_control_number(user.practice_id)
        ids = {str(k): v for k, v in (profile.get("providers") or {}).items()}
        by_name = {}
        for service in (packet["sections"].get("billing") or {}).get("services") or []:
            provider = service.get("provider") or {}
            by_name[provider.get("name", "")] = {"npi": provider.get("npi", ""),
                                                 "taxonomy": provider.get("taxonomy", "")}
        for staff in User.objects.filter(practice_id=user.practice_id, pk__in=[int(k) for k in ids if k.isdigit()]):
            if ids[str(staff.pk)].get("npi"):
                by_name[staff.full_name] = ids[str(staff.pk)]
        receiver = (profile.get("payer_ids") or {}).get(payer) or payer_id_default(payer)
        created = datetime.now(practice_zone(user.practice_id))
        text = build_837p(packet=packet, practice=profile, providers=by_name, claim_ref=claim_ref(control),
                          envelope=Envelope(control_number=control,
                                            sender_id=profile.get("submitter_id") or profile["tax_id"],
                                            receiver_id=receiver, created=created))
        findings = validate_837p(text)
        if findings:
            raise ClaimInvalid("claim: the 837P file does not validate: " + "; ".join(findings[:3]))
        services = (packet["sections"].get("billing") or {}).get("services") or []
        amount = sum((Decimal(str(s.get("fee") or 0)) * int(s.get("units") or 1) for s in services), Decimal(0))
        cid_row = uuid.uuid4()
        body = {"payer": payer, "payer_id": receiver, "period": [start.isoformat(), end.isoformat()],
                "charge_ids": charge_ids, "total": f"{amount:.2f}", "x12": text, "validated_by": "pyx12",
                "disclosure_id": str(disclosure_id)}
        Claim.objects.create(id=cid_row, practice_id=row.practice_id, client_id=row.client_id, disclosure=row,
                             control_number=control, body_enc=seal(dek, Claim, "body_enc", cid_row, body))
        made["id"] = str(cid_row)

    result = insurers.claim_build(user=user, client_id=client_id, payer=payer, period=(start, end),
                                  on_recorded=write_claim)
    return {"id": made["id"], "disclosure_id": result["id"], "rule_ids": result["rule_ids"]}


def claim_ref(control: int) -> str:
    """The patient control number (CLM01): the claim's number in the practice, never
    the client's id or record number."""
    return f"HL{control:09d}"


def payer_id_default(payer: str) -> str:
    """A payer without an electronic payer id recorded is addressed by its name's
    letters (the clearinghouse maps it); the settings page asks for the real id."""
    letters = "".join(ch for ch in payer.upper() if ch.isalnum())
    return letters[:15] or "PAYER"


def _claim_row(user: User, client_id, claim_id, view: str, fmt: str):
    cid = access.parse_client_id(claim_id)
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories=BILLING_READ, detail={"view": view, "format": fmt}, require_all=True) as ok:
        practice_id = ok.client.practice_id
        claim = Claim.objects.filter(id=cid, client_id=ok.client.id, practice_id=practice_id,
                                     disclosure__practice_id=practice_id).select_related("disclosure").first() \
            if cid else None
        if claim is None:
            raise NotFound()
        dek = data_key_of(claim)
        body = unseal(dek, Claim, "body_enc", claim.id, claim.body_enc) or {}
        packet = unseal(dek, Disclosure, "packet_enc", claim.disclosure_id, claim.disclosure.packet_enc) or {}
    return claim, body, packet


def claim_get(*, user: User, client_id, claim_id) -> dict:
    """The claim as the page shows it: what left, to whom, on what basis."""
    claim, body, packet = _claim_row(user, client_id, claim_id, "claim", "page")
    sections = packet.get("sections") or {}
    billing = sections.get("billing") or {}
    tz = practice_zone(claim.practice_id)
    services = [{**s, "day": human_date(_day(s["date_of_service"])), "meaning": KNOWN_CPT.get(s.get("cpt"), ""),
                 "place": PLACES_OF_SERVICE.get(s.get("place_of_service") or "11", ""),
                 "provider_name": (s.get("provider") or {}).get("name", "")}
                for s in billing.get("services") or []]
    return {"id": str(claim.id), "client_id": str(claim.client_id), "control_number": claim.control_number,
            "claim_ref": claim_ref(claim.control_number), "payer": body.get("payer"), "payer_id": body.get("payer_id"),
            "total": body.get("total"), "period": [human_date(_day(d)) for d in body.get("period") or []],
            "built": claim.created_at.astimezone(tz).strftime("%a %-d %b %Y %-I:%M %p"),
            "subscriber": {"name": (sections.get("identity") or {}).get("legal_name", ""),
                           "dob": (sections.get("identity") or {}).get("dob", ""),
                           "member_id": billing.get("member_id", ""), "group": billing.get("group", "")},
            "diagnoses": [{"code": d.get("code"), "description": d.get("description", "")}
                          for d in sections.get("diagnosis") or []],
            "services": services, "basis": (packet.get("basis") or {}).get("citation", ""),
            "rule_ids": packet.get("rule_ids") or [], "categories": packet.get("categories") or [],
            "validated_by": body.get("validated_by", "")}


def claim_file(*, user: User, client_id, claim_id, fmt: str) -> tuple[bytes, str, str]:
    """A claim's file: the 837P as sent ("x12") or the CMS-1500-like PDF ("pdf").
    Returns (content, media type, file name). Each download is read through the door
    and audited with its format."""
    if fmt not in ("x12", "pdf"):
        raise InvalidInput("format: x12 or pdf")
    claim, body, packet = _claim_row(user, client_id, claim_id, "claim_file", fmt)
    name = claim_ref(claim.control_number)
    if fmt == "x12":
        return body["x12"].encode("ascii"), "application/edi-x12", f"{name}.837p.txt"
    profile = profile_of(claim.practice_id)
    return render_pdf(cms1500_html(packet, body, profile, claim_ref(claim.control_number))), "application/pdf", \
        f"{name}.pdf"


def cms1500_html(packet: dict, body: dict, profile: dict, ref: str) -> str:
    """A readable claim laid out in the CMS-1500's order (boxes 1a to 33): the same
    fields the 837P carries, for a payer that takes paper or for the biller's file."""
    e = html.escape
    sections = packet.get("sections") or {}
    identity = sections.get("identity") or {}
    billing = sections.get("billing") or {}
    address = profile.get("address") or {}
    codes = [d for d in sections.get("diagnosis") or [] if d.get("code")][:12]
    letters = "ABCDEFGHIJKL"
    rows = []
    for s in billing.get("services") or []:
        units = int(s.get("units") or 1)
        rows.append(f"<tr><td>{e(_day(s['date_of_service']).strftime('%m %d %y'))}</td>"
                    f"<td>{e(s.get('place_of_service') or '11')}</td><td>{e(s.get('cpt', ''))}</td>"
                    f"<td>{e(''.join(letters[i] for i in range(min(4, len(codes)))))}</td>"
                    f"<td>{e(str(Decimal(str(s.get('fee') or 0)) * units))}</td><td>{units}</td>"
                    f"<td>{e((s.get('provider') or {}).get('npi', ''))}</td></tr>")
    dx = "".join(f"<li><b>{letters[i]}.</b> {e(d['code'])} {e(d.get('description', ''))}</li>"
                 for i, d in enumerate(codes))
    style = ("body{font-family:sans-serif;font-size:10pt} table{border-collapse:collapse;width:100%}"
             "td,th{border:1px solid #444;padding:3px;text-align:left} h1{font-size:14pt} .box{margin:4px 0}")
    return (f"<html lang='en'><head><meta charset='utf-8'><title>Claim {e(ref)}</title><style>{style}</style></head>"
            f"<body><h1>Health insurance claim (CMS-1500 layout) {e(ref)}</h1>"
            f"<p class='box'><b>Payer:</b> {e(body.get('payer', ''))} ({e(body.get('payer_id', ''))})</p>"
            f"<p class='box'><b>1a Insured's ID:</b> {e(billing.get('member_id', ''))}"
            f" &nbsp; <b>11 Group:</b> {e(billing.get('group', ''))}</p>"
            f"<p class='box'><b>2 Patient's name:</b> {e(identity.get('legal_name', ''))}"
            f" &nbsp; <b>3 Birth date:</b> {e(str(identity.get('dob', '')))}</p>"
            f"<p class='box'><b>6 Relationship to insured:</b> self</p>"
            f"<p class='box'><b>21 Diagnosis (ICD-10-CM):</b></p><ul>{dx}</ul>"
            f"<p class='box'><b>24 Services</b></p><table><tr><th>A Date of service</th><th>B Place</th>"
            f"<th>D CPT</th><th>E Pointer</th><th>F Charges</th><th>G Units</th><th>J Rendering NPI</th></tr>"
            f"{''.join(rows)}</table>"
            f"<p class='box'><b>25 Federal tax id (EIN):</b> {e(profile.get('tax_id', ''))}"
            f" &nbsp; <b>26 Patient's account no.:</b> {e(ref)}</p>"
            f"<p class='box'><b>28 Total charge:</b> {e(body.get('total', ''))}</p>"
            f"<p class='box'><b>33 Billing provider:</b> {e(profile.get('name', ''))}, "
            f"{e(address.get('line', ''))}, {e(address.get('city', ''))} {e(address.get('state', ''))} "
            f"{e(address.get('zip', ''))} &nbsp; <b>33a NPI:</b> {e(profile.get('npi', ''))}</p>"
            f"</body></html>")

