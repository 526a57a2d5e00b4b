"""Rule-pack validation: each fault gives one line naming the file and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from confide.core.errors import RulePackError
from confide.core.policy.categories import WILDCARD_CATEGORIES
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
    ("unknown rule key", PACK + rule(body='scope = "all"'),
     "rules/bad.toml: rule INT-BILLER: unknown key 'scope'"),
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
    ("wildcard in a forbid", PACK + rule(effect='"forbid"', categories='["*"]'),
     "rules/bad.toml: rule INT-BILLER: '*' is allowed only in permit rules"),
    ("wildcard not alone", PACK + rule(categories='["*", "billing"]'),
     "rules/bad.toml: rule INT-BILLER: '*' must stand alone in categories"),
    ("psychotherapy notes by role grant", PACK + rule(categories='["psychotherapy_notes"]'),
     "rules/bad.toml: rule INT-BILLER: permit of 'psychotherapy_notes' needs author_is_actor = true"
     " in [rule.when]"),
    ("psychotherapy notes, author_is_actor false",
     PACK + rule(categories='["psychotherapy_notes"]', when='roles = ["clinician"]\nauthor_is_actor = false'),
     "rules/bad.toml: rule INT-BILLER: permit of 'psychotherapy_notes' needs author_is_actor = true"
     " in [rule.when]"),
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

SHIPPED_RULES = {
    "US-HIPAA-PN-AUTHOR", "US-HIPAA-PN-SEALED", "US-HIPAA-ACCESS-SELF",
    "INT-TREATING", "INT-SUPERVISOR", "INT-BILLER", "INT-FRONT-DESK", "INT-BREAK-GLASS",
}


def test_shipped_packs_load():
    rules = load_rule_packs(REPO_RULES)
    assert {r.id for r in rules.rules} == SHIPPED_RULES
    assert {p.id for p in rules.packs} == {"us-hipaa", "internal-access"}
    assert all(r.enabled for r in rules.rules)
    for r in rules.rules:
        assert r.citation and r.ver in {"V", "V2", "P", "K"}
        assert r.obligations <= OBLIGATIONS


def test_shipped_packs_name_no_rule_for_admin_or_representative():
    rules = load_rule_packs(REPO_RULES)
    for role in ("practice_admin", "representative"):
        assert all(r.effect == "forbid" for r in rules.candidates(role))
