"""The `confide` command: one line on failure, never a traceback."""

from __future__ import annotations

import pytest

from confide.cli import main
from confide.services.policy import rules_reload


@pytest.fixture
def bad_rules(settings, tmp_path):
    (tmp_path / "broken.toml").write_text(
        '[pack]\nid="p"\ntitle="t"\njurisdiction="US"\nversion="1"\n'
        '[[rule]]\nid="X-1"\neffect="permit"\nexplanation="e"\ncitation="c"\nver="K"\n'
        'categories=["notes"]\n[rule.when]\nroles=["clinician"]\n')
    original = settings.CONFIDE
    settings.CONFIDE = {**original, "RULES_DIR": tmp_path}
    yield tmp_path
    settings.CONFIDE = original
    rules_reload()


def test_bad_rule_pack_stops_start_up_with_one_line(bad_rules, capsys, db):
    from confide.services import policy

    policy._rules = None
    assert main(["serve", "--port", "0"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "broken.toml" in err and "X-1" in err and "unknown category 'notes'" in err


def test_audit_head_and_verify(demo, capsys, db):
    assert main(["audit", "head"]) == 0
    heads = capsys.readouterr().out.strip().splitlines()
    assert heads and all(len(line.split(" ")) == 2 for line in heads)
    assert main(["audit", "verify"]) == 0
    assert "audit log intact" in capsys.readouterr().out


def test_otp_prints_codes_for_the_demo_practice_only(demo, other_practice, capsys, db):
    from confide.services.accounts import otp_device_enrol

    assert main(["otp", "marsh"]) == 0
    code = capsys.readouterr().out.strip()
    assert code.isdigit() and len(code) == 6
    otp_device_enrol(actor=None, account=other_practice["clinician"])
    assert main(["otp", "elsewhere"]) == 1  # a real practice's second factor is not the server's to print
    err = capsys.readouterr()
    assert err.out == "" and "demo practice only" in err.err
