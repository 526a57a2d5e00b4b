"""Releases made through the real services, for the tests (and the API happy-path test)."""

from __future__ import annotations

from datetime import date, timedelta


def release_data(**overrides) -> dict:
    """A complete HIPAA release to Lena's physician (every element present)."""
    data = {
        "description": "My diagnosis and treatment plan, so my physician can coordinate my care",
        "categories": ["diagnosis", "treatment_plan"],
        "discloser": "Harbor Light Counseling",
        "recipient": {"name": "Dr. Ines Halvorsen", "kind": "provider", "address": "12 Pine St, Tacoma, WA"},
        "purposes": ["Coordination of my care"],
        "expires_on": (date.today() + timedelta(days=180)).isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def self_account(client_id):
    """The client's own portal user (relationship self), or None."""
    from confide.apps.records.models import ClientAccount

    account = ClientAccount.objects.filter(client_id=client_id, relationship="self").select_related("user").first()
    return account.user if account else None


def make_release(user, client_id, *, kind: str = "hipaa", signed: bool = False, **overrides) -> str:
    """Prepare a release as `user` (a treating clinician); `signed`: the client signs it
    in the portal with a typed name."""
    from confide.services.disclosures import releases

    rid = releases.release_create(user=user, client_id=client_id, kind=kind, data=release_data(**overrides))
    if signed:
        releases.release_sign(user=self_account(client_id), client_id=client_id, release_id=rid,
                              typed_name="Typed Name")
    return str(rid)
