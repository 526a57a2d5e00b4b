"""Mandated reports of child, elder and dependent-adult abuse or neglect (issue 3,
exception 4), with a decision aid.

The decision aid (RULES.md 5.1, 5.2, 5.3) answers whether a disclosure is reportable:

- a child victim (under 18 now) is reportable (164.512(b)(1)(ii) permits, the state
  mandates; MR-C5);
- an adult's disclosure of abuse in their own past childhood is reportable only as
  the jurisdiction's `adult_survivor_report` fact says: the default (and Colorado's
  codified rule) is `report_if_current_risk`, i.e. only when a child is at risk now,
  and the report then concerns that child. A row marked U (Maryland's possible
  "always") is shown, flagged, and never applied;
- an elder or dependent adult: every state but New York names mandated reporters
  (MR-E1, V2); the protected class varies by state and is not on file (MR-E3).

`abuse_event_record` stores what the client disclosed with the aid's answer;
`abuse_report_make` re-asks the aid under the rules in force and, when reportable,
builds the report packet to the agency through `disclosure_packet_build` (basis
child_abuse_report or adult_abuse_report, purpose PUBHLTH, flag reportable): the
accounting entry and the obligation to tell the client come with it. An adult-abuse
report tells the client (164.512(c)(2), ABU-4) unless the clinician records an
exception (risk_of_serious_harm, PR_is_abuser) with a reason: the obligation is then
closed as waived, with that reason. When the aid says not reportable, the attempt
still goes to the PDP (without the reportable flag), is refused and audited, and the
answer gives the aid's reason.
"""

from __future__ import annotations

from datetime import datetime, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import Obligation, SafetyEvent
from confide.core.errors import InvalidInput, Refused
from confide.services import access
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_packet_build,
)
from confide.services.disclosures.safety import (
    event_load,
    event_store,
    event_update,
    party,
    refused_with_promise_hint,
    text_field,
)
from confide.services.keys import data_key_of
from confide.services.policy import rules
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal
from confide.services.topics import check_topics

VICTIM_KINDS = ("child", "elder", "dependent_adult")
NOTIFY_EXCEPTIONS = ("risk_of_serious_harm", "PR_is_abuser")
DEFAULT_ADULT_SURVIVOR_RULE = "report_if_current_risk"
ADULT_AGE = 18


def _fact_view(fact) -> dict:
    return {"fact_id": fact.id, "rule": fact.data.get("rule"), "citation": fact.citation, "ver": fact.ver,
            "summary": fact.summary, "source": fact.source}


def abuse_report_assess(*, jurisdiction: str, victim_kind: str, victim_age_now, abuse_is_past: bool,
                        child_at_risk_now: bool) -> dict:
    """The decision aid: is this disclosure reportable, on what basis, and why. Pure
    (reads only the rule packs)."""
    if victim_kind not in VICTIM_KINDS:
        raise InvalidInput(f"victim_kind: must be one of {', '.join(VICTIM_KINDS)}")
    if victim_age_now is not None and (type(victim_age_now) is not int or not 0 <= victim_age_now <= 130):
        raise InvalidInput("victim_age_now: a whole number of years from 0 to 130")
    if victim_kind == "child" and victim_age_now is None:
        raise InvalidInput("victim_age_now: required for a child (is the victim a child now?)")
    for name, value in (("abuse_is_past", abuse_is_past), ("child_at_risk_now", child_at_risk_now)):
        if type(value) is not bool:
            raise InvalidInput(f"{name}: true or false")

    out = {"jurisdiction": jurisdiction, "victim_kind": victim_kind, "jurisdiction_rule": None, "unverified": []}
    if victim_kind in ("elder", "dependent_adult"):
        rule = rules().rule("US-HIPAA-ADULT-ABUSE-REPORT")
        out.update({"reportable": True, "basis": "adult_abuse_report", "rule_id": rule.id,
                    "citation": rule.citation, "ver": rule.ver, "notify_client_required": True,
                    "reason": "an elder or dependent adult may be a victim: every state but New York names mandated "
                              "reporters (RULES.md 5.3 MR-E1, V2); who is protected varies by state and is not on "
                              "file here (MR-E3): check your state's protected class",
                    "notify_client": "the client is told promptly unless telling them would put them at risk of "
                                     "serious harm, or would inform a representative believed responsible "
                                     "(45 CFR 164.512(c)(2), ABU-4)"})
        return out

    rule = rules().rule("US-HIPAA-CHILD-ABUSE-REPORT")
    out.update({"basis": "child_abuse_report", "rule_id": rule.id, "citation": rule.citation, "ver": rule.ver,
                "notify_client_required": False})
    if victim_age_now < ADULT_AGE:
        out.update({"reportable": True,
                    "reason": "the victim is a child now: the state's mandate applies and 45 CFR 164.512(b)(1)(ii) "
                              "permits the report (RULES.md 5.1 MR-C5)"})
        return out

    # An adult disclosing abuse in their own childhood (RULES.md 5.2).
    ruleset = rules()
    fact = ruleset.fact("adult_survivor_report", jurisdiction)
    out["unverified"] = [{**_fact_view(f), "applied": False,
                          "flag": "unverified: a lead only (RULES.md 0.1 U); check the law, not applied"}
                         for f in ruleset.facts_for("adult_survivor_report", jurisdiction) if not f.enabled]
    survivor_rule = fact.data.get("rule") if fact is not None else DEFAULT_ADULT_SURVIVOR_RULE
    out["jurisdiction_rule"] = (_fact_view(fact) if fact is not None else
                                {"fact_id": None, "rule": DEFAULT_ADULT_SURVIVOR_RULE, "citation": "",
                                 "ver": "V2", "source": "",
                                 "summary": "default (RULES.md 5.2): most states require a report only when the "
                                            "victim is still a child, or when a child is at risk now"})
    if survivor_rule == "always":
        out.update({"reportable": True,
                    "reason": "the jurisdiction requires a report of past childhood abuse even when the victim is "
                              "now an adult"})
    elif survivor_rule == "report_if_current_risk" and child_at_risk_now:
        out.update({"reportable": True,
                    "reason": "the victim is now an adult, but a child is at risk now: the report concerns that "
                              "child (RULES.md 5.2)"})
    else:
        out.update({"reportable": False,
                    "reason": "an adult's disclosure of abuse in their own past childhood is not reportable unless "
                              "a child is at risk now (RULES.md 5.2)"
                              + ("" if survivor_rule == "report_if_current_risk"
                                 else f"; this jurisdiction's rule: {survivor_rule}")})
    if not abuse_is_past and victim_age_now >= ADULT_AGE:
        out["note"] = ("the victim is an adult now: if the abuse is current, an elder or dependent-adult report "
                       "may apply")
    return out


def _check_victim(victim) -> dict:
    if victim is None:
        return {}
    if not isinstance(victim, dict):
        raise InvalidInput("victim: expected an object")
    unknown = set(victim) - {"name", "relationship"}
    if unknown:
        raise InvalidInput(f"victim: unknown field {sorted(unknown)[0]!r}")
    return {k: text_field(f"victim.{k}", victim.get(k), required=False, limit=200) for k in victim}


def abuse_event_record(*, user: User, client_id, victim_kind: str, victim_age_now=None, abuse_is_past: bool,
                       child_at_risk_now: bool = False, facts=None, victim=None, current_risk=None,
                       topics=None) -> dict:
    """Record what the client disclosed about abuse, with the decision aid's answer."""
    jurisdiction = user.practice.jurisdiction
    assessment = abuse_report_assess(jurisdiction=jurisdiction, victim_kind=victim_kind,
                                     victim_age_now=victim_age_now, abuse_is_past=abuse_is_past,
                                     child_at_risk_now=child_at_risk_now)
    tags = check_topics(topics)
    body = {"kind": "abuse", "victim_kind": victim_kind, "victim_age_now": victim_age_now,
            "abuse_is_past": abuse_is_past, "child_at_risk_now": child_at_risk_now,
            "facts": text_field("facts", facts, required=True), "victim": _check_victim(victim),
            "current_risk": text_field("current_risk", current_risk, required=False),
            "recorded_on": local_today(user.practice_id).isoformat(), "assessment": assessment, "reports": []}
    if child_at_risk_now and not body["current_risk"] and victim_kind == "child" and victim_age_now >= ADULT_AGE:
        raise InvalidInput("current_risk: say who is at risk now and why (the report concerns that child)")
    eid = event_store(user=user, client_id=client_id, body=body, tags=tags)
    return {"id": str(eid), "kind": "abuse", "topics": tags, "assessment": assessment, "reports": []}


def _incident(body: dict) -> dict:
    """What the agency needs: who may be a victim, the facts disclosed, and (for an
    adult survivor) who is at risk now."""
    out = {"victim_kind": body["victim_kind"], "victim": body.get("victim") or {},
           "victim_age_now": body.get("victim_age_now"), "facts": body["facts"],
           "abuse_is_past": body["abuse_is_past"], "recorded_on": body.get("recorded_on")}
    if body.get("child_at_risk_now"):
        out["child_at_risk_now"] = True
        out["current_risk"] = body.get("current_risk", "")
    return out


def abuse_report_make(*, user: User, client_id, event_id, agency, notify_exception: str | None = None,
                      notify_exception_reason=None) -> dict:
    """Make the report to the agency when the decision aid says it is reportable."""
    to = party("agency", agency, required=True)
    if notify_exception is not None and notify_exception not in NOTIFY_EXCEPTIONS:
        raise InvalidInput(f"notify_exception: must be one of {', '.join(NOTIFY_EXCEPTIONS)}")
    reason = text_field("notify_exception_reason", notify_exception_reason, required=notify_exception is not None,
                        limit=1000)
    if notify_exception is None and reason:
        raise InvalidInput("notify_exception_reason: give it with a notify_exception")
    if notify_exception is not None and len(reason) < 10:
        raise InvalidInput("notify_exception_reason: say why, in at least 10 characters")
    cid, eid, body = event_load(user=user, client_id=client_id, event_id=event_id, kinds=("abuse",),
                                detail={"record": "safety_event", "step": "load"})
    # The rules in force now decide (the stored answer may predate a rule change).
    assessment = abuse_report_assess(jurisdiction=user.practice.jurisdiction, victim_kind=body["victim_kind"],
                                     victim_age_now=body.get("victim_age_now"), abuse_is_past=body["abuse_is_past"],
                                     child_at_risk_now=body["child_at_risk_now"])
    flags = frozenset({"reportable"}) if assessment["reportable"] else frozenset()
    citation = assessment["citation"]
    if assessment.get("jurisdiction_rule") and assessment["jurisdiction_rule"].get("citation"):
        citation += f"; {assessment['jurisdiction_rule']['citation']}"
    basis = Basis(kind=assessment["basis"], citation=citation, ref=str(eid), flags=flags,
                  description=f"Mandated report of {body['victim_kind'].replace('_', ' ')} abuse or neglect "
                              f"disclosed {body.get('recorded_on')}")
    try:
        summary = disclosure_packet_build(user=user, client_id=cid,
                                          recipient=Recipient(name=to["name"], kind="agency",
                                                              address=to.get("address", "")),
                                          purpose="PUBHLTH", basis=basis,
                                          categories={"identity", "contact", "incident"},
                                          incident=_incident(body), incident_id=eid)
    except Refused as refused:
        if not assessment["reportable"]:
            raise Refused(f"not reportable: {assessment['reason']}. Nothing was disclosed.",
                          rule_ids=refused.rule_ids) from None
        raise refused_with_promise_hint(refused) from None
    now = datetime.now(timezone.utc)
    report = {"disclosure_id": summary["id"], "by": user.pk, "at": now.isoformat(timespec="seconds"),
              "agency": to["name"]}
    waived = []

    def record(b, client):
        b["reports"].append(report)
        if notify_exception is None:
            return
        # ABU-4 for an adult; for a child report (164.512(b) requires no informing) the
        # practice tells the client unless the same reasons make it unsafe.
        citation = ("45 CFR 164.512(c)(2)" if body["victim_kind"] != "child"
                    else "practice policy after 45 CFR 164.512(c)(2); 164.512(b)(1)(ii) requires no informing")
        detail = {"exception": notify_exception, "reason": reason, "citation": citation, "recorded_by": user.pk}
        dek = data_key_of(client)
        for ob in Obligation.objects.filter(practice_id=client.practice_id, client_id=client.id,
                                            disclosure_id=summary["id"], kind="notify_client", status="open"):
            ob.status, ob.closed_at, ob.closed_by = "waived", now, user
            ob.detail_enc = seal(dek, Obligation, "detail_enc", ob.id, detail)
            ob.save(update_fields=["status", "closed_at", "closed_by", "detail_enc"])
            waived.append(str(ob.id))
        report["notify_exception"] = notify_exception

    event_update(user=user, client_id=cid, event_id=eid, change=record, categories={"incident", "disclosures"},
                 detail={"record": "safety_event", "step": "report"})
    for ob in summary["obligations"]:
        if ob["id"] in waived:
            ob["status"] = "waived"
            ob["exception"] = notify_exception
        else:
            ob["status"] = "open"
    return {"event_id": str(eid), "assessment": assessment, "disclosure": summary}


def abuse_events_list(*, user: User, client_id) -> list[dict]:
    """The client's recorded disclosures of abuse, each with the decision aid's answer
    under the rules in force now and the reports made."""
    with access.governed(user=user, client_id=client_id, action="read", purpose="TREAT", categories={"incident"},
                         detail={"view": "abuse_events"}) as ok:
        dek = data_key_of(ok.client)
        rows = SafetyEvent.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id).order_by(
            "created_at", "id")
        bodies = [(str(r.id), unseal(dek, SafetyEvent, "body_enc", r.id, r.body_enc)) for r in rows]
    out = []
    for eid, body in bodies:
        if body.get("kind") != "abuse":
            continue
        assessment = abuse_report_assess(jurisdiction=user.practice.jurisdiction, victim_kind=body["victim_kind"],
                                         victim_age_now=body.get("victim_age_now"),
                                         abuse_is_past=body["abuse_is_past"],
                                         child_at_risk_now=body["child_at_risk_now"])
        out.append({"id": eid, "kind": "abuse", "recorded_on": body.get("recorded_on"),
                    "victim_kind": body["victim_kind"], "victim_age_now": body.get("victim_age_now"),
                    "abuse_is_past": body["abuse_is_past"], "child_at_risk_now": body["child_at_risk_now"],
                    "facts": body.get("facts", ""), "assessment": assessment, "reports": body.get("reports", [])})
    return out
