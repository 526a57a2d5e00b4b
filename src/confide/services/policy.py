"""The loaded rule packs. Validated at start-up; a bad pack stops start-up with one line."""

from __future__ import annotations

import threading

from django.conf import settings

from confide.core.policy import RuleSet, load_rule_packs

_rules: RuleSet | None = None
_lock = threading.Lock()


def rules() -> RuleSet:
    global _rules
    with _lock:
        if _rules is None:
            _rules = load_rule_packs(settings.CONFIDE["RULES_DIR"])
        return _rules


def rules_reload() -> RuleSet:
    global _rules
    with _lock:
        _rules = None
    return rules()
