"""Duty to warn or protect (issue 3, exception 3), and the incidents behind it.

A safety event records a threat the client made (the threat, the identifiable person
at risk, imminence and means) or a crime the client admitted in therapy. Recording a
threat shows the state's rule for the practice's jurisdiction (RULES.md section 3, as
`duty_to_warn` facts in `rules/`): mandatory, permissive, none..., its citation and
verification mark, and how the duty is discharged. An unverified (U) row is shown,
flagged, and never makes anything mandatory.

Each action the clinician chooses (warn the person at risk, notify police, arrange
hospitalization) is its own disclosure through `disclosure_packet_build`, on the basis
of 45 CFR 164.512(j)(1)(i): the PDP limits each packet to what that recipient needs to
prevent harm, writes the accounting entry and the obligation to tell the client.

A crime admitted in therapy is never a basis for disclosure (45 CFR 164.512(j)(2),
RULES.md 1.6.6 THR-3): every attempt goes to the PDP with basis `crime_admission`, is
refused by US-HIPAA-THERAPY-BAR, audited, and answered in plain words.

An event is written in three steps, each through the door in its own transaction: load
the event (asked as a write, since the action will be recorded on it), build the
packet (its own transaction, with its accounting entry), record the action on the
event. The disclosure row is the record of truth: if the last step failed, the
accounting would still hold the packet.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import SafetyEvent
from confide.core.errors import InvalidInput, NotFound, Refused
from confide.services import access
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_packet_build,
)
from confide.services.keys import data_key_of
from confide.services.policy import rules
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal
from confide.services.topics import check_topics, topics_tag

EVENT_KINDS = ("threat", "crime_admission")
IMMINENCE = ("imminent", "near_term", "not_imminent", "unknown")
ACTIONS = ("warn_person", "notify_police", "arrange_hospitalization")
# Duty-to-warn categories (RULES.md section 3) under which the state requires action.
MANDATORY_CATEGORIES = frozenset({"mandatory", "mandatory_LE", "mandatory_report"})

# What each action is: who receives it, the rule that profiles its packet, the
# categories that profile names (the PDP grants no more), its purposes of use.
ACTION_PROFILES = {
    "warn_person": {"recipient": "person_at_risk", "rule": "US-HIPAA-THREAT-WARN",
                    "categories": frozenset({"identity", "incident"}), "purposes": ("THREAT",)},
    "notify_police": {"recipient": "law_enforcement", "rule": "US-HIPAA-THREAT-POLICE",
                      "categories": frozenset({"identity", "contact", "incident"}), "purposes": ("THREAT",)},
    "arrange_hospitalization": {"recipient": "hospital", "rule": "US-HIPAA-THREAT-HOSPITAL",
                                "categories": frozenset({"identity", "contact", "diagnosis", "medications",
                                                         "risk_assessment", "incident"}),
                                "purposes": ("THREAT", "ETREAT")},
}
THERAPY_BAR = "US-HIPAA-THERAPY-BAR"
MAX_TEXT = 4000


# --- input checks (before the door: a bad request writes nothing) -------------------

def text_field(name: str, value, *, required: bool, limit: int = MAX_TEXT) -> str:
    """A free-text field: a string, stripped, within `limit`; required ones non-blank."""
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput(f"{name}: give text of at most {limit} characters")
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{name}: required")
    return value


def party(name: str, value, *, required: bool) -> dict | None:
    """A person or organisation: {name, contact} or {name, address}."""
    if value is None:
        if required:
            raise InvalidInput(f"{name}: required")
        return None
    if not isinstance(value, dict):
        raise InvalidInput(f"{name}: expected an object")
    unknown = set(value) - {"name", "contact", "address"}
    if unknown:
        raise InvalidInput(f"{name}: unknown field {sorted(unknown)[0]!r}")
    out = {"name": text_field(f"{name}.name", value.get("name"), required=True, limit=200)}
    for key in ("contact", "address"):
        if key in value:
            out[key] = text_field(f"{name}.{key}", value.get(key), required=False, limit=400)
    return out


def event_id_of(raw) -> uuid.UUID | None:
    """An event id from outside. A malformed one is looked up as 'no such event', after
    the door, so it answers like any id that names nothing."""
    if raw is None or (isinstance(raw, str) and len(raw) > 100):
        return None
    return access.parse_client_id(raw)


# --- the state's rule -----------------------------------------------------------------

def _fact_view(fact) -> dict:
    data = dict(fact.data)
    return {"fact_id": fact.id, "category": data.get("category"), "citation": fact.citation, "ver": fact.ver,
            "summary": fact.summary, "source": fact.source,
            "discharge_all_of": list(data.get("discharge_all_of", [])),
            "discharge_any_of": list(data.get("discharge_any_of", [])),
            "permitted_also": list(data.get("permitted_also", []))}


def duty_to_warn_rule(jurisdiction: str) -> dict:
    """The state's duty-to-warn rule for `jurisdiction`, as the clinician sees it: the
    enabled fact (applied), and any unverified rows (shown, flagged, never applied)."""
    ruleset = rules()
    applied = ruleset.fact("duty_to_warn", jurisdiction)
    unverified = [{**_fact_view(f), "applied": False,
                   "flag": "unverified: a lead only (RULES.md 0.1 U); check the law, nothing here is applied"}
                  for f in ruleset.facts_for("duty_to_warn", jurisdiction) if not f.enabled]
    hipaa = ruleset.rule("US-HIPAA-THREAT-WARN")
    federal = {"rule_id": hipaa.id, "citation": hipaa.citation, "ver": hipaa.ver,
               "summary": "HIPAA permits a disclosure, in good faith, to a person reasonably able to prevent or "
                          "lessen a serious and imminent threat, including its target; it requires none."}
    if applied is None:
        return {"jurisdiction": jurisdiction, "applied": False, "category": "not_on_file", "mandatory": False,
                "citation": "", "ver": None, "fact_id": None,
                "summary": "No verified duty-to-warn rule for this jurisdiction is on file: nothing is mandatory "
                           "here; the federal permission applies.",
                "discharge_all_of": [], "discharge_any_of": [], "permitted_also": [],
                "federal": federal, "unverified": unverified}
    view = _fact_view(applied)
    return {"jurisdiction": jurisdiction, "applied": True, **view,
            "mandatory": view["category"] in MANDATORY_CATEGORIES, "federal": federal, "unverified": unverified}


def actions_view(state_rule: dict, taken: list[dict]) -> tuple[list[dict], list]:
    """Every action a threat allows, each with the categories its packet may hold and
    whether the state's (applied) rule requires it; and what the rule still requires."""
    ruleset = rules()
    all_of = set(state_rule["discharge_all_of"]) if state_rule["mandatory"] else set()
    any_of = set(state_rule["discharge_any_of"]) if state_rule["mandatory"] else set()
    done = {t["action"] for t in taken}
    out = []
    for action in ACTIONS:
        profile = ACTION_PROFILES[action]
        rule = ruleset.rule(profile["rule"])
        out.append({"action": action, "recipient_kind": profile["recipient"],
                    "categories": sorted(rule.categories & profile["categories"]),
                    "rule_id": rule.id, "citation": rule.citation, "ver": rule.ver,
                    "required": "all_of" if action in all_of else "one_of" if action in any_of else None,
                    "taken": action in done})
    outstanding: list = sorted(all_of - done)
    if any_of and not any_of & done:
        outstanding.append({"one_of": sorted(any_of)})
    return out, outstanding


def therapy_bar_view() -> dict:
    rule = rules().rule(THERAPY_BAR)
    return {"rule_id": rule.id, "citation": rule.citation, "ver": rule.ver,
            "message": "A crime the client admitted in therapy is not a basis for disclosure: no warning, report "
                       "or police notification can be made on it (45 CFR 164.512(j)(2)). If the client now "
                       "threatens an identifiable person, record that threat as its own event."}


# --- events ------------------------------------------------------------------------------

def safety_event_record(*, user: User, client_id, kind: str = "threat", threat=None, person_at_risk=None,
                        imminence: str = "unknown", means=None, statement=None, topics=None,
                        recognition=None) -> dict:
    """Record a threat (or an admitted crime) in the chart, tagged with promise topics.
    Returns the event id, the state's rule and the actions available."""
    if kind not in EVENT_KINDS:
        raise InvalidInput(f"kind: must be one of {', '.join(EVENT_KINDS)}")
    tags = check_topics(topics)
    if kind == "threat":
        if imminence not in IMMINENCE:
            raise InvalidInput(f"imminence: must be one of {', '.join(IMMINENCE)}")
        body = {"kind": kind, "threat": text_field("threat", threat, required=True),
                "person_at_risk": party("person_at_risk", person_at_risk, required=True),
                "imminence": imminence, "means": text_field("means", means, required=False)}
        # A description of the client, only when the warned person needs it to
        # recognise them (the profile says so, with its reason).
        described = text_field("recognition", recognition, required=False, limit=400)
        if described:
            body["recognition"] = described
        if statement not in (None, ""):
            raise InvalidInput("statement: only for a crime_admission")
    else:
        body = {"kind": kind, "statement": text_field("statement", statement, required=True)}
        if any(v not in (None, "") for v in (threat, means, recognition)) or person_at_risk is not None:
            raise InvalidInput("crime_admission: give the statement only (a threat is its own event)")
    body.update({"recorded_on": local_today(user.practice_id).isoformat(), "actions": [], "attempts": []})
    # The audit detail names the record, never its kind: "crime_admission" or "threat"
    # next to a client's pseudonym would be clinical information in the log.
    eid = event_store(user=user, client_id=client_id, body=body, tags=tags)
    return safety_event_view(str(eid), body, user.practice.jurisdiction, topics=tags)


def event_store(*, user: User, client_id, body: dict, tags) -> uuid.UUID:
    """Store a safety or abuse event through the door, tagged with its topics. The audit
    detail names the record, never its kind."""
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT", categories={"incident"},
                         detail={"record": "safety_event"}) as ok:
        dek = data_key_of(ok.client)
        eid = uuid.uuid4()
        event = SafetyEvent.objects.create(id=eid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                           recorded_by=user, body_enc=seal(dek, SafetyEvent, "body_enc", eid, body))
        if tags:
            topics_tag(practice_id=ok.client.practice_id, client_id=ok.client.id, record=event,
                       category="incident", topics=tags)
    return eid


def safety_event_view(event_id: str, body: dict, jurisdiction: str, topics=None) -> dict:
    out = {"id": event_id, "kind": body["kind"], "recorded_on": body.get("recorded_on")}
    if topics is not None:
        out["topics"] = list(topics)
    if body["kind"] == "crime_admission":
        out.update({"state_rule": None, "actions": [], "outstanding": [], "actions_taken": [],
                    "not_a_basis": therapy_bar_view(), "attempts": body.get("attempts", [])})
        return out
    state_rule = duty_to_warn_rule(jurisdiction)
    taken = body.get("actions", [])
    actions, outstanding = actions_view(state_rule, taken)
    out.update({"imminence": body.get("imminence"), "state_rule": state_rule, "actions": actions,
                "outstanding": outstanding, "actions_taken": taken})
    if body.get("imminence") == "not_imminent":
        out["note"] = ("45 CFR 164.512(j)(1)(i) permits a warning on a good-faith belief that the threat is serious "
                       "and imminent; the state's rule may reach further (check its trigger).")
    return out


def event_load(*, user: User, client_id, event_id, kinds, detail: dict, categories=frozenset({"incident"})):
    """Load one event of the client through the door, asked as a write (the caller will
    record on it). Returns (client id, event id, body). An event of another client, of
    another kind or none at all: NotFound."""
    eid = event_id_of(event_id)
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories=set(categories), detail=detail) as ok:
        event = (SafetyEvent.objects.filter(id=eid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
                 if eid else None)
        if event is None:
            raise NotFound()
        body = unseal(data_key_of(ok.client), SafetyEvent, "body_enc", event.id, event.body_enc)
        if body.get("kind") not in kinds:
            raise NotFound()
        return ok.client.id, event.id, body


def event_update(*, user: User, client_id, event_id, change, detail: dict, categories=frozenset({"incident"})):
    """Apply `change(body, client)` to an event in one governed write; returns the new
    body. `change` runs inside the transaction (it may write related rows)."""
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories=set(categories), detail=detail) as ok:
        event = SafetyEvent.objects.select_for_update().filter(id=event_id, client_id=ok.client.id,
                                                               practice_id=ok.client.practice_id).first()
        if event is None:
            raise NotFound()
        dek = data_key_of(ok.client)
        body = unseal(dek, SafetyEvent, "body_enc", event.id, event.body_enc)
        change(body, ok.client)
        event.body_enc = seal(dek, SafetyEvent, "body_enc", event.id, body)
        event.save(update_fields=["body_enc"])
    return body


def safety_events_list(*, user: User, client_id) -> list[dict]:
    """The client's threats and admitted crimes, each with the state's rule and the
    actions taken (abuse disclosures are listed with their reports elsewhere)."""
    with access.governed(user=user, client_id=client_id, action="read", purpose="TREAT", categories={"incident"},
                         detail={"view": "safety_events"}) as ok:
        dek = data_key_of(ok.client)
        rows = SafetyEvent.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id).order_by(
            "created_at", "id")
        bodies = [(str(r.id), unseal(dek, SafetyEvent, "body_enc", r.id, r.body_enc)) for r in rows]
    jurisdiction = user.practice.jurisdiction
    return [safety_event_view(eid, body, jurisdiction) for eid, body in bodies if body.get("kind") in EVENT_KINDS]


# --- actions -----------------------------------------------------------------------------

def refused_with_promise_hint(refused: Refused) -> Refused:
    """A refusal by one of the practice's promises, with what the clinician can do: the
    promise covers the tagged record, not the duty (record the facts that must go,
    without the promised topic, as their own event)."""
    if not any(r.startswith("PRACTICE-PROMISE-") for r in refused.rule_ids):
        return refused
    return Refused(f"{refused}. The promise covers this tagged record: if a warning or report is still due, record "
                   "the facts that must go, without the promised topic, as their own event", rule_ids=refused.rule_ids)


def _incident_for(action: str, body: dict) -> dict:
    """The facts a recipient needs to prevent harm: the threat, who is at risk,
    imminence and means. The person warned already knows how to reach themselves."""
    person = dict(body["person_at_risk"])
    if action == "warn_person":
        person.pop("contact", None)
        person.pop("address", None)
    incident = {"threat": body["threat"], "person_at_risk": person, "imminence": body["imminence"],
                "means": body.get("means", ""), "recorded_on": body.get("recorded_on")}
    if body.get("recognition"):
        incident["recognition"] = body["recognition"]
    return incident


def safety_action_take(*, user: User, client_id, event_id, action: str, recipient=None,
                       purpose: str = "THREAT") -> dict:
    """Take one action on a recorded threat: its own minimum-necessary packet, with its
    accounting entry and the obligation to tell the client. On an admitted crime every
    action is refused (US-HIPAA-THERAPY-BAR) and the refusal is recorded."""
    if action not in ACTIONS:
        raise InvalidInput(f"action: must be one of {', '.join(ACTIONS)}")
    profile = ACTION_PROFILES[action]
    if purpose not in profile["purposes"]:
        raise InvalidInput(f"purpose: {action} is made for {' or '.join(profile['purposes'])}")
    to = party("recipient", recipient, required=action != "warn_person")
    cid, eid, body = event_load(user=user, client_id=client_id, event_id=event_id, kinds=EVENT_KINDS,
                                detail={"record": "safety_event", "step": "load"})
    jurisdiction = user.practice.jurisdiction
    if body["kind"] == "crime_admission":
        return _crime_admission_attempt(user, cid, eid, action, to, profile)
    if to is None:
        person = body["person_at_risk"]
        to = {"name": person["name"], "address": person.get("contact", "")}
    state_rule = duty_to_warn_rule(jurisdiction)
    citation = "45 CFR 164.512(j)(1)(i)"
    if state_rule["applied"] and state_rule["citation"]:
        citation += f"; {state_rule['citation']}"
    basis = Basis(kind="serious_threat", citation=citation, ref=str(eid),
                  description=f"Serious threat recorded {body.get('recorded_on')}: {action.replace('_', ' ')}")
    try:
        summary = disclosure_packet_build(
            user=user, client_id=cid, recipient=Recipient(name=to["name"], kind=profile["recipient"],
                                                          address=to.get("address", "")),
            purpose=purpose, basis=basis, categories=profile["categories"], incident=_incident_for(action, body),
            incident_id=eid)
    except Refused as refused:
        raise refused_with_promise_hint(refused) from None
    entry = {"action": action, "disclosure_id": summary["id"], "by": user.pk,
             "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    body = event_update(user=user, client_id=cid, event_id=eid, change=lambda b, _c: b["actions"].append(entry),
                        detail={"record": "safety_event", "step": "action"})
    view = safety_event_view(str(eid), body, jurisdiction)
    return {"event_id": str(eid), "action": action, "disclosure": summary, "actions_taken": view["actions_taken"],
            "outstanding": view["outstanding"], "state_rule": view["state_rule"]}


def _crime_admission_attempt(user, cid, eid, action, to, profile) -> dict:
    """Ask the PDP with basis crime_admission (it refuses: THR-3), record the refused
    attempt on the event and say so plainly."""
    basis = Basis(kind="crime_admission", citation="45 CFR 164.512(j)(1)(ii)(A); 45 CFR 164.512(j)(2)",
                  description="Crime admitted in therapy", ref=str(eid))
    recipient = Recipient(name=(to or {}).get("name") or "law enforcement", kind=profile["recipient"],
                          address=(to or {}).get("address", ""))
    try:
        disclosure_packet_build(user=user, client_id=cid, recipient=recipient, purpose="THREAT", basis=basis,
                                categories=profile["categories"], incident_id=eid)
    except Refused as refused:
        rule_ids = refused.rule_ids
    else:  # pragma: no cover - the rule pack must never permit this
        raise RuntimeError("a crime admitted in therapy was disclosed")
    attempt = {"action": action, "refused_by": list(rule_ids),
               "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    event_update(user=user, client_id=cid, event_id=eid, change=lambda b, _c: b["attempts"].append(attempt),
                 detail={"record": "safety_event", "step": "refused"})
    bar = therapy_bar_view()
    raise Refused(f"refused: {bar['message']} ({bar['rule_id']}, {bar['ver']}). Nothing was disclosed.",
                  rule_ids=tuple(rule_ids))
