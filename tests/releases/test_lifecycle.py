"""A release's life: signed by the right person (RULES.md 1.2.2 AUTH-E6, 1.4 PR-3a),
the exact document hashed, valid at every use (164.508(b)(2)), revoked at once
(164.508(b)(5)) with earlier disclosures kept, and disclosed only through
disclosure_packet_build; RULES.md 1.2.4 tests 1-5; Part 2 notice and label (2.32)."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import (
    Disclosure,
    ProgressNote,
    PsychotherapyNote,
    Release,
)
from confide.core.errors import InvalidInput, NotFound, Refused
from confide.services import access, charting, intake
from confide.services.demo import data as demo_data
from confide.services.disclosures import releases
from confide.services.disclosures.packet import (
    PART2_NOTICE_LONG,
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from confide.services.keys import client_data_key
from confide.services.sealing import seal, unseal
from confide.services.topics import topics_tag
from tests.releases.helpers import make_release, release_data

NOW = lambda: datetime.now(timezone.utc)  # noqa: E731
ZONE = ZoneInfo(demo_data.PRACTICE["timezone"])


def _today() -> date:
    """The demo practice's today: release dates are the practice's days, not UTC's."""
    return datetime.now(ZONE).date()


def _local_day(instant: str) -> str:
    return datetime.fromisoformat(instant).astimezone(ZONE).date().isoformat()


def _row(rid) -> Release:
    return Release.objects.get(id=rid)


def _stored_pdf(rid) -> bytes:
    row = _row(rid)
    doc = unseal(client_data_key(row.client_id), Release, "document_enc", row.id, row.document_enc)
    return base64.b64decode(doc["pdf"])


# --- signing ------------------------------------------------------------------------------

def test_signing_stores_the_sha256_of_the_exact_stored_pdf(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    out = releases.release_sign(user=staff["lvarga"], client_id=cid["c1"], release_id=rid,
                                typed_name="Elena M. Varga-Trent")
    pdf = _stored_pdf(rid)
    assert pdf.startswith(b"%PDF-")
    assert out["document_sha256"] == hashlib.sha256(pdf).hexdigest()
    view = releases.release_get(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    assert view["status"] == "active" and view["signed_at"]
    assert view["signature"] == {"signer": "Elena M. Varga-Trent", "role": "client", "representative_authority": None,
                                 "method": "typed", "document_sha256": hashlib.sha256(pdf).hexdigest(),
                                 "signed_on": _local_day(view["signed_at"])}
    # the client and the clinician both get exactly the signed bytes back
    assert releases.release_pdf(user=staff["lvarga"], client_id=cid["c1"], release_id=rid) == pdf
    assert releases.release_pdf(user=staff["marsh"], client_id=cid["c1"], release_id=rid) == pdf
    assert b"Varga-Trent" not in bytes(_row(rid).document_enc)


def test_a_signed_release_is_never_signed_again_or_replaced(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"], signed=True)
    before = (bytes(_row(rid).signature_enc), bytes(_row(rid).document_enc), _row(rid).signed_at)
    with pytest.raises(InvalidInput, match="already signed"):
        releases.release_sign(user=staff["lvarga"], client_id=cid["c1"], release_id=rid, typed_name="Again")
    wet = base64.b64encode(b"%PDF-1.4 paper").decode()
    with pytest.raises(InvalidInput, match="already signed"):
        releases.release_upload_signed(user=staff["marsh"], client_id=cid["c1"], release_id=rid, pdf_base64=wet,
                                       signer_name="Someone", signer_role="client")
    assert (bytes(_row(rid).signature_enc), bytes(_row(rid).document_enc), _row(rid).signed_at) == before


def test_staff_do_not_sign_in_the_portal(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    with pytest.raises(InvalidInput, match="staff upload a wet-signed copy"):
        releases.release_sign(user=staff["marsh"], client_id=cid["c1"], release_id=rid, typed_name="Marsh")
    assert _row(rid).signed_at is None


def test_another_client_cannot_sign(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    with pytest.raises(NotFound):
        releases.release_sign(user=staff["awhitford"], client_id=cid["c1"], release_id=rid, typed_name="Adrian")
    # nor sign it as if it were theirs
    with pytest.raises(NotFound):
        releases.release_sign(user=staff["awhitford"], client_id=cid["c6"], release_id=rid, typed_name="Adrian")
    assert _row(rid).signed_at is None


def test_typed_name_is_required(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    for bad in ("", "   ", None, "x" * 201):
        with pytest.raises(InvalidInput, match="typed_name"):
            releases.release_sign(user=staff["lvarga"], client_id=cid["c1"], release_id=rid, typed_name=bad)
    with pytest.raises(InvalidInput, match="only a personal representative"):
        releases.release_sign(user=staff["lvarga"], client_id=cid["c1"], release_id=rid, typed_name="Lena",
                              representative_authority="I am myself")


def test_parent_cannot_sign_for_june_but_june_can(staff, cid):
    """June (15) consented to her care alone under RCW §71.34.530 (Washington: 13): her
    mother is not her personal representative for it (PR-3a), so only June signs."""
    rid = make_release(staff["marsh"], cid["c3"])
    denies = AuditEvent.objects.filter(decision="deny").count()
    with pytest.raises(Refused) as err:
        releases.release_sign(user=staff["acastellanos"], client_id=cid["c3"], release_id=rid,
                              typed_name="Alma Castellanos-Reid", representative_authority="Mother")
    assert "only the minor" in str(err.value) or "the minor, not the parent" in str(err.value)
    assert "164.502(g)(3)(i)(A)" in str(err.value)
    assert AuditEvent.objects.filter(decision="deny").count() == denies + 1  # the door's denial is recorded
    assert _row(rid).signed_at is None
    # she cannot read June's releases either
    with pytest.raises(Refused):
        releases.release_get(user=staff["acastellanos"], client_id=cid["c3"], release_id=rid)
    # nor can staff record her signature on paper
    wet = base64.b64encode(b"%PDF-1.4 paper").decode()
    with pytest.raises(Refused, match="RCW §71.34.530"):
        releases.release_upload_signed(user=staff["marsh"], client_id=cid["c3"], release_id=rid, pdf_base64=wet,
                                       signer_name="Alma Castellanos-Reid", signer_role="representative",
                                       representative_authority="Mother")
    assert _row(rid).signed_at is None
    out = releases.release_sign(user=staff["jcastellanos"], client_id=cid["c3"], release_id=rid,
                                typed_name="June Castellanos")
    assert out["document_sha256"] == hashlib.sha256(_stored_pdf(rid)).hexdigest()
    assert releases.release_get(user=staff["jcastellanos"], client_id=cid["c3"], release_id=rid)["status"] == "active"


def _minor_with_parent(staff, *, age: int, minor_consent=None):
    """A new minor client of marsh, with a portal login (self) and a parent's login."""
    from confide.apps.practice.models import User

    dob = date(_today().year - age, 1, 1)
    client_id = intake.client_create(user=staff["marsh"], identity={"legal_name": "Robin Minorly", "dob": dob.isoformat()},
                                      fact={"minor_consent": minor_consent})
    practice = staff["marsh"].practice
    kid = User.objects.create(username=f"robin{age}{minor_consent}", role="client", practice=practice)
    parent = User.objects.create(username=f"parent{age}{minor_consent}", role="representative", practice=practice)
    intake.client_account_link(user=staff["marsh"], client_id=client_id, account=kid, relationship="self")
    intake.client_account_link(user=staff["marsh"], client_id=client_id, account=parent, relationship="representative")
    return client_id, kid, parent


@pytest.mark.parametrize("age,minor_consent", [(11, None), (16, None)])
def test_parent_signs_for_a_minor_who_did_not_consent_alone(staff, age, minor_consent):
    """A minor whose parent consented to the care: the parent is the personal
    representative, signs, and must describe that authority (AUTH-E6); the minor does
    not sign."""
    client_id, kid, parent = _minor_with_parent(staff, age=age, minor_consent=minor_consent)
    rid = make_release(staff["marsh"], client_id)
    with pytest.raises(Refused, match="parent or guardian signs"):
        releases.release_sign(user=kid, client_id=client_id, release_id=rid, typed_name="Robin")
    with pytest.raises(InvalidInput, match="representative_authority"):
        releases.release_sign(user=parent, client_id=client_id, release_id=rid, typed_name="Pat Minorly")
    releases.release_sign(user=parent, client_id=client_id, release_id=rid, typed_name="Pat Minorly",
                          representative_authority="Mother and legal guardian")
    view = releases.release_get(user=parent, client_id=client_id, release_id=rid)
    assert view["signature"]["role"] == "representative"
    assert view["signature"]["representative_authority"] == "Mother and legal guardian"
    consent = releases.release_fhir(user=staff["marsh"], client_id=client_id, release_id=rid)
    assert "personal representative" in consent["performer"][0]["display"]


def test_a_minor_under_the_state_age_does_not_sign_alone(staff):
    """Washington lets a minor consent alone from 13 (RCW §71.34.530, the us-states
    fact): a 12-year-old recorded as consenting alone still does not sign alone."""
    client_id, kid, _parent = _minor_with_parent(staff, age=12, minor_consent="self")
    rid = make_release(staff["marsh"], client_id)
    with pytest.raises(Refused, match="parent or guardian signs"):
        releases.release_sign(user=kid, client_id=client_id, release_id=rid, typed_name="Robin")
    assert _row(rid).signed_at is None


def test_wet_signed_upload(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    paper = b"%PDF-1.7\n% scanned paper with a signature\n%%EOF\n"
    signed_on = _today() - timedelta(days=3)
    out = releases.release_upload_signed(user=staff["marsh"], client_id=cid["c1"], release_id=rid,
                                         pdf_base64=base64.b64encode(paper).decode(), signer_name="Elena Varga-Trent",
                                         signer_role="client", signed_on=signed_on.isoformat())
    assert out["document_sha256"] == hashlib.sha256(paper).hexdigest()
    assert _stored_pdf(rid) == paper
    view = releases.release_get(user=staff["lvarga"], client_id=cid["c1"], release_id=rid)
    assert view["signature"]["method"] == "wet" and view["signature"]["signed_on"] == signed_on.isoformat()
    assert view["status"] == "active"


@pytest.mark.parametrize("pdf,signed_on,message", [
    ("bm90IGEgcGRm", None, "not a PDF"),                      # "not a pdf"
    ("%PDF-1.4", None, "not valid base64"),
    ("JVBERi0x!!", None, "not valid base64"),
    (base64.b64encode(b"%PDF-" + b"x" * releases.MAX_SIGNED_PDF_BYTES).decode(), None, "at most"),
    (base64.b64encode(b"%PDF-1.4").decode(), (_today() + timedelta(days=1)).isoformat(), "signed_on"),
    (base64.b64encode(b"%PDF-1.4").decode(), "2019-01-01", "signed_on"),
    (base64.b64encode(b"%PDF-1.4").decode(), "yesterday", "signed_on"),
])
def test_wet_signed_upload_bad_input(staff, cid, pdf, signed_on, message):
    rid = make_release(staff["marsh"], cid["c1"])
    audits = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match=message):
        releases.release_upload_signed(user=staff["marsh"], client_id=cid["c1"], release_id=rid, pdf_base64=pdf,
                                       signer_name="Elena", signer_role="client", signed_on=signed_on)
    assert _row(rid).signed_at is None and AuditEvent.objects.count() == audits


def test_clients_cannot_upload_a_wet_signature(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    with pytest.raises(NotFound):
        releases.release_upload_signed(user=staff["lvarga"], client_id=cid["c1"], release_id=rid,
                                       pdf_base64=base64.b64encode(b"%PDF-1.4").decode(), signer_name="Lena",
                                       signer_role="client")


# --- validity at every use -------------------------------------------------------------------

LENA_DR = Recipient(name="Dr. Ines Halvorsen", kind="provider")


def _disclosures(client_id):
    return list(Disclosure.objects.filter(client_id=client_id).values_list("id", flat=True))


def test_revocation_stops_disclosure_and_keeps_the_earlier_one(staff, cid):
    """RULES.md 1.2.4 test 3 and promise 4."""
    rid = make_release(staff["marsh"], cid["c1"], signed=True)
    first = releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    assert first["categories"] == ["diagnosis", "treatment_plan"] and first["rule_ids"] == ["US-HIPAA-AUTHORIZATION"]
    assert first["purpose"] == "COC" and first["accountable"] is False  # 164.528(a)(1)(iv)
    made = _disclosures(cid["c1"])
    releases.release_revoke(user=staff["lvarga"], client_id=cid["c1"], release_id=rid, how="Revoked in the portal")
    with pytest.raises(Refused, match="revoked"):
        releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    with pytest.raises(Refused, match="revoked"):
        releases.release_basis(_row(rid))
    assert _disclosures(cid["c1"]) == made
    earlier = Disclosure.objects.get(id=first["id"])
    assert earlier.release_id == _row(rid).id and earlier.made_at < _row(rid).revoked_at
    # the reliance before the revocation is still valid: the basis held then
    assert releases.release_basis(_row(rid), earlier.made_at).release_id == _row(rid).id
    assert disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=first["id"])["basis"]["ref"] == rid
    view = releases.release_get(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    assert view["status"] == "revoked" and view["revocation"]["how"] == "Revoked in the portal"
    assert releases.release_fhir(user=staff["marsh"], client_id=cid["c1"], release_id=rid)["status"] == "inactive"
    with pytest.raises(InvalidInput, match="already revoked"):
        releases.release_revoke(user=staff["marsh"], client_id=cid["c1"], release_id=rid, how="Letter")


def test_staff_record_a_written_revocation(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"], signed=True)
    releases.release_revoke(user=staff["marsh"], client_id=cid["c1"], release_id=rid,
                            how="Signed letter received 2026-11-20")
    assert releases.release_get(user=staff["lvarga"], client_id=cid["c1"], release_id=rid)["revocation"]["by_role"] == "clinician"
    with pytest.raises(Refused):
        releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    for who in ("pellham", "fontaine", "haddad"):
        with pytest.raises(NotFound):
            releases.release_revoke(user=staff[who], client_id=cid["c1"], release_id=rid, how="x")


def test_expired_by_date_permits_nothing(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"], signed=True,
                       expires_on=(_today() + timedelta(days=10)).isoformat())
    row = _row(rid)
    assert releases.release_basis(row, NOW()).scope == frozenset({"diagnosis", "treatment_plan"})
    last_day = datetime.combine(_today() + timedelta(days=10), time(12), tzinfo=timezone.utc)
    assert releases.release_basis(row, last_day)  # valid through its expiry date
    with pytest.raises(Refused, match="expired on its date"):
        releases.release_basis(row, last_day + timedelta(days=2))
    with pytest.raises(Refused, match="not signed"):
        releases.release_basis(row, row.signed_at - timedelta(seconds=1))
    assert releases.release_status(row, releases._body(row), last_day + timedelta(days=2)) == "expired"


def test_expiry_event_permits_nothing_from_then_on(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"], signed=True, expires_on=None,
                       expiry_event="When I finish treatment at Harbor Light")
    releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    made = _disclosures(cid["c1"])
    releases.release_expire_event(user=staff["marsh"], client_id=cid["c1"], release_id=rid,
                                  occurred_on=_today().isoformat(), note="Discharged")
    with pytest.raises(Refused, match="expiry event occurred"):
        releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    assert _disclosures(cid["c1"]) == made
    assert releases.release_get(user=staff["marsh"], client_id=cid["c1"], release_id=rid)["status"] == "expired"
    assert releases.release_fhir(user=staff["marsh"], client_id=cid["c1"], release_id=rid)["status"] == "inactive"
    with pytest.raises(InvalidInput, match="already recorded"):
        releases.release_expire_event(user=staff["marsh"], client_id=cid["c1"], release_id=rid,
                                      occurred_on=_today().isoformat())


def test_expiry_event_only_where_the_release_names_one(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"], signed=True)
    with pytest.raises(InvalidInput, match="names no expiry event"):
        releases.release_expire_event(user=staff["marsh"], client_id=cid["c1"], release_id=rid,
                                      occurred_on=_today().isoformat())
    with pytest.raises(InvalidInput, match="not in the future"):
        releases.release_expire_event(user=staff["marsh"], client_id=cid["c1"], release_id=rid,
                                      occurred_on=(_today() + timedelta(days=1)).isoformat())
    assert _row(rid).expired_at is None


def test_an_unsigned_release_permits_nothing(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    before = _disclosures(cid["c1"])
    with pytest.raises(Refused, match="not signed"):
        releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    assert _disclosures(cid["c1"]) == before


def test_signing_a_revoked_or_expired_draft_is_refused(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    releases.release_revoke(user=staff["marsh"], client_id=cid["c1"], release_id=rid, how="Withdrawn")
    with pytest.raises(InvalidInput, match="revoked"):
        releases.release_sign(user=staff["lvarga"], client_id=cid["c1"], release_id=rid, typed_name="Lena")


def test_a_defective_stored_release_is_refused_at_use(staff, cid):
    """164.508(b)(2): validity is checked at every use, not only when prepared: a stored
    body that lost its expiry, or that bundles psychotherapy notes, permits nothing."""
    rid = make_release(staff["marsh"], cid["c1"], signed=True)
    row = _row(rid)
    dek = client_data_key(row.client_id)
    body = releases._body(row)
    for broken, why in (({**body, "expires_on": None}, "missing expiry"),
                        ({**body, "categories": ["diagnosis", "psychotherapy_notes"]}, "combines")):
        row.body_enc = seal(dek, Release, "body_enc", row.id, broken)
        row.save(update_fields=["body_enc"])
        with pytest.raises(Refused, match=why):
            releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
        assert releases.release_fhir(user=staff["marsh"], client_id=cid["c1"], release_id=rid)["status"] == "rejected"


def test_disclose_narrows_but_never_widens(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"], signed=True)
    out = releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid, categories=["diagnosis"])
    assert out["categories"] == ["diagnosis"]
    with pytest.raises(InvalidInput, match="does not name progress_notes"):
        releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid,
                                  categories=["diagnosis", "progress_notes"])
    packet = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["id"])
    assert set(packet["sections"]) == {"diagnosis"} and packet["recipient"]["name"] == "Dr. Ines Halvorsen"


def test_only_the_clinicians_disclose(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"], signed=True)
    before = _disclosures(cid["c1"])
    for who, key in (("lvarga", "c1"), ("pellham", "c1"), ("okafor", "c1"), ("marsh", "c2")):
        with pytest.raises(NotFound):
            releases.release_disclose(user=staff[who], client_id=cid[key], release_id=rid)
    assert _disclosures(cid["c1"]) == before


# --- RULES.md 1.2.4 tests 1, 2, 4, 5 -------------------------------------------------------------

SPOUSE = Recipient(name="Camille Whitford-Soto", kind="family")


def test_pn_to_spouse_without_authorization_is_denied_even_with_verbal_agreement(staff, cid):
    """RULES.md 1.2.4 test 1 (and 9 S4)."""
    verbal = Basis(kind="client_request", citation="45 CFR 164.510(b)", description="client agreed verbally",
                   scope=frozenset({"psychotherapy_notes"}))
    with pytest.raises(Refused) as err:
        disclosure_packet_build(user=staff["marsh"], client_id=cid["c6"], recipient=SPOUSE, purpose="FAMRQT",
                                basis=verbal, categories={"psychotherapy_notes"})
    # even their author: nothing permits it without an authorization naming them
    assert err.value.rule_ids == ("SYS-DEFAULT-DENY",)
    # a signed general release to the spouse does not name them either
    rid = make_release(staff["marsh"], cid["c6"], signed=True, recipient={"name": SPOUSE.name, "kind": "family"},
                       categories=["attendance", "progress_summary"])
    basis = releases.release_basis(_row(rid))
    with pytest.raises(Refused) as err:
        disclosure_packet_build(user=staff["marsh"], client_id=cid["c6"], recipient=SPOUSE, purpose="PATRQT",
                                basis=basis, categories={"psychotherapy_notes"})
    assert err.value.rule_ids == ("SYS-DEFAULT-DENY",)
    # and another clinician asking is stopped by the seal itself
    charting.care_team_assign(user=staff["marsh"], client_id=cid["c6"], staff_id=staff["okafor"].pk)
    with pytest.raises(Refused) as err:
        with access.governed(user=staff["okafor"], client_id=cid["c6"], action="disclose", purpose="FAMRQT",
                             categories={"psychotherapy_notes"}, note_author_id=staff["marsh"].pk,
                             recipient="family", basis="client_request"):
            pass
    assert "US-HIPAA-PN-SEALED" in err.value.rule_ids
    with pytest.raises(InvalidInput, match="does not name psychotherapy_notes"):
        releases.release_disclose(user=staff["marsh"], client_id=cid["c6"], release_id=rid,
                                  categories=["psychotherapy_notes"])
    assert _disclosures(cid["c6"]) == []


def test_pn_release_that_names_them_lets_the_author_disclose_them(staff, cid):
    rid = make_release(staff["marsh"], cid["c6"], kind="psychotherapy_notes", signed=True,
                       recipient={"name": SPOUSE.name, "kind": "family"}, categories=["psychotherapy_notes"])
    out = releases.release_disclose(user=staff["marsh"], client_id=cid["c6"], release_id=rid)
    assert out["categories"] == ["psychotherapy_notes"] and out["rule_ids"] == ["US-HIPAA-PN-AUTHORIZED"]
    assert out["notices"] == ["no redisclosure"]
    packet = disclosure_document(user=staff["marsh"], client_id=cid["c6"], disclosure_id=out["id"])
    assert packet["basis"]["kind"] == "pn_release" and len(packet["sections"]["psychotherapy_notes"]) == 1
    bundle = disclosure_document(user=staff["marsh"], client_id=cid["c6"], disclosure_id=out["id"], fmt="fhir")
    assert {"PSYTHPN", "NORDSCLCD"} <= {s["code"] for s in bundle["meta"]["security"]}


def test_release_missing_its_expiry_is_invalid(staff, cid):
    """RULES.md 1.2.4 test 2."""
    with pytest.raises(InvalidInput, match="^release incomplete: missing expiry$"):
        releases.release_create(user=staff["marsh"], client_id=cid["c1"], kind="hipaa",
                                data=release_data(expires_on=None))


def test_pn_bundled_with_a_general_release_is_invalid(staff, cid):
    """RULES.md 1.2.4 test 4."""
    with pytest.raises(InvalidInput, match="164.508"):
        releases.release_create(user=staff["marsh"], client_id=cid["c1"], kind="hipaa",
                                data=release_data(categories=["progress_notes", "psychotherapy_notes"]))
    with pytest.raises(InvalidInput, match="164.508"):
        releases.release_create(user=staff["marsh"], client_id=cid["c1"], kind="psychotherapy_notes",
                                data=release_data(categories=["progress_notes", "psychotherapy_notes"]))


def test_originator_reads_her_notes_another_therapist_does_not(staff, cid):
    """RULES.md 1.2.4 test 5: marsh (the author) reads her own psychotherapy notes for
    treatment without an authorization; okafor, also treating Lena, is not the
    originator, so reading them needs an authorization, and a release does not make
    them readable to him either."""
    charting.care_team_assign(user=staff["marsh"], client_id=cid["c1"], staff_id=staff["okafor"].pk)
    note = PsychotherapyNote.objects.get(client_id=cid["c1"])
    assert note.author == staff["marsh"]
    assert [n["id"] for n in charting.chart_open(user=staff["marsh"], client_id=cid["c1"])["psychotherapy_notes"]] == [
        str(note.id)]
    assert "psychotherapy_notes" not in charting.chart_open(user=staff["okafor"], client_id=cid["c1"])
    with pytest.raises(NotFound):
        with access.governed(user=staff["okafor"], client_id=cid["c1"], action="read", purpose="TREAT",
                             categories={"psychotherapy_notes"}, note_author_id=staff["marsh"].pk):
            pass
    denial = AuditEvent.objects.order_by("-seq").first()
    assert denial.decision == "deny" and "US-HIPAA-PN-SEALED" in denial.rule_ids
    rid = make_release(staff["marsh"], cid["c1"], kind="psychotherapy_notes", signed=True,
                       categories=["psychotherapy_notes"])
    before = _disclosures(cid["c1"])
    with pytest.raises(Refused) as refused:  # none of marsh's notes leave through him, and nothing is recorded
        releases.release_disclose(user=staff["okafor"], client_id=cid["c1"], release_id=rid)
    assert "US-HIPAA-PN-SEALED" in refused.value.rule_ids
    assert _disclosures(cid["c1"]) == before


# --- topics the practice promised never to disclose ------------------------------------------

def test_a_release_that_names_a_promised_topic_lets_it_go(staff, cid):
    note = ProgressNote.objects.filter(client_id=cid["c1"]).first()
    topics_tag(practice_id=note.practice_id, client_id=note.client_id, record=note, category="progress_notes",
               topics=["abortion"])
    plain = make_release(staff["marsh"], cid["c1"], signed=True, categories=["progress_notes"])
    with pytest.raises(Refused) as err:
        releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=plain)
    assert "PRACTICE-PROMISE-REPRODUCTIVE" in err.value.rule_ids
    naming = make_release(staff["marsh"], cid["c1"], signed=True, categories=["progress_notes"], topics=["abortion"])
    assert releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=naming)["categories"] == [
        "progress_notes"]


# --- Part 2 ------------------------------------------------------------------------------------------

def _demo_consent(cid) -> Release:
    return Release.objects.get(client_id=cid["c4"])


def test_demo_part2_consent_is_signed_to_tideline(staff, cid):
    row = _demo_consent(cid)
    view = releases.release_get(user=staff["okafor"], client_id=cid["c4"], release_id=row.id)
    assert view["kind"] == "part2" and view["status"] == "active"
    assert view["recipient"]["name"] == "Tideline Recovery Medicine" and "substance_use" in view["categories"]
    assert view["signature"]["method"] == "wet"
    assert view["signature"]["document_sha256"] == hashlib.sha256(_stored_pdf(row.id)).hexdigest()
    assert _local_day(view["signed_at"]) == (_today() - timedelta(days=35)).isoformat()


def test_part2_disclosure_carries_the_notice_the_consent_and_nordsclcd(staff, cid):
    out = releases.release_disclose(user=staff["okafor"], client_id=cid["c4"], release_id=_demo_consent(cid).id)
    assert out["rule_ids"] == ["US-PART2-CONSENT"] and out["notices"] == ["42 CFR 2.32", "consent"]
    assert out["purpose"] == "COC"
    packet = disclosure_document(user=staff["okafor"], client_id=cid["c4"], disclosure_id=out["id"])
    assert packet["notices"][0]["text"] == PART2_NOTICE_LONG
    summary = packet["notices"][1]["text"]
    assert "42 CFR part 2" in summary and "Tideline Recovery Medicine" in summary and "revoke" in summary
    assert packet["no_redisclosure"] is True and packet["basis"]["kind"] == "part2_consent"
    assert "progress_notes" not in packet["sections"]
    bundle = disclosure_document(user=staff["okafor"], client_id=cid["c4"], disclosure_id=out["id"], fmt="fhir")
    assert "NORDSCLCD" in {s["code"] for s in bundle["meta"]["security"]}
    # Every resource about the client carries it; the practice's own Organization holds no client information.
    assert all("NORDSCLCD" in {s["code"] for s in e["resource"]["meta"]["security"]} for e in bundle["entry"]
               if e["resource"]["resourceType"] != "Organization")


def test_a_hipaa_release_cannot_release_part2_records(staff, cid):
    rid = make_release(staff["okafor"], cid["c4"], categories=["diagnosis"])
    with pytest.raises(Refused, match="not signed"):
        releases.release_disclose(user=staff["okafor"], client_id=cid["c4"], release_id=rid)
    wet = base64.b64encode(b"%PDF-1.4 paper").decode()
    releases.release_upload_signed(user=staff["okafor"], client_id=cid["c4"], release_id=rid, pdf_base64=wet,
                                   signer_name="Russell Achterberg", signer_role="client")
    with pytest.raises(Refused) as err:
        releases.release_disclose(user=staff["okafor"], client_id=cid["c4"], release_id=rid)
    assert "US-PART2-CONSENT-REQUIRED" in err.value.rule_ids


def test_revoked_part2_consent_permits_nothing(staff, cid):
    row = _demo_consent(cid)
    releases.release_revoke(user=staff["okafor"], client_id=cid["c4"], release_id=row.id, how="Phone call, then letter")
    with pytest.raises(Refused, match="revoked"):
        releases.release_disclose(user=staff["okafor"], client_id=cid["c4"], release_id=row.id)


# --- FHIR Consent ---------------------------------------------------------------------------------

def test_fhir_consent_mapping(staff, cid):
    from fhir.resources.R4B.consent import Consent

    part2 = releases.release_fhir(user=staff["okafor"], client_id=cid["c4"], release_id=_demo_consent(cid).id)
    Consent.model_validate(part2)
    assert part2["status"] == "active"
    assert part2["scope"]["coding"][0]["code"] == "patient-privacy"
    assert part2["policyRule"]["coding"][0]["code"] == "cfr-part2"
    provision = part2["provision"]
    assert provision["type"] == "permit" and provision["action"][0]["coding"][0]["code"] == "disclose"
    assert {a["role"]["coding"][0]["code"]: a["reference"]["display"] for a in provision["actor"]} == {
        "CST": "Harbor Light Counseling", "IRCP": "Tideline Recovery Medicine"}
    assert provision["purpose"][0]["code"] == "COC"
    assert provision["period"]["end"] == releases.release_get(user=staff["okafor"], client_id=cid["c4"],
                                                              release_id=_demo_consent(cid).id)["expires_on"]
    assert {"42CFRPart2", "SUD", "NORDSCLCD"} <= {s["code"] for s in provision["securityLabel"]}
    assert part2["sourceAttachment"]["contentType"] == "application/pdf"

    draft = make_release(staff["marsh"], cid["c6"], kind="psychotherapy_notes", categories=["psychotherapy_notes"],
                         expires_on=None, expiry_event="When my divorce is final")
    consent = releases.release_fhir(user=staff["marsh"], client_id=cid["c6"], release_id=draft)
    Consent.model_validate(consent)
    assert consent["status"] == "draft" and consent["policyRule"]["coding"][0]["code"] == "hipaa-auth"
    assert "period" not in consent["provision"]
    assert any(x["valueString"] == "When my divorce is final" for x in consent["extension"])
    labels = {(s["system"].rsplit("/", 1)[1], s["code"]) for s in consent["provision"]["securityLabel"]}
    assert {("v3-Confidentiality", "V"), ("v3-ActCode", "PSYTHPN")} <= labels


def test_clients_read_their_releases_through_the_door(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"])
    before = AuditEvent.objects.count()
    rows = releases.release_list(user=staff["lvarga"], client_id=cid["c1"])
    assert [r["id"] for r in rows] == [rid]
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.decision == "permit" and event.purpose == "PATRQT" and list(event.categories) == ["consents"]
    with pytest.raises(NotFound):
        releases.release_list(user=staff["lvarga"], client_id=cid["c6"])
    with pytest.raises(NotFound):
        releases.release_get(user=staff["awhitford"], client_id=cid["c6"], release_id=rid)
