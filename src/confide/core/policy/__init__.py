"""The policy decision point: one door for every view, message and disclosure."""

from confide.core.policy.categories import CATEGORIES, Category, category
from confide.core.policy.decision import Decision, Reason
from confide.core.policy.engine import decide
from confide.core.policy.request import BASES, FLAGS, RECIPIENTS, AccessRequest, Actor
from confide.core.policy.rules import OBLIGATIONS, Fact, Rule, RuleSet, load_rule_packs

__all__ = [
    "CATEGORIES", "Category", "category", "Decision", "Reason", "AccessRequest", "Actor",
    "decide", "load_rule_packs", "Rule", "RuleSet", "OBLIGATIONS", "Fact", "BASES", "FLAGS", "RECIPIENTS",
]
