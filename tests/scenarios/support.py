"""What the scenario suites share: an outcome read back from the real services (the
stored packet, the client's accounting, the refusal), and small builders that go
through the same services a clinician's request would."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from confide.apps.records.models import ClientAccount, Disclosure
from confide.core.errors import Refused
from confide.services.disclosures import releases
from confide.services.disclosures.accounting import accounting_of_disclosures
from confide.services.disclosures.packet import disclosure_document

PN = "psychotherapy_notes"
PRACTICE = "Harbor Light Counseling"


@dataclass(frozen=True)
class Outcome:
    """What one step of a scenario came to, as the services report and store it.

    effect: permit (a packet left), deny (refused, nothing left) or hold (a legal
    request waits for its basis, nothing left). categories: what the stored packet
    holds (None when nothing left). accountable: whether the client's accounting lists
    the disclosure as one 164.528 requires (None when nothing left). rule_ids: the
    rules that decided it (the refusal's, or the packet's)."""

    effect: str
    categories: frozenset[str] | None = None
    accountable: bool | None = None
    rule_ids: tuple[str, ...] = ()
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Expect:
    """The federal result of a step (RULES.md section 9). categories: exactly what the
    packet holds; includes / excluded: what it must and must not hold; rule_ids: among
    the rules that permitted it, or exactly the rules a refusal names; detail: facts the step reports, each equal."""

    effect: str
    categories: frozenset[str] | None = None
    includes: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()
    accountable: bool | None = None
    rule_ids: frozenset[str] = frozenset()
    detail: dict = field(default_factory=dict)


def check(outcome: Outcome, expect: Expect) -> None:
    assert outcome.effect == expect.effect, outcome
    if expect.effect != "permit":
        assert outcome.categories is None and outcome.accountable is None, outcome
    if expect.categories is not None:
        assert outcome.categories == expect.categories, outcome
    assert expect.includes <= (outcome.categories or frozenset()), outcome
    assert not expect.excluded & (outcome.categories or frozenset()), outcome
    if expect.accountable is not None:
        assert outcome.accountable is expect.accountable, outcome
    if expect.effect == "permit":
        assert expect.rule_ids <= set(outcome.rule_ids), outcome
    else:  # a refusal names exactly the rules that refused it
        assert set(outcome.rule_ids) == expect.rule_ids, outcome
    for key, value in expect.detail.items():
        assert outcome.detail.get(key) == value, (key, outcome)


def disclosed(reader, client_id, summary: dict, **detail) -> Outcome:
    """A disclosure that was made, read back as its recipient got it (the stored packet)
    and as the client's accounting lists it (read by `reader`, who may read both)."""
    packet = disclosure_document(user=reader, client_id=client_id, disclosure_id=summary["id"])
    (entry,) = [e for e in accounting_of_disclosures(user=reader, client_id=client_id)["entries"]
                if e["id"] == summary["id"]]
    held = frozenset(packet["sections"])
    assert held == frozenset(summary["categories"]) == frozenset(entry["categories"])
    assert entry["required"] is summary["accountable"] is Disclosure.objects.get(id=summary["id"]).accountable
    if not entry["required"]:
        assert entry["not_required_reason"]
    return Outcome("permit", held, entry["required"], tuple(summary["rule_ids"]),
                   {**detail, "notices": tuple(summary.get("notices", ())), "recipient": packet["recipient"]["kind"]})


def refused(call, **detail) -> Outcome:
    """A request the services refuse: nothing leaves, and the refusal names its rules."""
    before = Disclosure.objects.count()
    with pytest.raises(Refused) as err:
        call()
    assert Disclosure.objects.count() == before
    return Outcome("deny", rule_ids=tuple(err.value.rule_ids), detail={**detail, "message": str(err.value)})


def portal_login(client_id, relationship: str = "self"):
    account = (ClientAccount.objects.filter(client_id=client_id, relationship=relationship)
               .select_related("user").first())
    return account.user if account else None


def signed_release(clinician, client_id, *, kind: str = "hipaa", categories, recipient: dict, purposes,
                   description: str, purpose_of_use: str | None = None, topics=None, signer=None,
                   days: int = 90, expiry_event: str | None = None) -> str:
    """A release with every element, prepared by the treating clinician and signed by
    the client in the portal with a typed name (or, for a client without a login,
    recorded from the wet-signed paper)."""
    data = {"description": description, "categories": list(categories), "discloser": PRACTICE,
            "recipient": recipient, "purposes": list(purposes)}
    if expiry_event:
        data["expiry_event"] = expiry_event
    else:
        data["expires_on"] = (date.today() + timedelta(days=days)).isoformat()
    if purpose_of_use:
        data["purpose_of_use"] = purpose_of_use
    if topics:
        data["topics"] = list(topics)
    rid = releases.release_create(user=clinician, client_id=client_id, kind=kind, data=data)
    signer = signer or portal_login(client_id)
    if signer is not None:
        releases.release_sign(user=signer, client_id=client_id, release_id=rid, typed_name="Typed Signature")
    else:
        paper = releases.release_pdf(user=clinician, client_id=client_id, release_id=rid)  # the draft, printed
        releases.release_upload_signed(user=clinician, client_id=client_id, release_id=rid,
                                       pdf_base64=base64.b64encode(paper).decode("ascii"),
                                       signer_name="Signed On Paper", signer_role="client")
    return str(rid)
