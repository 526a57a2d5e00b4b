"""What sign-ins leave behind is kept only as long as security needs it: failure
counters (keyed digests, never an address or a browser) past CONFIDE_SIGN_IN_LOG_DAYS
and expired sessions are deleted by the worker's periodic task, by `confide tasks tick`
and by `confide signin prune`; a counter whose wait still runs is kept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from django.contrib.sessions.models import Session
from django.test import Client

from confide.apps.practice.models import SignInThrottle
from confide.cli import main
from confide.services.background import tasks_run_pending, tick
from confide.services.sessions import sign_in_records_prune


def _counter(digest: str, days_ago: float, wait_minutes: float = 0.0) -> None:
    now = datetime.now(timezone.utc)
    SignInThrottle.objects.create(digest=digest, failures=3, last_failure_at=now - timedelta(days=days_ago),
                                  wait_until=now + timedelta(minutes=wait_minutes))


def _session(key: str, expires_in: timedelta) -> None:
    Session.objects.create(session_key=key, session_data="e30:", expire_date=datetime.now(timezone.utc) + expires_in)


def test_a_failed_sign_in_keeps_no_address_or_browser(db, staff):
    Client(REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="Unusual-Browser/9.9").post(
        "/login/", {"username": "marsh", "password": "wrong password here", "otp": ""})
    rows = list(SignInThrottle.objects.values_list("digest", flat=True))
    assert len(rows) == 2 and all(len(d) == 64 for d in rows)  # account and address, each a keyed digest
    for digest in rows:
        assert "198.51.100" not in digest and "Unusual" not in digest


def test_records_past_the_retention_are_deleted(db, settings):
    settings.CONFIDE = {**settings.CONFIDE, "SIGN_IN_LOG_DAYS": 30}
    _counter("a" * 64, days_ago=31)        # past the retention: goes
    _counter("b" * 64, days_ago=29)        # within it: stays
    _counter("c" * 64, days_ago=40, wait_minutes=5)  # its wait still runs: stays until it ends
    _session("expired-session-key-000000000001", -timedelta(minutes=1))
    _session("current-session-key-000000000001", timedelta(minutes=10))
    assert sign_in_records_prune() == {"counters": 1, "sessions": 1}
    assert set(SignInThrottle.objects.values_list("digest", flat=True)) == {"b" * 64, "c" * 64}
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current-session-key-000000000001"]
    # the retention is configured: a shorter one deletes more
    settings.CONFIDE = {**settings.CONFIDE, "SIGN_IN_LOG_DAYS": 7}
    assert sign_in_records_prune(now=datetime.now(timezone.utc) + timedelta(minutes=10))["counters"] == 2


def test_the_periodic_task_prunes(db):
    _counter("d" * 64, days_ago=400)
    from confide.services.background import periodic

    periodic.enqueue()
    assert tasks_run_pending() == 1
    assert not SignInThrottle.objects.filter(digest="d" * 64).exists()
    _counter("e" * 64, days_ago=400)
    assert tick()["sign_in"]["counters"] == 1


def test_the_command(db, capsys):
    _counter("f" * 64, days_ago=400)
    assert main(["signin", "prune"]) == 0
    assert "deleted 1 failed-sign-in counter(s)" in capsys.readouterr().out
    assert not SignInThrottle.objects.exists()


def test_tasks_tick_for_cron(db, capsys):
    _counter("9" * 64, days_ago=400)
    assert main(["tasks", "tick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("reminders: ") and "sign-in records deleted: 1 counters" in out
    assert not SignInThrottle.objects.exists()
