"""Appending to, checkpointing and verifying the audit log.

INVARIANT: every event is recorded inside the transaction of what it records, and
appended to its chain as the last statements before that transaction commits: the
events wait in a buffer while the work runs (a PDF render, a de-identification), and
only then is the chain's head locked, the entries sealed and written, and the head
moved. So an event exists exactly when what it records was committed, the chain has
no gaps or forks, and a slow request holds a chain's lock for milliseconds, not for
the whole request. Each practice has its own chain, so practices never wait on each
other's appends. On PostgreSQL the transaction's deferred foreign keys are checked
before the head is locked, so a head's holder never waits on another transaction's row
locks (which could be waiting for that head: a deadlock).

Checkpoints of the heads are written outside the database (a directory, and syslog
when configured): by `confide audit checkpoint`, after each successful verify, after
a key rotation, a backup and a restore, and after any audited commit once the last
checkpoint this process wrote is older than CONFIDE_AUDIT_CHECKPOINT_SECONDS.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from confide.apps.auditlog.models import AuditEvent, AuditHead, AuditVerification
from confide.core.audit import (
    GENESIS_HASH,
    NO_PRACTICE,
    CheckpointBook,
    Event,
    Head,
    VerifyResult,
    append,
    checkpoint_line,
    event,
    utc_now_iso,
    verify,
)
from confide.core.errors import ConfideError, KeyUnavailable
from confide.core.policy import Decision
from confide.services.database import pipelined, planned_cursor, prepared_cursor
from confide.services.keys import audit_sealer

log = logging.getLogger("confide.audit")

OPERATOR = "operator"  # the actor of what the command line does


def chain_of(practice_id) -> str:
    """The chain a practice's events go to (events of no practice: NO_PRACTICE)."""
    return str(practice_id) if practice_id else NO_PRACTICE


# -- recording: a buffer per transaction, appended right before commit ---------------

@dataclass
class _Pending:
    depth: int  # savepoints open when the audited transaction began
    events: list[tuple[str, Event]] = field(default_factory=list)
    locked: dict[str, Head] = field(default_factory=dict)  # heads locked ahead (lock_heads_ahead)


def _connection():
    return connections[DEFAULT_DB_ALIAS]


class audited_transaction:
    """A durable transaction whose audit events are appended right before it commits.

        with audited_transaction():
            ... work ...
            audit_append(practice_id=..., ...)   # buffered
        # the chain heads were locked, the events sealed and written, then COMMIT

    An exception inside discards the buffered events with the rest of the work. Inside
    another audited transaction it simply joins it (no savepoint: one unit of work).
    """

    def __init__(self) -> None:
        self._atomic = transaction.atomic(durable=True)
        self._pending: _Pending | None = None
        self._joined = False

    def __enter__(self) -> audited_transaction:
        conn = _connection()
        outer = getattr(conn, "confide_audit_pending", None)
        if outer is not None and conn.in_atomic_block and len(conn.savepoint_ids) == outer.depth:
            self._joined = True
            return self
        self._atomic.__enter__()
        self._pending = _Pending(depth=len(conn.savepoint_ids))
        conn.confide_audit_pending = self._pending
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._joined:
            return False
        conn = _connection()
        pending, self._pending = self._pending, None
        conn.confide_audit_pending = None
        if exc_type is None and pending.events:
            try:
                _flush(pending.events, locked=pending.locked)
            except BaseException as failure:
                self._atomic.__exit__(type(failure), failure, failure.__traceback__)
                raise
        return self._atomic.__exit__(exc_type, exc, tb)


def audit_append(*, practice_id, actor_id: str, actor_role: str, action: str, purpose: str,
                 client_ref: str = "", decision: Decision | None = None, categories=(),
                 detail: dict | None = None) -> Event:
    """Record one event in the chain of `practice_id` (None: the chain of no
    practice). Must run inside an `audited_transaction`; the event is appended right
    before it commits, and not at all if it rolls back."""
    conn = _connection()
    pending = getattr(conn, "confide_audit_pending", None)
    if pending is None or not conn.in_atomic_block:
        raise RuntimeError("audit_append outside an audited transaction")
    if len(conn.savepoint_ids) != pending.depth:
        # A savepoint inside could roll back what the event records while the event
        # stayed: events are recorded at the top of the audited transaction only.
        raise RuntimeError("audit_append inside a nested atomic block")
    ev = event(
        actor=actor_id, actor_role=actor_role, action=action, purpose=purpose, client_ref=client_ref,
        decision=decision.effect if decision else "-",
        rule_ids=tuple(decision.rule_ids) if decision else (),
        categories=tuple(sorted(decision.categories if decision else categories)),
        decision_id=decision.decision_id if decision else "",
        detail=detail or {},
    )
    pending.events.append((chain_of(practice_id), ev))
    return ev


def audit_record(*, practice_id=None, actor_id: str = OPERATOR, actor_role: str = OPERATOR, action: str,
                 purpose: str = "HOPERAT", client_ref: str = "", detail: dict | None = None) -> None:
    """Record one event in a transaction of its own (what the command line does, a
    sign-in failure): appended and committed before this returns."""
    with audited_transaction():
        audit_append(practice_id=practice_id, actor_id=actor_id, actor_role=actor_role, action=action,
                     purpose=purpose, client_ref=client_ref, detail=detail)


def _sql(text: str) -> str:
    ops = _connection().ops
    return text.format(e=ops.quote_name(AuditEvent._meta.db_table), h=ops.quote_name(AuditHead._meta.db_table))


def _lock_head(cursor, chain: str, *, first: str = "") -> Head:
    """The chain's head, locked until commit (on SQLite the transaction already holds
    the database's write lock). A chain's first event creates its head row. `first`:
    a statement without result sent ahead of the lock in the same round trip (on
    PostgreSQL both go in one pipeline, the lock as a prepared statement)."""
    conn = _connection()
    lock = " FOR UPDATE" if conn.features.has_select_for_update else ""
    select = _sql("SELECT seq, hash, key_id, seal FROM {h} WHERE chain = %s" + lock)
    if first:
        with pipelined():
            with conn.connection.cursor() as ahead:
                ahead.execute(first)
            cursor.execute(select, [chain])
    else:
        cursor.execute(select, [chain])
    row = cursor.fetchone()
    if row is None:
        cursor.execute(_sql("INSERT INTO {h} (chain, seq, hash, key_id, seal) VALUES (%s, 0, %s, '', '') "
                            "ON CONFLICT (chain) DO NOTHING"), [chain, GENESIS_HASH])
        cursor.execute(select, [chain])
        row = cursor.fetchone()
    return Head(chain, *row)


class lock_heads_ahead:
    """Lock the chains' heads of the events already recorded in this audited transaction
    together with the transaction's last read, in the same round trip: on PostgreSQL,
    inside a `pipelined()` block, `send()` queues the deferred constraints' check and
    each head's lock behind the read, and after the block `receive()` reads the heads,
    which the commit then uses instead of locking them again. For a read whose last
    statement is the one before the commit (a chart's first screen): decrypting and
    shaping wait until after the commit, so the heads stay locked only while the
    events are sealed and written. Elsewhere (SQLite, no events, no transaction of
    ours) it does nothing, and the commit locks the heads as always.

    A chain whose first event comes later in the transaction is locked at the commit,
    as always."""

    def __init__(self) -> None:
        conn = _connection()
        pending = getattr(conn, "confide_audit_pending", None)
        usable = (conn.vendor == "postgresql" and pending is not None and pending.events and conn.in_atomic_block
                  and len(conn.savepoint_ids) == pending.depth and not pending.locked)
        self._pending = pending if usable else None
        self._cursors: list[tuple[str, object]] = []

    def send(self) -> None:
        if self._pending is None:
            return
        raw = _connection().connection
        raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        select = _sql("SELECT seq, hash, key_id, seal FROM {h} WHERE chain = %s FOR UPDATE")
        for chain in sorted({chain for chain, _ev in self._pending.events}):
            cursor = prepared_cursor(raw)
            cursor.execute(select, [chain])
            self._cursors.append((chain, cursor))

    def receive(self) -> None:
        for chain, cursor in self._cursors:
            row = cursor.fetchone()
            cursor.close()
            if row is not None:  # a chain's first event creates its head at the commit
                self._pending.locked[chain] = Head(chain, *row)
        self._cursors = []


# Above this many entries in one transaction (a bulk path's), PostgreSQL takes them by COPY.
COPY_ENTRIES = 50


def _write_entries(cursor, chain: str, entries: list, head: Head, *, commit: bool = False) -> None:
    """Insert the entries and move the chain's head to `head`. On PostgreSQL a
    request's few entries and the head's move are one statement, sent with the COMMIT
    when `commit` (one round trip); a bulk path's many go by COPY."""
    rows = [(e.chain, e.seq, e.body, e.hash, e.key_id, e.seal) for e in entries]
    move = _sql("UPDATE {h} SET seq = %s, hash = %s, key_id = %s, seal = %s WHERE chain = %s")
    moved = [head.seq, head.hash, head.key_id, head.seal, chain]
    if _connection().vendor != "postgresql":
        cursor.executemany(_sql("INSERT INTO {e} (chain, seq, body, hash, key_id, seal) "
                                "VALUES (%s, %s, %s, %s, %s, %s)"), rows)
        cursor.execute(move, moved)
    elif len(rows) > COPY_ENTRIES:
        with cursor.cursor.copy(_sql("COPY {e} (chain, seq, body, hash, key_id, seal) FROM STDIN")) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(move, moved)
    else:
        # One prepared statement (server-side binding: no quoting of the bodies, no
        # parsing or planning), and the COMMIT behind it in the same pipeline.
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
        with pipelined():
            cursor.execute(_sql(f"WITH added AS (INSERT INTO {{e}} (chain, seq, body, hash, key_id, seal) "
                                f"VALUES {values}) ") + move, [v for row in rows for v in row] + moved)
            if commit:
                with _connection().connection.cursor() as ending:
                    ending.execute("COMMIT")


def _flush(events: list[tuple[str, Event]], *, locked: dict[str, Head] | None = None) -> None:
    """Append the buffered events: per chain (in a fixed order, so two transactions
    never wait on each other's heads in a circle), lock the head, seal, write, move it."""
    by_chain: dict[str, list[Event]] = {}
    for chain, ev in events:
        by_chain.setdefault(chain, []).append(ev)
    sealer = audit_sealer()
    # On PostgreSQL, check the transaction's deferred foreign keys now, before any head
    # is locked (in the same round trip as the first lock): at commit they would wait
    # for rows another transaction holds (a FOR UPDATE of a user, a client, a practice)
    # while that transaction waits for this head, and PostgreSQL would end one of them
    # as a deadlock. Whoever holds a head then waits for nothing but its own commit.
    conn = _connection()
    # Heads locked ahead (lock_heads_ahead) were locked after that check already.
    locked = locked or {}
    first = "SET CONSTRAINTS ALL IMMEDIATE" if conn.vendor == "postgresql" and not locked else ""
    # The audited transaction is the connection's only atomic block (never inside a
    # test's): its exit commits, so on PostgreSQL the last chain's write carries the
    # COMMIT in its round trip. Nothing runs between here and that exit; psycopg's
    # commit() then finds the transaction ended and sends nothing, and Django runs the
    # on-commit hooks as after any commit. A failure at COMMIT raises here, as it would
    # there.
    commit_here = conn.vendor == "postgresql" and len(conn.atomic_blocks) == 1 and not conn.needs_rollback
    chains = sorted(by_chain)
    with planned_cursor() as cursor:
        for chain in chains:
            head = locked.get(chain) or _lock_head(cursor, chain, first=first)
            first = ""
            if head.key_id > sealer.current:
                # Another process rotated the master key and sealed this chain under the
                # new one since this process last looked at the ring: never go back to
                # the older key (verify would call that a forgery).
                sealer = audit_sealer(reload=True)
                if head.key_id > sealer.current:
                    raise KeyUnavailable("the audit chain is sealed under a newer master key than the key ring holds")
            entries, new_head = append(head, by_chain[chain], sealer)
            _write_entries(cursor, chain, entries, new_head, commit=commit_here and chain == chains[-1])
    transaction.on_commit(_checkpoint_if_due)


# -- reading ------------------------------------------------------------------------

def audit_heads() -> dict[str, Head]:
    """Every chain's stored head, by chain."""
    return {h.chain: Head(h.chain, h.seq, h.hash, h.key_id, h.seal) for h in AuditHead.objects.all()}


def audit_count() -> int:
    """How many entries the chains hold (from their heads: no table scan)."""
    return sum(h.seq for h in AuditHead.objects.all())


def practice_events(*, practice_id, **filters):
    """A practice's audit events (newest first), for reports that read the chain."""
    return AuditEvent.objects.filter(chain=chain_of(practice_id), **filters).order_by("-seq")


# -- checkpoints ----------------------------------------------------------------------

class CheckpointFailed(ConfideError):
    code = "checkpoint_failed"
    default_message = "audit checkpoint could not be written"


# Chains per checkpoint line: a line stays a small syslog message with many practices.
LINE_CHAINS = 100
_written: dict[str, tuple[int, str]] = {}  # what this process last checkpointed, per chain
_written_lock = threading.Lock()
_last_checkpoint = 0.0
_syslog_handler = None


def _checkpoint_dir() -> Path:
    return Path(settings.CONFIDE["AUDIT_CHECKPOINT_DIR"])


def _checkpoint_file(now: datetime) -> Path:
    return _checkpoint_dir() / f"checkpoints-{now:%Y-%m-%d}.jsonl"


def _write_lines(lines: list[str]) -> None:
    directory = _checkpoint_dir()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(_checkpoint_file(datetime.now(timezone.utc)), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            # One write per line: O_APPEND keeps lines from several processes whole.
            for line in lines:
                os.write(fd, (line + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise CheckpointFailed(f"cannot write audit checkpoints to {directory} ({exc.strerror or 'os error'})") from None
    _send_syslog(lines)


def _send_syslog(lines: list[str]) -> None:
    global _syslog_handler
    target = settings.CONFIDE["AUDIT_SYSLOG"]
    if not target:
        return
    import socket
    from logging.handlers import SysLogHandler

    if _syslog_handler is None:
        if target[0] == "unix":
            address, kind = target[1], None
        else:
            address = (target[1], int(target[2]))
            kind = socket.SOCK_DGRAM if target[0] == "udp" else socket.SOCK_STREAM
        try:
            _syslog_handler = SysLogHandler(address=address, facility=SysLogHandler.LOG_AUTHPRIV,
                                            **({"socktype": kind} if kind else {}))
        except OSError as exc:
            raise CheckpointFailed(f"cannot reach the syslog target ({exc.strerror or 'os error'})") from None
        _syslog_handler.ident = "confide-audit: "
    for line in lines:
        _syslog_handler.emit(logging.LogRecord("confide.audit", logging.INFO, __file__, 0, "checkpoint %s", (line,),
                                               None))


def _stored_heads() -> list[Head]:
    with _connection().cursor() as cursor:
        cursor.execute(_sql("SELECT chain, seq, hash, key_id, seal FROM {h} ORDER BY chain"))
        return [Head(*row) for row in cursor.fetchall()]


def audit_checkpoint(*, heads: list[Head] | None = None, changed_only: bool = False, kind: str = "checkpoint") -> int:
    """Write a sealed checkpoint of the chains' heads outside the database; returns
    how many chains it holds. `changed_only`: only chains whose head moved since this
    process last wrote one (the automatic checkpoints)."""
    global _last_checkpoint
    heads = _stored_heads() if heads is None else heads
    with _written_lock:
        if changed_only:
            heads = [h for h in heads if _written.get(h.chain) != (h.seq, h.hash)]
        _last_checkpoint = time.monotonic()
        if not heads and kind == "checkpoint":
            return 0
        sealer = audit_sealer()
        at = utc_now_iso()
        lines = [checkpoint_line(sealer, heads[i:i + LINE_CHAINS], at=at, kind=kind)
                 for i in range(0, max(len(heads), 1), LINE_CHAINS)]
        _write_lines(lines)
        for h in heads:
            _written[h.chain] = (h.seq, h.hash)
    return len(heads)


def _checkpoint_if_due() -> None:
    """After an audited commit: a checkpoint of the chains that moved, when the last
    one this process wrote is older than the configured interval. Never fails the
    request that triggered it: a failure is logged (it names no client)."""
    interval = settings.CONFIDE["AUDIT_CHECKPOINT_SECONDS"]
    if time.monotonic() - _last_checkpoint < interval:
        return
    try:
        audit_checkpoint(changed_only=True)
    except Exception as exc:  # noqa: BLE001 - logged, the request already committed
        log.warning("automatic audit checkpoint failed: %s", exc if isinstance(exc, ConfideError)
                    else type(exc).__name__)


def read_checkpoints(book: CheckpointBook) -> CheckpointBook:
    """Feed every checkpoint line in the directory to `book`, oldest file first."""
    directory = _checkpoint_dir()
    if not directory.is_dir():
        return book
    for path in sorted(directory.glob("checkpoints-*.jsonl")):
        try:
            with open(path, encoding="ascii", errors="replace") as fh:
                for number, line in enumerate(fh, start=1):
                    book.feed(line, f"{path.name} line {number}")
        except OSError as exc:
            book.problems.append(f"checkpoint file {path.name} unreadable ({exc.strerror or 'os error'})")
    return book


# -- verification -------------------------------------------------------------------

@dataclass
class AuditReport:
    result: VerifyResult
    book: CheckpointBook
    checkpointed: bool  # whether a checkpoint of the verified heads was written

    @property
    def ok(self) -> bool:
        return self.result.ok and not self.book.problems

    @property
    def problems(self) -> list[str]:
        return self.book.problems + self.result.problems


def _snapshot_rows(cursor, chunk: int, *, ahead: int = 0) -> Iterator[tuple]:
    """The log's rows in chain, seq order, `chunk` at a time from a server-side cursor.
    `ahead`: fetch up to that many chunks ahead in a thread of its own, so that the
    database produces the next chunk while this thread checks the last (memory stays
    bounded: at most ahead + 2 chunks are held)."""
    cursor.execute(_sql("SELECT chain, seq, body, hash, key_id, seal FROM {e} ORDER BY chain, seq"))
    if not ahead:
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                return
            yield from rows
    import queue

    chunks: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def fetch() -> None:
        try:
            while not stop.is_set():
                rows = cursor.fetchmany(chunk)
                chunks.put(rows)
                if not rows:
                    return
        except BaseException as exc:  # noqa: BLE001 - raised again in the reading thread
            chunks.put(exc)

    reader = threading.Thread(target=fetch, name="audit-verify-fetch", daemon=True)
    reader.start()
    try:
        while True:
            rows = chunks.get()
            if isinstance(rows, BaseException):
                raise rows
            if not rows:
                return
            yield from rows
    finally:
        stop.set()
        while reader.is_alive():  # let a blocked put finish, so the thread ends before the cursor closes
            try:
                chunks.get_nowait()
            except queue.Empty:
                reader.join(0.05)


class _snapshot:
    """One consistent view of the log for the whole verify, without blocking writers:
    REPEATABLE READ on PostgreSQL; on SQLite a deferred read transaction (the
    IMMEDIATE transactions Django opens would take the write lock)."""

    def __enter__(self):
        conn = _connection()
        if conn.in_atomic_block:  # inside a test's transaction: that is the snapshot
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
        elif conn.vendor == "postgresql":
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            with conn.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        else:
            self._atomic = None
            conn.ensure_connection()
            conn.cursor().execute("BEGIN DEFERRED")
        return conn

    def __exit__(self, exc_type, exc, tb):
        if self._atomic is not None:
            return self._atomic.__exit__(exc_type, exc, tb)
        _connection().cursor().execute("ROLLBACK")
        return False


def audit_verify(*, progress: Callable[[int], None] | None = None, checkpoint: bool = True,
                 chunk: int = 5000, ahead: int = 2, record: bool = True) -> AuditReport:
    """Check every chain: hashes, seals, against its sealed head and against the
    checkpoints kept outside the database (so truncation and rollback show). Streams
    the log from a server-side cursor, `chunk` rows at a time, a thread fetching up to
    `ahead` chunks ahead while this one checks: memory stays flat however long the
    log (issue 12: 10M entries). On success, writes a checkpoint of the heads it
    verified (unless `checkpoint` is False)."""
    sealer = audit_sealer()
    # Checkpoints first, then the snapshot: every head they name was committed before it.
    book = read_checkpoints(CheckpointBook(sealer))
    with _snapshot() as conn:
        heads = {h.chain: h for h in _stored_heads()}
        with conn.chunked_cursor() as cursor:
            result = verify(_snapshot_rows(cursor, chunk, ahead=ahead), heads=heads, sealer=sealer, expected=book.expected,
                            progress=progress)
    report = AuditReport(result, book, checkpointed=False)
    if report.ok and checkpoint and heads:
        audit_checkpoint(heads=list(heads.values()))
        report.checkpointed = True
    if record:
        _record_verification(report, heads)
    return report


def _record_verification(report: AuditReport, heads: dict[str, Head]) -> None:
    """Keep the outcome for the privacy officer's home (never fails the verify)."""
    try:
        AuditVerification.objects.create(
            at=datetime.now(timezone.utc), ok=report.ok, entries=report.result.count,
            problems=report.problems[:20], heads={c: [h.seq, h.hash] for c, h in heads.items()},
            checkpointed=report.checkpointed)
    except Exception as exc:  # noqa: BLE001 - the verify's own answer stands
        log.warning("could not record the audit verification: %s", type(exc).__name__)


def last_verification(*, practice_id) -> dict | None:
    """The latest `audit verify` as the practice's privacy officer sees it: when, the
    result for the practice's own chain (another practice's problems are not theirs to
    read), and the head of its chain that was verified and checkpointed."""
    row = AuditVerification.objects.order_by("-at", "-id").first()
    if row is None:
        return None
    chain = chain_of(practice_id)
    head = row.heads.get(chain)
    own = [p for p in row.problems if chain in p]
    other = len(row.problems) - len(own)
    return {"at": row.at, "ok": row.ok and not own, "problems": own[:5], "other_problems": other,
            "seq": head[0] if head else None, "hash": head[1] if head else None,
            "checkpointed": row.checkpointed, "entries": row.entries}


def audit_restored(*, detail: dict) -> None:
    """After a restore: a restore mark of the restored heads outside the database
    (what earlier checkpoints saw beyond them is gone on purpose), then the restore's
    own event and a checkpoint of it."""
    audit_checkpoint(kind="restore")
    audit_record(action="backup.restored", detail=detail)
    audit_checkpoint()


__all__ = ["OPERATOR", "chain_of", "audited_transaction", "audit_append", "audit_record", "audit_heads",
           "audit_count", "practice_events", "audit_checkpoint", "audit_verify", "last_verification", "audit_restored", "AuditReport",
           "CheckpointFailed"]
