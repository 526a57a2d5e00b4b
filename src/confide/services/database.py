"""What the database's own failures mean to a caller."""

from __future__ import annotations

from django.db import OperationalError

RETRY_AFTER_SECONDS = 2


def database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked": a writer waited the whole busy timeout behind
    another (CONFIDE_SQLITE_BUSY_SECONDS). The transaction was rolled back; a retry
    can succeed, so entry points answer 503 with Retry-After, not 500."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)
