"""The chart in tabs: each tab asks the PDP for its own sections (and the client's
identity, for the header) and decrypts only those; the audit records only them. Which
tabs a reader may open is the PDP's answer for the whole chart, asked without opening
anything (a decision reads no client information, so it is not a read to audit)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from confide.apps.practice.models import User
from confide.core.errors import NotFound
from confide.core.policy import AccessRequest, decide
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.policy import rules
from confide.services.projection import HISTORY_PAGE, parse_appointment_marker, project_chart

# key (URL part; "" the summary), label, sections
TABS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("", "Overview", frozenset({"identity", "contact", "fact_of_treatment", "family_contacts", "billing",
                                "contact_preferences"})),
    ("notes", "Notes", frozenset({"progress_notes"})),
    ("plan", "Plan", frozenset({"treatment_plan", "medications"})),
    ("diagnoses", "Diagnoses", frozenset({"diagnosis"})),
    ("measures", "Measures", frozenset({"assessments", "risk_assessment"})),
    ("appointments", "Appointments", frozenset({"appointments", "attendance"})),
    ("psychotherapy", "Psychotherapy notes", frozenset({"psychotherapy_notes"})),
)
TAB_SECTIONS = {key: sections for key, _label, sections in TABS}
WRITERS = ("clinician", "supervisor")


def _peek(user: User, client, rels: frozenset[str], categories, note_author_id=None) -> frozenset[str]:
    """The categories the PDP would permit this reader, without reading any."""
    now = datetime.now(timezone.utc)
    purpose = access.default_purpose(user)
    if purpose == "TREAT" and "break_glass" in rels and not rels & {"treating", "supervising"}:
        purpose = "BTG"
    request = AccessRequest(actor=access.actor_for(user), action="read", purpose=purpose, client_ref="",
                            client_practice_id=str(client.practice_id) if client else None,
                            categories=frozenset(categories), relationships=rels,
                            note_author_id=str(note_author_id) if note_author_id is not None else None, now=now)
    decision = decide(request, rules())
    return decision.categories if decision.permitted else frozenset()


def _psychotherapy_allowed(user: User, rels: frozenset[str], authored: bool) -> bool:
    """The psychotherapy-notes tab: for a treating clinician (who may write them) or the
    author of some here (`authored`); only ever their own notes."""
    return user.role in WRITERS and ("treating" in rels or authored)


def chart_tab(*, user: User, client_id, tab: str = "", before=None) -> dict:
    """Open one tab of a chart: its sections decrypted, nothing else; plus the tabs the
    reader may move to. The notes tab carries no notes here (services.charting.notes
    pages them); appointments come a page at a time (`appointments_next`; `before`,
    that marker, opens the older page)."""
    if tab not in TAB_SECTIONS:
        raise NotFound()
    parse_appointment_marker(before)  # a bad marker is refused before anything is read
    cid = access.parse_client_id(client_id) or uuid.UUID(int=0)
    # The reader's relationships and whether they wrote psychotherapy notes here, asked
    # once (the door's own statement, the same for any id) for every peek below; the
    # door asks again inside its transaction, where the decision is made.
    client, rels, authored = access.client_at_door(user, cid, datetime.now(timezone.utc), author_notes=True)
    sections = TAB_SECTIONS[tab]
    pn = tab == "psychotherapy"
    wanted = {"identity"} | (sections if not pn else {"psychotherapy_notes", "progress_notes"})
    if tab and not _peek(user, client, rels, sections, note_author_id=user.pk if pn else None):
        # None of the tab's own sections is permitted: ask for those alone, so the door
        # records the denial and answers NotFound (the header's identity opens no tab).
        wanted = set(sections)
    author = user.pk if pn else None
    if pn and not _psychotherapy_allowed(user, rels, authored):
        # Neither their author nor treating: the door is asked as for anyone's notes,
        # denies and records it (never a way to learn that a client exists).
        wanted, author = {"psychotherapy_notes"}, None
    with access.governed(user=user, client_id=cid, action="read", purpose=access.default_purpose(user),
                         categories=wanted, note_author_id=author,
                         detail={"view": "chart", "tab": tab or "overview"}, whole_client=True) as ok:
        cats = ok.decision.categories
        client = ok.client
        dek = data_key_of(client)
        # Progress notes are paged by services.charting.notes, never projected whole here.
        chart = project_chart(user, client, dek, frozenset(cats - {"progress_notes"}), history=HISTORY_PAGE,
                              before=before)
        everything = frozenset().union(*TAB_SECTIONS.values()) - {"psychotherapy_notes"}
        may = _peek(user, client, rels, everything)
        tabs = []
        for key, label, secs in TABS:
            if key == "psychotherapy":
                show = _psychotherapy_allowed(user, rels, authored) and bool(
                    _peek(user, client, rels, {"psychotherapy_notes"}, note_author_id=user.pk))
            else:
                show = key == "" or bool(secs & may)
            if show:
                tabs.append({"key": key, "label": label, "current": key == tab,
                             "url": f"/clients/{client.id}/" + (f"{key}/" if key else "")})
        chart["tabs"] = tabs
        chart["may_write"] = user.role in WRITERS and "treating" in rels
        chart["read_categories"] = sorted(cats)
        return chart
