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
from confide.core.policy.request import ACTIONS, PURPOSES, RELATIONSHIPS, ROLES, AccessRequest

# The one place that lists what a rule may oblige the caller to do.
OBLIGATIONS: frozenset[str] = frozenset(
    {"audit", "flag_for_review", "notify_client", "attach_redisclosure_notice", "deidentify", "cosign"}
)
EFFECTS = frozenset({"permit", "forbid"})
# RULES.md 0.1: V verified, V2 secondary, P partial, K known but not re-read, U unverified.
VERIFICATION_MARKS = frozenset({"V", "V2", "P", "K", "U"})
WILDCARD = "*"
# Rule ids starting with SYS- are reserved for the engine's own reasons.
SYSTEM_RULE_PREFIX = "SYS-"

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9.()]+)*$")
_JURISDICTION = re.compile(r"^([A-Z]{2}(-[A-Z0-9]{1,3})?|practice)$")
_PACK_KEYS = {"id": str, "title": str, "jurisdiction": str, "version": str}
_RULE_KEYS = {"id", "effect", "explanation", "citation", "ver", "enabled", "categories", "obligations", "when"}
_WHEN_LISTS = {"roles": ROLES, "relationships": RELATIONSHIPS, "purposes": PURPOSES, "actions": ACTIONS}
_WHEN_BOOLS = ("licensed", "author_is_actor")


@dataclass(frozen=True)
class When:
    """Conditions of a rule. None means "any"; every condition given must hold."""

    roles: frozenset[str] | None = None
    relationships: frozenset[str] | None = None
    purposes: frozenset[str] | None = None
    actions: frozenset[str] | None = None
    licensed: bool | None = None
    author_is_actor: bool | None = None


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

    def matches(self, request: AccessRequest) -> bool:
        """True when every condition in `when` holds for `request`."""
        w = self.when
        actor = request.actor
        if w.roles is not None and actor.role not in w.roles:
            return False
        if w.relationships is not None and w.relationships.isdisjoint(request.relationships):
            return False
        if w.purposes is not None and request.purpose not in w.purposes:
            return False
        if w.actions is not None and request.action not in w.actions:
            return False
        if w.licensed is not None and actor.licensed is not w.licensed:
            return False
        if w.author_is_actor is not None:
            # INVARIANT: "author is actor" never holds when no note author is known.
            is_author = request.note_author_id is not None and request.note_author_id == actor.user_id
            if is_author is not w.author_is_actor:
                return False
        return True


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


def load_rule_packs(directory: Path) -> RuleSet:
    """Load and validate every *.toml under `directory` (sorted, recursive)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RulePackError(f"{directory}: rule pack directory not found")
    paths = sorted(directory.rglob("*.toml"))
    digest = hashlib.sha256()
    rules: list[Rule] = []
    packs: list[PackInfo] = []
    seen_rules: dict[str, str] = {}
    seen_packs: dict[str, str] = {}
    for path in paths:
        display = f"{directory.name}/{path.relative_to(directory).as_posix()}"
        raw = path.read_bytes()
        digest.update(display.encode() + b"\0" + raw + b"\0")
        pack, pack_rules = parse_rule_pack(raw, display)
        if pack.id in seen_packs:
            raise RulePackError(f"{display}: pack: id '{pack.id}' already used in {seen_packs[pack.id]}")
        seen_packs[pack.id] = display
        for rule in pack_rules:
            if rule.id in seen_rules:
                raise RulePackError(f"{display}: rule {rule.id}: id already used in {seen_rules[rule.id]}")
            seen_rules[rule.id] = display
        packs.append(pack)
        rules.extend(pack_rules)
    return RuleSet(rules=tuple(rules), packs=tuple(packs), version=digest.hexdigest()[:12])


def parse_rule_pack(raw: bytes, display: str) -> tuple[PackInfo, tuple[Rule, ...]]:
    """Validate one pack file's bytes; `display` names the file in error messages."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RulePackError(f"{display}: not valid utf-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{display}: invalid toml: {_one_line(str(exc))}") from None

    unknown = sorted(set(data) - {"pack", "rule"})
    if unknown:
        raise RulePackError(f"{display}: unknown key '{unknown[0]}'")
    pack = _parse_pack(data.get("pack"), display)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise RulePackError(f"{display}: 'rule' must be an array of tables ([[rule]])")
    rules = []
    seen: set[str] = set()
    for index, entry in enumerate(raw_rules, start=1):
        rule = _parse_rule(entry, index, pack, display)
        if rule.id in seen:
            raise RulePackError(f"{display}: rule {rule.id}: id already used in this pack")
        seen.add(rule.id)
        rules.append(rule)
    return pack, tuple(rules)


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
    if not isinstance(entry, dict):
        raise RulePackError(f"{display}: rule #{index}: must be a table")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RulePackError(f"{display}: rule #{index}: missing key 'id'")
    where = f"{display}: rule {rule_id}"

    def fail(fault: str) -> RulePackError:
        return RulePackError(f"{where}: {fault}")

    if not _RULE_ID.match(rule_id):
        raise fail("id must be upper-case letters, digits and dashes")
    if rule_id.startswith(SYSTEM_RULE_PREFIX):
        raise fail(f"ids starting with '{SYSTEM_RULE_PREFIX}' are reserved for the engine")
    unknown = sorted(set(entry) - _RULE_KEYS)
    if unknown:
        raise fail(f"unknown key '{unknown[0]}'")
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
        if effect != "permit":
            raise fail("'*' is allowed only in permit rules")
        categories = WILDCARD_CATEGORIES
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
    if effect == "permit":
        if when.roles is None:
            raise fail("a permit must name its roles in [rule.when]")
        sealed = sorted(categories - WILDCARD_CATEGORIES)
        # INVARIANT: psychotherapy notes are never granted by a wildcard or a role grant.
        if sealed and when.author_is_actor is not True:
            raise fail(f"permit of '{sealed[0]}' needs author_is_actor = true in [rule.when]")

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
    )


def _string_list(value: Any, key: str, fail, allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"'{key}' must be a list of strings")
    if not value and not allow_empty:
        raise fail(f"'{key}' must not be empty")
    return value


def _parse_when(table: Any, fail) -> When:
    if not isinstance(table, dict):
        raise fail("'when' must be a table")
    unknown = sorted(set(table) - set(_WHEN_LISTS) - set(_WHEN_BOOLS))
    if unknown:
        raise fail(f"unknown key 'when.{unknown[0]}'")
    values: dict[str, Any] = {}
    for key, known in _WHEN_LISTS.items():
        if key not in table:
            continue
        names = _string_list(table[key], f"when.{key}", fail)
        for name in names:
            if name not in known:
                raise fail(f"unknown {key[:-1]} '{name}' in when.{key}")
        values[key] = frozenset(names)
    for key in _WHEN_BOOLS:
        if key in table:
            if type(table[key]) is not bool:
                raise fail(f"'when.{key}' must be true or false")
            values[key] = table[key]
    return When(**values)
