"""Promise 9 (the record of access cannot be rewritten quietly) and the audit half of
promise 1 (every decision audited in the same transaction), on the real database.

Tampering is done with raw SQL and hashlib inside the test's transaction, as someone
who can write the database but has no key would: it is rolled back after each test,
and each test writes its checkpoints to a directory of its own.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import socket
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from django.db import IntegrityError as DbIntegrityError
from django.db import connection, transaction

from confide.apps.auditlog.models import AuditEvent, AuditHead
from confide.apps.records.models import BreakGlassGrant, Diagnosis
from confide.core.audit import GENESIS_HASH, NO_PRACTICE
from confide.core.errors import NotFound
from confide.services import access
from confide.services.audit import (
    audit_append,
    audit_checkpoint,
    audit_heads,
    audit_restored,
    audit_verify,
    audited_transaction,
)
from confide.services.break_glass import break_glass_open, break_glass_review_queue
from confide.services.charting import chart_open, progress_note_create, record_add
from confide.services.directory import client_list
from confide.services.reports import access_report
from tests.services.plaintext import leaks

T = AuditEvent._meta.db_table
H = AuditHead._meta.db_table
REASON = "Client phoned the after-hours line in acute distress and the treating clinician is away."


def sql(statement: str, params=()) -> list:
    with connection.cursor() as cur:
        cur.execute(statement.format(t=connection.ops.quote_name(T), h=connection.ops.quote_name(H)), params)
        return cur.fetchall() if cur.description else []


def rows(chain: str) -> list[tuple]:
    return sql("SELECT seq, body, hash, key_id, seal FROM {t} WHERE chain = %s ORDER BY seq", [chain])


def last(chain: str) -> AuditEvent:
    return AuditEvent.objects.filter(chain=chain).order_by("-seq").first()


def broken(expect_words: str, chain: str | None = None, first_bad: int | None = None) -> str:
    report = audit_verify(checkpoint=False)
    assert not report.ok, "tampering went unnoticed"
    problem = report.problems[0]
    assert expect_words in problem, problem
    if chain is not None:
        assert problem.startswith(f"chain {chain}: "), problem
        if first_bad is not None:
            assert report.result.chains[chain].first_bad_seq == first_bad, problem
    return problem


@pytest.fixture
def chain(staff, cid):
    """The demo practice's chain plus a few reads, checkpointed and verified; returns
    (chain id, number of entries)."""
    chart_open(user=staff["marsh"], client_id=cid["c1"])
    with pytest.raises(NotFound):
        chart_open(user=staff["marsh"], client_id=cid["c2"])
    report = audit_verify()  # writes a checkpoint of what it verified
    assert report.ok, report.problems
    name = str(staff["marsh"].practice_id)
    n = audit_heads()[name].seq
    assert n > 20 and report.result.chains[name].count == n and report.checkpointed
    return name, n


def test_demo_chains_verify(chain):
    name, n = chain
    report = audit_verify()
    assert report.ok and report.book.read >= 1
    assert report.result.chains[name].head_seq == n


# -- the attacks: someone with the database and hashlib, without the key --------------------

def forge(chain_name: str, seq: int, prev_hash: str, **fields) -> tuple:
    """An entry in the right format, chained with hashlib, sealed with a made-up key."""
    body = json.loads(rows(chain_name)[0][1])
    body.update(seq=seq, actor="999", action="read", decision="permit", **fields)
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    digest = hashlib.sha256((prev_hash + text).encode()).hexdigest()
    seal = hashlib.sha256(secrets.token_bytes(32) + digest.encode()).hexdigest()
    key_id = rows(chain_name)[-1][3]  # the real key id: only the key is missing
    return seq, text, digest, key_id, seal


def write_entry(chain_name: str, entry: tuple, *, move_head: bool = True) -> None:
    seq, text, digest, key_id, seal = entry
    sql("INSERT INTO {t} (chain, seq, body, hash, key_id, seal) VALUES (%s, %s, %s, %s, %s, %s)",
        [chain_name, seq, text, digest, key_id, seal])
    if move_head:
        sql("UPDATE {h} SET seq = %s, hash = %s, key_id = %s, seal = %s WHERE chain = %s",
            [seq, digest, key_id, seal, chain_name])


def test_forged_entry_appended_is_caught(chain):
    name, n = chain
    write_entry(name, forge(name, n + 1, rows(name)[-1][2]))
    broken(f"entry {n + 1}: seal does not match", name, n + 1)


def test_last_entry_deleted_is_caught(chain):
    name, n = chain
    sql("DELETE FROM {t} WHERE chain = %s AND seq = %s", [name, n])
    broken("entries deleted from the end", name, n)
    # Moving the head back as well: the head's seal cannot be made without the key.
    seq, _, digest, key_id, seal = rows(name)[-1]
    sql("UPDATE {h} SET seq = %s, hash = %s, key_id = %s, seal = %s WHERE chain = %s",
        [seq, digest, key_id, seal, name])
    broken("is not sealed by this installation's key", name, n - 1)


def test_last_100_entries_rewritten_are_caught(chain, staff, cid):
    for _ in range(100):
        chart_open(user=staff["marsh"], client_id=cid["c1"])
    name, _ = chain
    stored = rows(name)
    n = len(stored)
    start = n - 100
    prev = stored[start - 1][2]
    for seq, body, *_ in stored[start:]:
        entry = forge(name, seq, prev, purpose="HPAYMT")
        sql("DELETE FROM {t} WHERE chain = %s AND seq = %s", [name, seq])
        write_entry(name, entry)
        prev = entry[2]
    broken(f"entry {start + 1}: seal does not match", name, start + 1)


def test_truncation_to_a_state_seen_earlier_is_caught_by_the_checkpoint(chain, staff, cid):
    """The attacker kept an earlier head row (genuinely sealed); they cut the chain
    back to it. On its own that is a whole chain; the checkpoint outside says not."""
    name, n = chain
    saved_head = sql("SELECT seq, hash, key_id, seal FROM {h} WHERE chain = %s", [name])[0]
    for _ in range(3):
        chart_open(user=staff["marsh"], client_id=cid["c1"])
    audit_checkpoint()
    sql("DELETE FROM {t} WHERE chain = %s AND seq > %s", [name, n])
    sql("UPDATE {h} SET seq = %s, hash = %s, key_id = %s, seal = %s WHERE chain = %s", [*saved_head, name])
    problem = broken(f"chain ends at {n} but the checkpoint of", name, n + 1)
    assert f"recorded entry {n + 3} (truncated or rolled back)" in problem


def test_rollback_to_an_old_copy_is_caught(chain, staff, cid):
    """Every audit row and head put back as an old copy had them (all genuine)."""
    name, n = chain
    old_entries = sql("SELECT chain, seq, body, hash, key_id, seal FROM {t}")
    old_heads = sql("SELECT chain, seq, hash, key_id, seal FROM {h}")
    progress_note_create(user=staff["marsh"], client_id=cid["c1"], session_date="2026-11-02", text="After the copy.")
    audit_checkpoint()
    sql("DELETE FROM {t}")
    sql("DELETE FROM {h}")
    for row in old_entries:
        sql("INSERT INTO {t} (chain, seq, body, hash, key_id, seal) VALUES (%s, %s, %s, %s, %s, %s)", row)
    for row in old_heads:
        sql("INSERT INTO {h} (chain, seq, hash, key_id, seal) VALUES (%s, %s, %s, %s, %s)", row)
    broken("(truncated or rolled back)", name, n + 1)


@pytest.mark.parametrize("field,value", [("purpose", "HPAYMT"), ("decision", "nothing"), ("actor", "999999"),
                                          ("client_ref", "c_forged"), ("detail", {"view": "nothing"}),
                                          ("at", "2001-01-01T00:00:00.000000Z")])
def test_a_changed_field_is_named(chain, field, value):
    name, n = chain
    k = n // 2
    body = json.loads(rows(name)[k - 1][1])
    body[field] = value
    sql("UPDATE {t} SET body = %s WHERE chain = %s AND seq = %s",
        [json.dumps(body, sort_keys=True, separators=(",", ":")), name, k])
    broken(f"entry {k}: hash does not match", name, k)


def test_the_columns_queries_read_cannot_be_changed_apart_from_the_body(chain):
    name, n = chain
    with pytest.raises(Exception):  # a generated column: the database refuses
        with transaction.atomic():
            sql("UPDATE {t} SET decision = 'deny' WHERE chain = %s AND seq = %s", [name, n])
    assert last(name).decision == json.loads(rows(name)[-1][1])["decision"]


@pytest.mark.parametrize("tamper,words,bad", [
    ("DELETE FROM {t} WHERE chain = %s AND seq = 5", "sequence gap after 4", 6),
    ("UPDATE {t} SET seal = hash WHERE chain = %s AND seq = 5", "seal does not match", 5),
    ("UPDATE {t} SET key_id = 'mk-99999999T999999999999-ffffff' WHERE chain = %s AND seq = 5",
     "never had", 5),
    ("UPDATE {t} SET hash = %s WHERE chain = %s AND seq = 5", "hash does not match", 5),
])
def test_other_tampering_is_named(chain, tamper, words, bad):
    name, _ = chain
    params = [GENESIS_HASH, name] if tamper.count("%s") == 2 else [name]
    sql(tamper, params)
    broken(words, name, bad)


def test_forged_or_damaged_checkpoint_is_reported(chain, audit_checkpoint_dir):
    name, n = chain
    (path,) = audit_checkpoint_dir.glob("checkpoints-*.jsonl")
    line = json.loads(path.read_text().splitlines()[-1])
    line["heads"][name] = [n + 50, "a" * 64]  # claims more than there is, keeps the seal
    with open(path, "a") as fh:
        fh.write(json.dumps(line) + "\n" + "not a checkpoint\n")
    report = audit_verify(checkpoint=False)
    assert not report.ok and report.result.ok  # the log itself is fine; the store is not
    assert any("is not sealed by this installation's key (forged or altered)" in p for p in report.problems)
    assert any("line 3 is damaged" in p for p in report.problems)


def test_a_restore_mark_accepts_a_chain_put_back_on_purpose(chain, staff, cid):
    name, n = chain
    chart_open(user=staff["marsh"], client_id=cid["c1"])
    audit_checkpoint()
    sql("DELETE FROM {t} WHERE chain = %s AND seq > %s", [name, n])
    # Put the head back as a restore would (restored from a backup made at n).
    head = audit_heads()[name]
    from confide.services.keys import audit_sealer
    restored = audit_sealer().seal_head(name, n, rows(name)[-1][2])
    sql("UPDATE {h} SET seq = %s, hash = %s, key_id = %s, seal = %s WHERE chain = %s",
        [restored.seq, restored.hash, restored.key_id, restored.seal, name])
    assert head.seq == n + 1
    broken("(truncated or rolled back)", name)
    audit_restored(detail={"archive": "test"})
    report = audit_verify()
    assert report.ok, report.problems
    assert last(NO_PRACTICE).action == "backup.restored"


# -- the CLI -----------------------------------------------------------------------------

def test_cli_verify_checkpoint_and_head(chain, capsys, audit_checkpoint_dir):
    from confide.cli import main

    name, n = chain
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith(f"audit log intact: {sum(h.seq for h in audit_heads().values())} entries in ")
    assert "sealed, matching their stored heads and " in out[0] and out[1] == "checkpoint written: the heads just verified"
    assert main(["audit", "checkpoint"]) == 0
    assert capsys.readouterr().out.strip() == f"checkpoint written: the heads of {len(audit_heads())} chain(s)"
    assert main(["audit", "head"]) == 0
    assert f"{name} {n}:{audit_heads()[name].hash}" in capsys.readouterr().out.splitlines()


def test_cli_verify_names_the_first_problem_in_one_line(chain, capsys):
    from confide.cli import main

    name, n = chain
    sql("DELETE FROM {t} WHERE chain = %s AND seq = %s", [name, n])
    assert main(["audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith(f"audit log BROKEN: chain {name}: chain ends at {n - 1}")


# -- recorded at the door, appended right before commit ---------------------------------------

def test_the_event_is_appended_as_the_transaction_commits(staff, cid):
    name = str(staff["marsh"].practice_id)
    before = audit_heads()[name].seq
    with access.governed(user=staff["marsh"], client_id=cid["c1"], action="read", purpose="TREAT",
                         categories={"identity"}) as ok:
        assert ok.decision.permitted
        # Decided and recorded, but the chain is not touched (nor locked) yet.
        assert audit_heads()[name].seq == before
    assert audit_heads()[name].seq == before + 1 and last(name).decision == "permit"


def test_events_of_several_chains_in_one_transaction(staff, other_practice):
    mine, theirs = str(staff["marsh"].practice_id), str(other_practice["practice"].pk)
    heads = audit_heads()
    with audited_transaction():
        for practice, action in ((other_practice["practice"].pk, "b"), (staff["marsh"].practice_id, "a"),
                                 (None, "c"), (staff["marsh"].practice_id, "d")):
            audit_append(practice_id=practice, actor_id="operator", actor_role="operator", action=action,
                         purpose="HOPERAT")
    after = audit_heads()
    assert after[mine].seq == heads[mine].seq + 2 and after[theirs].seq == heads[theirs].seq + 1
    assert [e.action for e in AuditEvent.objects.filter(chain=mine).order_by("-seq")[:2]] == ["d", "a"]
    assert last(NO_PRACTICE).action == "c"
    assert audit_verify(checkpoint=False).ok


def test_audit_append_needs_an_audited_transaction_and_its_top_level(staff):
    kwargs = dict(practice_id=None, actor_id="operator", actor_role="operator", action="x", purpose="HOPERAT")
    with pytest.raises(RuntimeError, match="outside an audited transaction"):
        audit_append(**kwargs)
    with pytest.raises(RuntimeError, match="outside an audited transaction"):
        with transaction.atomic():
            audit_append(**kwargs)
    with pytest.raises(RuntimeError, match="nested atomic block"):
        with audited_transaction():
            with transaction.atomic():
                audit_append(**kwargs)


def test_audit_log_holds_no_client_names_or_note_text(staff, cid):
    client_list(user=staff["marsh"])
    from confide.services.directory import client_search
    client_search(user=staff["marsh"], query="Elena Marisol Varga-Trent")
    client_search(user=staff["fontaine"], query="lena.varga-trent@example.com")
    break_glass_open(user=staff["okafor"], client_id=cid["c1"], reason=REASON)
    progress_note_create(user=staff["marsh"], client_id=cid["c1"], session_date="2026-11-02",
                         text="Session note that must never reach the audit log.")
    stored = sql("SELECT chain, seq, body, hash, key_id, seal FROM {t}")
    assert len(stored) > 50
    blob = "\n".join("\t".join(str(v) for v in row) for row in stored).encode("utf-8")
    found = leaks(blob)
    assert not found, f"client information in the audit log: {found[:10]}"
    for text in (REASON, "Session note that must never reach the audit log", "Elena", "varga"):
        assert text.lower().encode() not in blob.lower()
    for client_id in cid.values():
        assert str(client_id).encode() not in blob and client_id.hex.encode() not in blob


# -- one decision, one event, one transaction -------------------------------------------------

def _count() -> int:
    return AuditEvent.objects.count()


@pytest.mark.parametrize("call,effect", [
    (lambda s, c: chart_open(user=s["marsh"], client_id=c["c1"]), "permit"),
    (lambda s, c: chart_open(user=s["marsh"], client_id=c["c2"]), "deny"),
    (lambda s, c: chart_open(user=s["marsh"], client_id=uuid.uuid4()), "deny"),
    (lambda s, c: chart_open(user=s["marsh"], client_id="not-a-uuid"), "deny"),
    (lambda s, c: record_add(user=s["okafor"], client_id=c["c2"], kind="medication", data={"name": "x"}), "permit"),
    (lambda s, c: record_add(user=s["lindqvist"], client_id=c["c1"], kind="medication", data={"name": "x"}), "deny"),
    (lambda s, c: access_report(user=s["lvarga"], client_id=c["c1"]), "permit"),
    (lambda s, c: access_report(user=s["lvarga"], client_id=c["c2"]), "deny"),
    (lambda s, c: break_glass_open(user=s["lindqvist"], client_id=c["c1"], reason=REASON), "deny"),
], ids=["open", "open-denied", "open-missing", "open-malformed", "write", "write-denied", "report",
        "report-denied", "break-glass-denied"])
def test_every_decision_writes_exactly_one_event(staff, cid, call, effect):
    before = _count()
    if effect == "deny":
        with pytest.raises(NotFound):
            call(staff, cid)
    else:
        call(staff, cid)
    assert _count() == before + 1
    assert last(str(staff["marsh"].practice_id)).decision == effect
    assert audit_verify(checkpoint=False).ok


def test_permitted_write_rolled_back_takes_its_audit_event_with_it(staff, cid):
    heads, before = audit_heads(), _count()
    diagnoses = Diagnosis.objects.filter(client_id=cid["c1"]).count()
    with pytest.raises(ValueError):  # a real service failing after the door: NaN cannot be sealed
        record_add(user=staff["marsh"], client_id=cid["c1"], kind="diagnosis",
                   data={"code": "F41.1", "description": float("nan")})
    assert (audit_heads(), _count()) == (heads, before)
    assert Diagnosis.objects.filter(client_id=cid["c1"]).count() == diagnoses
    with pytest.raises(RuntimeError, match="after the door"):
        with access.governed(user=staff["marsh"], client_id=cid["c1"], action="write", purpose="TREAT",
                             categories={"diagnosis"}) as ok:
            assert ok.decision.permitted
            raise RuntimeError("failure after the door")
    assert (audit_heads(), _count()) == (heads, before)
    assert not connection.needs_rollback
    assert audit_verify(checkpoint=False).ok


def test_denial_commits_its_event(staff, cid):
    name = str(staff["lindqvist"].practice_id)
    head, before = audit_heads()[name], _count()
    with pytest.raises(NotFound):
        with access.governed(user=staff["lindqvist"], client_id=cid["c1"], action="read", purpose="TREAT",
                             categories={"identity"}):
            pytest.fail("the body never runs on a denial")
    assert _count() == before + 1
    denial = last(name)
    assert (denial.decision, denial.actor, denial.seq) == ("deny", str(staff["lindqvist"].pk), head.seq + 1)
    assert (audit_heads()[name].seq, audit_heads()[name].hash) == (denial.seq, denial.hash)
    assert not connection.needs_rollback
    assert audit_verify(checkpoint=False).ok


def test_each_practice_has_its_own_chain(staff, cid, other_practice):
    theirs = str(other_practice["practice"].pk)
    with pytest.raises(NotFound):  # a probe across practices: recorded in the prober's chain
        chart_open(user=other_practice["clinician"], client_id=cid["c1"])
    assert last(theirs).decision == "deny" and last(theirs).actor == str(other_practice["clinician"].pk)
    assert not AuditEvent.objects.filter(chain=str(staff["marsh"].practice_id),
                                         actor=str(other_practice["clinician"].pk)).exists()
    assert {theirs, str(staff["marsh"].practice_id)} <= set(audit_heads())


# -- checkpoints --------------------------------------------------------------------------

def test_automatic_checkpoint_after_a_commit_when_due(staff, cid, settings, audit_checkpoint_dir,
                                                      django_capture_on_commit_callbacks):
    settings.CONFIDE = {**settings.CONFIDE, "AUDIT_CHECKPOINT_SECONDS": 0}
    with django_capture_on_commit_callbacks(execute=True):
        chart_open(user=staff["marsh"], client_id=cid["c1"])
    name = str(staff["marsh"].practice_id)
    lines = [json.loads(x) for p in audit_checkpoint_dir.glob("*.jsonl") for x in p.read_text().splitlines()]
    assert lines and lines[-1]["heads"][name] == [audit_heads()[name].seq, audit_heads()[name].hash]
    assert lines[-1]["kind"] == "checkpoint" and lines[-1]["key_id"] and len(lines[-1]["seal"]) == 64


def test_checkpoints_also_go_to_syslog(chain, settings):
    from confide.services import audit as audit_service

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.CONFIDE = {**settings.CONFIDE, "AUDIT_SYSLOG": ("udp", "127.0.0.1", str(receiver.getsockname()[1]))}
    audit_service._syslog_handler = None
    try:
        audit_checkpoint()
        message = receiver.recv(65536).decode()
    finally:
        receiver.close()
        if audit_service._syslog_handler is not None:
            audit_service._syslog_handler.close()
        audit_service._syslog_handler = None
    name, n = chain
    assert "confide-audit: checkpoint {" in message
    line = json.loads(message[message.index("{"):].rstrip("\x00"))
    assert line["heads"][name][0] == n


# -- access report and break-glass ------------------------------------------------------------

def test_access_report_shows_break_glass_and_grant_expires(staff, cid):
    marsh, okafor, lvarga, haddad = staff["marsh"], staff["okafor"], staff["lvarga"], staff["haddad"]
    c1 = cid["c1"]
    access_report(user=lvarga, client_id=c1)
    chart_open(user=marsh, client_id=c1)
    with pytest.raises(NotFound):
        chart_open(user=okafor, client_id=c1)
    grant = break_glass_open(user=okafor, client_id=c1, reason=REASON)
    chart = chart_open(user=okafor, client_id=c1)
    assert chart["identity"]["legal_name"] == "Elena Marisol Varga-Trent"

    report = access_report(user=lvarga, client_id=c1)
    by = [(r["who"], r["action"], r["purpose"], r["break_glass"]) for r in report]
    assert (marsh.full_name, "read", "TREAT", False) in by
    okafor_rows = [r for r in report if r["who"] == okafor.full_name]
    assert okafor_rows and all(r["break_glass"] for r in okafor_rows)
    assert {r["purpose"] for r in okafor_rows} == {"BTG"} and len(okafor_rows) == 2  # grant + chart
    # Newest first: okafor's chart open, the grant, marsh's open, the client's earlier report.
    assert [(r["who"], r["break_glass"]) for r in report[:4]] == [
        (okafor.full_name, True), (okafor.full_name, True), (marsh.full_name, False),
        ("you or your representative", False)]
    assert not any(r["break_glass"] for r in report if r["who"] != okafor.full_name)

    queue = break_glass_review_queue(user=haddad)
    assert [q["grant_id"] for q in queue] == [grant["grant_id"]]
    item = queue[0]
    assert set(item) == {"grant_id", "clinician", "granted_at", "expires_at", "client_ref"}
    assert item["clinician"] == okafor.full_name
    assert item["client_ref"] == access.client_ref_for(haddad, c1) != str(c1)
    assert AuditEvent.objects.filter(client_ref=item["client_ref"], purpose="BTG").count() == 2
    assert not leaks(json.dumps(queue).encode()) and str(c1) not in json.dumps(queue)
    assert REASON not in json.dumps(queue)
    assert break_glass_review_queue(user=okafor) == []

    BreakGlassGrant.objects.filter(id=grant["grant_id"]).update(
        expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    with pytest.raises(NotFound):
        chart_open(user=okafor, client_id=c1, purpose="BTG")
    with pytest.raises(NotFound):
        chart_open(user=okafor, client_id=c1)
    assert str(c1) not in {r["id"] for r in client_list(user=okafor)}


def test_unlicensed_clinician_cannot_break_glass(staff, cid):
    lindqvist = staff["lindqvist"]
    assert not lindqvist.licensed
    outcomes = []
    for target in (cid["c1"], uuid.uuid4(), "garbage"):
        with pytest.raises(NotFound) as info:
            break_glass_open(user=lindqvist, client_id=target, reason=REASON)
        event_ = last(str(lindqvist.practice_id))
        outcomes.append((type(info.value), str(info.value), event_.decision, event_.action, event_.purpose))
    assert len(set(outcomes)) == 1
    assert not BreakGlassGrant.objects.filter(user=lindqvist).exists()
    with pytest.raises(NotFound):
        chart_open(user=lindqvist, client_id=cid["c1"], purpose="BTG")


def test_head_rows_are_one_per_chain(chain):
    with pytest.raises(DbIntegrityError):
        with transaction.atomic():
            sql("INSERT INTO {h} (chain, seq, hash, key_id, seal) VALUES (%s, 0, %s, '', '')",
                [chain[0], GENESIS_HASH])


def test_an_append_never_goes_back_to_an_older_key_than_the_chain_has(staff, cid):
    """A process that missed a rotation elsewhere refuses to append rather than seal
    under the older key (which verify would call a forgery)."""
    from confide.core.errors import KeyUnavailable

    name = str(staff["marsh"].practice_id)
    sql("UPDATE {h} SET key_id = %s WHERE chain = %s", ["mk-99991231T235959999999-ffffff", name])
    head = audit_heads()[name]
    with pytest.raises(KeyUnavailable, match="newer master key"):
        chart_open(user=staff["marsh"], client_id=cid["c1"])
    assert audit_heads()[name] == head


def test_a_read_that_needs_every_category_asked_answers_as_no_such_client(staff, cid):
    """The door permits a read for what it can of the categories asked; a caller that
    needs them all says `require_all`, and a partial permit then answers as a denial
    would, with the decision recorded."""
    desk, asked = staff["fontaine"], {"identity", "progress_notes"}
    with access.governed(user=desk, client_id=cid["c1"], action="read", purpose="HOPERAT", categories=asked) as ok:
        assert ok.decision.permitted and "identity" in ok.decision.categories
        assert not asked <= ok.decision.categories  # a partial permit: the front desk never reads notes
    name, before = str(desk.practice_id), _count()
    with pytest.raises(NotFound):
        with access.governed(user=desk, client_id=cid["c1"], action="read", purpose="HOPERAT", categories=asked,
                             require_all=True):
            pytest.fail("the body never runs when a category asked is withheld")
    event = last(name)
    assert _count() == before + 1 and event.actor == str(desk.pk)
    assert (event.detail["refused"], event.detail["withheld"]) == ("every category asked was needed", ["progress_notes"])
    assert not connection.needs_rollback
    with access.governed(user=desk, client_id=cid["c1"], action="read", purpose="HOPERAT",
                         categories={"identity"}, require_all=True) as ok:
        assert ok.decision.categories >= {"identity"}
