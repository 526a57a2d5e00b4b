"""Preparing a release: every core element of 164.508(c)(1) and 2.31(a) is required and
every missing one is named (RULES.md 1.2.2, 2.1); psychotherapy notes and Part 2
records go only in their own kind of release (164.508(b)(3)(ii), 2.31); the
statements of 164.508(c)(2) are rendered into the document; bad input is refused in
one line and writes nothing."""

from __future__ import annotations

import html
import itertools
from datetime import date, timedelta

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Release
from confide.core.errors import InvalidInput, NotFound
from confide.services.disclosures import releases
from tests.releases.helpers import release_data

PART2 = {"categories": ["identity", "diagnosis", "substance_use"],
         "sud_description": "My opioid use disorder diagnosis and treatment"}
PN = {"categories": ["psychotherapy_notes"]}
CANARY = "Canary-Qx81"


def _counts():
    return Release.objects.count(), AuditEvent.objects.count()


def _refused(user, client_id, kind, data) -> str:
    """The one-line refusal; nothing written (not even an audit row)."""
    before = _counts()
    with pytest.raises(InvalidInput) as err:
        releases.release_create(user=user, client_id=client_id, kind=kind, data=data)
    message = str(err.value)
    assert "\n" not in message and CANARY not in message
    assert _counts() == before
    return message


ELEMENT_KEYS = {"description": ["description"], "categories": ["categories"], "discloser": ["discloser"],
                "recipient": ["recipient"], "purposes": ["purposes"], "expiry": ["expires_on"]}


@pytest.mark.parametrize("size", [1, 2, 6])
def test_every_missing_element_is_named_in_one_line(staff, cid, size):
    for missing in itertools.combinations(sorted(ELEMENT_KEYS), size):
        data = release_data()
        for element in missing:
            for key in ELEMENT_KEYS[element]:
                data.pop(key)
        message = _refused(staff["marsh"], cid["c1"], "hipaa", data)
        assert message == f"release incomplete: missing {', '.join(sorted(missing))}"


def test_the_example_of_the_issue(staff, cid):
    data = release_data()
    del data["expires_on"], data["recipient"]
    assert _refused(staff["marsh"], cid["c1"], "hipaa", data) == "release incomplete: missing expiry, recipient"


BLANKS = [("description", None), ("description", ""), ("description", "   "), ("discloser", " "),
          ("purposes", []), ("purposes", ["  ", ""]), ("categories", []), ("categories", None),
          ("recipient", {}), ("recipient", None), ("recipient", {"kind": "provider"}),
          ("recipient", {"name": "  ", "kind": "provider"}), ("recipient_kind", {"name": "Dr. Halvorsen"})]


@pytest.mark.parametrize("element,blank", BLANKS)
def test_blank_counts_as_missing(staff, cid, element, blank):
    data = release_data()
    data["recipient" if element == "recipient_kind" else element] = blank
    assert _refused(staff["marsh"], cid["c1"], "hipaa", data) == f"release incomplete: missing {element}"


def test_everything_missing_for_each_kind(staff, cid):
    common = "categories, description, discloser, expiry, purposes, recipient"
    assert _refused(staff["marsh"], cid["c1"], "hipaa", {}) == f"release incomplete: missing {common}"
    assert (_refused(staff["marsh"], cid["c1"], "psychotherapy_notes", {})
            == f"release incomplete: missing {common}")
    assert (_refused(staff["okafor"], cid["c4"], "part2", {})
            == f"release incomplete: missing {common}, sud_description")


def test_part2_consent_needs_the_explicit_sud_description(staff, cid):
    data = release_data(categories=PART2["categories"])
    assert _refused(staff["okafor"], cid["c4"], "part2", data) == "release incomplete: missing sud_description"


def test_an_expiry_event_is_an_expiry(staff, cid):
    data = release_data(expires_on=None, expiry_event="When I finish treatment at Harbor Light")
    rid = releases.release_create(user=staff["marsh"], client_id=cid["c1"], kind="hipaa", data=data)
    view = releases.release_get(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    assert view["expires_on"] is None and view["expiry_event"].startswith("When I finish")
    assert view["status"] == "draft"


# --- compounding -----------------------------------------------------------------------

def test_psychotherapy_notes_release_names_them_and_nothing_else(staff, cid):
    for cats in (["psychotherapy_notes", "diagnosis"], ["diagnosis"], ["psychotherapy_notes", "progress_notes"]):
        message = _refused(staff["marsh"], cid["c1"], "psychotherapy_notes", release_data(categories=cats))
        assert "psychotherapy_notes and nothing else" in message and "164.508(b)(3)(ii)" in message
    rid = releases.release_create(user=staff["marsh"], client_id=cid["c1"], kind="psychotherapy_notes",
                                  data=release_data(**PN))
    assert releases.release_get(user=staff["marsh"], client_id=cid["c1"], release_id=rid)["categories"] == [
        "psychotherapy_notes"]


def test_a_general_release_cannot_include_psychotherapy_notes(staff, cid):
    """RULES.md 1.2.4 test 4: a PN authorization bundled with a general release is invalid."""
    message = _refused(staff["marsh"], cid["c1"], "hipaa",
                       release_data(categories=["diagnosis", "psychotherapy_notes"]))
    assert "their own psychotherapy-notes release" in message
    message = _refused(staff["okafor"], cid["c4"], "part2",
                       release_data(categories=["substance_use", "psychotherapy_notes"],
                                    sud_description="SUD records"))
    assert "their own psychotherapy-notes release" in message


def test_substance_use_records_need_a_part2_consent(staff, cid):
    assert "Part 2 consent" in _refused(staff["okafor"], cid["c4"], "hipaa",
                                        release_data(categories=["diagnosis", "substance_use"]))
    assert "names substance_use" in _refused(staff["okafor"], cid["c4"], "part2",
                                             release_data(categories=["diagnosis"], sud_description="SUD records"))
    assert "only a Part 2 consent" in _refused(staff["marsh"], cid["c1"], "hipaa",
                                               release_data(sud_description="x"))


# --- bad input -----------------------------------------------------------------------------

BAD = [
    ("kind", "hipaa-ish", {}, "kind: must be one of"),
    ("data", "hipaa", [CANARY], "release: expected an object"),
    ("unknown field", "hipaa", {**release_data(), CANARY: CANARY}, "release: unknown field"),
    ("category", "hipaa", release_data(categories=[CANARY]), "categories: each must be one of"),
    ("categories type", "hipaa", release_data(categories=CANARY), "categories: give a list"),
    ("recipient kind", "hipaa", release_data(recipient={"name": "X", "kind": CANARY}), "recipient: kind must be"),
    ("recipient kind type", "hipaa", release_data(recipient={"name": "X", "kind": {"a": 1}}), "recipient: kind must"),
    ("recipient field", "hipaa", release_data(recipient={"name": "X", "kind": "provider", "fax": CANARY}),
     "recipient: give name"),
    ("recipient type", "hipaa", release_data(recipient=CANARY), "recipient: give name"),
    ("description type", "hipaa", release_data(description={"a": CANARY}), "description: expected text"),
    ("description long", "hipaa", release_data(description=CANARY * 300), "description: give 1 to 2000"),
    ("purpose type", "hipaa", release_data(purposes=[{"a": CANARY}]), "purposes: expected text"),
    ("too many purposes", "hipaa", release_data(purposes=[CANARY] * 11), "purposes: give a list of 1 to 10"),
    ("expiry date", "hipaa", release_data(expires_on=CANARY), "expires_on: expected a date"),
    ("expiry past", "hipaa", release_data(expires_on=(date.today() - timedelta(days=1)).isoformat()),
     "expires_on: must be after today"),
    ("expiry today", "hipaa", release_data(expires_on=date.today().isoformat()), "expires_on: must be after today"),
    ("topics", "hipaa", release_data(topics=[CANARY]), "topics:"),
    ("purpose code", "hipaa", release_data(purpose_of_use=CANARY), "purpose_of_use: must be one of"),
    ("purpose code type", "hipaa", release_data(purpose_of_use=["PATRQT"]), "purpose_of_use: must be one of"),
    ("emergency purpose", "hipaa", release_data(purpose_of_use="BTG"), "purpose_of_use: must be one of"),
]


@pytest.mark.parametrize("case,kind,data,start", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_and_writes_nothing(staff, cid, case, kind, data, start):
    assert _refused(staff["marsh"], cid["c1"], kind, data).startswith(start)


def test_refused_before_the_door_answers_alike_for_any_client(staff, cid):
    """An incomplete release is refused before the door: the answer is the same for a
    client the caller does not treat, so it tells nothing about that client."""
    data = release_data(expires_on=None)
    assert _refused(staff["marsh"], cid["c2"], "hipaa", data) == _refused(staff["marsh"], cid["c1"], "hipaa", data)


def test_only_the_treating_clinician_prepares(staff, cid):
    for username, key in (("marsh", "c2"), ("pellham", "c1"), ("fontaine", "c1"), ("haddad", "c1"),
                          ("lvarga", "c1"), ("okafor", "c1")):
        before = Release.objects.count()
        with pytest.raises(NotFound):
            releases.release_create(user=staff[username], client_id=cid[key], kind="hipaa", data=release_data())
        assert Release.objects.count() == before


def test_created_by_and_encrypted_body(staff, cid):
    rid = releases.release_create(user=staff["marsh"], client_id=cid["c1"], kind="hipaa", data=release_data())
    row = Release.objects.get(id=rid)
    assert row.created_by == staff["marsh"] and row.signed_at is None
    assert b"Halvorsen" not in bytes(row.body_enc)
    view = releases.release_get(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    assert view["patient_name"] == "Elena Marisol Varga-Trent"
    assert view["purpose_of_use"] == "COC"  # to a provider: coordination of care
    assert view["statements_version"] == releases.STATEMENTS_VERSION


# --- the document ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind,extra", [("hipaa", {}), ("psychotherapy_notes", PN), ("part2", PART2)])
def test_document_holds_every_element_and_statement_in_plain_words(kind, extra):
    data = release_data(expiry_event="When I finish treatment", topics=["abortion"], **extra)
    body = {**releases.check_release(kind, data), "patient_name": "Pat Example"}
    page = releases.release_html(body, practice_name="Harbor Light Counseling", release_id="r-1")
    for text in ("Pat Example", "My diagnosis and treatment plan", "Harbor Light Counseling", "Dr. Ines Halvorsen",
                 "12 Pine St", "Coordination of my care", data["expires_on"], "When I finish treatment",
                 "whichever comes first", "abortion", "DRAFT: not signed", "describe your authority",
                 releases.STATEMENTS_VERSION):
        assert text in page, text
    for sid, statement in releases.STATEMENTS[releases.STATEMENTS_VERSION][kind].items():
        assert html.escape(statement.format(practice="Harbor Light Counseling")) in page, sid
    for cat in body["categories"]:
        assert html.escape(releases.CATEGORIES[cat].description) in page
    if kind == "part2":
        assert "My opioid use disorder diagnosis" in page and "42 CFR part 2" in page
    pdf = releases.render_release_pdf(body, practice_name="Harbor Light Counseling", release_id="r-1")
    assert pdf.startswith(b"%PDF-")


def test_statement_versions_are_kept():
    """A release is always rendered with the statements of the version it was prepared
    under; every version keeps all three statements for every kind."""
    for version, kinds in releases.STATEMENTS.items():
        assert set(kinds) == set(releases.KINDS), version
        assert all(set(texts) == {"S1", "S2", "S3"} for texts in kinds.values()), version
