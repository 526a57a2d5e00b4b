"""A chart's first screen read in one statement: the care team, the newest page of past
appointments and the next to come, the structured records, the newest page of signed
progress notes with their addenda, and the reader's own psychotherapy notes, as one
UNION ALL (one round trip instead of one per section; the same SQL on SQLite and
PostgreSQL). Ciphertexts only: what is decrypted, and whether it may be, is the
caller's (services.projection, after the door's decision).

Each part is its own keyset read on its own index (appt_client_time, the notes'
(client, session_date, id)); the page's ORDER BY and LIMIT run on the table alone and
the staff names are joined to the page, so a 1,000-session chart costs what a
10-session one does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache

from django.db import connection
from django.utils.dateparse import parse_datetime

from confide.apps.practice.models import User
from confide.apps.records.models import (
    Appointment,
    CareTeamMember,
    NoteAddendum,
    ProgressNote,
    PsychotherapyNote,
)
from confide.services.database import pipelined, planned_cursor

# The columns every part answers, in order; a part fills those it has and NULLs the rest.
COLUMNS = (("id", "uuid"), ("at", "timestamptz"), ("at2", "timestamptz"), ("day", "date"), ("num", "integer"),
           ("name", "text"), ("txt", "text"), ("ref", "uuid"), ("blob", "bytea"), ("blob2", "bytea"))


class Row:
    """One row of a part, by column name (a lightweight stand-in for the model: the
    projection reads `id`, `starts_at`, `clinician.full_name`, ...)."""

    __slots__ = ("__dict__",)

    def __init__(self, **values) -> None:
        self.__dict__.update(values)


class _Named:
    __slots__ = ("full_name",)

    def __init__(self, name) -> None:
        self.full_name = name or ""


@dataclass
class ChartRows:
    care_team: list[tuple[str, str]] = field(default_factory=list)  # (name, relationship)
    appointments: list[Row] = field(default_factory=list)  # oldest first: the page's past, then upcoming
    appointments_more: bool = False  # older past appointments than the page's
    records: dict[str, list[tuple[uuid.UUID, bytes]]] = field(default_factory=dict)  # kind -> (id, blob), oldest first
    notes: list[Row] = field(default_factory=list)  # oldest of the page first
    notes_more: bool = False
    addenda: list[Row] = field(default_factory=list)  # of the page's notes, oldest first
    psychotherapy: list[Row] = field(default_factory=list)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _select(part: str, source: str, **cols: str) -> str:
    """One part's SELECT: its label, then every column of COLUMNS (NULL, cast to the
    column's type, where the part has none: PostgreSQL resolves a UNION's types pairwise)."""
    out = [f"'{part}' AS part"]
    for name, kind in COLUMNS:
        out.append(f"{cols[name]} AS {name}" if name in cols else f"CAST(NULL AS {kind}) AS {name}")
    return f"SELECT {', '.join(out)} FROM {source}"


@lru_cache(maxsize=64)
def _sql(vendor: str, care_team: bool, kinds: tuple[tuple[str, str, str], ...], appointments: bool,
         notes: bool, psychotherapy: bool) -> str:
    """The statement for one shape of chart (which parts it holds); its parameters are
    added by `chart_rows` in the same order."""
    user, appt, note = _t(User), _t(Appointment), _t(ProgressNote)
    parts = []
    if care_team:
        parts.append(_select("care", f"{_t(CareTeamMember)} m JOIN {user} u ON u.id = m.staff_id "
                                     "WHERE m.practice_id = %s AND m.client_id = %s AND m.ended_at IS NULL",
                             id="m.id", at="m.created_at", name="u.full_name", txt="m.relationship"))
    if appointments:
        columns = "a.id, a.starts_at, a.cancelled_at, a.minutes, a.clinician_id, a.details_enc, a.attendance_enc"
        appt_cols = dict(id="a.id", at="a.starts_at", at2="a.cancelled_at", num="a.minutes", name="u.full_name",
                         blob="a.details_enc", blob2="a.attendance_enc")
        parts.append(_select("past", f"(SELECT {columns} FROM {appt} a WHERE a.practice_id = %s AND a.client_id = %s "
                                     "AND a.starts_at < %s "
                                     "ORDER BY a.starts_at DESC, a.id DESC LIMIT %s) a "
                                     f"JOIN {user} u ON u.id = a.clinician_id", **appt_cols))
        parts.append(_select("next", f"(SELECT {columns} FROM {appt} a WHERE a.practice_id = %s AND a.client_id = %s "
                                     "AND a.starts_at >= %s "
                                     "ORDER BY a.starts_at, a.id LIMIT %s) a "
                                     f"JOIN {user} u ON u.id = a.clinician_id", **appt_cols))
    for kind, table, column in kinds:
        parts.append(_select(f"r:{kind}", f"{table} r WHERE r.practice_id = %s AND r.client_id = %s", id="r.id",
                             at="r.created_at", blob=f"r.{column}"))
    if notes:
        page = (f"SELECT n.id, n.created_at, n.session_date, n.author_id, n.body_enc FROM {note} n "
                "WHERE n.practice_id = %s AND n.client_id = %s AND n.status = %s "
                "ORDER BY n.session_date DESC, n.id DESC LIMIT %s")
        parts.append(_select("note", f"({page}) n JOIN {user} u ON u.id = n.author_id", id="n.id", at="n.created_at",
                             day="n.session_date", name="u.full_name", blob="n.body_enc"))
        parts.append(_select("add", f"{_t(NoteAddendum)} d JOIN {user} u ON u.id = d.author_id "
                                    f"WHERE d.practice_id = %s AND d.note_id IN (SELECT p.id FROM ({page}) p)",
                             id="d.id", at="d.created_at", name="u.full_name", ref="d.note_id", blob="d.body_enc"))
    if psychotherapy:
        parts.append(_select("psy", f"{_t(PsychotherapyNote)} s WHERE s.practice_id = %s AND s.client_id = %s "
                                    "AND s.author_id = %s",
                             id="s.id", at="s.created_at", day="s.session_date", blob="s.body_enc"))
    return " UNION ALL ".join(parts)


def _uuid(value):
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _moment(value):
    """An aware datetime (SQLite answers the naive UTC Django wrote, as text or parsed)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _day(value):
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))


def chart_rows(client_id: uuid.UUID, practice_id: uuid.UUID, *, care_team: bool = False, kinds=(),
               appointments: int | None = None, notes: int | None = None, psychotherapy_author=None,
               now: datetime | None = None, last: bool = False) -> ChartRows:
    """The ciphertexts of one chart's first screen, in one statement; every part names
    the client's practice as well as the client (on Citus, a router query: one shard,
    the practice's). `kinds`:
    (kind, model, column) of the structured records wanted; `appointments`: the page
    size of past (and upcoming) appointments, None for none; `notes`: the page size of
    signed progress notes (with their addenda), None for none; `psychotherapy_author`:
    the reader whose own psychotherapy notes are wanted, None for none. `last`: this is
    the audited transaction's last statement, so its audit chains' heads are locked in
    the same round trip (services.audit.lock_heads_ahead)."""
    from confide.apps.records.models import Client

    kinds = tuple((kind, _t(model), column) for kind, model, column in kinds)
    out = ChartRows(records={kind: [] for kind, _table, _column in kinds})
    if not (care_team or kinds or appointments or notes or psychotherapy_author is not None):
        return out
    cid = Client._meta.pk.get_db_prep_value(client_id, connection)
    pid = Client._meta.get_field("practice").get_db_prep_value(practice_id, connection)
    params: list = []
    if care_team:
        params += [pid, cid]
    if appointments:
        at = connection.ops.adapt_datetimefield_value(now or datetime.now(timezone.utc))
        params += [pid, cid, at, appointments + 1, pid, cid, at, appointments]
    params += [pid, cid] * len(kinds)
    if notes:
        params += [pid, cid, "signed", notes + 1, pid, pid, cid, "signed", notes]
    if psychotherapy_author is not None:
        params += [pid, cid, psychotherapy_author]
    sql = _sql(connection.vendor, care_team, kinds, bool(appointments), bool(notes), psychotherapy_author is not None)
    with planned_cursor() as cursor:
        if last:
            from confide.services.audit import lock_heads_ahead

            ahead = lock_heads_ahead()
            with pipelined():
                cursor.execute(sql, params)
                ahead.send()
            fetched = cursor.fetchall()
            ahead.receive()
        else:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
    past, upcoming, note_rows, care = [], [], [], []
    for part, rid, at, at2, day, num, name, txt, ref, blob, blob2 in fetched:
        rid, at = _uuid(rid), _moment(at)
        if part == "past" or part == "next":
            row = Row(id=rid, starts_at=at, cancelled_at=_moment(at2), minutes=num, clinician=_Named(name),
                      details_enc=blob, attendance_enc=blob2)
            (past if part == "past" else upcoming).append(row)
        elif part.startswith("r:"):
            out.records[part[2:]].append((at, rid, blob))
        elif part == "note":
            note_rows.append(Row(id=rid, session_date=_day(day), author=_Named(name), body_enc=blob))
        elif part == "add":
            out.addenda.append(Row(id=rid, created_at=at, note_id=_uuid(ref), author=_Named(name), body_enc=blob))
        elif part == "care":
            care.append((at, rid, name or "", txt))
        elif part == "psy":
            out.psychotherapy.append(Row(id=rid, created_at=at, session_date=_day(day), body_enc=blob))
    # Each part in its own order (a UNION ALL promises none across or within parts).
    care.sort(key=lambda r: (r[0], r[1]))
    out.care_team = [(name, rel) for _at, _id, name, rel in care]
    past.sort(key=lambda r: (r.starts_at, r.id), reverse=True)
    out.appointments_more = bool(appointments) and len(past) > appointments
    upcoming.sort(key=lambda r: (r.starts_at, r.id))
    out.appointments = past[:appointments or 0][::-1] + upcoming
    for kind, rows in out.records.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        out.records[kind] = [(rid, blob) for _at, rid, blob in rows]
    note_rows.sort(key=lambda r: (r.session_date, r.id), reverse=True)
    out.notes_more = bool(notes) and len(note_rows) > notes
    out.notes = note_rows[:notes or 0][::-1]
    out.addenda.sort(key=lambda r: (r.created_at, r.id))
    out.psychotherapy.sort(key=lambda r: (r.session_date, r.created_at, r.id))
    return out


@dataclass
class NotesRows:
    notes: list[Row] = field(default_factory=list)  # newest first: the page, and one more when there are older
    addenda: list[Row] = field(default_factory=list)  # of those notes, oldest first


_NOTE_COLUMNS = ("id", "session_date", "status", "updated_at", "signed_at", "cosigned_at", "author_id", "body_enc",
                 "signature_enc", "review_enc")


@lru_cache(maxsize=8)
def _notes_sql(vendor: str, marker: bool) -> tuple[str, str]:
    """The notes tab's page (the reader's practice and client; signed notes, notes
    awaiting a co-signature, and the reader's own drafts; newest first by keyset on
    (session_date, id), after `marker`), and its notes' addenda: two statements, sent
    together."""
    user, note = _t(User), _t(ProgressNote)
    keyset = " AND (n.session_date < %s OR (n.session_date = %s AND n.id < %s))" if marker else ""
    page = (f"SELECT {', '.join('n.' + c for c in _NOTE_COLUMNS)} FROM {note} n "
            "WHERE n.practice_id = %s AND n.client_id = %s AND (n.status IN (%s, %s) OR n.author_id = %s)"
            f"{keyset} ORDER BY n.session_date DESC, n.id DESC LIMIT %s")
    notes = f"SELECT n.*, u.full_name FROM ({page}) n JOIN {user} u ON u.id = n.author_id"
    addenda = (f"SELECT d.id, d.note_id, d.created_at, d.body_enc, u.full_name FROM {_t(NoteAddendum)} d "
               f"JOIN {user} u ON u.id = d.author_id "
               f"WHERE d.practice_id = %s AND d.note_id IN (SELECT p.id FROM ({page}) p)")
    return notes, addenda


def notes_rows(client_id: uuid.UUID, practice_id: uuid.UUID, reader_id, *, statuses: tuple[str, str],
               before: tuple[date, uuid.UUID] | None, limit: int, last: bool = False) -> NotesRows:
    """The ciphertexts of one page of a chart's notes (`limit` rows, newest first, after
    the `before` marker: (session_date, id)) and their addenda, in one round trip on
    PostgreSQL. `statuses`: the two statuses anyone may read; the reader's own notes
    come in any status. `last`: this is the audited transaction's last statement, so
    its audit chains' heads are locked in the same round trip."""
    from confide.apps.records.models import Client

    cid = Client._meta.pk.get_db_prep_value(client_id, connection)
    pid = Client._meta.get_field("practice").get_db_prep_value(practice_id, connection)
    page = [pid, cid, *statuses, reader_id]
    if before is not None:
        day = connection.ops.adapt_datefield_value(before[0])
        page += [day, day, ProgressNote._meta.pk.get_db_prep_value(before[1], connection)]
    page.append(limit)
    notes_sql, addenda_sql = _notes_sql(connection.vendor, before is not None)
    with planned_cursor() as notes_cursor, planned_cursor() as addenda_cursor:
        if last:
            from confide.services.audit import lock_heads_ahead

            ahead = lock_heads_ahead()
            with pipelined():
                notes_cursor.execute(notes_sql, page)
                addenda_cursor.execute(addenda_sql, [pid, *page])
                ahead.send()
            fetched, added = notes_cursor.fetchall(), addenda_cursor.fetchall()
            ahead.receive()
        else:
            notes_cursor.execute(notes_sql, page)
            fetched = notes_cursor.fetchall()
            addenda_cursor.execute(addenda_sql, [pid, *page])
            added = addenda_cursor.fetchall()
    out = NotesRows()
    for values in fetched:
        row = dict(zip(_NOTE_COLUMNS, values[:-1]))
        out.notes.append(Row(
            id=_uuid(row["id"]), client_id=client_id, session_date=_day(row["session_date"]), status=row["status"],
            updated_at=_moment(row["updated_at"]), signed_at=_moment(row["signed_at"]),
            cosigned_at=_moment(row["cosigned_at"]), author_id=row["author_id"], author=_Named(values[-1]),
            body_enc=row["body_enc"], signature_enc=row["signature_enc"], review_enc=row["review_enc"]))
    out.notes.sort(key=lambda r: (r.session_date, r.id), reverse=True)
    for rid, note_id, created_at, body_enc, name in added:
        out.addenda.append(Row(id=_uuid(rid), note_id=_uuid(note_id), created_at=_moment(created_at),
                               author=_Named(name), body_enc=body_enc))
    out.addenda.sort(key=lambda r: (r.created_at, r.id))
    return out
