"""Promise 9 (the record of access cannot be rewritten quietly) and the audit half of
promise 1 (every decision audited in the same transaction), on the real database.

Tampering is done with raw SQL inside the test's transaction, so it is rolled back
after each test and the session's chain stays intact for the others.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection

from confide.apps.auditlog.models import AuditEvent, AuditHead
from confide.apps.records.models import BreakGlassGrant, Diagnosis
from confide.core.audit.chain import format_head, seal
from confide.core.errors import NotFound
from confide.services import access
from confide.services.audit import audit_head, audit_verify
from confide.services.break_glass import break_glass_open, break_glass_review_queue
from confide.services.charting import chart_open, progress_note_create, record_add
from confide.services.directory import client_list
from confide.services.reports import access_report
from tests.services.plaintext import leaks

T = AuditEvent._meta.db_table
H = AuditHead._meta.db_table
COLUMNS = ("seq", "at", "actor", "actor_role", "action", "purpose", "client_ref", "decision", "rule_ids",
           "categories", "decision_id", "detail", "prev_hash", "hash")
REASON = "Client phoned the after-hours line in acute distress and the treating clinician is away."


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cur:
        cur.execute(statement.format(t=connection.ops.quote_name(T), h=connection.ops.quote_name(H)), params)


def json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()


def event(seq: int) -> AuditEvent:
    return AuditEvent.objects.get(seq=seq)


@pytest.fixture
def chain(staff, cid):
    """The demo's chain plus a few reads, verified intact; returns (N, a middle seq)."""
    chart_open(user=staff["marsh"], client_id=cid["c1"])
    with pytest.raises(NotFound):
        chart_open(user=staff["marsh"], client_id=cid["c2"])
    result = audit_verify()
    assert result.ok, result.problem
    n = last_seq()
    assert result.count == n > 20 and audit_head() == (n, event(n).hash)
    return n, n // 2


def test_demo_chain_verifies(chain):
    n, _ = chain
    result = audit_verify(expect_head=audit_head())
    assert result.ok and result.count == n and result.head_seq == n


# -- tampering: (description, SQL on entry k, first bad entry relative to k, problem words)
MODIFY = [
    ("purpose", "UPDATE {t} SET purpose = 'HPAYMT' WHERE seq = %s"),
    ("actor", "UPDATE {t} SET actor = '999999' WHERE seq = %s"),
    ("decision flipped", "UPDATE {t} SET decision = CASE WHEN decision = 'deny' THEN 'permit' ELSE 'deny' END "
                         "WHERE seq = %s"),
    ("time", "UPDATE {t} SET at = '2001-01-01T00:00:00.000000+00:00' WHERE seq = %s"),
    ("client_ref", "UPDATE {t} SET client_ref = 'c_forged' WHERE seq = %s"),
    ("categories", "UPDATE {t} SET categories = '[\"billing\"]' WHERE seq = %s"),
    ("detail", "UPDATE {t} SET detail = '{{\"view\": \"nothing to see\"}}' WHERE seq = %s"),
    ("rule_ids", "UPDATE {t} SET rule_ids = '[]' WHERE seq = %s"),
    ("hash", "UPDATE {t} SET hash = prev_hash WHERE seq = %s"),
    ("prev_hash", "UPDATE {t} SET prev_hash = hash WHERE seq = %s"),
]


@pytest.mark.parametrize("what,statement", MODIFY, ids=[m[0] for m in MODIFY])
def test_modified_field_is_named(chain, what, statement):
    _, k = chain
    sql(statement, [k])
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_seq == k
    assert result.problem.startswith(f"entry {k}:")
    assert result.head_seq == k - 1  # the last good entry


@pytest.mark.parametrize("where", ["middle", "first", "last"])
def test_deleted_row_is_named(chain, where):
    n, k = chain
    k = {"middle": k, "first": 1, "last": n}[where]
    sql("DELETE FROM {t} WHERE seq = %s", [k])
    result = audit_verify(expect_head=(n, AuditHead.objects.get(id=1).hash))
    assert not result.ok
    if where == "last":  # only visible against the head
        assert result.first_bad_seq == n and "truncated" in result.problem
    else:
        assert result.first_bad_seq == k + 1
        assert result.problem.startswith(f"entry {k + 1}:") and "deleted" in result.problem


@pytest.mark.parametrize("distance", [1, 5])
def test_swapped_rows_are_named(chain, distance):
    _, k = chain
    b = k + distance
    # Swap the two rows' contents: each position now holds the other entry.
    sql("UPDATE {t} SET seq = -1 WHERE seq = %s", [k])
    sql("UPDATE {t} SET seq = %s WHERE seq = %s", [k, b])
    sql("UPDATE {t} SET seq = %s WHERE seq = -1", [b])
    assert event(k).hash != event(b).hash
    result = audit_verify()
    assert not result.ok and result.first_bad_seq == k
    assert result.problem.startswith(f"entry {k}:")


def _insert(record) -> None:
    row = {c: getattr(record, c) for c in COLUMNS}
    values = []
    for c in COLUMNS:
        values.append(json.dumps(list(row[c]) if isinstance(row[c], tuple) else row[c])
                      if c in ("rule_ids", "categories", "detail") else row[c])
    marks = ", ".join(json_param() if c in ("rule_ids", "categories", "detail") else "%s" for c in COLUMNS)
    sql(f"INSERT INTO {{t}} ({', '.join(COLUMNS)}) VALUES ({marks})", values)


def _forged(after_seq: int, after_hash: str):
    # A correctly sealed entry: the forger knows the format, not the rest of the chain.
    return seal((after_seq, after_hash), actor="1", actor_role="clinician", action="read", purpose="TREAT",
                client_ref="c_forged", decision="permit", categories=("identity",))


def test_forged_row_inserted_in_the_middle_is_named(chain):
    _, k = chain
    # Make room at k (two steps: the primary key is checked row by row), then insert a
    # forged entry that chains correctly onto entry k-1.
    sql("UPDATE {t} SET seq = seq + 1000000 WHERE seq >= %s", [k])
    sql("UPDATE {t} SET seq = seq - 999999 WHERE seq >= %s", [1000000 + k])
    _insert(_forged(k - 1, event(k - 1).hash))
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_seq == k + 1 and result.problem.startswith(f"entry {k + 1}:")
    assert result.head_seq == k  # the forgery itself chains; what follows it does not


def test_forged_row_appended_with_a_bad_hash_is_named(chain):
    n, _ = chain
    forged = _forged(n, "f" * 64)  # does not chain onto the real head
    _insert(forged)
    result = audit_verify()
    assert not result.ok and result.first_bad_seq == n + 1
    assert "previous hash" in result.problem


def test_truncation_is_caught_only_against_the_expected_head(chain):
    n, _ = chain
    noted = audit_head()  # what an operator wrote down earlier
    cut = n - 3
    sql("DELETE FROM {t} WHERE seq > %s", [cut])
    sql("UPDATE {h} SET seq = %s, hash = %s WHERE id = 1", [cut, event(cut).hash])
    assert audit_verify().ok  # a clean cut with a reset head looks fine on its own
    result = audit_verify(expect_head=noted)
    assert not result.ok and result.first_bad_seq == cut + 1 and "truncated" in result.problem


def test_rewritten_tail_is_caught_against_the_expected_head(chain):
    n, _ = chain
    noted = audit_head()
    # Re-seal the last entry with different content: the chain is self-consistent.
    sql("DELETE FROM {t} WHERE seq = %s", [n])
    _insert(_forged(n - 1, event(n - 1).hash))
    assert audit_verify().ok
    result = audit_verify(expect_head=noted)
    assert not result.ok and result.first_bad_seq == n and "differs" in result.problem


# -- the CLI -----------------------------------------------------------------------------

def test_cli_verify_intact(chain, capsys):
    from confide.cli import main

    n, _ = chain
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"audit log intact: {n} entries, head {format_head(*audit_head())}"]
    assert main(["audit", "head"]) == 0
    assert capsys.readouterr().out.strip() == format_head(*audit_head())


@pytest.mark.parametrize("tamper,bad", [
    ("UPDATE {t} SET purpose = 'HPAYMT' WHERE seq = %s", 0),
    ("DELETE FROM {t} WHERE seq = %s", 1),
])
def test_cli_verify_names_the_first_bad_entry(chain, capsys, tamper, bad):
    from confide.cli import main

    _, k = chain
    sql(tamper, [k])
    assert main(["audit", "verify"]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"audit log BROKEN: entry {k + bad}:")
    assert captured.out == ""


def test_cli_verify_truncation_needs_expect_head(chain, capsys):
    from confide.cli import main

    n, _ = chain
    noted = format_head(*audit_head())
    sql("DELETE FROM {t} WHERE seq > %s", [n - 2])
    sql("UPDATE {h} SET seq = %s, hash = %s WHERE id = 1", [n - 2, event(n - 2).hash])
    assert main(["audit", "verify"]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--expect-head", noted]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "truncated" in err[0] and f"expected head {n}" in err[0]
    assert main(["audit", "verify", "--expect-head", "not-a-head"]) == 2


# -- what the log holds ---------------------------------------------------------------------

def test_audit_log_holds_no_client_names_or_note_text(staff, cid):
    # Exercise the paths that write detail: lists, searches, break-glass, notes.
    client_list(user=staff["marsh"])
    from confide.services.directory import client_search
    client_search(user=staff["marsh"], query="Elena Marisol Varga-Trent")
    client_search(user=staff["fontaine"], query="lena.varga-trent@example.com")
    break_glass_open(user=staff["okafor"], client_id=cid["c1"], reason=REASON)
    progress_note_create(user=staff["marsh"], client_id=cid["c1"], session_date="2026-11-02",
                         text="Session note that must never reach the audit log.")
    with connection.cursor() as cur:
        cur.execute(f"SELECT {', '.join(COLUMNS)} FROM {connection.ops.quote_name(T)}")
        rows = cur.fetchall()
    assert len(rows) > 50
    blob = "\n".join("\t".join(str(v) for v in row) for row in rows).encode("utf-8")
    found = leaks(blob)
    assert not found, f"client information in the audit log: {found[:10]}"
    for text in (REASON, "Session note that must never reach the audit log", "Elena", "varga"):
        assert text.lower().encode() not in blob.lower()
    # Nor raw client ids: the log refers to clients by a keyed pseudonym.
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
    assert AuditEvent.objects.order_by("-seq").first().decision == effect
    assert audit_verify(expect_head=audit_head()).ok


def test_permitted_write_rolled_back_takes_its_audit_row_with_it(staff, cid):
    head, before = audit_head(), _count()
    diagnoses = Diagnosis.objects.filter(client_id=cid["c1"]).count()
    # A real service failing after the door has permitted: NaN cannot be sealed.
    with pytest.raises(ValueError):
        record_add(user=staff["marsh"], client_id=cid["c1"], kind="diagnosis",
                   data={"code": "F41.1", "description": float("nan")})
    assert (audit_head(), _count()) == (head, before)
    assert Diagnosis.objects.filter(client_id=cid["c1"]).count() == diagnoses
    # The same through the door itself: the audit row exists inside, and not after.
    with pytest.raises(RuntimeError, match="after the door"):
        with access.governed(user=staff["marsh"], client_id=cid["c1"], action="write", purpose="TREAT",
                             categories={"diagnosis"}) as ok:
            assert ok.decision.permitted and _count() == before + 1
            raise RuntimeError("failure after the door")
    assert (audit_head(), _count()) == (head, before)
    assert not connection.needs_rollback
    assert audit_verify(expect_head=head).ok


def test_denial_commits_its_event(staff, cid):
    head, before = audit_head(), _count()
    with pytest.raises(NotFound):
        with access.governed(user=staff["lindqvist"], client_id=cid["c1"], action="read", purpose="TREAT",
                             categories={"identity"}):
            pytest.fail("the body never runs on a denial")
    assert _count() == before + 1
    denial = AuditEvent.objects.order_by("-seq").first()
    assert (denial.decision, denial.actor, denial.seq) == ("deny", str(staff["lindqvist"].pk), head[0] + 1)
    assert audit_head() == (denial.seq, denial.hash)
    assert not connection.needs_rollback  # the door's transaction ended cleanly
    assert audit_verify().ok


# -- access report and break-glass ------------------------------------------------------------

def test_access_report_shows_break_glass_and_grant_expires(staff, cid):
    marsh, okafor, lvarga, haddad = staff["marsh"], staff["okafor"], staff["lvarga"], staff["haddad"]
    c1 = cid["c1"]
    chart_open(user=marsh, client_id=c1)
    # okafor (licensed) has no relationship with c1: nothing, until the glass is broken.
    with pytest.raises(NotFound):
        chart_open(user=okafor, client_id=c1)
    grant = break_glass_open(user=okafor, client_id=c1, reason=REASON)
    chart = chart_open(user=okafor, client_id=c1)  # asked as BTG: the grant is the only right held
    assert chart["identity"]["legal_name"] == "Elena Marisol Varga-Trent"

    report = access_report(user=lvarga, client_id=c1)
    by = [(r["who"], r["action"], r["purpose"], r["break_glass"]) for r in report]
    assert (marsh.full_name, "read", "TREAT", False) in by
    okafor_rows = [r for r in report if r["who"] == okafor.full_name]
    assert okafor_rows and all(r["break_glass"] for r in okafor_rows)
    assert {r["purpose"] for r in okafor_rows} == {"BTG"} and len(okafor_rows) == 2  # grant + chart
    # Newest first: this very report, then okafor's chart open, then the grant.
    assert [(r["who"], r["break_glass"]) for r in report[:3]] == [
        ("you or your representative", False), (okafor.full_name, True), (okafor.full_name, True)]
    assert not any(r["break_glass"] for r in report if r["who"] != okafor.full_name)

    # The privacy officer's queue: who and when, a pseudonym, no client information.
    queue = break_glass_review_queue(user=haddad)
    assert [q["grant_id"] for q in queue] == [grant["grant_id"]]
    item = queue[0]
    assert set(item) == {"grant_id", "clinician", "granted_at", "expires_at", "client_ref"}
    assert item["clinician"] == okafor.full_name
    assert item["client_ref"] == access.client_ref_for(haddad, c1) != str(c1)
    assert AuditEvent.objects.filter(client_ref=item["client_ref"], purpose="BTG").count() == 2
    assert not leaks(json.dumps(queue).encode()) and str(c1) not in json.dumps(queue)
    assert REASON not in json.dumps(queue)
    assert break_glass_review_queue(user=okafor) == []  # only the privacy officer

    # The grant expires: okafor is back to NotFound.
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
        event_ = AuditEvent.objects.order_by("-seq").first()
        outcomes.append((type(info.value), str(info.value), event_.decision, event_.action, event_.purpose))
    assert len(set(outcomes)) == 1  # a real client answers as a missing one
    assert not BreakGlassGrant.objects.filter(user=lindqvist).exists()
    with pytest.raises(NotFound):
        chart_open(user=lindqvist, client_id=cid["c1"], purpose="BTG")
