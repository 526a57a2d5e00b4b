"""The real worker process: `confide serve --with-worker` (what `make run` does) starts
`confide worker` beside the server; the worker's scheduler enqueues the periodic task
and its loop runs it, so a due reminder goes out with nobody asking; the worker stops
when the server stops, and on its own when the server is killed outright."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.instances import Instance

BOOK = """
from datetime import datetime, timedelta, timezone
from confide.apps.practice.models import User
from confide.apps.records.models import ClientAccount
from confide.services.messages import contact_preferences_set
from confide.services.scheduling import appointment_create
from confide.services.accounts import account_for_login
lena = account_for_login("lvarga")
marsh = User.objects.get(username="marsh")
client_id = ClientAccount.objects.get(user=lena).client_id
contact_preferences_set(user=lena, client_id=client_id, prefs={"voicemail": "none", "text": "none",
                        "email": "neutral", "postal": "none", "reminder_hours": 2})
from confide.apps.records.models import Appointment
from confide.services.scheduling import appointment_cancel
now = datetime.now(timezone.utc)
# Dr Marsh's demo sessions in the next three hours give way, whatever the hour the suite runs.
for busy in Appointment.objects.filter(clinician=marsh, cancelled_at__isnull=True, starts_at__gte=now - timedelta(hours=2),
                                       starts_at__lte=now + timedelta(hours=3)).values_list("id", flat=True):
    appointment_cancel(user=marsh, appointment_id=busy, reason="clearing the test's hours")
starts = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
print(appointment_create(user=marsh, client_id=client_id, clinician_id=marsh.pk, starts_at=starts))
"""

SENT = """
from confide.apps.records.models import ReminderDispatch
print(",".join(ReminderDispatch.objects.filter(appointment_id="{appt}").values_list("status", flat=True)))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" in fh.read()  # a zombie has exited
    except FileNotFoundError:
        return True


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_the_worker_beside_the_server_sends_a_due_reminder_and_stops_with_it(tmp_path):
    inst = Instance.demo(tmp_path / "var")
    try:
        appt = inst.python(BOOK).strip().splitlines()[-1]
        log = open(tmp_path / "serve.log", "w+")
        server = subprocess.Popen([sys.executable, "-m", "confide.cli", "serve", "--with-worker", "--port",
                                   str(_free_port())], env=inst.env(), stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            status = ""
            while time.monotonic() < deadline and status != "sent":
                time.sleep(1)
                status = inst.python(SENT.format(appt=appt)).strip()
            assert status == "sent", (tmp_path / "serve.log").read_text()[-3000:]
            worker = int(re.search(r"background worker started \(pid (\d+)\)",
                                   (tmp_path / "serve.log").read_text()).group(1))
            assert not _gone(worker)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            log.close()
        assert _wait_gone(worker, 30), "the worker outlived the server"
        # the outbox holds the one sealed reminder
        assert len(list((tmp_path / "var" / "outbox").iterdir())) == 1
    finally:
        inst.drop()


@pytest.mark.slow
def test_a_worker_whose_server_was_killed_stops_on_its_own(tmp_path):
    inst = Instance.demo(tmp_path / "var")
    try:
        # A stand-in parent that starts the worker and then dies by SIGKILL.
        parent = subprocess.Popen([sys.executable, "-c", (
            "import os, subprocess, sys, time\n"
            "p = subprocess.Popen([sys.executable, '-m', 'confide.cli', 'worker', '--parent-pid', str(os.getpid())])\n"
            "print(p.pid, flush=True)\n"
            "time.sleep(600)\n")], env=inst.env(), stdout=subprocess.PIPE, text=True)
        worker = int(parent.stdout.readline())
        time.sleep(3)
        assert not _gone(worker)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        assert _wait_gone(worker, 30), "the worker outlived its killed server"
    finally:
        inst.drop()
