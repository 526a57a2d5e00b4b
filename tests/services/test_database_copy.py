"""A copy of the database and of var/ (everything but the master key) reveals no demo
client: no login, name, email, phone, address or note sentence is in its bytes.

The demo is built by the real commands in a var dir of the test's own (SQLite), each
client is sent a reminder over every channel they allow (so the outbox holds files),
and then every byte under var/ except master.key is searched."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from confide.services.demo import data as demo_data

CONFIDE = Path(sys.executable).with_name("confide")

SEND_REMINDERS = """
import django; django.setup()
from confide.apps.practice.models import User
from confide.apps.records.models import CareTeamMember
from confide.services.messages import CHANNELS, reminder_send
sent = 0
for member in CareTeamMember.objects.select_related("staff").order_by("created_at"):
    for channel in CHANNELS:
        try:
            sent += reminder_send(user=member.staff, client_id=member.client_id, channel=channel)["status"] == "sent"
        except Exception:
            pass
print(sent)
"""


def _sentences(text: str) -> list[str]:
    """A note's sentences long enough to mean something (a few per note)."""
    parts = [s.strip() for s in re.split(r"(?<=[.;:])\s+|\n", text)]
    return [s for s in parts if len(s) >= 25][:3]


def secrets_of(client: dict) -> dict[str, str]:
    found = {"login": client.get("username") or "", "legal name": client["legal_name"],
             "preferred name": client.get("preferred_name") or "", "email": client.get("email") or "",
             "phone": client.get("phone") or "", "address": client.get("address") or ""}
    for part in re.split(r"[\s-]+", client["legal_name"]):
        if len(part) >= 4:
            found[f"name part {part}"] = part
    alternate = (client.get("contact_preferences") or {}).get("alternate_address")
    if alternate:
        found["alternate address"] = alternate
    for kind in ("progress_notes", "psychotherapy_notes"):
        for i, note in enumerate(client.get(kind) or []):
            for j, sentence in enumerate(_sentences(note["text"])):
                found[f"{kind} {i} sentence {j}"] = sentence
    return {k: v for k, v in found.items() if v}


@pytest.fixture(scope="module")
def copied_var(tmp_path_factory):
    var = tmp_path_factory.mktemp("live-var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "CONFIDE_"))}
    env.update({"CONFIDE_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "confide.config.settings"})
    for command in ([str(CONFIDE), "migrate"], [str(CONFIDE), "demo"], [sys.executable, "-c", SEND_REMINDERS]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip().splitlines()[-1]) > 0  # the outbox holds files
    copy = tmp_path_factory.mktemp("copied-var")
    shutil.copytree(var, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("master.key"))
    assert not (copy / "master.key").exists() and list(copy.rglob("*.sqlite3"))
    assert any((copy / "outbox").iterdir())
    return copy


def leaks_in(directory: Path) -> list[str]:
    blobs = {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*") if p.is_file()}
    hay = b"\x00".join(blobs.values())
    hay_folded = hay.lower()
    leaks = []
    for client in demo_data.CLIENTS:
        for what, value in secrets_of(client).items():
            needle = value.encode("utf-8")
            if len(value) < 5:
                # A short name ("Des") only as a word of its own, in its own case, in text:
                # four printable bytes on each side. Three given bytes between non-letters
                # turn up by chance in a few MB of ciphertext about once in ten copies; in
                # printable surroundings, about once in twenty thousand. A leak is text
                # (JSON, a page, a message, a log line), and the longer secrets (the legal
                # name with it) are searched for anywhere.
                found = re.search(rb"(?<![A-Za-z])(?<=[\t\n\r -~]{4})" + re.escape(needle)
                                  + rb"(?![A-Za-z])(?=[\t\n\r -~]{4})", hay) is not None
            else:  # anything longer in any case
                found = needle.lower() in hay_folded
            if found:
                where = [name for name, b in blobs.items() if needle.lower() in b.lower()]
                leaks.append(f"{client['key']} {what} {value!r} in {where}")
            if what == "phone" and re.sub(r"\D", "", value).encode() in hay:
                leaks.append(f"{client['key']} phone digits in the copy")
    return leaks


def test_a_copy_of_the_database_and_var_reveals_no_demo_client(copied_var):
    assert sum(p.stat().st_size for p in copied_var.rglob("*") if p.is_file()) > 100_000  # a real database
    assert leaks_in(copied_var) == []


def test_the_search_finds_what_is_there(copied_var, tmp_path):
    """The control: the same search over the copy plus one clear-text file finds it."""
    shutil.copytree(copied_var, tmp_path / "var")
    lena = next(c for c in demo_data.CLIENTS if c["key"] == "c1")
    (tmp_path / "var" / "outbox" / "stray.txt").write_text(f"Dear {lena['preferred_name']},\n{lena['address']}\n")
    leaks = leaks_in(tmp_path / "var")
    assert any("address" in leak for leak in leaks)
    assert any("c1 preferred name" in leak for leak in leaks)  # a short name, found in text


# What a row that names a client may hold in clear: ids, key ids, digests, short codes,
# dates and times, numbers. Anything else (a name, a sentence, an address) would let a
# join from a clinician or an appointment reach a person.
_PSEUDONYMOUS = re.compile(
    r"^([0-9a-f]{8,64}|mk-[0-9A-Za-z\-]+|portal-[0-9a-f]{24}|[a-z][a-z0-9_\-]{0,40}"
    r"|\d{4}-\d\d-\d\d([ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d)?)?|-?\d+(\.\d+)?|)$")


def test_every_join_from_staff_to_a_client_ends_at_a_pseudonym(copied_var):
    """A copy still shows that some client sees a given clinician at given times (the
    calendar needs those in clear); it must never show who. Every row that names a client
    id holds only pseudonymous values in clear, and a client's or parent's sign-in row
    holds no login, email or name."""
    import sqlite3

    (db,) = copied_var.rglob("*.sqlite3")
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    clear = []
    linked = 0
    for table in tables:
        columns = [r[1] for r in con.execute(f'pragma table_info("{table}")')]
        if "client_id" not in columns:
            continue
        for row in con.execute(f'select * from "{table}"'):
            linked += 1
            clear += [f"{table}.{c}={v[:40]!r}" for c, v in zip(columns, row)
                      if isinstance(v, str) and not _PSEUDONYMOUS.match(v)]
    portal = con.execute("select username, email, first_name, last_name from practice_user"
                         " where role in ('client', 'representative')").fetchall()
    assert linked > 100 and len(portal) >= 3  # the demo's rows are really there
    assert clear == []
    assert all(re.fullmatch(r"portal-[0-9a-f]{24}", u) and not (e or f or la) for u, e, f, la in portal)
