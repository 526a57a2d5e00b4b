"""Failed sign-ins: the password and the second factor count the same and get the same
answer, so a refusal never confirms a password; repeated failures make the next try
wait longer (per account and per address) instead of locking an account for long; a
practice admin, or the operator, ends the wait; and nothing stores the address or
browser of a sign-in."""

from __future__ import annotations

import pytest
from django.test import Client

from confide.apps.practice.models import SignInThrottle
from confide.cli import main
from confide.core.errors import Forbidden
from confide.services import sessions
from confide.services.demo.data import DEMO_PASSWORD
from tests.web.signin import otp_code, without_csrf

SLOW = sessions.Pace(free=3, first=30.0, most=60.0, forget=900.0)


def _post(username, password, otp="", address="203.0.113.7", agent="Attacker/1.0"):
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent).post(
        "/login/", {"username": username, "password": password, "otp": otp})


@pytest.fixture
def slow(monkeypatch):
    monkeypatch.setattr(sessions, "ACCOUNT_PACE", SLOW)
    monkeypatch.setattr(sessions, "ADDRESS_PACE", sessions.Pace(free=6, first=30.0, most=900.0, forget=3600.0))


def test_wrong_password_and_wrong_code_read_the_same_and_count_the_same(staff, slow):
    wrong_password = _post("marsh", "not-the-password", otp_code(staff["marsh"]))
    wrong_code = _post("marsh", DEMO_PASSWORD, "000000")
    assert wrong_password.status_code == wrong_code.status_code == 401
    assert without_csrf(wrong_password.content) == without_csrf(wrong_code.content)
    rows = list(SignInThrottle.objects.order_by("failures"))
    assert [r.failures for r in rows] == [2, 2]  # the account's count and the address's: both failures counted


def test_a_wait_never_confirms_the_password(staff, slow):
    for _ in range(4):  # three free failures, the fourth starts a wait
        _post("pellham", "not-the-password")
    during_wait_right = _post("pellham", DEMO_PASSWORD, otp_code(staff["pellham"]), address="198.51.100.9")
    during_wait_wrong = _post("pellham", "still-not-it", "", address="198.51.100.9")
    assert during_wait_right.status_code == during_wait_wrong.status_code == 401
    assert without_csrf(during_wait_right.content) == without_csrf(during_wait_wrong.content)


def test_tries_during_a_wait_do_not_lengthen_it(staff, slow):
    for _ in range(4):
        _post("pellham", "not-the-password")
    for _ in range(20):  # an attacker hammering: refused unchecked, not counted
        _post("pellham", "not-the-password", address="192.0.2.50")
    account = max(SignInThrottle.objects.all(), key=lambda r: r.failures)
    assert account.failures == 4


def test_the_wait_is_bounded_so_an_attacker_cannot_lock_an_account_for_long(staff):
    pace = sessions.ACCOUNT_PACE
    assert pace.wait(pace.free) == 0 and pace.wait(1000) <= 60
    assert sessions.ADDRESS_PACE.wait(1000) <= 15 * 60


def test_the_admin_ends_the_wait(staff, slow):
    for _ in range(4):
        _post("fontaine", "not-the-password", address="192.0.2.1")
    assert _post("fontaine", DEMO_PASSWORD, otp_code(staff["fontaine"]), address="192.0.2.2").status_code == 401
    with pytest.raises(Forbidden):
        sessions.sign_in_unlock(actor=staff["marsh"], account=staff["fontaine"])
    assert sessions.sign_in_unlock(actor=staff["haddad"], account=staff["fontaine"]) is True
    assert _post("fontaine", DEMO_PASSWORD, otp_code(staff["fontaine"]), address="192.0.2.2").status_code == 302


def test_the_operator_ends_the_wait(staff, slow, capsys):
    for _ in range(4):
        _post("lvarga", "not-the-password", address="192.0.2.1")
    assert _post("lvarga", DEMO_PASSWORD, address="192.0.2.3").status_code == 401
    assert main(["signin", "unlock", "lvarga"]) == 0
    assert "unlocked lvarga" in capsys.readouterr().out
    assert _post("lvarga", DEMO_PASSWORD, address="192.0.2.3").status_code == 302


def test_an_address_guessing_many_accounts_is_slowed(staff, slow):
    for name in ("okafor", "marsh", "lindqvist", "pellham", "fontaine", "haddad", "nobody"):
        _post(name, "not-the-password", address="203.0.113.99")
    # the address is now waiting: even a right password from it is refused unchecked
    assert _post("lindqvist", DEMO_PASSWORD, otp_code(staff["lindqvist"]), address="203.0.113.99").status_code == 401
    assert _post("lindqvist", DEMO_PASSWORD, otp_code(staff["lindqvist"]), address="198.51.100.1").status_code == 302


def test_sign_in_records_hold_no_address_browser_or_login(staff, slow, django_db_blocker):
    from django.db import connection

    _post("marsh", "not-the-password", address="203.0.113.77", agent="SecretBrowser/9.9")
    _post("lvarga", DEMO_PASSWORD, address="203.0.113.77", agent="SecretBrowser/9.9")
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        assert not [t for t in tables if t.startswith("axes_")]
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text = repr(cursor.fetchall())
            for secret in ("203.0.113.77", "SecretBrowser", "lvarga"):
                assert secret not in text, (table, secret)
