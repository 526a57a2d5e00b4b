"""What the database's own failures mean to a caller."""

from __future__ import annotations

from django.db import OperationalError, connection

RETRY_AFTER_SECONDS = 2


def database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked": a writer waited the whole busy timeout behind
    another (CONFIDE_SQLITE_BUSY_SECONDS). The transaction was rolled back; a retry
    can succeed, so entry points answer 503 with Retry-After, not 500."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def rows_insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows of plain values into `model`'s table (columns by their
    database names), in the caller's transaction: PostgreSQL's COPY, else
    executemany. For bulk paths whose rows are too many for model instances."""
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
        else:
            fields = {f.column: f for f in model._meta.concrete_fields}
            prep = [fields[c] for c in columns]
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                               [[f.get_db_prep_save(v, conn) for f, v in zip(prep, row)] for row in rows])
