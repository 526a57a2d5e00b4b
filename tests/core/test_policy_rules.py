"""Rule-pack validation: each fault gives one line naming the file and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from confide.core.errors import RulePackError
from confide.core.policy import AccessRequest, Actor, decide
from confide.core.policy.categories import CATEGORIES, WILDCARD_CATEGORIES
from confide.core.policy.rules import OBLIGATIONS, load_rule_packs

REPO_RULES = Path(__file__).resolve().parents[2] / "rules"

PACK = """\
[pack]
id = "test"
title = "Test pack"
jurisdiction = "practice"
version = "1"
"""


def rule(body: str = "", when: str = 'roles = ["biller"]', **fields: str) -> str:
    """A valid permit rule, with `fields` replacing or adding keys (value "" drops one)."""
    base = {
        "id": '"INT-BILLER"',
        "effect": '"permit"',
        "explanation": '"a biller reads billing"',
        "citation": '"45 CFR 164.514(d)(2)"',
        "ver": '"K"',
        "categories": '["billing"]',
    }
    base.update(fields)
    lines = ["[[rule]]"] + [f"{k} = {v}" for k, v in base.items() if v != ""] + [body]
    if when is not None:
        lines += ["[rule.when]", when]
    return "\n".join(lines) + "\n"


BAD_PACKS = [
    # (name, file text, exact message)
    ("unknown category", PACK + rule(categories='["notes"]'),
     "rules/bad.toml: rule INT-BILLER: unknown category 'notes'"),
    ("unknown rule key", PACK + rule(body='range = "all"'),
     "rules/bad.toml: rule INT-BILLER: unknown key 'range'"),
    ("unknown scope", PACK + rule(body='scope = "all"'),
     "rules/bad.toml: rule INT-BILLER: unknown scope 'all' (basis)"),
    ("scope on a forbid", PACK + rule(effect='"forbid"', body='scope = "basis"'),
     "rules/bad.toml: rule INT-BILLER: scope applies to permit rules only"),
    ("unknown basis", PACK + rule(when='roles = ["biller"]\nbases = ["hunch"]'),
     "rules/bad.toml: rule INT-BILLER: unknown basis 'hunch' in when.bases"),
    ("unknown flag", PACK + rule(when='roles = ["biller"]\nflags = ["urgent"]'),
     "rules/bad.toml: rule INT-BILLER: unknown flag 'urgent' in when.flags"),
    ("unknown recipient", PACK + rule(when='roles = ["biller"]\nrecipients = ["press"]'),
     "rules/bad.toml: rule INT-BILLER: unknown recipient 'press' in when.recipients"),
    ("bad topic", PACK + rule(when='roles = ["biller"]\ntopics = ["Drag Show"]'),
     "rules/bad.toml: rule INT-BILLER: topic 'Drag Show' in when.topics must be lower-case letters, digits and"
     " underscores"),
    ("empty unless", PACK + rule(body="unless = {}"),
     "rules/bad.toml: rule INT-BILLER: 'unless' must not be empty"),
    ("unknown when key", PACK + rule(when='roles = ["biller"]\nrole = "biller"'),
     "rules/bad.toml: rule INT-BILLER: unknown key 'when.role'"),
    ("unknown role", PACK + rule(when='roles = ["accountant"]'),
     "rules/bad.toml: rule INT-BILLER: unknown role 'accountant' in when.roles"),
    ("unknown relationship", PACK + rule(when='roles = ["biller"]\nrelationships = ["friend"]'),
     "rules/bad.toml: rule INT-BILLER: unknown relationship 'friend' in when.relationships"),
    ("unknown purpose", PACK + rule(when='roles = ["biller"]\npurposes = ["MARKETING"]'),
     "rules/bad.toml: rule INT-BILLER: unknown purpose 'MARKETING' in when.purposes"),
    ("unknown action", PACK + rule(when='roles = ["biller"]\nactions = ["delete"]'),
     "rules/bad.toml: rule INT-BILLER: unknown action 'delete' in when.actions"),
    ("roles not a list", PACK + rule(when='roles = "biller"'),
     "rules/bad.toml: rule INT-BILLER: 'when.roles' must be a list of strings"),
    ("empty roles", PACK + rule(when="roles = []"),
     "rules/bad.toml: rule INT-BILLER: 'when.roles' must not be empty"),
    ("licensed not bool", PACK + rule(when='roles = ["biller"]\nlicensed = "yes"'),
     "rules/bad.toml: rule INT-BILLER: 'when.licensed' must be true or false"),
    ("author_is_actor not bool", PACK + rule(when='roles = ["biller"]\nauthor_is_actor = 1'),
     "rules/bad.toml: rule INT-BILLER: 'when.author_is_actor' must be true or false"),
    ("when not a table", PACK + rule(body='when = "always"', when=None),
     "rules/bad.toml: rule INT-BILLER: 'when' must be a table"),
    ("unknown effect", PACK + rule(effect='"allow"'),
     "rules/bad.toml: rule INT-BILLER: unknown effect 'allow' (permit or forbid)"),
    ("unknown ver", PACK + rule(ver='"X"'),
     "rules/bad.toml: rule INT-BILLER: unknown ver 'X' (V, V2, P, K or U)"),
    ("unverified and enabled", PACK + rule(ver='"U"'),
     'rules/bad.toml: rule INT-BILLER: an unverified rule (ver = "U") must have enabled = false'),
    ("enabled not bool", PACK + rule(enabled='"no"'),
     "rules/bad.toml: rule INT-BILLER: 'enabled' must be true or false"),
    ("explanation two lines", PACK + rule(explanation='"""one\ntwo"""'),
     "rules/bad.toml: rule INT-BILLER: explanation must be one line"),
    ("empty citation", PACK + rule(citation='""'),
     "rules/bad.toml: rule INT-BILLER: 'citation' must be a non-empty string"),
    ("missing citation", PACK + rule(citation=""),
     "rules/bad.toml: rule INT-BILLER: missing key 'citation'"),
    ("categories wrong type", PACK + rule(categories='"billing"'),
     "rules/bad.toml: rule INT-BILLER: 'categories' must be a list of strings"),
    ("empty categories", PACK + rule(categories="[]"),
     "rules/bad.toml: rule INT-BILLER: 'categories' must not be empty"),
    ("unknown obligation", PACK + rule(obligations='["email_everyone"]'),
     "rules/bad.toml: rule INT-BILLER: unknown obligation 'email_everyone'"),
    ("wildcard not alone", PACK + rule(categories='["*", "billing"]'),
     "rules/bad.toml: rule INT-BILLER: '*' must stand alone in categories"),
    ("psychotherapy notes by role grant", PACK + rule(categories='["psychotherapy_notes"]'),
     "rules/bad.toml: rule INT-BILLER: permit of 'psychotherapy_notes' needs author_is_actor = true, or"
     ' scope = "basis" with when.bases'),
    ("psychotherapy notes, author_is_actor false",
     PACK + rule(categories='["psychotherapy_notes"]', when='roles = ["clinician"]\nauthor_is_actor = false'),
     "rules/bad.toml: rule INT-BILLER: permit of 'psychotherapy_notes' needs author_is_actor = true, or"
     ' scope = "basis" with when.bases'),
    ("permit without roles", PACK + rule(when='purposes = ["HPAYMT"]'),
     "rules/bad.toml: rule INT-BILLER: a permit must name its roles in [rule.when]"),
    ("reserved id", PACK + rule(id='"SYS-DEFAULT-DENY"'),
     "rules/bad.toml: rule SYS-DEFAULT-DENY: ids starting with 'SYS-' are reserved for the engine"),
    ("lower-case id", PACK + rule(id='"int-biller"'),
     "rules/bad.toml: rule int-biller: id must be upper-case letters, digits and dashes"),
    ("missing id", PACK + rule(id=""),
     "rules/bad.toml: rule #1: missing key 'id'"),
    ("duplicate id in pack", PACK + rule() + rule(),
     "rules/bad.toml: rule INT-BILLER: id already used in this pack"),
    ("missing pack", rule(),
     "rules/bad.toml: missing [pack] table"),
    ("unknown top-level key", PACK + "owner = 'me'\n" + rule(),
     "rules/bad.toml: pack: unknown key 'owner'"),
    ("unknown top-level table", PACK + "[meta]\nowner = 'me'\n" + rule(),
     "rules/bad.toml: unknown key 'meta'"),
    ("pack key missing", PACK.replace('version = "1"\n', "") + rule(),
     "rules/bad.toml: pack: missing key 'version'"),
    ("pack version not a string", PACK.replace('version = "1"', "version = 1") + rule(),
     "rules/bad.toml: pack: 'version' must be a non-empty string"),
    ("bad jurisdiction", PACK.replace('"practice"', '"Washington"') + rule(),
     "rules/bad.toml: pack: jurisdiction 'Washington' is not ISO 3166 (US, US-WA) or 'practice'"),
    ("rule is not an array of tables", 'rule = "x"\n' + PACK,
     "rules/bad.toml: 'rule' must be an array of tables ([[rule]])"),
    ("malformed toml", PACK + "[[rule]\nid = 1\n",
     None),  # message comes from tomllib; checked by shape below
]


@pytest.mark.parametrize("text, message", [p[1:] for p in BAD_PACKS], ids=[p[0] for p in BAD_PACKS])
def test_bad_pack_gives_one_line_naming_file_and_rule(tmp_path: Path, text: str, message: str | None):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "bad.toml").write_text(text)
    with pytest.raises(RulePackError) as caught:
        load_rule_packs(directory)
    got = str(caught.value)
    assert "\n" not in got
    if message is None:
        assert got.startswith("rules/bad.toml: invalid toml: ")
        assert got.endswith("(at line 6, column 7)")
    else:
        assert got == message


def test_good_rule_loads_with_defaults(tmp_path: Path):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "good.toml").write_text(PACK + rule())
    rules = load_rule_packs(directory)
    (r,) = rules.rules
    assert (r.id, r.effect, r.enabled, r.obligations, r.pack_id) == ("INT-BILLER", "permit", True, frozenset(), "test")
    assert r.when.roles == {"biller"} and r.when.purposes is None


def test_unverified_rule_loads_when_disabled_and_never_indexed(tmp_path: Path):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "u.toml").write_text(PACK + rule(ver='"U"', enabled="false"))
    rules = load_rule_packs(directory)
    assert rules.rules[0].enabled is False
    assert rules.candidates("biller") == ()


def test_rule_ids_are_unique_across_packs(tmp_path: Path):
    directory = tmp_path / "rules"
    (directory / "sub").mkdir(parents=True)
    (directory / "a.toml").write_text(PACK + rule())
    (directory / "sub" / "b.toml").write_text(PACK.replace('"test"', '"other"') + rule())
    with pytest.raises(RulePackError, match=r"^rules/sub/b.toml: rule INT-BILLER: id already used in rules/a.toml$"):
        load_rule_packs(directory)


def test_pack_ids_are_unique(tmp_path: Path):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "a.toml").write_text(PACK + rule())
    (directory / "b.toml").write_text(PACK + rule(id='"INT-OTHER"'))
    with pytest.raises(RulePackError, match=r"^rules/b.toml: pack: id 'test' already used in rules/a.toml$"):
        load_rule_packs(directory)


def test_version_changes_with_any_byte(tmp_path: Path):
    directory = tmp_path / "rules"
    directory.mkdir()
    path = directory / "a.toml"
    path.write_text(PACK + rule())
    before = load_rule_packs(directory).version
    path.write_text(PACK + rule(explanation='"a biller reads billing data"'))
    after = load_rule_packs(directory).version
    assert before != after and len(before) == 12


def test_wildcard_expands_to_wildcard_categories_only(tmp_path: Path):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "w.toml").write_text(PACK + rule(categories='["*"]'))
    (r,) = load_rule_packs(directory).rules
    assert r.categories == WILDCARD_CATEGORIES
    assert "psychotherapy_notes" not in r.categories


# -- the shipped packs -------------------------------------------------------------

SHIPPED_PACKS = {"us-hipaa", "us-part2", "internal-access", "practice", "us-states", "us-hipaa-communications",
                 "us-hipaa-releases"}


def test_shipped_packs_load():
    rules = load_rule_packs(REPO_RULES)
    assert {p.id for p in rules.packs} == SHIPPED_PACKS
    for r in rules.rules:
        assert r.citation and r.ver in {"V", "V2", "P", "K", "U"}
        assert r.enabled or r.ver == "U"
        assert r.obligations <= OBLIGATIONS
    for f in rules.facts:
        assert f.citation or not f.enabled
        assert f.ver != "U" or not f.enabled


def test_shipped_packs_give_the_admin_only_the_privacy_officers_rules():
    """The admin runs the practice, not the record: their only permits are the privacy
    officer's, over legal requests, a disclosure needing their recorded decision, the
    disclosure entries while a formal accounting request is open, and the reason of an
    emergency access waiting for their review (and their own finding once reviewed), and
    the follow-ups of an amendment request they decided (the rebuttal to a statement of
    disagreement waiting for it, the notices owed of an accepted amendment). Never the chart."""
    rules = load_rule_packs(REPO_RULES)
    permits = {r.id: r for r in rules.candidates("practice_admin") if r.effect == "permit"}
    assert set(permits) == {"INT-PRIVACY-OFFICER-LEGAL", "INT-PRIVACY-OFFICER-ORDER",
                            "INT-PRIVACY-OFFICER-ACCOUNTING", "INT-PRIVACY-OFFICER-BREAK-GLASS",
                            "INT-PRIVACY-OFFICER-AMENDMENT", "INT-PRIVACY-OFFICER-AMENDMENT-REBUTTAL",
                            "INT-PRIVACY-OFFICER-BREAK-GLASS-FINDING", "INT-PRIVACY-OFFICER-AMENDMENT-NOTICE"}
    notice = permits["INT-PRIVACY-OFFICER-AMENDMENT-NOTICE"]
    assert notice.when.flags == frozenset({"amendment_notice_owed"}) and notice.categories == frozenset({"disclosures"})
    assert permits["INT-PRIVACY-OFFICER-AMENDMENT"].when.flags == frozenset({"amendment_requested"})
    rebuttal = permits["INT-PRIVACY-OFFICER-AMENDMENT-REBUTTAL"]
    assert rebuttal.when.flags == frozenset({"amendment_disagreement_pending"})
    assert rebuttal.categories == frozenset({"disclosures"}) and rebuttal.when.actions == frozenset({"read", "write"})
    assert permits["INT-PRIVACY-OFFICER-ACCOUNTING"].categories == frozenset({"disclosures"})
    assert permits["INT-PRIVACY-OFFICER-ACCOUNTING"].when.flags == frozenset({"accounting_requested"})
    assert permits["INT-PRIVACY-OFFICER-BREAK-GLASS"].categories == frozenset({"fact_of_treatment"})
    assert permits["INT-PRIVACY-OFFICER-BREAK-GLASS"].when.flags == frozenset({"break_glass_review"})
    finding = permits["INT-PRIVACY-OFFICER-BREAK-GLASS-FINDING"]
    assert finding.when.flags == frozenset({"break_glass_reviewed"}) and finding.when.actions == frozenset({"read"})
    assert finding.categories == frozenset({"fact_of_treatment"})
    assert permits["INT-PRIVACY-OFFICER-LEGAL"].categories == frozenset({"legal"})
    order = permits["INT-PRIVACY-OFFICER-ORDER"]
    assert order.when.actions == frozenset({"disclose"}) and order.scope == "basis"
    assert {"signed_by_judge", "privacy_officer_release"} <= order.when.flags


# -- unless ---------------------------------------------------------------------------

def load(tmp_path: Path, text: str):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "p.toml").write_text(text)
    return load_rule_packs(directory)


def ask(role="biller", *, action="read", purpose="HPAYMT", categories=("billing",), basis=None, scope=None,
        flags=(), author=None) -> AccessRequest:
    return AccessRequest(
        actor=Actor(user_id="me", practice_id="p", role=role), action=action, purpose=purpose, client_ref="c",
        client_practice_id="p", categories=frozenset(categories), note_author_id=author, basis=basis,
        scope=None if scope is None else frozenset(scope), flags=frozenset(flags))


def test_unless_is_parsed_and_keeps_the_rule_from_applying(tmp_path: Path):
    rules = load(tmp_path, PACK + rule(when='roles = ["biller"]') + '[rule.unless]\nflags = ["self_pay_restricted"]\n')
    (r,) = rules.rules
    assert r.unless is not None and r.unless.flags == {"self_pay_restricted"} and r.unless.roles is None
    assert decide(ask(), rules).effect == "permit"
    d = decide(ask(flags=["self_pay_restricted"]), rules)
    assert (d.effect, d.rule_ids) == ("deny", ("SYS-DEFAULT-DENY",))


def test_unless_needs_every_condition(tmp_path: Path):
    text = PACK + rule(effect='"forbid"', when='actions = ["read", "disclose"]') + (
        '[rule.unless]\nbases = ["release"]\nactions = ["disclose"]\n')
    (r,) = load(tmp_path, text).rules
    assert r.matches(ask(action="read", basis="release"))  # basis holds, action does not: still applies
    assert r.matches(ask(action="disclose", basis="subpoena"))  # action holds, basis does not
    assert not r.matches(ask(action="disclose", basis="release"))  # both hold: the rule stands aside
    assert not r.matches(ask(action="list", basis="release"))  # `when` fails first


def test_unless_never_widens_when(tmp_path: Path):
    (r,) = load(tmp_path, PACK + rule(when='roles = ["biller"]') + '[rule.unless]\nroles = ["clinician"]\n').rules
    assert not r.matches(ask(role="front_desk")) and r.matches(ask(role="biller"))


UNLESS_FAULTS = [
    ('unless = "never"', "rules/bad.toml: rule INT-BILLER: 'unless' must be a table"),
    ("[rule.unless]\nrole = 'biller'", "rules/bad.toml: rule INT-BILLER: unknown key 'unless.role'"),
    ('[rule.unless]\nbases = ["hunch"]', "rules/bad.toml: rule INT-BILLER: unknown basis 'hunch' in unless.bases"),
    ('[rule.unless]\nflags = "reportable"',
     "rules/bad.toml: rule INT-BILLER: 'unless.flags' must be a list of strings"),
    ("[rule.unless]\nlicensed = 1", "rules/bad.toml: rule INT-BILLER: 'unless.licensed' must be true or false"),
    ('[rule.unless]\ntopics = ["Abortion"]',
     "rules/bad.toml: rule INT-BILLER: topic 'Abortion' in unless.topics must be lower-case letters, digits and"
     " underscores"),
]


@pytest.mark.parametrize("body, message", UNLESS_FAULTS, ids=[m.split(": ")[-1] for _, m in UNLESS_FAULTS])
def test_bad_unless_gives_one_line(tmp_path: Path, body: str, message: str):
    # A table goes after [rule.when]; a plain key goes among the rule's own keys.
    text = PACK + (rule(body=body) if body.startswith("unless") else rule() + body + "\n")
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "bad.toml").write_text(text)
    with pytest.raises(RulePackError) as caught:
        load_rule_packs(directory)
    assert str(caught.value) == message


# -- scope = "basis" ------------------------------------------------------------------


def test_basis_scope_grants_only_what_the_basis_names(tmp_path: Path):
    text = PACK + rule(categories='["billing", "diagnosis", "identity"]', body='scope = "basis"',
                       when='roles = ["biller"]\nbases = ["release"]')
    rules = load(tmp_path, text)
    (r,) = rules.rules
    assert r.scope == "basis"
    assert r.grants(ask(basis="release", scope=["billing", "progress_notes"])) == {"billing"}
    assert r.grants(ask(basis="release", scope=[])) == frozenset()
    assert r.grants(ask(basis="release")) == frozenset()  # a basis naming nothing grants nothing
    d = decide(ask(basis="release", scope=["billing", "progress_notes"], categories=["billing", "diagnosis"]), rules)
    assert (d.effect, d.categories) == ("permit", {"billing"})
    d = decide(ask(basis="release", categories=["billing"]), rules)
    assert (d.effect, d.rule_ids) == ("deny", ("SYS-DEFAULT-DENY",))


def test_rule_without_scope_ignores_the_basis_scope(tmp_path: Path):
    (r,) = load(tmp_path, PACK + rule(categories='["billing", "identity"]')).rules
    assert r.scope is None and r.grants(ask(scope=["billing"])) == {"billing", "identity"}


def test_basis_scope_lets_a_named_basis_grant_psychotherapy_notes(tmp_path: Path):
    text = PACK + rule(categories='["psychotherapy_notes"]', body='scope = "basis"',
                       when='roles = ["clinician"]\nbases = ["pn_release"]\nactions = ["disclose"]')
    rules = load(tmp_path, text)
    named = ask("clinician", action="disclose", basis="pn_release", categories=["psychotherapy_notes"],
                scope=["psychotherapy_notes"])
    assert decide(named, rules).categories == {"psychotherapy_notes"}
    unnamed = ask("clinician", action="disclose", basis="pn_release", categories=["psychotherapy_notes"],
                  scope=["progress_notes"])
    assert decide(unnamed, rules).effect == "deny"


# -- promises -------------------------------------------------------------------------


def promise(**fields: str) -> str:
    """A valid promise, with `fields` replacing or adding keys (value "" drops one)."""
    base = {
        "id": '"PRACTICE-PROMISE-TEST"',
        "topics": '["abortion"]',
        "explanation": '"our promise: never without a release naming it"',
        "citation": '"practice promise"',
        "ver": '"V"',
    }
    base.update(fields)
    return "\n".join(["[[promise]]"] + [f"{k} = {v}" for k, v in base.items() if v != ""]) + "\n"


def test_promise_compiles_to_a_forbid_with_its_release_exception(tmp_path: Path):
    rules = load(tmp_path, PACK + promise(topics='["abortion", "drag_performance"]'))
    (r,) = rules.rules
    assert rules.promises() == (r,)
    assert (r.effect, r.categories, r.pack_id, r.enabled) == ("forbid", frozenset(CATEGORIES), "test", True)
    assert r.when.actions == {"disclose"} and r.when.topics == {"abortion", "drag_performance"}
    assert r.unless.bases == {"release", "pn_release", "part2_consent"}
    assert r.unless.basis_topics == {"abortion", "drag_performance"}


def test_unverified_promise_ships_disabled(tmp_path: Path):
    (r,) = load(tmp_path, PACK + promise(ver='"U"', enabled="false")).rules
    assert r.enabled is False


PROMISE_FAULTS = [
    ("in a state pack", PACK.replace('"practice"', '"US-WA"') + promise(),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: promises belong in a pack whose jurisdiction is 'practice'"),
    ("id without prefix", PACK + promise(id='"PROMISE-TEST"'),
     "rules/bad.toml: promise PROMISE-TEST: a promise id starts with 'PRACTICE-PROMISE-'"),
    ("lower-case id", PACK + promise(id='"practice-promise-x"'),
     "rules/bad.toml: promise practice-promise-x: id must be upper-case letters, digits and dashes"),
    ("missing id", PACK + promise(id=""), "rules/bad.toml: promise #1: missing key 'id'"),
    ("not a table", 'promise = ["abortion"]\n' + PACK, "rules/bad.toml: promise #1: must be a table"),
    ("not an array", 'promise = "abortion"\n' + PACK,
     "rules/bad.toml: 'promise' must be an array of tables ([[promise]])"),
    ("unknown key", PACK + promise(effect='"forbid"'),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: unknown key 'effect'"),
    ("missing explanation", PACK + promise(explanation=""),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: 'explanation' must be a non-empty string"),
    ("two-line explanation", PACK + promise(explanation='"""one\ntwo"""'),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: explanation must be one line"),
    ("empty citation", PACK + promise(citation='" "'),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: 'citation' must be a non-empty string"),
    ("missing topics", PACK + promise(topics=""),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: 'topics' must be a list of strings"),
    ("empty topics", PACK + promise(topics="[]"),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: 'topics' must not be empty"),
    ("bad topic", PACK + promise(topics='["Drag Show"]'),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: topic 'Drag Show' must be lower-case letters, digits and"
     " underscores"),
    ("unknown ver", PACK + promise(ver='"maybe"'),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: unknown ver 'maybe' (V, V2, P, K or U)"),
    ("unverified and enabled", PACK + promise(ver='"U"'),
     'rules/bad.toml: promise PRACTICE-PROMISE-TEST: an unverified entry (ver = "U") must have enabled = false'),
    ("enabled not bool", PACK + promise(enabled='"yes"'),
     "rules/bad.toml: promise PRACTICE-PROMISE-TEST: 'enabled' must be true or false"),
    ("same id as a rule", PACK + rule(id='"PRACTICE-PROMISE-TEST"') + promise(),
     "rules/bad.toml: rule PRACTICE-PROMISE-TEST: id already used in this pack"),
]


@pytest.mark.parametrize("text, message", [p[1:] for p in PROMISE_FAULTS], ids=[p[0] for p in PROMISE_FAULTS])
def test_bad_promise_gives_one_line(tmp_path: Path, text: str, message: str):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "bad.toml").write_text(text)
    with pytest.raises(RulePackError) as caught:
        load_rule_packs(directory)
    assert str(caught.value) == message


# -- facts ----------------------------------------------------------------------------

STATES = PACK.replace('"practice"', '"US"')


def fact(**fields: str) -> str:
    """A valid duty-to-warn fact, with `fields` replacing or adding keys ("" drops one)."""
    base = {
        "id": '"US-CA-DUTY-TO-WARN"',
        "kind": '"duty_to_warn"',
        "jurisdiction": '"US-CA"',
        "category": '"mandatory"',
        "citation": '"Cal. Civ. Code §43.92"',
        "source": '"https://example.org/43-92"',
        "summary": '"warn and notify"',
        "discharge_all_of": '["warn_person", "notify_police"]',
        "ver": '"V2"',
    }
    base.update(fields)
    return "\n".join(["[[fact]]"] + [f"{k} = {v}" for k, v in base.items() if v != ""]) + "\n"


def minor(**fields: str) -> str:
    base = {"id": '"US-WA-MINOR-CONSENT"', "kind": '"minor_consent"', "jurisdiction": '"US-WA"',
            "category": "", "discharge_all_of": "", "min_age": "13", "citation": '"RCW 71.34.530"'}
    base.update(fields)
    return fact(**base)


def survivor(**fields: str) -> str:
    base = {"id": '"US-ADULT-SURVIVOR-REPORT"', "kind": '"adult_survivor_report"', "jurisdiction": '"US"',
            "category": "", "discharge_all_of": "", "rule": '"report_if_current_risk"'}
    base.update(fields)
    return fact(**base)


def test_facts_load_with_their_data(tmp_path: Path):
    rules = load(tmp_path, STATES + fact(excludes='["self_harm"]', discharge_any_of='["arrange_hospitalization"]')
                 + minor(physician_only="true", scope_limits='"physicians only"') + survivor())
    assert rules.rules == ()
    ca = rules.fact("duty_to_warn", "US-CA")
    assert (ca.citation, ca.source, ca.ver, ca.enabled, ca.pack_id) == (
        "Cal. Civ. Code §43.92", "https://example.org/43-92", "V2", True, "test")
    assert dict(ca.data) == {"category": "mandatory", "discharge_all_of": ("warn_person", "notify_police"),
                             "discharge_any_of": ("arrange_hospitalization",), "excludes": ("self_harm",)}
    wa = rules.fact("minor_consent", "US-WA")
    assert dict(wa.data) == {"min_age": 13, "physician_only": True, "scope_limits": "physicians only"}
    assert rules.fact("adult_survivor_report", "US").data["rule"] == "report_if_current_risk"
    with pytest.raises(TypeError):
        ca.data["category"] = "none"  # read-only


def test_unverified_fact_loads_disabled_without_citation_and_never_decides(tmp_path: Path):
    rules = load(tmp_path, STATES + fact(ver='"U"', enabled="false", citation="", source="",
                                         discharge_all_of=""))
    assert rules.fact("duty_to_warn", "US-CA") is None
    (row,) = rules.facts_for("duty_to_warn", "US-CA")
    assert (row.enabled, row.citation, row.source) == (False, "", "")


def test_fact_without_min_age_means_no_statute(tmp_path: Path):
    rules = load(tmp_path, STATES + minor(min_age=""))
    assert "min_age" not in rules.fact("minor_consent", "US-WA").data


W = "rules/bad.toml: fact US-CA-DUTY-TO-WARN: "
FACT_FAULTS = [
    ("unknown kind", fact(kind='"tarasoff"'), W + "unknown kind 'tarasoff' (accounting_clock, adult_survivor_report,"
     " amendment_clock, duty_to_warn, minor_consent)"),
    ("unknown key", fact(trigger='"threat"'), W + "unknown key 'trigger'"),
    ("a clock of no days", fact(kind='"amendment_clock"', category="", discharge_all_of="", due_days="0",
                                extension_days="30"), W + "'due_days' must be a whole number from 1 to 366"),
    ("a clock without its extension", fact(kind='"amendment_clock"', category="", discharge_all_of="",
                                           due_days="60"), W + "'extension_days' must be a whole number from 1 to 366"),
    ("key of another kind", fact(min_age="13"), W + "key 'min_age' does not apply to kind 'duty_to_warn'"),
    ("rule on a duty", fact(rule='"always"'), W + "key 'rule' does not apply to kind 'duty_to_warn'"),
    ("bad jurisdiction", fact(jurisdiction='"California"'), W + "jurisdiction must be ISO 3166 (US, US-WA)"),
    ("practice jurisdiction", fact(jurisdiction='"practice"'), W + "jurisdiction must be ISO 3166 (US, US-WA)"),
    ("missing jurisdiction", fact(jurisdiction=""), W + "jurisdiction must be ISO 3166 (US, US-WA)"),
    ("citation not a string", fact(citation="43.92"), W + "'citation' must be a string"),
    ("source not a string", fact(source='["https://a", "https://b"]'), W + "'source' must be a string"),
    ("enabled without citation", fact(citation=""), W + "an enabled fact needs a non-empty 'citation'"),
    ("enabled without source", fact(source='" "'), W + "an enabled fact needs a non-empty 'source'"),
    ("unknown category", fact(category='"strict"'), W + "category must be one of case_law, mandatory,"
     " mandatory_LE, mandatory_report, none, permissive"),
    ("missing category", fact(category=""), W + "category must be one of case_law, mandatory, mandatory_LE,"
     " mandatory_report, none, permissive"),
    ("unknown action", fact(discharge_all_of='["call_the_press"]'),
     W + "unknown action 'call_the_press' in discharge_all_of"),
    ("actions not a list", fact(permitted_also='"warn_person"'), W + "'permitted_also' must be a list of strings"),
    ("action twice", fact(discharge_any_of='["warn_person"]'), W + "action 'warn_person' listed twice"),
    ("unknown exclusion", fact(excludes='["suicide"]'), W + "unknown exclusion 'suicide' in excludes (self_harm)"),
    ("unknown ver", fact(ver='"V3"'), W + "unknown ver 'V3' (V, V2, P, K or U)"),
    ("unverified and enabled", fact(ver='"U"'), W + 'an unverified entry (ver = "U") must have enabled = false'),
    ("lower-case id", fact(id='"us-ca-duty"'),
     "rules/bad.toml: fact us-ca-duty: id must be upper-case letters, digits and dashes"),
    ("missing id", fact(id=""), "rules/bad.toml: fact #1: missing key 'id'"),
    ("duplicate id", fact() + fact(), "rules/bad.toml: rule US-CA-DUTY-TO-WARN: id already used in this pack"),
    ("min_age too high", minor(min_age="19"), "rules/bad.toml: fact US-WA-MINOR-CONSENT: 'min_age' must be an"
     " integer from 0 to 18 (leave it out where there is no statute)"),
    ("min_age a string", minor(min_age='"13"'), "rules/bad.toml: fact US-WA-MINOR-CONSENT: 'min_age' must be an"
     " integer from 0 to 18 (leave it out where there is no statute)"),
    ("min_age a bool", minor(min_age="true"), "rules/bad.toml: fact US-WA-MINOR-CONSENT: 'min_age' must be an"
     " integer from 0 to 18 (leave it out where there is no statute)"),
    ("physician_only not bool", minor(physician_only='"yes"'),
     "rules/bad.toml: fact US-WA-MINOR-CONSENT: 'physician_only' must be true or false"),
    ("scope_limits not a string", minor(scope_limits="8"),
     "rules/bad.toml: fact US-WA-MINOR-CONSENT: 'scope_limits' must be a string"),
    ("category on a minor row", minor(category='"mandatory"'),
     "rules/bad.toml: fact US-WA-MINOR-CONSENT: key 'category' does not apply to kind 'minor_consent'"),
    ("unknown survivor rule", survivor(rule='"sometimes"'), "rules/bad.toml: fact US-ADULT-SURVIVOR-REPORT: rule"
     " must be one of always, never, report_if_current_risk"),
    ("excludes on a survivor row", survivor(excludes='["self_harm"]'),
     "rules/bad.toml: fact US-ADULT-SURVIVOR-REPORT: key 'excludes' does not apply to kind 'adult_survivor_report'"),
]


@pytest.mark.parametrize("text, message", [p[1:] for p in FACT_FAULTS], ids=[p[0] for p in FACT_FAULTS])
def test_bad_fact_gives_one_line(tmp_path: Path, text: str, message: str):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "bad.toml").write_text(STATES + text)
    with pytest.raises(RulePackError) as caught:
        load_rule_packs(directory)
    assert str(caught.value) == message and "\n" not in message


def test_part2_consent_rule_covers_every_category_but_the_identity_rule_s():
    """A category added later (the portal's correspondence was one) must not slip past
    42 CFR 2.31: the consent rule names every category except what the identity rule
    (2.12 and the safety exceptions) governs."""
    rules = load_rule_packs(REPO_RULES)
    consent = set(rules.rule("US-PART2-CONSENT-REQUIRED").categories)
    identity = set(rules.rule("US-PART2-IDENTITY").categories)
    assert consent | identity == set(CATEGORIES) and not consent & identity
