"""The 837P file: what it carries (and never carries), and that pyx12 accepts it; a
file pyx12 rejects fails (the validator is real, not a formality)."""

from __future__ import annotations

from datetime import datetime

import pytest

from confide.core.errors import InvalidInput
from confide.services.billing.x12 import Envelope, build_837p, validate_837p

PACKET = {
    "recipient": {"name": "Cascadia Health Plan", "kind": "insurer"},
    "sections": {
        "identity": {"legal_name": "Lena Varga", "preferred_name": "Lena", "dob": "1991-04-12", "pronouns": "she/her",
                     "record_number": "HL-0001"},
        "billing": {"payer": "Cascadia Health Plan", "member_id": "CHP-448120937", "group": "TAC-20418",
                    "services": [
                        {"date_of_service": "2026-11-03", "cpt": "90791", "fee": "200.00", "units": 1,
                         "provider": {"name": "Theo Marsh-Calloway", "licence": "LMHC", "npi": "1548100233",
                                      "taxonomy": "101YM0800X"}},
                        {"date_of_service": "2026-11-10", "cpt": "90834", "fee": "150.00", "units": 1,
                         "place_of_service": "10",
                         "provider": {"name": "Theo Marsh-Calloway", "licence": "LMHC"}}]},
        "diagnosis": [{"code": "F41.1", "description": "Generalized anxiety disorder", "since": "2026-10-01"},
                      {"code": "G47.00", "description": "Insomnia, unspecified"}],
    },
}
PRACTICE = {"name": "Harbor Light Counseling", "npi": "1234567893", "tax_id": "911234567", "taxonomy": "261QM0801X",
            "phone": "2535550100", "address": {"line": "1420 Marrowstone Avenue, Suite 210", "city": "Tacoma",
                                                "state": "WA", "zip": "984031234"}}
PROVIDERS = {"Theo Marsh-Calloway": {"npi": "1548100233", "taxonomy": "101YM0800X"}}
ENVELOPE = Envelope(control_number=42, sender_id="HLC911234567", receiver_id="CASCADIAHEALTH",
                    created=datetime(2026, 12, 7, 9, 30))


def claim(packet=PACKET, practice=PRACTICE) -> str:
    return build_837p(packet=packet, practice=practice, providers=PROVIDERS, envelope=ENVELOPE, claim_ref="HL000000042")


def segments(text: str) -> list[list[str]]:
    return [line.rstrip("~").split("*") for line in text.strip().splitlines()]


def test_the_837p_is_valid_for_pyx12():
    assert validate_837p(claim()) == []


def test_it_carries_the_implementation_the_subscriber_the_codes_dates_fees_and_providers():
    segs = segments(claim())
    by_id = {}
    for s in segs:
        by_id.setdefault(s[0], []).append(s)
    assert by_id["ST"][0] == ["ST", "837", "0001", "005010X222A1"]
    assert by_id["GS"][0][-1] == "005010X222A1"
    assert by_id["ISA"][0][13] == "000000042"
    subscriber = next(s for s in by_id["NM1"] if s[1] == "IL")
    assert subscriber[3:5] == ["VARGA", "LENA"] and subscriber[-1] == "CHP-448120937"
    assert by_id["DMG"][0][:3] == ["DMG", "D8", "19910412"]
    assert by_id["SBR"][0][3] == "TAC-20418"
    assert next(s for s in by_id["NM1"] if s[1] == "85")[-1] == "1234567893"
    assert by_id["REF"][0] == ["REF", "EI", "911234567"]
    rendering = next(s for s in by_id["NM1"] if s[1] == "82")
    assert rendering[3:5] == ["MARSH-CALLOWAY", "THEO"] and rendering[-1] == "1548100233"
    assert by_id["HI"][0] == ["HI", "ABK:F411", "ABF:G4700"]
    assert by_id["CLM"][0][1:3] == ["HL000000042", "350"]
    assert by_id["CLM"][0][5] == "11:B:1"
    assert [s[1] for s in by_id["SV1"]] == ["HC:90791", "HC:90834"]
    assert [s[2] for s in by_id["SV1"]] == ["200", "150"]
    assert by_id["SV1"][1][5] == "10"  # the telehealth line says its own place of service
    assert [s[3] for s in by_id["DTP"]] == ["20261103", "20261110"]
    se = by_id["SE"][0]
    st_index = next(i for i, s in enumerate(segs) if s[0] == "ST")
    se_index = next(i for i, s in enumerate(segs) if s[0] == "SE")
    assert int(se[1]) == se_index - st_index + 1


def test_it_never_carries_what_a_payer_may_not_have():
    text = claim()
    for never in ("she/her", "HL-0001", "SHE/HER", "GENERALIZED", "INSOMNIA", "LENA VARGA"):
        assert never not in text
    # the packet's notes, had they been there, have no segment to go in
    with_notes = {**PACKET, "sections": {**PACKET["sections"], "progress_notes": [{"text": "SECRET SESSION TEXT"}]}}
    assert "SECRET" not in claim(with_notes)


def test_pyx12_rejects_a_broken_file_and_the_test_would_fail():
    text = claim()
    without_diagnoses = "\n".join(line for line in text.splitlines() if not line.startswith("HI*"))
    findings = validate_837p(without_diagnoses + "\n")
    assert findings and any("HI" in f for f in findings)
    wrong_count = text.replace("SE*", "SE*9", 1)
    assert validate_837p(wrong_count)
    assert validate_837p("this is not X12")


@pytest.mark.parametrize("change, message", [
    (lambda p: p["sections"].pop("diagnosis"), "diagnosis"),
    (lambda p: p["sections"]["billing"].update(services=[]), "no service"),
    (lambda p: p["sections"]["billing"].update(member_id=""), "member id"),
])
def test_what_a_claim_cannot_go_without_is_refused_in_one_line(change, message):
    import copy

    packet = copy.deepcopy(PACKET)
    change(packet)
    with pytest.raises(InvalidInput, match=message):
        claim(packet)


def test_the_practice_needs_a_nine_digit_zip():
    practice = {**PRACTICE, "address": {**PRACTICE["address"], "zip": "98403"}}
    with pytest.raises(InvalidInput, match="nine-digit ZIP"):
        claim(practice=practice)
