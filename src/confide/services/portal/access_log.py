"""Who opened the client's record, in words the client reads: "Theo Marsh-Calloway,
your clinician, for your care, Tue 8 Dec, 6:02 PM". Read from the practice's audit
chain (every permitted access under the client's pseudonym), newest first, paged;
an emergency (break-glass) access says so."""

from __future__ import annotations

from datetime import datetime

from confide.apps.practice.models import SupervisionLink, User
from confide.apps.records.models import CareTeamMember, ClientAccount
from confide.services import access
from confide.services.audit import practice_events
from confide.services.keys import data_key_of
from confide.services.portal.common import client_zone, when
from confide.services.words import purpose_word

PER_PAGE = 20
MAX_EVENTS = 5000

# How each staff role stands to the client, in the client's words.
ROLE_TO_CLIENT = {
    "clinician": "a clinician at the practice",
    "supervisor": "a supervising clinician at the practice",
    "biller": "billing staff",
    "front_desk": "front desk staff",
    "practice_admin": "the practice's administrator",
}
ACTION_TO_CLIENT = {
    "read": "opened your record",
    "write": "added to your record",
    "disclose": "shared information from your record",
}


def _standing(actor_pk, role: str, treating: set, supervising: set, own: dict) -> str:
    if actor_pk in own:
        return "you" if own[actor_pk] == "self" else "your parent or guardian"
    if actor_pk in treating:
        return "your clinician"
    if actor_pk in supervising:
        return "your clinician's supervisor"
    return ROLE_TO_CLIENT.get(role, "someone at the practice")


def access_log(*, user: User, client_id, page: int = 1) -> dict:
    """One page of the plain-language log: {entries, page, pages, total}."""
    page = page if isinstance(page, int) and page > 0 else 1
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"fact_of_treatment"}, detail={"view": "access_log", "page": page}) as ok:
        zone = client_zone(data_key_of(ok.client), ok.client)
        ref = access.client_ref_for(user, ok.client.id)
        own = dict(ClientAccount.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
                   .values_list("user_id", "relationship"))
        # The client's own visits to their portal are not what this log is for.
        mine = [str(pk) for pk, rel in own.items() if rel == "self"]
        events = practice_events(practice_id=ok.client.practice_id, client_ref=ref, decision="permit"
                                 ).exclude(actor__in=mine)
        total = min(events.count(), MAX_EVENTS)
        pages = max(1, -(-total // PER_PAGE))
        page = min(page, pages)
        rows = list(events[(page - 1) * PER_PAGE: page * PER_PAGE])
        pks = {int(e.actor) for e in rows if e.actor.isdigit()}
        names = dict(User.objects.filter(pk__in=pks).values_list("pk", "full_name"))
        treating = set(CareTeamMember.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
                       .values_list("staff_id", flat=True))
        supervising = set(SupervisionLink.objects.filter(practice_id=ok.client.practice_id, supervisee_id__in=treating)
                          .values_list("supervisor_id", flat=True)) - treating
    entries = []
    for e in rows:
        actor_pk = int(e.actor) if e.actor.isdigit() else None
        standing = _standing(actor_pk, e.actor_role, treating, supervising, own)
        glass = bool((e.detail or {}).get("break_glass")) or e.purpose == "BTG"
        who = "You" if standing == "you" else (names.get(actor_pk) or "Someone at the practice")
        why = ("in an emergency (emergency access, which the privacy officer reviews)" if glass
               else purpose_word(e.purpose, to_client=True))
        what = ACTION_TO_CLIENT.get(e.action, "opened your record")
        moment = datetime.fromisoformat(e.at) if isinstance(e.at, str) else e.at
        parts = [who] + ([] if standing == "you" else [standing]) + [why, when(zone, moment)]
        entries.append({"sentence": ", ".join(parts), "what": what, "break_glass": glass, "at": moment})
    return {"entries": entries, "page": page, "pages": pages, "total": total, "zone": zone}
