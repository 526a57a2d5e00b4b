"""Promise 8: encrypted at rest.

A copy of the database (the SQLite file with its -wal/-shm, or a pg_dump of a
PostgreSQL database) made after the real `confide migrate` + `confide demo` holds no
plaintext client information; deleting a client's key makes their data unreadable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from confide.services.demo import data as demo_data
from tests.services.plaintext import NEEDLES
from tests.services.plaintext import leaks as _leaks

SRC = Path(__file__).resolve().parents[2] / "src"


def test_needles_are_meaningful():
    """The scan has something to look for, and finds it in plaintext."""
    assert len(NEEDLES) > 100
    assert sum("note sentence" in w for w, _, _ in NEEDLES) >= 30
    sample = "\n".join(p for _, p, _ in NEEDLES).encode()
    assert len(_leaks(sample)) >= len(NEEDLES) - 1  # every needle finds itself (context ones aside)
    assert _leaks(b'{"preferred_name":"Lena"}') and _leaks(b'{"preferred_name": "lena"}')
    assert _leaks("elena marisol varga-trent".encode().hex().encode())  # a bytea hex dump
    assert not _leaks(os.urandom(1 << 16).replace(b"\x00", b""))


# -- running the real CLI -------------------------------------------------------------

def _cli_env(var_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(CONFIDE_VAR_DIR=str(var_dir), CONFIDE_REQUIRE_OTP="0",
               PYTHONPATH=os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]))
    if database_url:
        env["CONFIDE_DATABASE_URL"] = database_url
    return env


def _run_cli(env: dict, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "confide.cli", *args], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"confide {' '.join(args)} failed: {proc.stderr[-2000:]}"
    return proc.stdout


PORTAL_LOGINS = (b"lvarga", b"jcastellanos", b"awhitford", b"acastellanos")


def _migrate_and_demo(env: dict) -> None:
    _run_cli(env, "migrate")
    out = _run_cli(env, "demo")
    assert "created the demo practice" in out
    assert "lvarga" in out


def test_sqlite_file_holds_no_plaintext(tmp_path):
    _migrate_and_demo(_cli_env(tmp_path, None))
    db = tmp_path / "confide.sqlite3"
    files = [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]
    assert db in files
    blob = b"".join(p.read_bytes() for p in files)
    assert len(blob) > 100_000
    # Positive control: the file does hold the demo (staff usernames and the practice's
    # name are not client information and are stored as they are); the clients' and
    # the parent's logins are not (a blind index and an encrypted login).
    assert b"okafor" in blob and b"Harbor Light Counseling" in blob
    assert not [login for login in PORTAL_LOGINS if login in blob]
    leaks = _leaks(blob)
    assert not leaks, f"plaintext client information in {[p.name for p in files]}: {leaks[:10]}"
    # The same with the database closed uncleanly is not needed: SQLite checkpoints the
    # WAL into the main file on close, and both were scanned when present.


# -- PostgreSQL -------------------------------------------------------------------------

def _postgres_url() -> str | None:
    url = os.environ.get("CONFIDE_DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@pytest.fixture
def scratch_postgres():
    """A fresh, uniquely named PostgreSQL database on the server the tests use; dropped after."""
    url = _postgres_url()
    if url is None:
        pytest.skip("the test run is against SQLite (CONFIDE_DATABASE_URL is not postgresql://)")
    psycopg = pytest.importorskip("psycopg")
    parsed = urlparse(url)
    name = f"confide_at_rest_{uuid.uuid4().hex[:12]}"
    admin = dict(host=parsed.hostname or "", port=parsed.port or 5432, user=unquote(parsed.username or ""),
                 password=unquote(parsed.password or ""), dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    netloc = parsed.netloc
    try:
        yield {"url": f"{parsed.scheme}://{netloc}/{name}", "name": name, "host": admin["host"],
               "port": admin["port"], "user": admin["user"], "password": admin["password"]}
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_dump_holds_no_plaintext(tmp_path, scratch_postgres):
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed on this machine")
    db = scratch_postgres
    _migrate_and_demo(_cli_env(tmp_path, db["url"]))
    env = {**os.environ, "PGPASSWORD": db["password"]}
    cmd = [pg_dump, "--no-owner", "-h", db["host"], "-p", str(db["port"]), "-U", db["user"], db["name"]]
    dump = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
    assert dump.returncode == 0, dump.stderr.decode(errors="replace")[-2000:]
    blob = dump.stdout
    assert b"COPY public.records_client" in blob and b"okafor" in blob  # the demo is in the dump
    assert not [login for login in PORTAL_LOGINS if login in blob]
    leaks = _leaks(blob)
    assert not leaks, f"plaintext client information in pg_dump: {leaks[:10]}"


# -- crypto-shredding ---------------------------------------------------------------------

def test_shredding_makes_one_chart_unreadable(staff, cid):
    from confide.apps.records.models import BlindIndex, Client, ClientKey, ProgressNote
    from confide.core.errors import NotFound
    from confide.services.charting import chart_open
    from confide.services.directory import client_list, client_search
    from confide.services.keys import client_key_shred, reset_keyring

    marsh = staff["marsh"]
    before = chart_open(user=marsh, client_id=cid["c6"])
    assert before["progress_notes"]
    notes_before = ProgressNote.objects.filter(client_id=cid["c6"]).count()
    assert BlindIndex.objects.filter(client_id=cid["c6"]).exists()

    client_key_shred(cid["c6"], marsh.practice_id)
    reset_keyring()  # no cached key either: as a fresh process would see it

    with pytest.raises(NotFound):
        chart_open(user=marsh, client_id=cid["c6"])
    # The other clients still open, for the same clinician and for another one.
    assert chart_open(user=marsh, client_id=cid["c1"])["identity"]["legal_name"] == demo_data.CLIENTS[0]["legal_name"]
    assert chart_open(user=marsh, client_id=cid["c3"])["progress_notes"]
    assert chart_open(user=staff["okafor"], client_id=cid["c2"])["progress_notes"]
    # The ciphertext is still there; only the key is gone.
    assert not ClientKey.objects.filter(client_id=cid["c6"]).exists()
    row = Client.objects.get(id=cid["c6"])
    assert bytes(row.identity_enc) and bytes(row.contact_enc)
    assert ProgressNote.objects.filter(client_id=cid["c6"]).count() == notes_before > 0
    # The clinician's list still works and no longer shows the shredded client.
    listed = {r["id"] for r in client_list(user=marsh)}
    assert listed == {str(cid["c1"]), str(cid["c3"])}
    # Nor can a search confirm a guess: the blind indexes went with the key.
    assert not BlindIndex.objects.filter(client_id=cid["c6"]).exists()
    c6 = next(c for c in demo_data.CLIENTS if c["key"] == "c6")
    for query in (c6["legal_name"], c6["email"], c6["phone"]):
        assert client_search(user=marsh, query=query) == []
    assert client_search(user=marsh, query=demo_data.CLIENTS[0]["email"])[0]["id"] == str(cid["c1"])
