"""Intake: a new client, their blind indexes and care team, and portal logins linked to
them. Every write goes through the door (`access.authorize_new_client`,
`access.governed`) and is audited in the same transaction (promise 1)."""

from __future__ import annotations

import uuid
from datetime import date

from confide.apps.practice.models import User
from confide.apps.records.models import (
    BlindIndex,
    CareTeamMember,
    Client,
    ClientAccount,
)
from confide.core.crypto import blind_index, normalize
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audited_transaction
from confide.services.keys import client_key_new, client_key_store, practice_index_key
from confide.services.messages import PREFERENCE_KEYS, preferences_check
from confide.services.sealing import seal
from confide.services.validation import check_keys

IDENTITY_KEYS = {"legal_name", "preferred_name", "dob", "pronouns", "record_number"}
CONTACT_KEYS = {"email", "phone", "address"}
FACT_KEYS = {"status", "program", "admitted_on", "minor_consent"}
BILLING_KEYS = {"payer", "member_id", "group", "self_pay"}


INDEXED = (("identity", "legal_name", "name"), ("identity", "preferred_name", "name"),
           ("contact", "email", "email"), ("contact", "phone", "phone"))


def _check_indexable(identity: dict, contact: dict | None) -> None:
    """Every indexed value must leave something to index (a phone needs digits, a
    name letters), or the client could never be found by it."""
    for section, field, kind in INDEXED:
        value = (identity if section == "identity" else contact or {}).get(field)
        if value is not None and (not isinstance(value, str) or not normalize(kind, value)):
            raise InvalidInput(f"{section}.{field}: nothing in it can be searched for")


def _index_values(client_id, practice_id, identity: dict, contact: dict | None) -> list[BlindIndex]:
    key = practice_index_key(practice_id)
    rows = []
    for kind, value in (("name", identity.get("legal_name")), ("name", identity.get("preferred_name")),
                        ("email", (contact or {}).get("email")), ("phone", (contact or {}).get("phone"))):
        if value:
            rows.append(BlindIndex(practice_id=practice_id, client_id=client_id, kind=kind,
                                   digest=blind_index(key, kind, value)))
    return rows


def client_create(*, user: User, identity: dict, contact: dict | None = None, fact: dict | None = None,
                  billing: dict | None = None, preferences: dict | None = None) -> uuid.UUID:
    """Create a client in the user's practice. A clinician creating a client becomes its
    treating clinician."""
    check_keys("identity", identity, IDENTITY_KEYS, {"legal_name"})
    for name, value, keys in (("contact", contact, CONTACT_KEYS), ("fact", fact, FACT_KEYS),
                              ("billing", billing, BILLING_KEYS), ("preferences", preferences, PREFERENCE_KEYS)):
        if value is not None:
            check_keys(name, value, keys, set())
    if preferences is not None:
        preferences = preferences_check(preferences)  # the vocabulary of services.messages
    _check_indexable(identity, contact)
    categories = {"identity", "fact_of_treatment"} | {c for c, v in (
        ("contact", contact), ("billing", billing), ("contact_preferences", preferences)) if v is not None}
    cid = uuid.uuid4()
    with audited_transaction():
        decision = access.authorize_new_client(user=user, client_id=cid, purpose=access.default_purpose(user),
                                               categories=categories)
        if decision.permitted:
            _client_insert(user, cid, identity, contact, fact, billing, preferences)
    if not decision.permitted:
        raise NotFound()  # after the commit: the denial stays in the audit log
    return cid


def _client_insert(user, cid, identity, contact, fact, billing, preferences) -> None:
    """Insert the client row, its wrapped data key, blind indexes and care team."""
    dek = client_key_new()
    fact = {"status": "active", "admitted_on": date.today().isoformat(), **(fact or {})}
    client = Client.objects.create(
        id=cid, practice_id=user.practice_id,
        identity_enc=seal(dek, Client, "identity_enc", cid, identity),
        contact_enc=seal(dek, Client, "contact_enc", cid, contact),
        fact_enc=seal(dek, Client, "fact_enc", cid, fact),
        billing_enc=seal(dek, Client, "billing_enc", cid, billing),
        preferences_enc=seal(dek, Client, "preferences_enc", cid, preferences),
    )
    client_key_store(client, dek)
    BlindIndex.objects.bulk_create(_index_values(client.id, user.practice_id, identity, contact))
    if user.role in ("clinician", "supervisor"):
        CareTeamMember.objects.create(practice_id=user.practice_id, client_id=client.id, staff=user,
                                      relationship="treating")


def client_account_link(*, user: User, client_id, account: User, relationship: str) -> None:
    """Link a portal login to a client as the client (self) or a personal representative."""
    if relationship not in ("self", "representative"):
        raise InvalidInput("account: relationship must be self or representative")
    if account.practice_id != user.practice_id or account.role not in ("client", "representative"):
        raise InvalidInput("account: not a portal account of this practice")
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"identity", "family_contacts"}, detail={"record": "account"}) as ok:
        ClientAccount.objects.create(practice_id=ok.client.practice_id, client_id=ok.client.id, user=account,
                                     relationship=relationship)
