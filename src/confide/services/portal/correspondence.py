"""Secure messages between a client and their clinician (category correspondence).

The text is sealed under the client's key and filed in the chart; every read and
write passes the door and is audited. The front desk and billing never see it
(INT-FRONT-DESK and INT-BILLER do not name the category).

When the clinician writes, the client is told that a message is waiting, and nothing
else: no name, no practice type, no text, from the practice's neutral sender, over the
first channel the client allowed (email, then text), to their confidential
alternative if they gave one. The notice is a `Message` like a reminder (sent, or
refused with the reason); the client's own channel choices decide, as for reminders."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone

from confide.apps.practice.models import Practice, User
from confide.apps.records.models import Client, Message, PortalMessage
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.directory import listing
from confide.services.keys import data_key_of
from confide.services.messages import (
    Outgoing,
    channel_route,
    message_backend,
    practice_sender,
    preferences_normalize,
)
from confide.services.portal.common import client_zone, treating_clinicians, when
from confide.services.practice_time import practice_zone
from confide.services.sealing import seal, unseal

log = logging.getLogger("confide.messages")

MAX_TEXT = 5000
NOTICE_CHANNELS = ("email", "text")
STAFF_WRITERS = frozenset({"clinician", "supervisor"})
# What writing a message touches: the client writes correspondence; a clinician also
# reads whom to tell (identity, contact, their preferences) and records the notice.
CLIENT_WRITES = frozenset({"correspondence"})
STAFF_WRITES = frozenset({"correspondence", "identity", "contact", "contact_preferences", "messages"})
# Why a staff member who reads a thread may not answer it, in words (the rule pack is
# the authority: INT-SUPERVISOR lets a supervisor read, never write; INT-TREATING lets
# the client's treating clinicians write).
NO_REPLY = {
    "supervising": "You read these messages as the supervisor of the client's clinician. The practice's rules let a "
                   "supervisor read a supervisee's client's record, not write to the client: the treating clinician "
                   "replies. To add something, tell your supervisee.",
    "": "Only a clinician on the client's care team replies to them.",
}


def _text(raw) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("message: write something to send")
    text = raw.strip()
    if len(text) > MAX_TEXT or any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise InvalidInput(f"message: at most {MAX_TEXT} characters of text")
    return text


def notice_render(first_name: str, sender: str, channel: str) -> tuple[str, str]:
    """The waiting-message notice: it says a message is waiting and where to read it,
    nothing more (checked neutral by the tests against `revealing_words`)."""
    hello = f"Hello {first_name}," if first_name else "Hello,"
    if channel == "email":
        return ("A message is waiting for you",
                f"{hello}\n\nA new message is waiting for you. Please sign in to read it.\n\n{sender}\n")
    return "", f"{hello} a new message is waiting for you. Please sign in to read it. {sender}"


def _notify(client: Client, dek: bytes, user: User) -> dict:
    """Tell the client a message waits, on the first channel they allowed; recorded as
    a Message either way."""
    row = (Client.objects.only("id", "identity_enc", "contact_enc", "preferences_enc")
           .get(id=client.id, practice_id=client.practice_id))
    identity = unseal(dek, Client, "identity_enc", row.id, row.identity_enc) or {}
    contact = unseal(dek, Client, "contact_enc", row.id, row.contact_enc) or {}
    prefs = preferences_normalize(unseal(dek, Client, "preferences_enc", row.id, row.preferences_enc))
    sender = practice_sender(Practice.objects.get(pk=client.practice_id))
    first = identity.get("preferred_name") or ((identity.get("legal_name") or "").split() or [""])[0]
    routes = [(c, channel_route(prefs, contact, c)) for c in NOTICE_CHANNELS]
    channel, route = next(((c, r) for c, r in routes if r.allowed), routes[0])
    rid = uuid.uuid4()
    status, reason, ref, subject, text = "refused", route.reason, "", None, None
    backend = message_backend()
    if route.allowed:
        subject, text = notice_render(first, sender, channel)
        try:
            ref = backend.deliver(Outgoing(message_id=str(rid), channel=channel, to=route.to, subject=subject,
                                           text=text, sender=sender, client_id=client.id))
            status, reason = "sent", ""
        except Exception as exc:  # noqa: BLE001 - any transport fault: record it, say it in one line
            status, reason = "failed", f"failed: the {backend.name} backend did not accept the message"
            log.warning("message notice not delivered ref=%s backend=%s class=%s", rid, backend.name,
                        type(exc).__name__)
    body = {"kind": "message_waiting", "to": route.to or None, "subject": subject, "text": text,
            "details": False, "reason": reason or None, "backend": backend.name, "ref": ref or None, "by": str(user.pk)}
    Message.objects.create(id=rid, practice_id=client.practice_id, client_id=client.id, channel=channel,
                           status=status, body_enc=seal(dek, Message, "body_enc", rid, body))
    return {"channel": channel, "status": status, "reason": reason or None}


def message_send(*, user: User, client_id, text, clinician_id=None, notify: bool = True) -> dict:
    """A client writes to their clinician (the first on their care team, or the one
    named), or a clinician on the care team writes to the client (who is told a
    message waits). Returns the message id and, for a clinician's, the notice's outcome.
    `notify=False` only for history written after the fact (the demo's): no notice."""
    text = _text(text)
    from_client = user.role == "client"
    if not from_client and user.role not in STAFF_WRITERS:
        raise NotFound()
    cats = CLIENT_WRITES if from_client else STAFF_WRITES
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories=cats, detail={"record": "portal_message"}) as ok:
        dek = data_key_of(ok.client)
        clinicians = treating_clinicians(ok.client.id, ok.client.practice_id)
        if from_client:
            if not clinicians:
                raise InvalidInput("message: there is no clinician to write to yet; please call the practice")
            clinician = next((c for c in clinicians if str(c.pk) == str(clinician_id)), clinicians[0])
        else:
            if user not in clinicians:
                raise InvalidInput("message: only a clinician on the client's care team writes to them")
            clinician = user
        rid = uuid.uuid4()
        PortalMessage.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                     clinician=clinician, sender=user, from_client=from_client,
                                     body_enc=seal(dek, PortalMessage, "body_enc", rid, {"text": text}))
        notice = None if from_client or not notify else _notify(ok.client, dek, user)
    return {"id": str(rid), "notice": notice}


def thread(*, user: User, client_id) -> dict:
    """Every secure message of the client, oldest first, each with who wrote it and
    when (in the reader's zone). Opening it marks as read what was written to the
    reader (the client; or the clinician the messages were addressed to)."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"correspondence"}, detail={"view": "portal_messages"}) as ok:
        dek = data_key_of(ok.client)
        zone = client_zone(dek, ok.client) if user.role == "client" else str(practice_zone(ok.client.practice_id))
        rows = list(PortalMessage.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
                    .select_related("sender", "clinician").order_by("created_at", "id"))
        now = datetime.now(timezone.utc)
        if user.role == "client":
            unread = [r.id for r in rows if not r.from_client and r.read_at is None]
        else:
            unread = [r.id for r in rows if r.from_client and r.clinician_id == user.pk and r.read_at is None]
        if unread:
            PortalMessage.objects.filter(practice_id=ok.client.practice_id, id__in=unread).update(read_at=now)
        out = []
        for r in rows:
            body = unseal(dek, PortalMessage, "body_enc", r.id, r.body_enc) or {}
            who = ("You" if user.role == "client" else "The client") if r.from_client else (
                r.sender.full_name or r.sender.username)
            out.append({"id": str(r.id), "from_client": r.from_client, "who": who, "text": body.get("text", ""),
                        "at": r.created_at, "when": when(zone, r.created_at), "clinician": r.clinician.full_name,
                        "new": r.id in unread})
    clinicians = treating_clinicians(ok.client.id, ok.client.practice_id)
    return {"client_id": str(ok.client.id), "messages": out, "clinicians": [c.full_name for c in clinicians],
            **_reply(user, ok.client.id, clinicians)}


def _reply(user: User, client_id, clinicians: list[User]) -> dict:
    """Whether the reader may answer (the PDP's decision for the write, and a clinician on
    the care team, as `message_send` requires), and if not, why in words."""
    if user.role == "client":
        return {"may_reply": True, "no_reply": ""}
    if user.role not in STAFF_WRITERS:
        return {"may_reply": False, "no_reply": NO_REPLY[""]}
    decision = access.decide_offer(user=user, client_id=client_id, action="write",
                                   purpose=access.default_purpose(user), categories=STAFF_WRITES)
    if decision.permitted and user in clinicians:
        return {"may_reply": True, "no_reply": ""}
    supervising = "supervising" in access.relationships_of(user, client_id, datetime.now(timezone.utc))
    return {"may_reply": False, "no_reply": NO_REPLY["supervising" if supervising else ""]}


def unread_count(client_id, practice_id, *, to_client: bool, clinician: User | None = None) -> int:
    """Messages not yet read by their addressee (called inside a door)."""
    rows = PortalMessage.objects.filter(practice_id=practice_id, client_id=client_id, from_client=not to_client,
                                        read_at__isnull=True)
    if clinician is not None:
        rows = rows.filter(clinician=clinician)
    return rows.count()


def threads_mine(*, user: User) -> list[dict]:
    """A clinician's threads: every client who wrote to them or to whom they wrote,
    newest activity first, with how many of the client's messages are unread."""
    if user.role not in STAFF_WRITERS:
        return []
    latest: dict = {}
    unread: dict = {}
    for cid, at, from_client, read_at in PortalMessage.objects.filter(
            practice_id=user.practice_id, clinician=user).values_list("client_id", "created_at", "from_client",
                                                                       "read_at"):
        latest[cid] = max(latest.get(cid, at), at)
        if from_client and read_at is None:
            unread[cid] = unread.get(cid, 0) + 1
    listed = listing(user, set(latest), categories={"correspondence"}, action="portal_messages.threads")
    zone = str(practice_zone(user.practice_id))
    out = [{"client_id": str(cid), "client_name": c.name, "last": latest[cid], "when": when(zone, latest[cid]),
            "unread": unread.get(cid, 0)} for cid, c in listed.items()]
    return sorted(out, key=lambda t: t["last"], reverse=True)
