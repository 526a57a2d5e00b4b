"""The X12 837P (005010X222A1) professional claim: written from a claim packet the PDP
already decided, then validated with pyx12 against the implementation guide's map,
locally (no network). Nothing here reads the database: the claim holds exactly what
the packet holds (identity, billing, diagnosis codes), plus the practice's own billing
identity (its NPI, tax id and address, the providers' NPIs and taxonomies), which is no
client information.

Loops written: ISA/GS envelopes; 1000A submitter, 1000B receiver; 2000A/2010AA billing
provider; 2000B/2010BA subscriber (the client is the subscriber: SBR02 = 18), 2010BB
payer; 2300 claim with HI diagnoses (ICD-10-CM, ABK then ABF); 2310B rendering provider;
2400 service lines (SV1 with the CPT, fee, units, place of service and diagnosis
pointers; DTP*472 the date of service, the practice's local date).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from confide.core.errors import InvalidInput

SEG, ELEM, COMP, REP = "~", "*", ":", "^"
IMPLEMENTATION = "005010X222A1"
MAX_DIAGNOSES = 12  # HI carries up to twelve codes on a professional claim
MAX_POINTERS = 4  # SV107: up to four diagnosis pointers per line
# Characters X12's basic and extended sets allow in a free-text element (and none of
# the separators above).
_UNSAFE = re.compile(r"[^A-Za-z0-9 !&'()+,\-./;?=%@\[\]_{}\\|<>#$\"]")


class ClaimInvalid(InvalidInput):
    """An 837P that pyx12 refuses: nothing is sent."""


def clean(value, limit: int) -> str:
    """A free-text value in X12's character set, upper case, at most `limit` long."""
    text = " ".join(str(value or "").split()).upper()
    text = _UNSAFE.sub("", text).strip()
    return text[:limit].strip()


def _name_parts(full_name: str) -> tuple[str, str]:
    """(last, first) of a person's name as written ("Lena Varga" -> VARGA, LENA)."""
    words = [w for w in clean(full_name, 120).split(" ") if w]
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0][:60], ""
    return " ".join(words[1:])[:60], words[0][:35]


def _digits(value) -> str:
    return re.sub(r"[^0-9]", "", str(value or ""))


def _amount(value) -> str:
    """An X12 R (decimal) amount: no trailing zeros, no leading plus (150.00 -> 150)."""
    d = Decimal(str(value)).quantize(Decimal("0.01"))
    text = format(d.normalize(), "f")
    return text


@dataclass(frozen=True)
class Envelope:
    control_number: int  # ISA13/IEA02 and GS06/GE02: 1..999999999
    sender_id: str  # the practice's submitter id with the clearinghouse (or its tax id)
    receiver_id: str  # the payer's id
    created: datetime  # in the practice's zone


def _segments_to_text(segments: list[list[str]]) -> str:
    out = []
    for seg in segments:
        # trailing empty elements are dropped (X12 syntax)
        while len(seg) > 1 and seg[-1] == "":
            seg = seg[:-1]
        out.append(ELEM.join(seg) + SEG)
    return "\n".join(out) + "\n"


def build_837p(*, packet: dict, practice: dict, providers: dict, envelope: Envelope, claim_ref: str,
               place_of_service_default: str = "11") -> str:
    """The 837P for one claim packet.

    `practice`: name, npi, tax_id, taxonomy, address {line, city, state, zip}, phone,
    contact. `providers`: by provider name (as the charge recorded it) {npi, taxonomy}.
    `claim_ref`: the patient control number (CLM01, at most 20 characters).
    """
    sections = packet.get("sections") or {}
    identity = sections.get("identity") or {}
    billing = sections.get("billing") or {}
    services = [s for s in billing.get("services") or [] if s.get("cpt") and s.get("date_of_service")]
    if not services:
        raise InvalidInput("claim: no service a payer may see in this period")
    diagnoses = [d for d in sections.get("diagnosis") or [] if isinstance(d, dict) and d.get("code")]
    if not diagnoses:
        raise InvalidInput("claim: the client has no diagnosis on record; a claim needs one")
    codes = []
    for d in diagnoses:
        code = re.sub(r"[^A-Z0-9]", "", str(d["code"]).upper())
        if code and code not in codes:
            codes.append(code)
    codes = codes[:MAX_DIAGNOSES]
    payer = clean(billing.get("payer") or (packet.get("recipient") or {}).get("name"), 60)
    payer_id = clean(billing.get("payer_id") or envelope.receiver_id, 80)
    member_id = clean(billing.get("member_id"), 80)
    if not payer or not member_id:
        raise InvalidInput("claim: the client's plan and member id are needed (billing details)")
    last, first = _name_parts(identity.get("legal_name", ""))
    if not last:
        raise InvalidInput("claim: the client's legal name is needed")
    address = practice.get("address") or {}
    zip9 = _digits(address.get("zip"))
    if len(zip9) != 9:
        raise InvalidInput("practice: the billing address needs a nine-digit ZIP code (Billing settings)")
    if not _digits(practice.get("npi")) or not _digits(practice.get("tax_id")):
        raise InvalidInput("practice: the billing NPI and tax id are needed (Billing settings)")

    when = envelope.created
    segs: list[list[str]] = []
    isa_sender = clean(envelope.sender_id, 15).ljust(15)
    isa_receiver = clean(envelope.receiver_id, 15).ljust(15)
    control = f"{envelope.control_number:09d}"
    segs.append(["ISA", "00", " " * 10, "00", " " * 10, "ZZ", isa_sender, "ZZ", isa_receiver,
                 when.strftime("%y%m%d"), when.strftime("%H%M"), REP, "00501", control, "0", "P", COMP])
    segs.append(["GS", "HC", clean(envelope.sender_id, 15), clean(envelope.receiver_id, 15), when.strftime("%Y%m%d"),
                 when.strftime("%H%M"), str(envelope.control_number), "X", IMPLEMENTATION])
    st_at = len(segs)
    segs.append(["ST", "837", "0001", IMPLEMENTATION])
    segs.append(["BHT", "0019", "00", clean(claim_ref, 30), when.strftime("%Y%m%d"), when.strftime("%H%M"), "CH"])
    # 1000A submitter, 1000B receiver
    practice_name = clean(practice.get("name"), 60)
    segs.append(["NM1", "41", "2", practice_name, "", "", "", "", "46", clean(envelope.sender_id, 80)])
    segs.append(["PER", "IC", clean(practice.get("contact") or "BILLING OFFICE", 60), "TE",
                 _digits(practice.get("phone")) or "0000000000"])
    segs.append(["NM1", "40", "2", payer, "", "", "", "", "46", payer_id])
    # 2000A billing provider
    segs.append(["HL", "1", "", "20", "1"])
    if practice.get("taxonomy"):
        segs.append(["PRV", "BI", "PXC", clean(practice["taxonomy"], 50)])
    segs.append(["NM1", "85", "2", practice_name, "", "", "", "", "XX", _digits(practice["npi"])])
    segs.append(["N3", clean(address.get("line"), 55)])
    segs.append(["N4", clean(address.get("city"), 30), clean(address.get("state"), 2), zip9])
    segs.append(["REF", "EI", _digits(practice["tax_id"])])
    # 2000B subscriber: the client
    segs.append(["HL", "2", "1", "22", "0"])
    segs.append(["SBR", "P", "18", clean(billing.get("group"), 50), "", "", "", "", "", "CI"])
    segs.append(["NM1", "IL", "1", last, first, "", "", "", "MI", member_id])
    dob = identity.get("dob")
    if dob:
        segs.append(["DMG", "D8", date.fromisoformat(str(dob)[:10]).strftime("%Y%m%d"), "U"])
    segs.append(["NM1", "PR", "2", payer, "", "", "", "", "PI", payer_id])
    # 2300 claim
    total = sum(Decimal(str(s.get("fee") or "0")) * int(s.get("units") or 1) for s in services)
    pos = clean(services[0].get("place_of_service") or place_of_service_default, 2)
    segs.append(["CLM", clean(claim_ref, 20), _amount(total), "", "", f"{pos}{COMP}B{COMP}1", "Y", "A", "Y", "Y"])
    hi = ["HI", f"ABK{COMP}{codes[0]}"] + [f"ABF{COMP}{c}" for c in codes[1:]]
    segs.append(hi)
    # 2310B rendering provider, when the services name one (the first service's)
    rendering = (services[0].get("provider") or {})
    rendering_ids = providers.get(rendering.get("name", "")) or {}
    if rendering_ids.get("npi"):
        r_last, r_first = _name_parts(rendering.get("name", ""))
        segs.append(["NM1", "82", "1", r_last, r_first, "", "", "", "XX", _digits(rendering_ids["npi"])])
        if rendering_ids.get("taxonomy"):
            segs.append(["PRV", "PE", "PXC", clean(rendering_ids["taxonomy"], 50)])
    pointers = COMP.join(str(i + 1) for i in range(min(len(codes), MAX_POINTERS)))
    for n, s in enumerate(sorted(services, key=lambda s: (s["date_of_service"], s["cpt"])), start=1):
        units = int(s.get("units") or 1)
        line_total = Decimal(str(s.get("fee") or "0")) * units
        segs.append(["LX", str(n)])
        segs.append(["SV1", f"HC{COMP}{clean(s['cpt'], 5)}", _amount(line_total), "UN", str(units),
                     clean(s.get("place_of_service") or "", 2) if s.get("place_of_service") != pos else "", "",
                     pointers])
        segs.append(["DTP", "472", "D8", date.fromisoformat(s["date_of_service"]).strftime("%Y%m%d")])
    count = len(segs) - st_at + 1
    segs.append(["SE", str(count), "0001"])
    segs.append(["GE", "1", str(envelope.control_number)])
    segs.append(["IEA", "1", control])
    # ISA elements are fixed width; keep their padding (not stripped as trailing empties)
    return _segments_to_text(segs)


def validate_837p(text: str) -> list[str]:
    """pyx12's findings on the file (empty when it conforms to 005010X222A1), each one
    line. pyx12 reads its implementation-guide maps from its own package: no network."""
    import logging

    import pyx12.error_handler  # noqa: F401  (x12n_document uses it)
    import pyx12.params
    import pyx12.x12n_document

    logger = logging.getLogger("pyx12")
    logger.setLevel(logging.CRITICAL)  # findings come back in the JSON report, not the log
    param = pyx12.params.params()
    fd_997, fd_json = io.StringIO(), io.StringIO()
    ok = pyx12.x12n_document.x12n_document(param=param, src_file=io.StringIO(text), fd_997=fd_997, fd_html=None,
                                           fd_json=fd_json)
    findings = _findings(fd_json.getvalue())
    if not ok and not findings:
        findings = ["the file is not a valid X12 837P"]
    return findings


def _findings(report: str) -> list[str]:
    try:
        doc = json.loads(report) if report.strip() else {}
    except ValueError:
        return ["pyx12 wrote an unreadable report"]
    out: list[str] = []

    def walk(node, where: str = ""):
        if isinstance(node, dict):
            seg = node.get("seg_id") or node.get("id") or ""
            for key in ("errors", "err", "elements_errors"):
                for err in node.get(key) or []:
                    if isinstance(err, dict):
                        code = err.get("code") or err.get("err_cde") or ""
                        msg = err.get("msg") or err.get("err_str") or str(err)
                        out.append(f"{seg or where}: {code} {msg}".strip())
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value, seg or where)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(doc)
    return out
