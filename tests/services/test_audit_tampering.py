"""The attacks of issue 9 on a real, committed instance, with nothing but the database
driver (sqlite3 or psycopg) and hashlib, then `confide audit verify` with no arguments.

Each attack gets its own copy of one demo instance whose log was verified (which wrote
a checkpoint outside the database) and then grew by a few events (automatic
checkpoints after each commit)."""

from __future__ import annotations

import hashlib
import json
import secrets
from contextlib import contextmanager

import pytest

from tests.instances import Instance

FAST_CHECKPOINTS = {"CONFIDE_AUDIT_CHECKPOINT_SECONDS": "0"}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    inst = Instance.demo(tmp_path_factory.mktemp("audit-pristine") / "var")
    assert "audit log intact" in inst.confide("audit", "verify").stdout
    try:
        yield inst
    finally:
        inst.drop()


@pytest.fixture
def instance(pristine, tmp_path):
    inst = pristine.copy(tmp_path / "var")
    try:
        yield inst
    finally:
        inst.drop()


def verify(inst: Instance) -> tuple[int, str]:
    proc = inst.confide("audit", "verify", check=False)
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def grow(inst: Instance, n: int = 2) -> None:
    """Real appends, each checkpointed as it commits (a token issued is audited)."""
    for _ in range(n):
        inst.confide("token", "marsh", env=FAST_CHECKPOINTS)


@contextmanager
def attack(inst: Instance):
    """The demo practice's chain as the attacker sees it: (cursor, parameter mark,
    chain, its rows as (seq, body, hash, key_id, seal)); committed at the end."""
    m = inst.mark
    with inst.connect() as conn:
        cur = conn.cursor()
        cur.execute(f"SELECT chain FROM auditlog_audithead WHERE chain <> {m} ORDER BY seq DESC",
                    ["00000000-0000-0000-0000-000000000000"])
        chain = cur.fetchone()[0]
        cur.execute(f"SELECT seq, body, hash, key_id, seal FROM auditlog_auditevent WHERE chain = {m} ORDER BY seq",
                    [chain])
        yield cur, m, chain, cur.fetchall()
        conn.commit()


def forged(body: str, seq: int, prev_hash: str, **changes) -> tuple[str, str, str]:
    """A body changed as the attacker likes, hashed correctly, 'sealed' without the key."""
    doc = json.loads(body)
    doc.update(seq=seq, **changes)
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256((prev_hash + text).encode()).hexdigest()
    return text, digest, hashlib.sha256(secrets.token_bytes(32) + digest.encode()).hexdigest()


def assert_broken(inst: Instance, *words: str) -> str:
    code, out = verify(inst)
    assert code == 1, f"the attack went unnoticed: {out}"
    assert out.startswith("audit log BROKEN: chain ") and "\n" not in out, out
    for w in words:
        assert w in out, out
    return out


def test_the_untouched_instance_verifies(instance):
    grow(instance)
    code, out = verify(instance)
    assert code == 0 and out.startswith("audit log intact: "), out


def test_forged_entry_appended(instance):
    with attack(instance) as (cur, m, chain, rows):
        seq, body, digest, key_id, _ = rows[-1]
        text, new_hash, seal = forged(body, seq + 1, digest, action="read", actor="2", decision="permit")
        cur.execute(f"INSERT INTO auditlog_auditevent (chain, seq, body, hash, key_id, seal) "
                    f"VALUES ({m}, {m}, {m}, {m}, {m}, {m})", [chain, seq + 1, text, new_hash, key_id, seal])
        cur.execute(f"UPDATE auditlog_audithead SET seq = {m}, hash = {m}, seal = {m} WHERE chain = {m}",
                    [seq + 1, new_hash, seal, chain])
    assert_broken(instance, f"entry {seq + 1}: seal does not match")


def test_last_entry_deleted(instance):
    with attack(instance) as (cur, m, chain, rows):
        seq = rows[-1][0]
        cur.execute(f"DELETE FROM auditlog_auditevent WHERE chain = {m} AND seq = {m}", [chain, seq])
    assert_broken(instance, f"chain ends at {seq - 1} but its head is {seq}")


def test_last_100_entries_rewritten(instance):
    with attack(instance) as (cur, m, chain, rows):
        assert len(rows) > 100
        start = len(rows) - 100
        prev = rows[start - 1][2]
        for seq, body, _, _, _ in rows[start:]:
            text, digest, seal = forged(body, seq, prev, purpose="HPAYMT")
            cur.execute(f"UPDATE auditlog_auditevent SET body = {m}, hash = {m}, seal = {m} "
                        f"WHERE chain = {m} AND seq = {m}", [text, digest, seal, chain, seq])
            prev = digest
        cur.execute(f"UPDATE auditlog_audithead SET hash = {m}, seal = {m} WHERE chain = {m}",
                    [prev, hashlib.sha256(prev.encode()).hexdigest(), chain])
    assert_broken(instance, f"entry {start + 1}: seal does not match")


def test_truncated_back_to_a_head_seen_earlier(instance):
    """The attacker saved the (genuinely sealed) head row, the log grew, they cut it
    back and put the old head in place: only the checkpoint outside tells."""
    m = instance.mark
    with instance.connect() as conn:
        cur = conn.cursor()
        cur.execute("SELECT chain, seq, hash, key_id, seal FROM auditlog_audithead")
        saved = cur.fetchall()
    grow(instance, 2)
    with instance.connect() as conn:
        cur = conn.cursor()
        for chain, seq, digest, key_id, seal in saved:
            cur.execute(f"DELETE FROM auditlog_auditevent WHERE chain = {m} AND seq > {m}", [chain, seq])
            cur.execute(f"UPDATE auditlog_audithead SET seq = {m}, hash = {m}, key_id = {m}, seal = {m} "
                        f"WHERE chain = {m}", [seq, digest, key_id, seal, chain])
        conn.commit()
    assert_broken(instance, "but the checkpoint of", "(truncated or rolled back)")


def test_rolled_back_to_an_old_copy(pristine, tmp_path):
    """The whole database replaced by an older copy of itself: every entry and head
    genuine, only older than what the checkpoints saw."""
    old = pristine.copy(tmp_path / "old")
    live = pristine.copy(tmp_path / "live")
    try:
        grow(live, 2)
        # Put the old database in the live instance's place, keeping the live files
        # (key ring, checkpoints): what someone with the database alone can do.
        if live.db_name is None:
            for suffix in ("", "-wal", "-shm"):
                source, target = old.var / f"confide.sqlite3{suffix}", live.var / f"confide.sqlite3{suffix}"
                target.unlink(missing_ok=True)
                if source.exists():
                    target.write_bytes(source.read_bytes())
        else:
            live.database_url, live.db_name, old.database_url, old.db_name = (
                old.database_url, old.db_name, live.database_url, live.db_name)
        assert_broken(live, "but the checkpoint of", "(truncated or rolled back)")
    finally:
        old.drop()
        live.drop()
