"""Preview, then confirm (services.disclosures.preview): a preview builds the exact
packet and writes nothing but the audit event of the look; a confirmation sends only
the packet previewed; a change in between is refused and nothing leaves."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Disclosure, Obligation
from confide.core.errors import InvalidInput, Refused
from confide.services.disclosures import preview, releases, safety
from tests.releases.helpers import make_release


def _counts(client_id):
    return (Disclosure.objects.filter(client_id=client_id).count(),
            Obligation.objects.filter(client_id=client_id).count())


def test_a_preview_writes_nothing_and_confirming_sends_exactly_it(staff, cid):
    marsh, c1 = staff["marsh"], cid["c1"]
    rid = make_release(marsh, c1, signed=True)
    before, events = _counts(c1), AuditEvent.objects.count()
    shown = preview.preview_of(releases.release_disclose, user=marsh, client_id=c1, release_id=rid)
    assert _counts(c1) == before
    assert AuditEvent.objects.count() > events  # the look is audited
    assert shown.packet["recipient"]["name"] == "Dr. Ines Halvorsen"
    assert set(shown.packet["categories"]) <= {"diagnosis", "treatment_plan"}
    assert len(shown.token) == 64

    sent = preview.confirmed(releases.release_disclose, shown.token, user=marsh, client_id=c1, release_id=rid)
    assert _counts(c1)[0] == before[0] + 1
    stored = Disclosure.objects.get(id=sent["id"])
    assert stored.release_id is not None and sent["categories"] == shown.packet["categories"]


def test_a_changed_basis_between_preview_and_confirm_sends_nothing(staff, cid):
    marsh, c1 = staff["marsh"], cid["c1"]
    rid = make_release(marsh, c1, signed=True)
    other = make_release(marsh, c1, signed=True, categories=["diagnosis"])
    shown = preview.preview_of(releases.release_disclose, user=marsh, client_id=c1, release_id=rid)
    before = _counts(c1)
    # A token for one packet never sends another.
    with pytest.raises(preview.PreviewChanged):
        preview.confirmed(releases.release_disclose, shown.token, user=marsh, client_id=c1, release_id=other)
    assert _counts(c1) == before
    # The release revoked after the preview: refused in words, nothing sent.
    releases.release_revoke(user=marsh, client_id=c1, release_id=rid, how="letter from the client")
    with pytest.raises(Refused, match="revoked"):
        preview.confirmed(releases.release_disclose, shown.token, user=marsh, client_id=c1, release_id=rid)
    assert _counts(c1) == before


def test_another_users_token_or_a_malformed_one_sends_nothing(staff, cid):
    marsh, okafor, c1 = staff["marsh"], staff["okafor"], cid["c1"]
    rid = make_release(marsh, c1, signed=True)
    shown = preview.preview_of(releases.release_disclose, user=marsh, client_id=c1, release_id=rid)
    before = _counts(c1)
    with pytest.raises(InvalidInput):
        preview.confirmed(releases.release_disclose, "not a token", user=marsh, client_id=c1, release_id=rid)
    forged = ("0" if shown.token[0] != "0" else "1") + shown.token[1:]
    with pytest.raises(preview.PreviewChanged):
        preview.confirmed(releases.release_disclose, forged, user=marsh, client_id=c1, release_id=rid)
    assert _counts(c1) == before
    del okafor


def test_a_previewed_warning_records_no_action_and_opens_no_obligation(staff, cid):
    marsh, c1 = staff["marsh"], cid["c1"]
    event = safety.safety_event_record(user=marsh, client_id=c1, threat="said he would hurt his brother tonight",
                                       person_at_risk={"name": "Rowan Example", "contact": "253-555-0100"},
                                       imminence="imminent")
    before = _counts(c1)
    shown = preview.preview_of(safety.safety_action_take, user=marsh, client_id=c1, event_id=event["id"],
                               action="warn_person")
    assert _counts(c1) == before
    assert shown.packet["sections"]["incident"]["threat"] == "said he would hurt his brother tonight"
    assert "contact" not in shown.packet["sections"]["incident"]["person_at_risk"]
    assert not [e for e in safety.safety_events_list(user=marsh, client_id=c1) if e["actions_taken"]]
    done = preview.confirmed(safety.safety_action_take, shown.token, user=marsh, client_id=c1, event_id=event["id"],
                             action="warn_person")
    assert done["disclosure"]["obligations"] and _counts(c1)[1] == before[1] + 1


def test_without_a_preview_the_api_path_is_unchanged(staff, cid):
    marsh, c1 = staff["marsh"], cid["c1"]
    rid = make_release(marsh, c1, signed=True)
    sent = releases.release_disclose(user=marsh, client_id=c1, release_id=rid)
    assert Disclosure.objects.filter(id=sent["id"]).exists()
