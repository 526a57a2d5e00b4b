"""Rule packs: TOML files in `rules/`, validated at start-up, reviewed like code.

A pack is a `[pack]` table (id, title, jurisdiction, version) and `[[rule]]` entries.
Every fault is a `RulePackError` whose message is one line naming the file and, where
there is one, the rule: ``rules/internal-access.toml: rule INT-BILLER: unknown
category 'notes'``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from confide.core.errors import RulePackError
from confide.core.policy.categories import CATEGORIES, WILDCARD_CATEGORIES
from confide.core.policy.request import (
    ACTIONS, BASES, FLAGS, PURPOSES, RECIPIENTS, RELATIONSHIPS, ROLES, AccessRequest,
)

# The one place that lists what a rule may oblige the caller to do.
#   accountable: the disclosure goes into the client's accounting as one 164.528 requires
#   notify_client / notify_minor: tell them afterwards unless a reason not to is recorded
#   attach_redisclosure_notice: the 42 CFR 2.32 notice and NORDSCLCD label go with it
#   attach_consent_copy: a copy or explanation of the consent goes with it (2.32(b))
OBLIGATIONS: frozenset[str] = frozenset(
    {"audit", "flag_for_review", "notify_client", "notify_minor", "attach_redisclosure_notice",
     "attach_consent_copy", "accountable", "deidentify", "cosign"}
)
# `scope = "basis"`: the rule grants its categories only as far as the basis names them.
SCOPES = frozenset({"basis"})
# Kinds of jurisdiction fact a pack may state ([[fact]] tables, RULES.md sections 3-5).
FACT_KINDS = frozenset({"duty_to_warn", "minor_consent", "adult_survivor_report", "accounting_clock",
                        "amendment_clock"})
_TOPIC = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
EFFECTS = frozenset({"permit", "forbid"})
# RULES.md 0.1: V verified, V2 secondary, P partial, K known but not re-read, U unverified.
VERIFICATION_MARKS = frozenset({"V", "V2", "P", "K", "U"})
WILDCARD = "*"
# Rule ids starting with SYS- are reserved for the engine's own reasons.
SYSTEM_RULE_PREFIX = "SYS-"

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9.()]+)*$")
_JURISDICTION = re.compile(r"^([A-Z]{2}(-[A-Z0-9]{1,3})?|practice)$")
_PACK_KEYS = {"id": str, "title": str, "jurisdiction": str, "version": str}
_RULE_KEYS = {"id", "effect", "explanation", "citation", "ver", "enabled", "categories", "obligations", "when",
              "unless", "scope"}
_WHEN_LISTS = {"roles": ROLES, "relationships": RELATIONSHIPS, "purposes": PURPOSES, "actions": ACTIONS,
               "recipients": RECIPIENTS, "bases": BASES, "flags": FLAGS, "topics": None, "basis_topics": None}
_WHEN_BOOLS = ("licensed", "author_is_actor")
_PROMISE_KEYS = {"id", "topics", "explanation", "citation", "ver", "enabled"}
# Keys every fact may have, then the keys of each kind (RULES.md sections 3, 4 and 5.2).
_FACT_COMMON_KEYS = {"id", "kind", "jurisdiction", "ver", "enabled", "citation", "source", "summary"}
_FACT_KIND_KEYS = {
    "duty_to_warn": {"category", "discharge_all_of", "discharge_any_of", "permitted_also", "excludes"},
    "minor_consent": {"min_age", "physician_only", "scope_limits", "parent_access"},
    "adult_survivor_report": {"rule"},
    # A request's clock (RULES.md 1.11, 1.12): days to act, the one extension's days;
    # for the accounting also its look-back and how long an oral suspension lasts.
    "accounting_clock": {"due_days", "extension_days", "lookback_years", "oral_suspension_days"},
    "amendment_clock": {"due_days", "extension_days", "notice_days"},
}
_CLOCK_KEYS = {"due_days": 366, "extension_days": 366, "lookback_years": 10, "oral_suspension_days": 366,
               "notice_days": 366}
_FACT_KEYS = _FACT_COMMON_KEYS.union(*_FACT_KIND_KEYS.values())


@dataclass(frozen=True)
class When:
    """Conditions of a rule. None means "any"; every condition given must hold."""

    roles: frozenset[str] | None = None
    relationships: frozenset[str] | None = None
    purposes: frozenset[str] | None = None
    actions: frozenset[str] | None = None
    licensed: bool | None = None
    author_is_actor: bool | None = None
    recipients: frozenset[str] | None = None
    bases: frozenset[str] | None = None
    flags: frozenset[str] | None = None  # every flag listed must hold
    topics: frozenset[str] | None = None  # the information touches any of these
    basis_topics: frozenset[str] | None = None  # the basis names any of these

    def holds(self, request: AccessRequest) -> bool:
        """True when every condition given holds for `request`."""
        actor = request.actor
        if self.roles is not None and actor.role not in self.roles:
            return False
        if self.relationships is not None and self.relationships.isdisjoint(request.relationships):
            return False
        if self.purposes is not None and request.purpose not in self.purposes:
            return False
        if self.actions is not None and request.action not in self.actions:
            return False
        if self.licensed is not None and actor.licensed is not self.licensed:
            return False
        if self.author_is_actor is not None:
            # INVARIANT: "author is actor" never holds when no note author is known.
            is_author = request.note_author_id is not None and request.note_author_id == actor.user_id
            if is_author is not self.author_is_actor:
                return False
        if self.recipients is not None and request.recipient not in self.recipients:
            return False
        if self.bases is not None and request.basis not in self.bases:
            return False
        if self.flags is not None and not self.flags <= request.flags:
            return False
        if self.topics is not None and self.topics.isdisjoint(request.topics):
            return False
        if self.basis_topics is not None and self.basis_topics.isdisjoint(request.basis_topics):
            return False
        return True


# A practice promise guards the client from everyone but themselves (contract promise 13).
PROMISE_NEVER_AGAINST = When(recipients=frozenset({"client"}))
# A judge's order is compulsory process: when only a promise stands in its way the
# request is held, and the privacy officer (164.530(a)(1)) may decide to release under
# the order; the accounting entry then notes the conflict (services.disclosures.legal).
PROMISE_YIELDS_TO_ORDER = When(bases=frozenset({"court_order", "part2_court_order"}),
                               flags=frozenset({"signed_by_judge", "privacy_officer_release"}))


@dataclass(frozen=True)
class ProfileField:
    category: str
    field: str
    reason: str


@dataclass(frozen=True)
class Profile:
    """What a packet on one basis to one kind of recipient holds, field by field, each
    with the reason it is needed (minimum necessary, 164.502(b)). The PDP decides the
    categories; the profile narrows each to these fields. `help`: how the recipient
    gets help, added to the incident when the profile lists it."""

    id: str
    basis: str
    recipient: str
    citation: str
    ver: str
    enabled: bool
    fields: tuple[ProfileField, ...]
    help: str = ""
    pack_id: str = ""

    def allows(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for f in self.fields:
            out.setdefault(f.category, set()).add(f.field)
        return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True)
class Fact:
    """A jurisdiction's rule stated as data (duty to warn, minor consent age, ...):
    shown to the clinician with its citation and mark, used by the workflows."""

    id: str
    kind: str
    jurisdiction: str
    ver: str
    enabled: bool
    citation: str
    source: str
    summary: str
    data: Mapping[str, Any]
    pack_id: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    effect: str  # "permit" | "forbid"
    explanation: str
    citation: str
    ver: str
    categories: frozenset[str]  # "*" already expanded to the wildcard categories
    obligations: frozenset[str] = frozenset()
    when: When = When()
    enabled: bool = True
    pack_id: str = ""
    unless: When | None = None  # the rule does not apply when every condition here holds
    scope: str | None = None  # "basis": grant only what the basis names
    # Further exemptions, each on its own: the rule does not apply when any of them holds.
    also_unless: tuple[When, ...] = ()

    def matches(self, request: AccessRequest) -> bool:
        """True when `when` holds and neither `unless` (if any) nor any of `also_unless` does."""
        if not self.when.holds(request):
            return False
        if any(u.holds(request) for u in self.also_unless):
            return False
        return self.unless is None or not self.unless.holds(request)

    def grants(self, request: AccessRequest) -> frozenset[str]:
        """The categories this (matching, permit) rule grants for `request`."""
        if self.scope == "basis":
            return self.categories & (request.scope or frozenset())
        return self.categories


@dataclass(frozen=True)
class PackInfo:
    id: str
    title: str
    jurisdiction: str
    version: str
    source: str  # display path, e.g. "rules/us-hipaa.toml"


@dataclass(frozen=True)
class RuleSet:
    """The enabled and disabled rules of every pack, indexed for `decide()`.

    `version` is a short sha256 over the packs' bytes; every Decision carries it.
    """

    rules: tuple[Rule, ...]
    packs: tuple[PackInfo, ...] = ()
    version: str = "unversioned"
    facts: tuple[Fact, ...] = ()
    profiles: tuple[Profile, ...] = ()
    # role -> enabled rules that can apply to that role, in pack order.
    _by_role: Mapping[str, tuple[Rule, ...]] = field(init=False, repr=False, compare=False)
    _any_role: tuple[Rule, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        enabled = [r for r in self.rules if r.enabled]
        any_role = tuple(r for r in enabled if r.when.roles is None)
        by_role = {
            role: tuple(r for r in enabled if r.when.roles is None or role in r.when.roles) for role in ROLES
        }
        object.__setattr__(self, "_by_role", MappingProxyType(by_role))
        object.__setattr__(self, "_any_role", any_role)

    def candidates(self, role: str) -> tuple[Rule, ...]:
        """Enabled rules whose `roles` condition does not exclude `role`."""
        return self._by_role.get(role, self._any_role)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def facts_for(self, kind: str, jurisdiction: str) -> tuple[Fact, ...]:
        """Every fact of `kind` for `jurisdiction`, enabled or not (for display)."""
        return tuple(f for f in self.facts if f.kind == kind and f.jurisdiction == jurisdiction)

    def fact(self, kind: str, jurisdiction: str) -> Fact | None:
        """The enabled fact of `kind` for `jurisdiction`, or None (unverified rows are
        data only and never drive behaviour)."""
        for f in self.facts_for(kind, jurisdiction):
            if f.enabled:
                return f
        return None

    def profile(self, basis: str | None, recipient: str | None) -> Profile | None:
        """The enabled packet profile for a basis and recipient, or None."""
        for p in self.profiles:
            if p.enabled and p.basis == basis and p.recipient == recipient:
                return p
        return None

    def promises(self) -> tuple[Rule, ...]:
        """The practice's promises, as the forbid rules they compile to."""
        return tuple(r for r in self.rules if r.id.startswith("PRACTICE-PROMISE-"))


def load_rule_packs(directory: Path) -> RuleSet:
    """Load and validate every *.toml under `directory` (sorted, recursive)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RulePackError(f"{directory}: rule pack directory not found")
    paths = sorted(directory.rglob("*.toml"))
    digest = hashlib.sha256()
    rules: list[Rule] = []
    facts: list[Fact] = []
    profiles: list[Profile] = []
    packs: list[PackInfo] = []
    seen_rules: dict[str, str] = {}
    seen_packs: dict[str, str] = {}
    for path in paths:
        display = f"{directory.name}/{path.relative_to(directory).as_posix()}"
        raw = path.read_bytes()
        digest.update(display.encode() + b"\0" + raw + b"\0")
        pack, pack_rules, pack_facts, pack_profiles = parse_rule_pack_profiles(raw, display)
        if pack.id in seen_packs:
            raise RulePackError(f"{display}: pack: id '{pack.id}' already used in {seen_packs[pack.id]}")
        seen_packs[pack.id] = display
        for item in (*pack_rules, *pack_facts, *pack_profiles):
            if item.id in seen_rules:
                raise RulePackError(f"{display}: rule {item.id}: id already used in {seen_rules[item.id]}")
            seen_rules[item.id] = display
        packs.append(pack)
        rules.extend(pack_rules)
        facts.extend(pack_facts)
        profiles.extend(pack_profiles)
    return RuleSet(rules=tuple(rules), packs=tuple(packs), version=digest.hexdigest()[:12], facts=tuple(facts),
                   profiles=tuple(profiles))


def parse_rule_pack(raw: bytes, display: str) -> tuple[PackInfo, tuple[Rule, ...], tuple[Fact, ...]]:
    """Validate one pack file's bytes; `display` names the file in error messages."""
    pack, rules, facts, _profiles = parse_rule_pack_profiles(raw, display)
    return pack, rules, facts


def parse_rule_pack_profiles(raw: bytes, display: str):
    """Validate one pack file's bytes: its pack, rules, facts and packet profiles."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RulePackError(f"{display}: not valid utf-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{display}: invalid toml: {_one_line(str(exc))}") from None

    unknown = sorted(set(data) - {"pack", "rule", "promise", "fact", "profile"})
    if unknown:
        raise RulePackError(f"{display}: unknown key '{unknown[0]}'")
    pack = _parse_pack(data.get("pack"), display)
    tables = {}
    for key in ("rule", "promise", "fact", "profile"):
        tables[key] = data.get(key, [])
        if not isinstance(tables[key], list):
            raise RulePackError(f"{display}: '{key}' must be an array of tables ([[{key}]])")
    rules = []
    facts = []
    seen: set[str] = set()

    def check_unique(item_id: str) -> None:
        if item_id in seen:
            raise RulePackError(f"{display}: rule {item_id}: id already used in this pack")
        seen.add(item_id)

    for index, entry in enumerate(tables["rule"], start=1):
        rule = _parse_rule(entry, index, pack, display)
        check_unique(rule.id)
        rules.append(rule)
    for index, entry in enumerate(tables["promise"], start=1):
        rule = _parse_promise(entry, index, pack, display)
        check_unique(rule.id)
        rules.append(rule)
    for index, entry in enumerate(tables["fact"], start=1):
        fact = _parse_fact(entry, index, pack, display)
        check_unique(fact.id)
        facts.append(fact)
    profiles = []
    for index, entry in enumerate(tables["profile"], start=1):
        profile = _parse_profile(entry, index, pack, display)
        check_unique(profile.id)
        profiles.append(profile)
    return pack, tuple(rules), tuple(facts), tuple(profiles)


_PROFILE_KEYS = {"id", "basis", "recipient", "citation", "ver", "enabled", "help", "fields"}
_FIELD = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def _parse_profile(entry: Any, index: int, pack: PackInfo, display: str) -> Profile:
    """A packet profile ([[profile]]): for one basis and recipient, the fields of each
    category the packet holds, each with a one-line reason."""
    profile_id, fail = _common_entry(entry, index, display, "profile", _PROFILE_KEYS)
    if entry.get("basis") not in BASES:
        raise fail(f"unknown basis '{entry.get('basis')}'")
    if entry.get("recipient") not in RECIPIENTS:
        raise fail(f"unknown recipient '{entry.get('recipient')}'")
    for key in ("citation", "help"):
        if not isinstance(entry.get(key, ""), str):
            raise fail(f"'{key}' must be a string")
    if not entry.get("citation", "").strip():
        raise fail("'citation' must be a non-empty string")
    table = entry.get("fields")
    if not isinstance(table, dict) or not table:
        raise fail("'fields' must be a table of category = [{ field, reason }, ...]")
    fields = []
    for category, items in table.items():
        if category not in CATEGORIES:
            raise fail(f"unknown category '{category}'")
        if not isinstance(items, list) or not items:
            raise fail(f"fields.{category} must be a non-empty list")
        for item in items:
            if not isinstance(item, dict) or set(item) != {"field", "reason"}:
                raise fail(f"fields.{category}: each entry is {{ field, reason }}")
            if not isinstance(item["field"], str) or not _FIELD.match(item["field"]):
                raise fail(f"fields.{category}: a field is lower-case letters, digits and underscores")
            reason = item["reason"]
            if not isinstance(reason, str) or not reason.strip() or "\n" in reason:
                raise fail(f"fields.{category}.{item['field']}: a one-line reason is required")
            fields.append(ProfileField(category, item["field"], reason.strip()))
    return Profile(id=profile_id, basis=entry["basis"], recipient=entry["recipient"],
                   citation=entry["citation"].strip(), ver=entry["ver"], enabled=entry.get("enabled", True),
                   fields=tuple(fields), help=entry.get("help", "").strip(), pack_id=pack.id)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _parse_pack(table: Any, display: str) -> PackInfo:
    where = f"{display}: pack"
    if table is None:
        raise RulePackError(f"{display}: missing [pack] table")
    if not isinstance(table, dict):
        raise RulePackError(f"{where}: must be a table")
    unknown = sorted(set(table) - set(_PACK_KEYS))
    if unknown:
        raise RulePackError(f"{where}: unknown key '{unknown[0]}'")
    for key, typ in _PACK_KEYS.items():
        if key not in table:
            raise RulePackError(f"{where}: missing key '{key}'")
        if not isinstance(table[key], typ) or not table[key].strip():
            raise RulePackError(f"{where}: '{key}' must be a non-empty string")
    if not _JURISDICTION.match(table["jurisdiction"]):
        raise RulePackError(
            f"{where}: jurisdiction '{table['jurisdiction']}' is not ISO 3166 (US, US-WA) or 'practice'"
        )
    return PackInfo(table["id"], table["title"], table["jurisdiction"], table["version"], display)


def _parse_rule(entry: Any, index: int, pack: PackInfo, display: str) -> Rule:
    rule_id, fail = _entry_id(entry, index, display, "rule", _RULE_KEYS)
    if rule_id.startswith(SYSTEM_RULE_PREFIX):
        raise fail(f"ids starting with '{SYSTEM_RULE_PREFIX}' are reserved for the engine")
    for key in ("effect", "explanation", "citation", "ver", "categories"):
        if key not in entry:
            raise fail(f"missing key '{key}'")
    for key in ("effect", "explanation", "citation", "ver"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise fail(f"'{key}' must be a non-empty string")

    effect = entry["effect"]
    if effect not in EFFECTS:
        raise fail(f"unknown effect '{effect}' (permit or forbid)")
    if "\n" in entry["explanation"] or "\r" in entry["explanation"]:
        raise fail("explanation must be one line")
    ver = entry["ver"]
    if ver not in VERIFICATION_MARKS:
        raise fail(f"unknown ver '{ver}' (V, V2, P, K or U)")
    enabled = entry.get("enabled", True)
    if type(enabled) is not bool:
        raise fail("'enabled' must be true or false")
    if ver == "U" and enabled:
        raise fail("an unverified rule (ver = \"U\") must have enabled = false")

    names = _string_list(entry["categories"], "categories", fail)
    if WILDCARD in names:
        if len(names) != 1:
            raise fail("'*' must stand alone in categories")
        # A permit's '*' never includes what only a naming rule may grant; a forbid's
        # '*' withholds everything.
        categories = WILDCARD_CATEGORIES if effect == "permit" else frozenset(CATEGORIES)
    else:
        for name in names:
            if name not in CATEGORIES:
                raise fail(f"unknown category '{name}'")
        categories = frozenset(names)

    obligations = _string_list(entry.get("obligations", []), "obligations", fail, allow_empty=True)
    for name in obligations:
        if name not in OBLIGATIONS:
            raise fail(f"unknown obligation '{name}'")

    when = _parse_when(entry.get("when", {}), fail)
    unless = _parse_when(entry["unless"], fail, "unless") if "unless" in entry else None
    scope = entry.get("scope")
    if scope is not None and scope not in SCOPES:
        raise fail(f"unknown scope '{scope}' (basis)")
    if scope is not None and effect != "permit":
        raise fail("scope applies to permit rules only")
    if effect == "permit":
        if when.roles is None:
            raise fail("a permit must name its roles in [rule.when]")
        sealed = sorted(categories - WILDCARD_CATEGORIES)
        # INVARIANT: psychotherapy notes are never granted by a wildcard or a role grant:
        # only to their author, or as far as a named basis (an authorization or an order
        # naming them) says so.
        if sealed and when.author_is_actor is not True and not (scope == "basis" and when.bases):
            raise fail(f"permit of '{sealed[0]}' needs author_is_actor = true, or scope = \"basis\" "
                       f"with when.bases")

    return Rule(
        id=rule_id,
        effect=effect,
        explanation=entry["explanation"].strip(),
        citation=entry["citation"].strip(),
        ver=ver,
        categories=categories,
        obligations=frozenset(obligations),
        when=when,
        enabled=enabled,
        pack_id=pack.id,
        unless=unless,
        scope=scope,
    )


def _entry_id(entry: Any, index: int, display: str, kind: str, keys: set) -> tuple[str, Any]:
    """The id of a [[rule]], [[promise]] or [[fact]] table, and its one-line `fail`."""
    if not isinstance(entry, dict):
        raise RulePackError(f"{display}: {kind} #{index}: must be a table")
    item_id = entry.get("id")
    if not isinstance(item_id, str) or not item_id:
        raise RulePackError(f"{display}: {kind} #{index}: missing key 'id'")
    where = f"{display}: {kind} {item_id}"

    def fail(fault: str) -> RulePackError:
        return RulePackError(f"{where}: {fault}")

    if not _RULE_ID.match(item_id):
        raise fail("id must be upper-case letters, digits and dashes")
    unknown = sorted(set(entry) - keys)
    if unknown:
        raise fail(f"unknown key '{unknown[0]}'")
    return item_id, fail


def _common_entry(entry: Any, index: int, display: str, kind: str, keys: set) -> tuple[str, Any]:
    item_id, fail = _entry_id(entry, index, display, kind, keys)
    ver = entry.get("ver")
    if ver not in VERIFICATION_MARKS:
        raise fail(f"unknown ver '{ver}' (V, V2, P, K or U)")
    enabled = entry.get("enabled", True)
    if type(enabled) is not bool:
        raise fail("'enabled' must be true or false")
    if ver == "U" and enabled:
        raise fail("an unverified entry (ver = \"U\") must have enabled = false")
    return item_id, fail


def _parse_promise(entry: Any, index: int, pack: PackInfo, display: str) -> Rule:
    """A practice promise (DESIGN.md promise 13): topics the practice never reports or
    discloses without a release naming them. It compiles to a forbid rule over every
    category, for every disclosure to someone other than the client that touches a
    topic, unless the basis is a release that names the topic.

    A promise protects the client from others, never from themselves: a disclosure to
    the client (their right of access, 45 CFR 164.524) is outside it, and is withheld
    only on the grounds of 164.524(a)(1)-(3) (services.disclosures.access_denials)."""
    promise_id, fail = _common_entry(entry, index, display, "promise", _PROMISE_KEYS)
    if pack.jurisdiction != "practice":
        raise fail("promises belong in a pack whose jurisdiction is 'practice'")
    if not promise_id.startswith("PRACTICE-PROMISE-"):
        raise fail("a promise id starts with 'PRACTICE-PROMISE-'")
    for key in ("explanation", "citation"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise fail(f"'{key}' must be a non-empty string")
    if "\n" in entry["explanation"] or "\r" in entry["explanation"]:
        raise fail("explanation must be one line")
    topics = _string_list(entry.get("topics"), "topics", fail)
    for topic in topics:
        if not _TOPIC.match(topic):
            raise fail(f"topic '{topic}' must be lower-case letters, digits and underscores")
    topics_set = frozenset(topics)
    return Rule(
        id=promise_id, effect="forbid", explanation=entry["explanation"].strip(),
        citation=entry["citation"].strip(), ver=entry["ver"], categories=frozenset(CATEGORIES),
        obligations=frozenset(), when=When(actions=frozenset({"disclose"}), topics=topics_set),
        unless=When(bases=frozenset({"release", "pn_release", "part2_consent"}), basis_topics=topics_set),
        also_unless=(PROMISE_NEVER_AGAINST, PROMISE_YIELDS_TO_ORDER), enabled=entry.get("enabled", True),
        pack_id=pack.id,
    )


def _parse_fact(entry: Any, index: int, pack: PackInfo, display: str) -> Fact:
    fact_id, fail = _common_entry(entry, index, display, "fact", _FACT_KEYS)
    kind = entry.get("kind")
    if kind not in FACT_KINDS:
        raise fail(f"unknown kind '{kind}' ({', '.join(sorted(FACT_KINDS))})")
    foreign = sorted(set(entry) - _FACT_COMMON_KEYS - _FACT_KIND_KEYS[kind])
    if foreign:
        raise fail(f"key '{foreign[0]}' does not apply to kind '{kind}'")
    jurisdiction = entry.get("jurisdiction")
    if not isinstance(jurisdiction, str) or not _JURISDICTION.match(jurisdiction) or jurisdiction == "practice":
        raise fail("jurisdiction must be ISO 3166 (US, US-WA)")
    for key in ("citation", "source", "summary", "scope_limits", "parent_access"):
        if not isinstance(entry.get(key, ""), str):
            raise fail(f"'{key}' must be a string")
    enabled = entry.get("enabled", True)
    if enabled:
        # A fact that drives behaviour says where it comes from.
        for key in ("citation", "source"):
            if not entry.get(key, "").strip():
                raise fail(f"an enabled fact needs a non-empty '{key}'")
    if kind == "duty_to_warn":
        if entry.get("category") not in DUTY_TO_WARN_CATEGORIES:
            raise fail(f"category must be one of {', '.join(sorted(DUTY_TO_WARN_CATEGORIES))}")
        seen: set[str] = set()
        for key in ("discharge_all_of", "discharge_any_of", "permitted_also"):
            for action in _string_list(entry.get(key, []), key, fail, allow_empty=True):
                if action not in DISCHARGE_ACTIONS:
                    raise fail(f"unknown action '{action}' in {key}")
                if action in seen:
                    raise fail(f"action '{action}' listed twice")
                seen.add(action)
        for item in _string_list(entry.get("excludes", []), "excludes", fail, allow_empty=True):
            if item not in THREAT_EXCLUSIONS:
                raise fail(f"unknown exclusion '{item}' in excludes ({', '.join(sorted(THREAT_EXCLUSIONS))})")
    if kind == "minor_consent":
        age = entry.get("min_age")
        if age is not None and (type(age) is not int or not 0 <= age <= 18):
            raise fail("'min_age' must be an integer from 0 to 18 (leave it out where there is no statute)")
        if type(entry.get("physician_only", False)) is not bool:
            raise fail("'physician_only' must be true or false")
    if kind in ("accounting_clock", "amendment_clock"):
        for key in sorted(_FACT_KIND_KEYS[kind]):
            value = entry.get(key)
            if type(value) is not int or not 1 <= value <= _CLOCK_KEYS[key]:
                raise fail(f"'{key}' must be a whole number from 1 to {_CLOCK_KEYS[key]}")
    if kind == "adult_survivor_report" and entry.get("rule") not in ADULT_SURVIVOR_RULES:
        raise fail(f"rule must be one of {', '.join(sorted(ADULT_SURVIVOR_RULES))}")
    data = {k: (tuple(v) if isinstance(v, list) else v) for k, v in entry.items() if k not in _FACT_COMMON_KEYS}
    return Fact(id=fact_id, kind=kind, jurisdiction=jurisdiction, ver=entry["ver"],
                enabled=enabled, citation=entry.get("citation", "").strip(),
                source=entry.get("source", "").strip(), summary=entry.get("summary", "").strip(),
                data=MappingProxyType(data), pack_id=pack.id)


# RULES.md section 3 category enum, and the ways a duty to warn or protect is discharged.
DUTY_TO_WARN_CATEGORIES = frozenset({"mandatory", "mandatory_LE", "mandatory_report", "permissive", "case_law",
                                     "none"})
DISCHARGE_ACTIONS = frozenset({"warn_person", "notify_police", "arrange_hospitalization", "report_agency"})
# What a state's duty expressly leaves out (RULES.md section 3, MN: suicide threats).
THREAT_EXCLUSIONS = frozenset({"self_harm"})
# RULES.md 5.2: when an adult's disclosure of abuse in their own childhood is reportable.
ADULT_SURVIVOR_RULES = frozenset({"report_if_current_risk", "always", "never"})


def _string_list(value: Any, key: str, fail, allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"'{key}' must be a list of strings")
    if not value and not allow_empty:
        raise fail(f"'{key}' must not be empty")
    return value


def _parse_when(table: Any, fail, name: str = "when") -> When:
    if not isinstance(table, dict):
        raise fail(f"'{name}' must be a table")
    unknown = sorted(set(table) - set(_WHEN_LISTS) - set(_WHEN_BOOLS))
    if unknown:
        raise fail(f"unknown key '{name}.{unknown[0]}'")
    if name == "unless" and not table:
        raise fail("'unless' must not be empty")
    values: dict[str, Any] = {}
    for key, known in _WHEN_LISTS.items():
        if key not in table:
            continue
        names = _string_list(table[key], f"{name}.{key}", fail)
        for item in names:
            if known is None:
                if not _TOPIC.match(item):
                    raise fail(f"topic '{item}' in {name}.{key} must be lower-case letters, digits and underscores")
            elif item not in known:
                singular = {"bases": "basis", "flags": "flag"}.get(key, key[:-1])
                raise fail(f"unknown {singular} '{item}' in {name}.{key}")
        values[key] = frozenset(names)
    for key in _WHEN_BOOLS:
        if key in table:
            if type(table[key]) is not bool:
                raise fail(f"'{name}.{key}' must be true or false")
            values[key] = table[key]
    return When(**values)
