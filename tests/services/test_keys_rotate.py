"""`keys_rotate`: every data key re-wrapped under a new master key, readable throughout.

The session's demo data is wrapped by the session's master key file. Each test here
works on a private COPY of that file (same key material, so the demo still opens),
and rotates inside the test's transaction: the re-wrapped rows are rolled back after
the test and the session file is never touched, so these tests run in any order with
any other test.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from confide.apps.practice.models import InstanceKey, PracticeKey
from confide.apps.records.models import ClientKey
from confide.core.crypto import KeyRing
from confide.core.errors import KeyUnavailable
from confide.services import keys
from confide.services.charting import chart_open
from confide.services.intake import client_create
from confide.services.key_rotation import keys_rotate

# (user, client) pairs opened before, during and after a rotation.
CHARTS = [("marsh", "c1"), ("marsh", "c6"), ("okafor", "c2"), ("okafor", "c5"), ("lindqvist", "c5")]


@pytest.fixture
def key_file(demo, db, settings, tmp_path):
    """A private copy of the session's master key file, made the one in use."""
    session_file = Path(settings.CONFIDE["MASTER_KEY_FILE"])
    keys.keyring()  # make sure the session file exists
    session_bytes = session_file.read_bytes()
    copy = tmp_path / "keys" / "master.key"
    copy.parent.mkdir()
    shutil.copyfile(session_file, copy)
    copy.chmod(0o600)
    settings.CONFIDE = {**settings.CONFIDE, "MASTER_KEY_FILE": copy}
    keys.reset_keyring()
    try:
        yield copy
    finally:
        keys.reset_keyring()  # settings are restored by pytest-django after this
        assert session_file.read_bytes() == session_bytes, "a rotation test touched the session key file"


def _file_keys(path: Path) -> tuple[str, set[str]]:
    doc = json.loads(path.read_text())
    return doc["current"], set(doc["keys"])


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _wrapped_rows():
    rows = [(r.master_key_id, bytes(r.wrapped), keys._client_context(r.pk)) for r in ClientKey.objects.all()]
    rows += [(r.master_key_id, bytes(r.wrapped), keys._practice_context(r.pk)) for r in PracticeKey.objects.all()]
    return rows


def _charts(staff, cid) -> dict:
    return {(u, k): chart_open(user=staff[u], client_id=cid[k]) for u, k in CHARTS}


def _same(a: dict, b: dict) -> None:
    for section in ("identity", "contact", "diagnosis", "progress_notes", "treatment_plan", "psychotherapy_notes"):
        assert a.get(section) == b.get(section), section


def test_rotation_rewraps_every_key_and_charts_open_throughout(key_file, staff, cid):
    old_current, old_ids = _file_keys(key_file)
    before_rows = _wrapped_rows()
    assert {k for k, _, _ in before_rows} <= old_ids
    n_client, n_practice = ClientKey.objects.count(), PracticeKey.objects.count()
    assert n_client >= 7 and n_practice >= 1
    before = _charts(staff, cid)
    other_process = KeyRing.load(key_file)  # e.g. a web worker that loaded the ring earlier

    seen: list[tuple[int, int]] = []
    mixed_states = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        ids = set(ClientKey.objects.values_list("master_key_id", flat=True))
        ids |= set(PracticeKey.objects.values_list("master_key_id", flat=True))
        mixed_states.append(len(ids) > 1)
        keys._cache.clear()  # unwrap for real, from whichever key each row is under now
        during = _charts(staff, cid)
        for pair in CHARTS:
            _same(before[pair], during[pair])
        for key_id, blob, context in _wrapped_rows():
            assert other_process.unwrap(key_id, blob, context=context)

    result = keys_rotate(progress=progress, batch=2)

    total = n_client + n_practice + InstanceKey.objects.count()
    assert result.rewrapped == total
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) >= total // 2
    assert mixed_states[0], "with batch=2 the first callback sees some rows rotated and some not"
    # Every row is under the new key, with a new blob.
    after_rows = _wrapped_rows()
    assert {k for k, _, _ in after_rows} == {result.new_key_id}
    assert not {b for _, b, _ in before_rows} & {b for _, b, _ in after_rows}
    # The retired keys are gone from the file; the file is still 0600.
    assert result.new_key_id not in old_ids
    assert set(result.retired) == old_ids
    current, ids = _file_keys(key_file)
    assert (current, ids) == (result.new_key_id, {result.new_key_id})
    assert _mode(key_file) == 0o600
    assert not list(key_file.parent.glob(".*.tmp")), "temp files left behind"
    # After: charts open (cache cleared, fresh ring), and equal what they were.
    keys.reset_keyring()
    after = _charts(staff, cid)
    for pair in CHARTS:
        _same(before[pair], after[pair])
    # The old key really is gone: a blob it wrapped cannot be unwrapped any more.
    key_id, blob, context = before_rows[0]
    with pytest.raises(KeyUnavailable):
        KeyRing.load(key_file).unwrap(key_id, blob, context=context)
    assert old_current in set(result.retired)


def test_rotating_twice(key_file, staff, cid):
    first = keys_rotate()
    second = keys_rotate(batch=3)
    total = ClientKey.objects.count() + PracticeKey.objects.count() + InstanceKey.objects.count()
    assert first.new_key_id != second.new_key_id
    assert first.rewrapped == second.rewrapped == total
    assert second.retired == (first.new_key_id,)
    assert _file_keys(key_file) == (second.new_key_id, {second.new_key_id})
    assert _mode(key_file) == 0o600
    keys.reset_keyring()
    assert chart_open(user=staff["marsh"], client_id=cid["c1"])["progress_notes"]
    assert chart_open(user=staff["okafor"], client_id=cid["c7"])["progress_notes"]


def test_another_process_reloads_after_rotation(key_file):
    other = KeyRing.load(key_file)
    old_ids = set(other.key_ids)
    result = keys_rotate()
    assert set(other.key_ids) == old_ids  # it has not looked yet
    for key_id, blob, context in _wrapped_rows():
        assert key_id == result.new_key_id
        assert len(other.unwrap(key_id, blob, context=context)) == 32  # unknown id -> reload -> ok
    assert other.key_ids == (result.new_key_id,)
    # And it wraps new keys under the new current key (a rotation elsewhere is picked up).
    wrapped_id, _ = KeyRing.load(key_file).wrap(b"k" * 32, context=b"t")
    assert wrapped_id == result.new_key_id


def test_clients_created_after_rotation_use_the_new_key(key_file, staff):
    result = keys_rotate()
    new_id = client_create(user=staff["marsh"], identity={"legal_name": "Rotation Newcomer"})
    assert ClientKey.objects.get(client_id=new_id).master_key_id == result.new_key_id
    keys.reset_keyring()
    assert chart_open(user=staff["marsh"], client_id=new_id)["identity"]["legal_name"] == "Rotation Newcomer"


def test_a_client_created_before_rotation_in_this_test_is_rewrapped(key_file, staff):
    new_id = client_create(user=staff["okafor"], identity={"legal_name": "Before Rotation"})
    old = ClientKey.objects.get(client_id=new_id).master_key_id
    result = keys_rotate(batch=1)
    assert old in result.retired
    assert ClientKey.objects.get(client_id=new_id).master_key_id == result.new_key_id
    keys.reset_keyring()
    assert chart_open(user=staff["okafor"], client_id=new_id)["identity"]["legal_name"] == "Before Rotation"


def test_cli_keys_rotate(key_file, staff, cid, capsys):
    from confide.cli import main

    total = ClientKey.objects.count() + PracticeKey.objects.count() + InstanceKey.objects.count()
    assert main(["keys", "rotate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    current, ids = _file_keys(key_file)
    assert out == [f"rotated: {total} data keys now wrapped by {current}; retired 1 old master key(s)"]
    assert ids == {current}
    keys.reset_keyring()
    assert chart_open(user=staff["marsh"], client_id=cid["c3"])["identity"]


def test_rotation_is_recorded_in_every_chain_and_old_seals_stay_checkable(key_file, staff, cid, other_practice,
                                                                         audit_checkpoint_dir):
    from confide.apps.auditlog.models import AuditEvent, AuditHead
    from confide.core.audit import NO_PRACTICE, SEAL_KEY_PURPOSE
    from confide.services.audit import audit_verify

    chart_open(user=staff["marsh"], client_id=cid["c1"])
    old_key = AuditEvent.objects.filter(chain=str(staff["marsh"].practice_id)).order_by("-seq").first().key_id
    result = keys_rotate()
    assert old_key in result.retired
    chains = set(AuditHead.objects.values_list("chain", flat=True))
    assert {str(staff["marsh"].practice_id), str(other_practice["practice"].pk), NO_PRACTICE} <= chains
    for chain in chains:
        last = AuditEvent.objects.filter(chain=chain).order_by("-seq").first()
        assert (last.action, last.actor, last.key_id) == ("keys.rotated", "operator", result.new_key_id)
        assert last.detail["retiring"] == list(result.retired)
    # The retired master key is gone; its seal key stays, so its entries still check.
    doc = json.loads(key_file.read_text())
    assert old_key not in doc["keys"] and old_key in doc["kept"][SEAL_KEY_PURPOSE]
    assert list(audit_checkpoint_dir.glob("checkpoints-*.jsonl"))  # written at rotation
    keys.reset_keyring()
    report = audit_verify()
    assert report.ok, report.problems
    assert chart_open(user=staff["marsh"], client_id=cid["c1"])["identity"]


def test_rotation_changes_each_practice_s_keys_in_statements_that_name_it(key_file, staff, other_practice):
    """Re-wrapping is installation-wide work, but each UPDATE of a distributed table
    (client keys, practice keys) names its practice: on Citus, one shard per statement."""
    from tests.shards import assert_every_statement_names_the_practice, sent

    with sent() as statements:
        result = keys_rotate(batch=2)
    assert result.rewrapped == ClientKey.objects.count() + PracticeKey.objects.count() + InstanceKey.objects.count()
    changes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "DELETE"))]
    assert any('"records_clientkey"' in s for s in changes) and any('"practice_practicekey"' in s for s in changes)
    assert_every_statement_names_the_practice(changes, at_least=3)
