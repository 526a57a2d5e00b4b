"""`confide backup` / `confide restore` (164.308(a)(7)): the demo round-trips into an
empty instance with every row equal, `audit verify` passes and a chart opens; the
archive is encrypted, authenticated and never holds the master key."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil

import pytest

from tests.instances import Instance
from tests.services.plaintext import leaks

@pytest.fixture(scope="module")
def source(tmp_path_factory):
    inst = Instance.demo(tmp_path_factory.mktemp("backup-source") / "var")
    try:
        yield inst
    finally:
        inst.drop()


@pytest.fixture(scope="module")
def archive(source, tmp_path_factory):
    before = source.tables()
    path = tmp_path_factory.mktemp("backup-archive") / "confide.backup"
    out = source.confide("backup", str(path)).stdout
    assert out.startswith(f"backup written: {path} (") and "keep the key file apart" in out
    return path, before


def new_instance(source: Instance, var, *, with_key: bool = True) -> Instance:
    """An empty instance on another machine: only the master key file travels."""
    inst = Instance.empty(var)
    if with_key:
        shutil.copy2(source.var / "master.key", var / "master.key")
    return inst


@pytest.fixture
def target(source, tmp_path):
    inst = new_instance(source, tmp_path / "var")
    try:
        yield inst
    finally:
        inst.drop()


def audit_rows(tables: dict, name: str) -> set:
    return set(tables[name])


def test_restore_round_trips_every_row(source, archive, target):
    path, before = archive
    out = target.confide("restore", str(path)).stdout
    assert out.startswith("restored the backup made ") and "audit verify" in out
    after = target.tables()
    assert set(after) == set(before)
    for table in sorted(before):
        if table.startswith("auditlog_"):
            continue
        assert after[table] == before[table], f"{table} differs after the round trip"
    # The audit log: everything that was there, plus the restore's own event.
    events, restored = audit_rows(before, "auditlog_auditevent"), audit_rows(after, "auditlog_auditevent")
    assert events <= restored
    added = [json.loads(row[2]) for row in restored - events]
    assert [(e["action"], e["chain"]) for e in added] == [("backup.restored", "00000000-0000-0000-0000-000000000000")]
    assert added[0]["detail"]["made_at"] and added[0]["detail"]["sha256"]
    # Every chain verifies on the new instance, against the restore mark it wrote.
    verified = target.confide("audit", "verify").stdout
    assert verified.startswith("audit log intact: ")
    # And the charts open, decrypted with the data keys the archive carried.
    chart = target.python(
        "from confide.apps.practice.models import User\n"
        "from confide.services.charting import chart_open\n"
        "from confide.services.directory import client_list\n"
        "marsh = User.objects.get(username='marsh')\n"
        "rows = client_list(user=marsh)\n"
        "print(len(rows), chart_open(user=marsh, client_id=rows[0]['id'])['identity']['legal_name'])\n")
    count, name = chart.strip().split(" ", 1)
    assert int(count) >= 3 and name


def test_the_backup_is_audited_and_checkpointed(source, archive):
    path, _ = archive
    verified = source.confide("audit", "verify").stdout
    assert verified.startswith("audit log intact: ")
    out = source.python(
        "from confide.apps.auditlog.models import AuditEvent\n"
        "e = AuditEvent.objects.filter(action='backup.made').get()\n"
        "print(e.chain, e.actor, e.detail['sha256'], e.detail['bytes'])\n")
    chain, actor, sha, size = out.split()
    assert chain == "00000000-0000-0000-0000-000000000000" and actor == "operator"
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest() and int(size) == path.stat().st_size


def test_the_archive_reveals_nothing_and_holds_no_key(source, archive):
    path, _ = archive
    blob = path.read_bytes()
    assert blob.startswith(b"CONFIDE-BACKUP\n") and oct(path.stat().st_mode & 0o777) == "0o600"
    key_file = json.loads((source.var / "master.key").read_text())
    for encoded in key_file["keys"].values():
        assert encoded.encode() not in blob
        assert base64.b64decode(encoded) not in blob
    assert not leaks(blob), "plaintext client information in the archive"
    for needle in (b"marsh", b"okafor", b"Harbor Light", b"auditlog_auditevent", b"CREATE TABLE"):
        assert needle not in blob


def test_a_damaged_archive_is_refused_and_changes_nothing(source, archive, target, tmp_path):
    path, _ = archive
    damaged = tmp_path / "damaged.backup"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    proc = target.confide("restore", str(damaged), check=False)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert "damaged or was altered" in proc.stderr
    cut = tmp_path / "cut.backup"
    cut.write_bytes(path.read_bytes()[:-100])
    proc = target.confide("restore", str(cut), check=False)
    assert proc.returncode == 1 and ("cut short" in proc.stderr or "damaged" in proc.stderr)
    assert not [t for t in target.tables() if not t.startswith("sqlite")]  # still empty
    assert target.confide("restore", str(path)).returncode == 0  # the real one still restores


def test_restore_needs_the_key_and_an_empty_database(source, archive, tmp_path):
    path, _ = archive
    keyless = new_instance(source, tmp_path / "keyless", with_key=False)
    try:
        proc = keyless.confide("restore", str(path), check=False)
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1
        assert "no master key file at" in proc.stderr and not (keyless.var / "master.key").exists()
        keyless.python("from confide.services.keys import keyring\nkeyring()\n")  # a ring of its own
        proc = keyless.confide("restore", str(path), check=False)
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1
        assert "which the key ring does not hold: restore with the key file kept for it" in proc.stderr
    finally:
        keyless.drop()
    proc = source.confide("restore", str(path), check=False)
    assert proc.returncode == 1 and "the database is not empty" in proc.stderr
    proc = source.confide("backup", str(path), check=False)
    assert proc.returncode == 1 and "exists; choose a new file name" in proc.stderr


def test_client_shred_asks_then_shreds_and_is_audited(source, tmp_path):
    inst = source.copy(tmp_path / "var")
    try:
        client_id = inst.python(
            "from confide.apps.practice.models import User\n"
            "from confide.services.directory import client_list\n"
            "print(client_list(user=User.objects.get(username='marsh'))[0]['id'])\n").strip()
        proc = inst.confide("client", "shred", client_id, check=False)  # no terminal, no --yes
        assert proc.returncode == 1 and "confirm with --yes" in proc.stderr
        out = inst.confide("client", "shred", client_id, "--yes").stdout
        assert out.strip() == f"shredded client {client_id}: the data key and search indexes are gone"
        again = inst.confide("client", "shred", client_id, "--yes", check=False)
        assert again.returncode == 1 and "already shredded" in again.stderr
        missing = inst.confide("client", "shred", "00000000-0000-0000-0000-0000000000aa", "--yes", check=False)
        assert missing.returncode == 1 and missing.stderr.strip() == "confide: not found"
        result = inst.python(
            "from confide.apps.auditlog.models import AuditEvent\n"
            "from confide.apps.practice.models import User\n"
            "from confide.core.errors import NotFound\n"
            "from confide.services.charting import chart_open\n"
            f"e = AuditEvent.objects.get(action='client.shredded')\n"
            "print(e.actor, e.client_ref.startswith('c_'))\n"
            "try:\n"
            f"    chart_open(user=User.objects.get(username='marsh'), client_id='{client_id}')\n"
            "except NotFound:\n"
            "    print('gone')\n")
        assert result.split() == ["operator", "True", "gone"]
        assert inst.confide("audit", "verify").stdout.startswith("audit log intact")
    finally:
        inst.drop()
