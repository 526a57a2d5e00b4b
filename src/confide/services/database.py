"""What the database's own failures mean to a caller."""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from django.db import OperationalError, connection

RETRY_AFTER_SECONDS = 2


def database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked": a writer waited the whole busy timeout behind
    another (CONFIDE_SQLITE_BUSY_SECONDS). The transaction was rolled back; a retry
    can succeed, so entry points answer 503 with Retry-After, not 500."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


@contextmanager
def planned_cursor():
    """A cursor for a hot statement whose text is fixed (a chart's door, its first
    screen). On PostgreSQL its parameters are bound on the server and psycopg
    prepares the statement on its first run on the connection, so PostgreSQL stops
    parsing and planning it on every request; elsewhere the ordinary cursor. Still Django's cursor wrapper: the statement is
    logged and counted like any other. One statement per execute (a prepared
    statement holds one)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    cursor = connection._prepare_cursor(prepared_cursor(connection.connection))
    try:
        yield cursor
    finally:
        cursor.close()


def prepared_cursor(raw):
    """A bare psycopg cursor on the raw connection `raw` (PostgreSQL) whose every
    statement is prepared and bound on the server (planned_cursor's, without Django's
    wrapper: for statements queued in a pipeline alongside it)."""
    if raw.prepare_threshold is None:
        # Django sets None, which turns preparing off even when asked for; Django's own
        # client-binding cursors never prepare, so only these cursors' statements are.
        raw.prepare_threshold = _NEVER_BY_COUNT
    return _prepared_cursor_class()(raw)


@contextmanager
def pipelined():
    """On PostgreSQL, what is sent inside goes to the server in one round trip (psycopg's
    pipeline mode: the transaction's BEGIN when it is the first statement, the
    statements, then one Sync), and the results are read at the block's end, where a
    failure raises as Django's database error; a cursor's rows are fetched after the
    block. Elsewhere the statements run one by one, as always."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def row_fields(model, fields) -> list:
    """`fields` of `model` with the converters Django applies to each one's column when
    it reads a row: what `model_from_row` takes, built once per statement shape."""
    out = []
    for f in fields:
        col = f.get_col(model._meta.db_table)
        out.append((f, connection.ops.get_db_converters(col) + col.get_db_converters(connection), col))
    return out


def model_from_row(model, fields, values):
    """A `model` instance from the values a hand-written statement selected for
    `fields` (from `row_fields`, in order), converted as the ORM converts them."""
    converted = []
    for (field, convs, col), value in zip(fields, values):
        for convert in convs:
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f, _c, _col in fields], converted)


_NEVER_BY_COUNT = 2**31 - 1  # psycopg prepares a statement after this many runs unasked


@lru_cache(maxsize=1)
def _prepared_cursor_class():
    import psycopg

    class PreparedCursor(psycopg.Cursor):
        """Server-side binding; every statement prepared (psycopg keeps the
        connection's newest `prepared_max`, deallocating the least recently used)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparedCursor


def rows_insert(model, columns: tuple[str, ...], rows: list[tuple], *, prepared: bool = False) -> None:
    """Insert many rows of plain values into `model`'s table (columns by their
    database names), in the caller's transaction: PostgreSQL's COPY, else
    executemany. For bulk paths whose rows are too many for model instances.
    `prepared`: the values are already the database's (get_db_prep_save's)."""
    if not rows:
        return
    conn = connection
    table = conn.ops.quote_name(model._meta.db_table)
    names = ", ".join(conn.ops.quote_name(c) for c in columns)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        elif prepared:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        else:
            fields = {f.column: f for f in model._meta.concrete_fields}
            prep = [fields[c] for c in columns]
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                               [[f.get_db_prep_save(v, conn) for f, v in zip(prep, row)] for row in rows])


def objects_insert(model, objs: list) -> None:
    """Insert unsaved instances of `model` as bulk_create would (each field's default,
    pre_save and database preparation), through `rows_insert`: COPY on PostgreSQL.
    For bulk paths where bulk_create's SQL building and parameter binding cost more
    than the rows. Auto-increment keys are left to the database (not set on `objs`)."""
    if not objs:
        return
    conn = connection
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and getattr(f, "db_returning", False))
              and not getattr(f, "generated", False)]
    rows = [tuple(f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields) for obj in objs]
    rows_insert(model, tuple(f.column for f in fields), rows, prepared=True)
