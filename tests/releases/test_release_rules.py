"""decide() on the rules of rules/us-hipaa-releases.toml, as a table (the same shape as
tests/core/test_policy_engine.py SCENARIOS; RELEASE_SCENARIOS decides every rule of
the pack)."""

from __future__ import annotations

from pathlib import Path

import pytest

from confide.core.policy import AccessRequest, Actor, decide, load_rule_packs

RULES = load_rule_packs(Path(__file__).resolve().parents[2] / "rules")
PRACTICE = "practice-1"


def request(role, relationships, purpose, action, categories=("consents",), flags=()) -> AccessRequest:
    return AccessRequest(actor=Actor(user_id="me", practice_id=PRACTICE, role=role), action=action, purpose=purpose,
                         client_ref="c-1", client_practice_id=PRACTICE, categories=frozenset(categories),
                         relationships=frozenset(relationships), flags=frozenset(flags))


C = frozenset({"consents"})
NONE: frozenset[str] = frozenset()

# name: (request, effect, permitted categories, rule ids in the reasons)
RELEASE_SCENARIOS = {
    "client signs or revokes their own release":
        (request("client", ["self"], "PATRQT", "write"), "permit", C, {"US-HIPAA-AUTH-SIGN-SELF", "INT-CLIENT-PORTAL"}),
    "client writes nothing else":
        (request("client", ["self"], "PATRQT", "write", ["consents", "progress_notes"]), "deny", NONE,
         {"SYS-WRITE-INCOMPLETE"}),
    "client cannot sign for another client":
        (request("client", [], "PATRQT", "write"), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "client signs only as themselves (PATRQT)":
        (request("client", ["self"], "TREAT", "write"), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "personal representative reads the releases":
        (request("representative", ["representative"], "PWATRNY", "read"), "permit", C,
         {"US-HIPAA-AUTH-REPRESENTATIVE"}),
    "personal representative signs":
        (request("representative", ["representative"], "PWATRNY", "write"), "permit", C,
         {"US-HIPAA-AUTH-REPRESENTATIVE"}),
    "parent of a minor who consented alone neither reads nor signs":
        (request("representative", ["representative"], "PWATRNY", "write", flags=["minor_self_consented"]), "deny",
         NONE, {"SYS-DEFAULT-DENY"}),
    "parent of a minor who consented alone does not read":
        (request("representative", ["representative"], "PWATRNY", "read", flags=["minor_self_consented"]), "deny",
         NONE, {"SYS-DEFAULT-DENY"}),
    "representative signs nothing but releases":
        (request("representative", ["representative"], "PWATRNY", "write", ["consents", "diagnosis"]), "deny", NONE,
         {"SYS-WRITE-INCOMPLETE"}),
}


@pytest.mark.parametrize("name", list(RELEASE_SCENARIOS))
def test_release_scenario(name):
    req, effect, permitted, rule_ids = RELEASE_SCENARIOS[name]
    d = decide(req, RULES)
    assert (d.effect, d.categories, set(d.rule_ids)) == (effect, permitted, rule_ids)
    assert d.errors == ()


def test_every_rule_of_the_pack_decides_some_scenario():
    pack = {r.id for r in RULES.rules if r.pack_id == "us-hipaa-releases"}
    assert pack == {"US-HIPAA-AUTH-SIGN-SELF", "US-HIPAA-AUTH-REPRESENTATIVE"}
    decided = set().union(*(ids for _, _, _, ids in RELEASE_SCENARIOS.values()))
    assert pack <= decided
    assert all(RULES.rule(r).ver == "V2" and RULES.rule(r).enabled for r in pack)
