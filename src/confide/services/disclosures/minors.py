"""Minors: the ground rules agreed at intake, and what a parent or guardian sees
(issue 3, exception 2; DESIGN.md promise 7).

At intake the treating clinician records what the parent will hear beyond broad goals
and progress (for example risky behaviour, recorded under risk_assessment) and, where
the minor consented alone under the state's law (Washington: 13, RCW 71.34.530),
what the minor allows the parent to see. The parent's view asks the PDP with basis
"ground_rules" (the parent is the personal representative) or "minor_permission"
(the parent is not, RULES.md 1.4 PR-3a); the rules in `rules/internal-access.toml`
decide.

Telling the minor: when the parent is shown a record under the ground rules (the
decision carries `notify_minor`), one open obligation is created per record shown, the
first time it is shown, naming the ground-rules item it falls under. Viewing the same
record again creates nothing; a new risk assessment shown later creates its own. The
record's key (category and id) is kept inside the obligation's encrypted detail.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from confide.apps.practice.models import User
from confide.apps.records.models import Client, ClientAccount, GroundRules, Obligation
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.accounts import login_digest
from confide.services.disclosures.packet import NOTIFY_WITHIN_DAYS, _progress_summary
from confide.services.keys import client_data_key, data_key_of
from confide.services.practice_time import local_today
from confide.services.projection import project_chart
from confide.services.sealing import seal, unseal

# What a parent who is the personal representative always sees (INT-GUARDIAN-BROAD).
BROAD = frozenset({"identity", "appointments", "attendance", "progress_summary"})
# What ground rules may add (INT-GUARDIAN-GROUND-RULES, less `incident`, which has no
# projection of its own in a chart).
GROUND_RULE_CATEGORIES = frozenset({"diagnosis", "medications", "treatment_plan", "assessments", "risk_assessment"})
# What a minor who consented alone may allow (INT-GUARDIAN-MINOR-ALLOWS).
MINOR_ALLOWS = BROAD | GROUND_RULE_CATEGORIES
_CHART_SECTIONS = frozenset({"appointments", "attendance"}) | GROUND_RULE_CATEGORIES


def _category_list(kind: str, value, allowed: frozenset[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{kind}: a list of categories")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InvalidInput(f"{kind}: {unknown[0]!r} is not one of {', '.join(sorted(allowed))}")
    return sorted(set(value))


def _line(kind: str, value, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit or "\n" in value or "\r" in value:
        raise InvalidInput(f"{kind}: one line of 1 to {limit} characters")
    return value.strip()


def _check_items(items, shared: list[str]) -> list[dict]:
    if items is None:
        return []
    if not isinstance(items, list) or len(items) > 20:
        raise InvalidInput("items: a list of at most 20 items")
    out = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"label", "category"}:
            raise InvalidInput("items: each item has a label and a category")
        label = _line("items.label", item["label"], 120)
        if item["category"] not in shared:
            raise InvalidInput("items: each item's category must be one the parent will hear (shared_categories)")
        out.append({"label": label, "category": item["category"]})
    return out


def ground_rules_record(*, user: User, client_id, shared_categories=None, items=None, minor_allows=None,
                        notes: str = "", pr_blocked=None, pr_blocked_reason: str = "") -> uuid.UUID:
    """Record the ground rules agreed with the minor and the parent (a new version;
    the latest is the one in force).

    `shared_categories`: what the parent will hear beyond broad goals and progress;
    `items`: the agreed items, each a label and the category it is recorded under;
    `minor_allows`: where the minor consented alone, what the minor allows the parent to
    see (refused otherwise); `pr_blocked`: portal usernames of representatives the
    practice elects not to treat as personal representative (RULES.md 1.4 PR-6,
    164.502(g)(5)), with `pr_blocked_reason` (one line) saying why.
    """
    shared = _category_list("shared_categories", shared_categories, GROUND_RULE_CATEGORIES)
    checked_items = _check_items(items, shared)
    allows = _category_list("minor_allows", minor_allows, MINOR_ALLOWS)
    if not isinstance(notes, str) or len(notes) > 4000:
        raise InvalidInput("notes: text of at most 4000 characters")
    if pr_blocked is None:
        pr_blocked = []
    if not isinstance(pr_blocked, list) or len(pr_blocked) > 5 or not all(isinstance(u, str) for u in pr_blocked):
        raise InvalidInput("pr_blocked: a list of at most 5 portal usernames")
    reason = _line("pr_blocked_reason", pr_blocked_reason, 500) if pr_blocked else ""
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"consents"}, detail={"record": "ground_rules"}) as ok:
        flags = access.client_flags(ok.client.id, ok.client.practice_id)
        self_consented = "minor_self_consented" in flags
        if allows and not self_consented:
            raise InvalidInput("minor_allows: only where the minor consented alone under the state's law")
        # A portal login is found through its blind index (services.accounts).
        by_digest = {login_digest(name): name for name in pr_blocked}
        accounts = {by_digest[d]: uid for d, uid in ClientAccount.objects.filter(
            practice_id=ok.client.practice_id, client_id=ok.client.id, relationship="representative",
            user__login_digest__in=list(by_digest)).values_list("user__login_digest", "user_id")}
        if set(pr_blocked) - set(accounts):
            raise InvalidInput("pr_blocked: each must be a representative's portal login for this client")
        body = {
            "recorded_on": local_today(user.practice_id).isoformat(),
            "consent_basis": "minor_self_consent_statutory" if self_consented else "parent",
            "shared_categories": shared, "items": checked_items, "minor_allows": allows, "notes": notes,
            "pr_blocked": sorted(accounts.values()), "pr_blocked_reason": reason,
        }
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        GroundRules.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                   recorded_by=user, body_enc=seal(dek, GroundRules, "body_enc", rid, body))
    return rid


def _ground_rules(client_id, practice_id) -> dict:
    row = (GroundRules.objects.filter(practice_id=practice_id, client_id=client_id)
           .order_by("created_at", "id").last())
    if row is None:
        return {}
    return unseal(client_data_key(client_id, row.practice_id), GroundRules, "body_enc", row.id, row.body_enc) or {}


def guardian_view(*, user: User, client_id) -> dict:
    """What a parent or guardian (a portal login linked as representative) sees: broad
    goals and progress, appointments and attendance, plus what the ground rules name;
    where the minor consented alone, only what the minor allows.

    The ground rules are the basis of the request, so they are read before asking, as
    a release is; only for a login linked to this client as its representative (the
    same query runs for any id)."""
    cid = access.parse_client_id(client_id)
    linked = ClientAccount.objects.filter(practice_id=user.practice_id, client_id=cid or uuid.UUID(int=0),
                                          user=user, relationship="representative").exists()
    basis, scope, rules_doc = "ground_rules", frozenset(), {}
    if linked:
        rules_doc = _ground_rules(cid, user.practice_id)
        if "minor_self_consented" in access.client_flags(cid, user.practice_id):
            basis, scope = "minor_permission", frozenset(rules_doc.get("minor_allows", []))
        else:
            scope = frozenset(rules_doc.get("shared_categories", []))
    # The door adds the client's facts and the PR election (access.representative_flags).
    with access.governed(user=user, client_id=cid, action="read", purpose="PWATRNY", categories=BROAD | scope,
                         basis=basis, scope=scope, detail={"view": "guardian"}) as ok:
        permitted = ok.decision.categories
        client = Client.objects.get(id=ok.client.id, practice_id=ok.client.practice_id)
        dek = data_key_of(client)
        chart = project_chart(user, client, dek, permitted & _CHART_SECTIONS)
        view: dict = {"id": str(client.id), "categories": sorted(permitted), "basis": basis,
                      "consented_alone": basis == "minor_permission"}
        if "identity" in permitted:
            identity = unseal(dek, Client, "identity_enc", client.id, client.identity_enc) or {}
            view["identity"] = {"name": identity.get("preferred_name") or identity.get("legal_name", "")}
        if "progress_summary" in permitted:
            view["progress_summary"] = _progress_summary(dek, client)
        for cat in sorted(permitted & _CHART_SECTIONS):
            if chart.get(cat) not in (None, []):
                view[cat] = chart[cat]
        if "notify_minor" in ok.decision.obligations:
            view["minor_to_be_told"] = _notify_minor(client, dek, view, permitted, rules_doc)
    return view


def _shown_records(view: dict, permitted: frozenset[str]) -> list[tuple[str, str]]:
    shown = []
    for cat in sorted(permitted & GROUND_RULE_CATEGORIES):
        section = view.get(cat)
        records = [section] if isinstance(section, dict) else (section or [])
        shown += [(cat, str(r["id"])) for r in records if isinstance(r, dict) and r.get("id")]
    return shown


def _notify_minor(client: Client, dek: bytes, view: dict, permitted: frozenset[str], rules_doc: dict) -> int:
    """Open one notify_minor obligation per ground-rules record shown for the first
    time; return how many the minor has yet to be told of."""
    known = set()
    for ob in Obligation.objects.filter(practice_id=client.practice_id, client_id=client.id, kind="notify_minor"):
        detail = unseal(dek, Obligation, "detail_enc", ob.id, ob.detail_enc) or {}
        if detail.get("item"):
            known.add(detail["item"])
    labels: dict[str, list[str]] = {}
    for item in rules_doc.get("items", []):
        labels.setdefault(item["category"], []).append(item["label"])
    for cat, rid in _shown_records(view, permitted):
        key = f"{cat}:{rid}"
        if key in known:
            continue
        oid = uuid.uuid4()
        detail = {"item": key, "category": cat, "labels": labels.get(cat, []), "shown_to": "parent"}
        Obligation.objects.create(id=oid, practice_id=client.practice_id, client_id=client.id, kind="notify_minor",
                                  due_on=local_today(client.practice_id) + timedelta(NOTIFY_WITHIN_DAYS),
                                  detail_enc=seal(dek, Obligation, "detail_enc", oid, detail))
        known.add(key)
    return Obligation.objects.filter(practice_id=client.practice_id, client_id=client.id, kind="notify_minor",
                                     status="open").count()


def guardian_views_mine(*, user: User) -> list[dict]:
    """The guardian view of every client this portal login represents (those that
    show the parent something)."""
    out = []
    for client_id in ClientAccount.objects.filter(practice_id=user.practice_id, user=user,
                                                  relationship="representative"
                                                  ).order_by("created_at").values_list("client_id", flat=True):
        try:
            out.append(guardian_view(user=user, client_id=client_id))
        except NotFound:
            continue
    return out


# --- the minor decides, from their own portal ------------------------------------------

# What a minor who consented alone may let their parent see, in the minor's words.
MINOR_CHOICES = (
    ("appointments", "When your appointments are"),
    ("attendance", "Whether you came to your appointments"),
    ("progress_summary", "Your broad goals and how they are going"),
    ("treatment_plan", "Your treatment plan"),
    ("diagnosis", "Diagnoses"),
    ("medications", "Medications"),
    ("assessments", "Questionnaire scores"),
    ("risk_assessment", "Safety assessments"),
    ("identity", "Your name on what they see"),
)


def minor_parent_view_get(*, user: User, client_id) -> dict:
    """What the parent sees, for the minor's own portal: whether the minor decides
    (consented alone under the state's law) and what they allow now."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"consents"}, detail={"view": "parent_view_choices"}) as ok:
        decides = "minor_self_consented" in access.client_flags(ok.client.id, ok.client.practice_id)
        allows = _ground_rules(ok.client.id, ok.client.practice_id).get("minor_allows", []) if decides else []
        has_parent = ClientAccount.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id,
                                                  relationship="representative").exists()
    return {"decides": decides, "allows": sorted(allows), "has_parent": has_parent,
            "choices": [{"category": c, "label": label, "allowed": c in allows} for c, label in MINOR_CHOICES]}


def minor_parent_view_set(*, user: User, client_id, allows) -> list[str]:
    """The minor who consented alone changes what their parent sees: a new version of
    the ground rules, everything else as agreed, `minor_allows` as the minor says. The
    parent's next view follows it. Refused (one line) for a client who did not consent
    alone: then the ground rules agreed at intake decide."""
    if user.role != "client":
        raise NotFound()
    chosen = _category_list("what your parent sees", allows if allows is not None else [], MINOR_ALLOWS)
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"consents"}, detail={"record": "ground_rules", "by": "minor"}) as ok:
        if "minor_self_consented" not in access.client_flags(ok.client.id, ok.client.practice_id):
            raise InvalidInput("what your parent sees was agreed with your clinician at the start of your care; "
                               "please talk with them to change it")
        body = dict(_ground_rules(ok.client.id, ok.client.practice_id))
        body.update({"recorded_on": local_today(ok.client.practice_id).isoformat(), "minor_allows": chosen,
                     "consent_basis": "minor_self_consent_statutory", "changed_by": "minor"})
        body.setdefault("shared_categories", [])
        body.setdefault("items", [])
        body.setdefault("notes", "")
        body.setdefault("pr_blocked", [])
        body.setdefault("pr_blocked_reason", "")
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        GroundRules.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                   recorded_by=user, body_enc=seal(dek, GroundRules, "body_enc", rid, body))
    return chosen
