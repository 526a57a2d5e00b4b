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
from confide.core.crypto.name_search import index_terms, term_digest
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.keys import client_key_new, client_key_store, practice_index_key
from confide.services.messages import PREFERENCE_KEYS, preferences_check
from confide.services.sealing import seal
from confide.services.validation import check_keys

IDENTITY_KEYS = {"legal_name", "preferred_name", "dob", "pronouns", "record_number"}
CONTACT_KEYS = {"email", "phone", "address"}
FACT_KEYS = {"status", "program", "admitted_on", "minor_consent", "minor_consent_basis", "acknowledgements"}
BILLING_KEYS = {"payer", "member_id", "group", "self_pay", "restrict_payer"}


INDEXED = (("identity", "legal_name", "name"), ("identity", "preferred_name", "name"),
           ("contact", "email", "email"), ("contact", "phone", "phone"))


def _check_indexable(identity: dict, contact: dict | None) -> None:
    """Every indexed value must leave something to index (a phone needs digits, a
    name letters), or the client could never be found by it."""
    for section, field, kind in INDEXED:
        value = (identity if section == "identity" else contact or {}).get(field)
        if value is not None and (not isinstance(value, str) or not normalize(kind, value)):
            raise InvalidInput(f"{section}.{field}: nothing in it can be searched for")


def index_digests(practice_id, identity: dict, contact: dict | None) -> list[tuple[str, str]]:
    """A client's blind index entries (kind, digest): exact name, email and phone, and
    the name-part terms. Intake and the demo's bulk path write exactly these."""
    key = practice_index_key(practice_id)
    rows = []
    for kind, value in (("name", identity.get("legal_name")), ("name", identity.get("preferred_name")),
                        ("email", (contact or {}).get("email")), ("phone", (contact or {}).get("phone"))):
        if value:
            rows.append((kind, blind_index(key, kind, value)))
    # Parts of names, and their one-typo neighbourhoods (core.crypto.name_search).
    names = [identity.get(f) for f in ("legal_name", "preferred_name") if identity.get(f)]
    rows += sorted({(kind, term_digest(key, kind, term)) for kind, term in index_terms(names)})
    return rows


def index_rows(client: Client, identity: dict, contact: dict | None) -> list[BlindIndex]:
    """The client's blind index rows, unsaved, each with the client's intake time (the
    index orders a digest's clients newest first by it)."""
    return [BlindIndex(practice_id=client.practice_id, client_id=client.id, kind=kind, digest=digest,
                       created_at=client.created_at)
            for kind, digest in index_digests(client.practice_id, identity, contact)]


def client_create(*, user: User, identity: dict, contact: dict | None = None, fact: dict | None = None,
                  billing: dict | None = None, preferences: dict | None = None,
                  treating: User | None = None) -> uuid.UUID:
    """Create a client in the user's practice. A clinician creating a client becomes its
    treating clinician; the front desk names the clinician who will see them
    (`treating`) and records identity and contact only: no fact of treatment, which
    the clinician records when they complete the intake."""
    check_keys("identity", identity, IDENTITY_KEYS, {"legal_name"})
    for name, value, keys in (("contact", contact, CONTACT_KEYS), ("fact", fact, FACT_KEYS),
                              ("billing", billing, BILLING_KEYS), ("preferences", preferences, PREFERENCE_KEYS)):
        if value is not None:
            check_keys(name, value, keys, set())
    if preferences is not None:
        preferences = preferences_check(preferences)  # the vocabulary of services.messages
    _check_indexable(identity, contact)
    front_desk = user.role == "front_desk"
    if front_desk and (fact is not None or billing is not None or preferences is not None):
        raise InvalidInput("intake: the front desk records identity and contact only")
    if treating is not None and (treating.practice_id != user.practice_id or treating.role not in
                                 ("clinician", "supervisor") or not treating.is_active):
        raise InvalidInput("clinician: choose an active clinician of this practice")
    if front_desk and treating is None:
        raise InvalidInput("clinician: choose the clinician who will see the client")
    categories = {"identity"} | (set() if front_desk else {"fact_of_treatment"}) | {c for c, v in (
        ("contact", contact), ("billing", billing), ("contact_preferences", preferences)) if v is not None}
    cid = uuid.uuid4()
    with audited_transaction():
        decision = access.authorize_new_client(user=user, client_id=cid, purpose=access.default_purpose(user),
                                               categories=categories)
        if decision.permitted:
            _client_insert(user, cid, identity, contact, fact, billing, preferences, treating)
    if not decision.permitted:
        raise NotFound()  # after the commit: the denial stays in the audit log
    return cid


def _client_insert(user, cid, identity, contact, fact, billing, preferences, treating=None) -> None:
    """Insert the client row, its wrapped data key, blind indexes and care team."""
    dek = client_key_new()
    if user.role != "front_desk":
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
    BlindIndex.objects.bulk_create(index_rows(client, identity, contact))
    if user.role in ("clinician", "supervisor"):
        CareTeamMember.objects.create(practice_id=user.practice_id, client_id=client.id, staff=user,
                                      relationship="treating")
    elif treating is not None:
        # The front desk books the new client with a clinician: the care relationship
        # is recorded (by id; the front desk reads nothing clinical) and audited.
        CareTeamMember.objects.create(practice_id=user.practice_id, client_id=client.id, staff=treating,
                                      relationship="treating")
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="care_team.assigned", purpose="HOPERAT", client_ref=access.client_ref_for(user, cid),
                     detail={"to": treating.pk})


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


# --- the intake flow: a new client in one go -----------------------------------------

PROGRAMS = {"outpatient": "Outpatient mental health", "sud": "Substance use disorder program (42 CFR Part 2)"}
ACK_HOW = {"paper": "signed on paper", "electronic": "signed electronically", "verbal": "acknowledged aloud"}
ACKNOWLEDGEMENTS = {"npp": "Notice of privacy practices", "limits": "Limits of confidentiality"}
ADULT_AGE = 18
# What the front desk may enter: who the client is and how to reach them.
FRONT_DESK_SECTIONS = frozenset({"identity", "contact"})


def _line(field: str, value, limit: int = 200) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit or any(ord(c) < 32 and c not in "\n" for c in value):
        raise InvalidInput(f"{field}: at most {limit} characters of text")
    return value.strip()


def _contact_row(field: str, raw: dict | None, *, emergency: bool = False, guardian: bool = False) -> dict | None:
    """A family, emergency or guardian contact: a name and a way to reach them."""
    if not raw or not any((raw.get(k) or "").strip() for k in ("name", "relationship", "phone", "email")):
        return None
    row = {k: _line(f"{field}.{k}", raw.get(k), 200) for k in ("name", "relationship", "phone", "email")}
    if not row["name"] or not row["relationship"]:
        raise InvalidInput(f"{field}: give the person's name and how they are related")
    if not (row["phone"] or row["email"]):
        raise InvalidInput(f"{field}: give a phone number or an email")
    return {**row, "emergency": emergency or bool(raw.get("emergency")), "guardian": guardian}


def minor_consent_finding(*, jurisdiction_code: str, dob: date | None, on: date, finding: str | None) -> dict | None:
    """The minor's consent finding under the state's rule (RULES.md section 4): None for
    an adult; for a minor, "self" only where the state lets a minor of this age consent
    alone to outpatient care, else "parent". The basis (rule, citation, age) is kept."""
    from confide.core.policy.minors import age_on
    from confide.services import jurisdiction

    if dob is None:
        if finding:
            raise InvalidInput("date of birth: needed to record a minor's consent")
        return None
    age = age_on(dob, on)
    if age < 0:
        raise InvalidInput("date of birth: in the future")
    if age >= ADULT_AGE:
        if finding:
            raise InvalidInput("minor's consent: the client is an adult")
        return None
    rule = jurisdiction.minor_consent(jurisdiction_code)
    min_age = jurisdiction.minor_consent_age(jurisdiction_code)
    basis = {"age": age, "rule": rule["id"], "citation": rule["citation"], "ver": rule["ver"],
             "min_age": min_age, "verified": rule["verified"]}
    if finding not in ("self", "parent"):
        raise InvalidInput(f"minor's consent: the client is {age}; record who consents "
                           f"({rule['message']})")
    if finding == "self" and (min_age is None or age < min_age):
        raise InvalidInput(f"minor's consent: under {jurisdiction_code}'s rule a {age}-year-old cannot consent "
                           "alone; a parent or guardian consents" + (f" ({rule['citation']})" if rule["citation"] else ""))
    return {"finding": finding, **basis}


def _acknowledgements(raw: dict | None, user: User, today: date) -> dict:
    out = {}
    for key, label in ACKNOWLEDGEMENTS.items():
        item = (raw or {}).get(key) or {}
        how = item.get("how") or ""
        if not how:
            continue
        if how not in ACK_HOW:
            raise InvalidInput(f"{label.lower()}: how it was given: one of {', '.join(ACK_HOW)}")
        on = item.get("on") or today
        try:
            on = on if isinstance(on, date) else date.fromisoformat(str(on))
        except ValueError:
            raise InvalidInput(f"{label.lower()}: the date as YYYY-MM-DD") from None
        if on > today:
            raise InvalidInput(f"{label.lower()}: the date is in the future")
        out[key] = {"how": how, "on": on.isoformat(), "recorded_by": user.pk}
    return out


def client_intake(*, user: User, identity: dict, contact: dict | None = None, preferences: dict | None = None,
                  billing: dict | None = None, program: str | None = None, minor_consent: str | None = None,
                  guardian: dict | None = None, emergency: dict | None = None, family: list | None = None,
                  acknowledgements: dict | None = None, treating_id=None) -> uuid.UUID:
    """A new client from the intake form, checked whole before anything is written:
    identity and contact (the front desk's part); contact preferences per channel
    (never a reason); insurance or self-pay with the payer restriction; the program (a
    Part 2 program makes the record Part 2); a minor's consent finding under the
    state's rule with the parent or guardian; emergency and family contacts; and the
    notice of privacy practices and limits of confidentiality, with how and when."""
    from confide.apps.practice.models import Practice
    from confide.services import charting

    clinical = {"preferences": preferences, "billing": billing, "program": program, "minor_consent": minor_consent,
                "guardian": guardian, "emergency": emergency, "family": family, "acknowledgements": acknowledgements}
    if user.role == "front_desk" and any(v for v in clinical.values()):
        raise InvalidInput("intake: the front desk records identity and contact only; the clinician adds the rest")
    practice = Practice.objects.get(pk=user.practice_id)
    today = date.today()
    identity = {k: v for k, v in (identity or {}).items() if v not in (None, "")}
    if not (identity.get("legal_name") or "").strip():
        raise InvalidInput("legal name: required")
    dob = None
    if identity.get("dob"):
        try:
            dob = identity["dob"] if isinstance(identity["dob"], date) else date.fromisoformat(str(identity["dob"]))
        except ValueError:
            raise InvalidInput("date of birth: expected a date as YYYY-MM-DD") from None
        identity["dob"] = dob.isoformat()
    contact = {k: v.strip() for k, v in (contact or {}).items() if isinstance(v, str) and v.strip()} or None
    fact: dict | None = None
    contacts: list[dict] = []
    if user.role != "front_desk":
        if program not in PROGRAMS:
            raise InvalidInput(f"program: one of {', '.join(PROGRAMS)}")
        basis = minor_consent_finding(jurisdiction_code=practice.jurisdiction, dob=dob, on=today,
                                      finding=minor_consent or None)
        guardian_row = _contact_row("parent or guardian", guardian, guardian=True)
        if basis and basis["finding"] == "parent" and guardian_row is None:
            raise InvalidInput("parent or guardian: a minor whose parent consents needs the parent's name and phone "
                               "or email")
        fact = {"program": program, "minor_consent": basis["finding"] if basis else None,
                "minor_consent_basis": basis, "acknowledgements": _acknowledgements(acknowledgements, user, today)}
        for row in (guardian_row, _contact_row("emergency contact", emergency, emergency=True),
                    *[_contact_row("family contact", f) for f in (family or [])]):
            if row is not None:
                contacts.append(row)
        if billing is not None:
            self_pay = bool(billing.get("self_pay"))
            billing = {"self_pay": self_pay, "restrict_payer": self_pay and bool(billing.get("restrict_payer")),
                       **{k: _line(k, billing.get(k), 100) for k in ("payer", "member_id", "group")}}
            if not self_pay and not billing["payer"]:
                raise InvalidInput("insurance: name the health plan, or choose self-pay")
            if billing["restrict_payer"] and not self_pay:
                raise InvalidInput("insurance: the restriction needs the client to pay in full themselves")
        if preferences is not None:
            preferences = {k: v for k, v in preferences.items() if v not in (None, "")}
    treating = None
    if user.role == "front_desk":
        treating = User.objects.filter(pk=treating_id if str(treating_id or "").isdigit() else None,
                                       practice_id=user.practice_id).first()
        if treating is None:
            raise InvalidInput("clinician: choose the clinician who will see the client")
    cid = client_create(user=user, identity=identity, contact=contact, fact=fact, billing=billing,
                        preferences=preferences, treating=treating)
    for row in contacts:
        charting.record_add(user=user, client_id=cid, kind="contact", data=row)
    return cid


def portal_invite(*, user: User, client_id, relationship: str, username: str, email: str, base_url: str) -> User:
    """A portal login for the client (self) or their personal representative, created
    by invitation: the account has no password until the person opens the expiring
    link sent through the outbox. The link to the client goes through the door."""
    from confide.services.accounts import user_create
    from confide.services.practice import invitations
    from confide.services.practice.setup import check_username

    if relationship not in ("self", "representative"):
        raise InvalidInput("relationship: the client themselves, or their representative")
    username = check_username(username)
    if not isinstance(email, str) or "@" not in email.strip() or len(email) > 254:
        raise InvalidInput("email: the invitation link goes to an email address")
    role = "client" if relationship == "self" else "representative"
    # The door first: a caller with no right to the client is refused (and the refusal
    # audited) before any login exists.
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"identity", "family_contacts"},
                         detail={"record": "account", "invitation": True}) as ok:
        # The address is the client's contact information: it goes into the invitation
        # only, never onto the login's row (which holds a login name and nothing else).
        account = user_create(actor=user, practice=user.practice, username=username, role=role, password=None)
        ClientAccount.objects.create(practice_id=ok.client.practice_id, client_id=ok.client.id, user=account,
                                     relationship=relationship)
        invitations.invitation_send(actor=user, account=account, purpose="portal", email=email.strip(),
                                    base_url=base_url)
    return account
