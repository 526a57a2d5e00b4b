"""The accounting of disclosures (45 CFR 164.528; RULES.md 1.12).

The client (and their treating clinicians) can get the list of every disclosure made
from the client's record in the six years before the request (164.528(a)), each entry
with the elements of 164.528(b)(2): the date, the recipient's name and address if
known, a brief description of what was disclosed, and a brief statement of the
purpose or basis. It goes further than the rule: disclosures 164.528(a)(1) excludes
(treatment, payment and operations; to the client; under an authorization; ...) are
listed too, marked "not required by 164.528" with the reason.

Whether an entry is one 164.528 requires is decided when the disclosure is made (the
deciding rule carries the `accountable` obligation; every 164.512 disclosure does) and
stored on the `Disclosure` row, which is never updated or deleted. A release revoked
later therefore leaves its earlier disclosures in the accounting (RULES.md 1.2.4).

Reading the accounting goes through the door (action read, category "disclosures");
the audit row of that decision is the record of the request (164.528(d)).
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import Disclosure
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.demo.data import CLIENTS
from confide.services.disclosures.accounting_suspensions import (
    is_suspended,
    suspended_agencies,
)
from confide.services.disclosures.obligations import (
    held_from_live_view,
    is_safety_disclosure,
)
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_packet_build,
)
from confide.services.disclosures.render import (
    BASIS_PLAIN,
    PURPOSE_PLAIN,
    describe_categories,
    reading_order,
    render_pdf,
)
from confide.services.keys import data_key_of
from confide.services.practice_time import local_date
from confide.services.sealing import unseal

YEARS_MAX = 6  # 164.528(a): six years, or a shorter period the individual asks for

# Why an entry is not one 164.528 requires (164.528(a)(1)), by what the basis was.
NOT_REQUIRED = {
    "authorization": "under the client's written authorization (45 CFR 164.528(a)(1)(iv))",
    "client": "made to the client (45 CFR 164.528(a)(1)(ii))",
    "representative": "made to the client's personal representative, who stands in for the client "
                      "(45 CFR 164.528(a)(1)(ii); 45 CFR 164.502(g))",
    "tpo": "for treatment, payment or health care operations (45 CFR 164.528(a)(1)(i))",
    "involvement": "to a person involved in the client's care (45 CFR 164.528(a)(1)(v))",
    "other": "not among the disclosures 45 CFR 164.528 requires to be listed",
    "deidentified": "de-identified under the Safe Harbor method (45 CFR 164.514(b)(2)): de-identified "
                    "information is not protected health information (45 CFR 164.514(a)), so 45 CFR 164.528 "
                    "does not reach it",
}
AUTHORIZATION_BASES = frozenset({"release", "pn_release", "part2_consent"})
# A consultation packet disguised with surrogates or the first name kept is not Safe
# Harbor: it stays PHI, disclosed for treatment or operations (the TPO reason below).
DEIDENTIFIED_BASES = frozenset({"deidentified_consultation"})
TPO_BASES = frozenset({"payer_claim", "payer_agreement"})
TPO_PURPOSES = frozenset({"TREAT", "ETREAT", "COC", "HPAYMT", "HOPERAT"})
REPRESENTATIVE_BASES = frozenset({"ground_rules", "minor_permission"})


def not_required_reason(entry: dict) -> str:
    """Why a disclosure the rules did not mark accountable is left out of what 164.528
    requires."""
    basis = (entry.get("basis") or {}).get("kind")
    recipient = (entry.get("recipient") or {}).get("kind")
    purpose = entry.get("purpose")
    if basis in DEIDENTIFIED_BASES:
        return NOT_REQUIRED["deidentified"]
    if basis in AUTHORIZATION_BASES:
        return NOT_REQUIRED["authorization"]
    if recipient == "client" or basis == "client_request":
        return NOT_REQUIRED["client"]
    if recipient == "representative" or basis in REPRESENTATIVE_BASES:
        return NOT_REQUIRED["representative"]
    if basis in TPO_BASES or purpose in TPO_PURPOSES:
        return NOT_REQUIRED["tpo"]
    if recipient == "family" or purpose == "FAMRQT":
        return NOT_REQUIRED["involvement"]
    return NOT_REQUIRED["other"]


def purpose_statement(entry: dict) -> str:
    """164.528(b)(2)(iv): a brief statement that reasonably tells the client the basis."""
    basis = entry.get("basis") or {}
    why = PURPOSE_PLAIN.get(entry.get("purpose"), entry.get("purpose") or "")
    on = BASIS_PLAIN.get(basis.get("kind"), basis.get("kind") or "")
    detail = "; ".join(x for x in (basis.get("description"), basis.get("citation")) if x)
    text = f"{why.capitalize()}, on {on}" if on else why.capitalize()
    return f"{text} ({detail})" if detail else text


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, month=2, day=28)


def _check(years, now) -> datetime:
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= YEARS_MAX:
        raise InvalidInput(f"years: give a whole number from 1 to {YEARS_MAX}")
    if now is None:
        return datetime.now(timezone.utc)
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise InvalidInput("now: give a time with a time zone")
    return now


def accounting_of_disclosures(*, user: User, client_id, years: int = YEARS_MAX, now: datetime | None = None,
                              fmt: str = "json") -> dict:
    """Every disclosure of the client's record in the `years` (1 to 6) before `now`,
    oldest first, each with the 164.528(b)(2) elements and whether 164.528 requires it.

    Through the door (action read, category "disclosures"): the client themself
    (portal or API, purpose PATRQT) and their treating or supervising clinicians get
    it; anyone else gets NotFound, exactly as for a client that does not exist.
    """
    now = _check(years, now)
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"},
                         detail={"view": "accounting", "years": years, "format": fmt}) as ok:
        # The client's live view holds back safety disclosures not yet told (see
        # obligations.held_from_live_view); staff, and a formal accounting, see all.
        mode = "live" if user.role in ("client", "representative") else "staff"
        return accounting_report(practice=user.practice, client=ok.client, years=years, now=now, mode=mode)


def accounting_report(*, practice, client, years: int, now: datetime, mode: str) -> dict:
    """The accounting itself, for a caller already through the door. `mode`:
    "live" (the client's portal view: held-back safety disclosures left out), "staff"
    (everything, agency suspensions marked) or "formal" (the accounting a formal
    request gets: every disclosure but those an agency's suspension covers). Outside
    "staff", a protected person's address is never shown, and a suspended agency's
    disclosures are left out (164.528(a)(2))."""
    since = _years_before(now, years)
    dek = data_key_of(client)
    rows = list(Disclosure.objects.filter(practice_id=client.practice_id, client_id=client.id, made_at__gte=since,
                                          made_at__lte=now).order_by("made_at", "id"))
    held = held_from_live_view(client.id, client.practice_id) if mode == "live" else frozenset()
    suspended = suspended_agencies(client.practice_id, local_date(client.practice_id, now))
    entries = []
    for row in rows:
        entry = unseal(dek, Disclosure, "entry_enc", row.id, row.entry_enc) or {}
        if mode == "live" and row.id in held and is_safety_disclosure(entry):
            continue
        recipient = dict(entry.get("recipient") or {})
        suspended_until = is_suspended(recipient, suspended)
        if suspended_until and mode != "staff":
            continue
        if mode != "staff" and recipient.get("kind") == "person_at_risk":
            recipient["address"] = None  # never where the protected person can be found
        categories = reading_order(entry.get("categories") or [])
        item = {
            "id": str(row.id),
            "date": row.made_at.astimezone(timezone.utc).isoformat(timespec="seconds"),
            "day": local_date(client.practice_id, row.made_at).isoformat(),  # the practice's date
            "recipient": {"name": recipient.get("name", ""), "address": recipient.get("address") or None,
                          "kind": recipient.get("kind", "")},
            "description": describe_categories(categories),
            "categories": categories,
            "purpose": purpose_statement(entry),
            "basis": {k: (entry.get("basis") or {}).get(k, "") for k in ("kind", "citation", "description")},
            "required": bool(row.accountable),
            "not_required_reason": None if row.accountable else not_required_reason(entry),
            "made_by": entry.get("made_by", ""),
            # staff only ever see a suspended one: the last day of the agency's suspension
            "suspended_until": suspended_until.isoformat() if suspended_until else None,
        }
        entries.append(item)
    return {
        "practice": practice.name,
        # Days a person reads are the practice's days, not UTC's.
        "period": {"start": local_date(client.practice_id, since).isoformat(),
                   "end": local_date(client.practice_id, now).isoformat()},
        "generated_at": now.isoformat(timespec="seconds"),
        "generated_on": local_date(client.practice_id, now).isoformat(),
        "years": years,
        "required_count": sum(1 for e in entries if e["required"]),
        "entries": entries,
    }


# --- the written accounting -------------------------------------------------------------

ACCOUNTING_STYLE = """
@page { size: Letter; margin: 2cm 1.8cm 2.4cm 1.8cm;
  @bottom-left { content: "Accounting of disclosures, prepared __DATE__"; font: 8pt sans-serif; color: #444; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #444; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #111; }
h1 { font-size: 16pt; margin: 0; } .practice { font-size: 11pt; color: #333; margin: 0 0 10pt 0; }
.intro p { margin: 0 0 6pt 0; }
table { border-collapse: collapse; width: 100%; margin-top: 8pt; }
th, td { text-align: left; vertical-align: top; padding: 3pt 4pt; border-bottom: 0.5pt solid #bbb; }
th { background: #eee; } tr { page-break-inside: avoid; }
.req { font-weight: bold; } .muted { color: #555; font-size: 9pt; }
"""


def accounting_html(accounting: dict) -> str:
    e = html.escape
    period, practice = accounting["period"], accounting["practice"]
    rows = []
    for entry in accounting["entries"]:
        recipient = entry["recipient"]
        to = e(recipient["name"]) + (f"<br><span class='muted'>{e(recipient['address'])}</span>"
                                     if recipient.get("address") else "")
        if entry["required"]:
            listed = "<span class='req'>Yes</span>"
        else:
            listed = f"No: {e(entry['not_required_reason'])}"
        rows.append(f"<tr><td>{e(entry['day'])}</td><td>{to}</td><td>{e(entry['description'])}</td>"
                    f"<td>{e(entry['purpose'])}</td><td>{listed}</td></tr>")
    if rows:
        table = ("<table><thead><tr><th>Date</th><th>Shared with</th><th>What was shared</th><th>Why</th>"
                 "<th>Required by law to be listed?</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    else:
        table = ("<p><strong>No information from your record was shared outside the practice in this period."
                 "</strong></p>")
    intro = (
        f"<p>This is a list of every time {e(practice)} shared information from your record with someone "
        f"outside the practice between {e(period['start'])} and {e(period['end'])}.</p>"
        "<p>Federal law (45 CFR 164.528) gives you the right to this list. The law does not require us to list "
        "information shared for your treatment, for payment or for running the practice, information given to "
        "you, or information shared with your written permission. We list those too, so that you can see every "
        "time your information left the practice; the last column says which ones the law requires.</p>"
        "<p>If you have questions about an entry, or think something was shared that should not have been, "
        "please ask us. You can also complain to the U.S. Department of Health and Human Services, Office for "
        "Civil Rights.</p>")
    request = accounting.get("request")
    if request:
        intro = (f"<p><strong>You asked for this accounting on {e(request['received_on'])}. It was prepared by "
                 f"{e(request['prepared_by'])}, the practice's privacy officer, on {e(accounting['generated_on'])}, "
                 "and lists every disclosure in the period, including any not yet shown in your portal."
                 "</strong></p>") + intro
    style = ACCOUNTING_STYLE.replace("__DATE__", e(accounting["generated_on"]))
    return (f"<html lang='en'><head><meta charset='utf-8'><title>Accounting of disclosures</title>"
            f"<style>{style}</style></head><body><h1>Your accounting of disclosures</h1>"
            f"<p class='practice'>{e(practice)}</p><div class='intro'>{intro}</div>{table}</body></html>")


def accounting_pdf(*, user: User, client_id, years: int = YEARS_MAX, now: datetime | None = None) -> bytes:
    """The written accounting, as a PDF (weasyprint)."""
    return render_pdf(accounting_html(accounting_of_disclosures(user=user, client_id=client_id, years=years,
                                                                now=now, fmt="pdf")))


# --- demo -------------------------------------------------------------------------------

def demo_disclosures(staff: dict, client_ids: dict) -> None:
    """Two disclosures for the demo's first client, made through the one door: a claim
    to her health plan (payment) and a copy of her record at her own request. Neither
    is one 164.528 requires; both appear in her accounting, marked as such."""
    lena = next(c for c in CLIENTS if c["key"] == "c1")
    disclosure_packet_build(
        user=staff["pellham"], client_id=client_ids["c1"],
        recipient=Recipient(name=lena["insurance"]["payer"], kind="insurer", address="Claims, PO Box 0000, Seattle"),
        purpose="HPAYMT", categories={"identity", "billing", "diagnosis"},
        basis=Basis(kind="payer_claim", citation="45 CFR 164.506(c)(1)", description="Claim for sessions attended"))
    disclosure_packet_build(
        user=staff["marsh"], client_id=client_ids["c1"],
        recipient=Recipient(name=lena["legal_name"], kind="client", address=lena["address"]),
        purpose="PATRQT", categories={"identity", "diagnosis", "treatment_plan", "appointments", "attendance",
                                      "assessments", "progress_notes"},
        basis=Basis(kind="client_request", citation="45 CFR 164.524",
                    description="Copy of her record, requested in session"))
