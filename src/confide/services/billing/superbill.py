"""A superbill: the statement a client submits to their plan themselves (out of
network, or after paying out of pocket). It holds the practice (name, address, tax id,
NPI), each provider with their NPI, the client, the dates of service with their CPT
codes, the ICD-10-CM diagnoses with the code set's own descriptions
(simple-icd-10-cm), the fees and what was paid.

The client reads their own billing (US-HIPAA-ACCESS-SELF) and downloads it from the
portal; the biller (INT-BILLER) or the treating clinician produces it for them; the PDP
refuses anyone else (the front desk and the administrator have no billing), audited. Both go
through the door, audited as a read of identity, billing and diagnosis. It is not a
disclosure to a third party: the client decides whether to send it.
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import simple_icd_10_cm as icd

from confide.apps.practice.models import User
from confide.apps.records.models import Charge, Client, Diagnosis
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.billing.claims import BILLING_READ
from confide.services.billing.settings import KNOWN_CPT, PLACES_OF_SERVICE, profile_of
from confide.services.disclosures.render import render_pdf
from confide.services.keys import data_key_of
from confide.services.practice_time import human_date, local_today
from confide.services.sealing import unseal


def icd_description(code: str, recorded: str = "") -> str:
    """The code set's description of an ICD-10-CM code (the recorded one if the code
    set does not know it)."""
    try:
        return icd.get_description(code) if icd.is_valid_item(code) else recorded
    except Exception:  # noqa: BLE001 - the library raises plain ValueError on unknown codes
        return recorded


def _period(first, last) -> tuple[date | None, date | None]:
    try:
        start = date.fromisoformat(str(first)) if first else None
        end = date.fromisoformat(str(last)) if last else None
    except ValueError:
        raise InvalidInput("period: dates as YYYY-MM-DD") from None
    if start and end and end < start:
        raise InvalidInput("period: the last day comes before the first")
    return start, end


def superbill(*, user: User, client_id, first=None, last=None) -> dict:
    """The superbill's content for the client's services from `first` to `last` (either
    open)."""
    start, end = _period(first, last)
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories=BILLING_READ, detail={"view": "superbill"}, require_all=True) as ok:
        client = Client.objects.get(id=ok.client.id, practice_id=ok.client.practice_id)
        dek = data_key_of(client)
        identity = unseal(dek, Client, "identity_enc", client.id, client.identity_enc) or {}
        billing = unseal(dek, Client, "billing_enc", client.id, client.billing_enc) or {}
        diagnoses = []
        of_client = {"practice_id": client.practice_id, "client_id": client.id}
        for d in Diagnosis.objects.filter(**of_client).order_by("created_at", "id"):
            body = unseal(dek, Diagnosis, "body_enc", d.id, d.body_enc) or {}
            if body.get("code"):
                diagnoses.append({"code": body["code"], "description": icd_description(body["code"],
                                                                                      body.get("description", ""))})
        services = []
        for row in Charge.objects.filter(**of_client).order_by("created_at", "id"):
            body = unseal(dek, Charge, "body_enc", row.id, row.body_enc) or {}
            day = date.fromisoformat(body["date_of_service"])
            if (start and day < start) or (end and day > end):
                continue
            units = int(body.get("units") or 1)
            amount = Decimal(str(body.get("fee") or 0)) * units
            services.append({"date": day.isoformat(), "day": human_date(day, year=True), "cpt": body.get("cpt"),
                             "meaning": KNOWN_CPT.get(body.get("cpt"), ""), "units": units, "fee": f"{amount:.2f}",
                             "paid": f"{amount:.2f}" if body.get("paid_in_full") else "0.00",
                             "place": PLACES_OF_SERVICE.get(body.get("place_of_service") or "11", "office"),
                             "provider": (body.get("provider") or {}).get("name", ""),
                             "licence": (body.get("provider") or {}).get("licence", ""),
                             "provider_id": (body.get("provider") or {}).get("npi", "")})
    services.sort(key=lambda s: s["date"])
    profile = profile_of(client.practice_id)
    providers = {}
    for s in services:
        providers.setdefault(s["provider"], {"name": s["provider"], "licence": s["licence"], "npi": s["provider_id"]})
    charged = sum((Decimal(s["fee"]) for s in services), Decimal(0))
    paid = sum((Decimal(s["paid"]) for s in services), Decimal(0))
    address = profile.get("address") or {}
    return {
        "client_id": str(client.id),
        "practice": {"name": profile.get("name", ""), "npi": profile.get("npi", ""), "tax_id": profile.get("tax_id", ""),
                     "phone": profile.get("phone", ""),
                     "address": ", ".join(x for x in (address.get("line"), address.get("city"),
                                                      " ".join(x for x in (address.get("state"), address.get("zip"))
                                                               if x)) if x)},
        "client": {"name": identity.get("legal_name", ""), "dob": identity.get("dob", ""),
                   "payer": billing.get("payer", ""), "member_id": billing.get("member_id", "")},
        "providers": list(providers.values()),
        "diagnoses": diagnoses,
        "services": services,
        "charged": f"{charged:.2f}", "paid": f"{paid:.2f}", "balance": f"{charged - paid:.2f}",
        "period": [start.isoformat() if start else "", end.isoformat() if end else ""],
        "made_on": human_date(local_today(client.practice_id), year=True),
    }


def superbill_html(bill: dict) -> str:
    e = html.escape
    p, c = bill["practice"], bill["client"]
    rows = "".join(
        f"<tr><td>{e(s['day'])}</td><td>{e(s['cpt'] or '')}</td><td>{e(s['meaning'])}</td><td>{e(s['place'])}</td>"
        f"<td>{s['units']}</td><td>{e(s['fee'])}</td><td>{e(s['paid'])}</td><td>{e(s['provider'])}</td></tr>"
        for s in bill["services"])
    dx = "".join(f"<li>{e(d['code'])}: {e(d['description'])}</li>" for d in bill["diagnoses"])
    providers = "".join(f"<li>{e(pr['name'])}{', ' + e(pr['licence']) if pr['licence'] else ''}"
                        f"{', NPI ' + e(pr['npi']) if pr['npi'] else ''}</li>" for pr in bill["providers"])
    style = ("body{font-family:sans-serif;font-size:10pt} table{border-collapse:collapse;width:100%}"
             "td,th{border:1px solid #444;padding:3px;text-align:left} h1{font-size:15pt} h2{font-size:12pt}")
    return (f"<html lang='en'><head><meta charset='utf-8'><title>Superbill</title><style>{style}</style></head><body>"
            f"<h1>Superbill: statement for insurance reimbursement</h1>"
            f"<p><b>{e(p['name'])}</b><br>{e(p['address'])}<br>Phone {e(p['phone'])}<br>"
            f"Tax id (EIN) {e(p['tax_id'])} &middot; NPI {e(p['npi'])}</p>"
            f"<h2>Client</h2><p>{e(c['name'])}, born {e(str(c['dob']))}<br>"
            f"Plan: {e(c['payer'] or 'none on file')}{', member id ' + e(c['member_id']) if c['member_id'] else ''}</p>"
            f"<h2>Providers</h2><ul>{providers}</ul>"
            f"<h2>Diagnoses (ICD-10-CM)</h2><ul>{dx or '<li>none recorded</li>'}</ul>"
            f"<h2>Services</h2><table><tr><th>Date of service</th><th>CPT</th><th>Service</th><th>Place</th>"
            f"<th>Units</th><th>Fee</th><th>Paid</th><th>Provider</th></tr>{rows}</table>"
            f"<p><b>Total charged:</b> {e(bill['charged'])} &middot; <b>Paid:</b> {e(bill['paid'])} &middot; "
            f"<b>Balance:</b> {e(bill['balance'])}</p>"
            f"<p>Prepared {e(bill['made_on'])} for the client to submit to their plan.</p></body></html>")


def superbill_pdf(*, user: User, client_id, first=None, last=None) -> bytes:
    return render_pdf(superbill_html(superbill(user=user, client_id=client_id, first=first, last=last)))
