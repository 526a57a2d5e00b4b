"""A logging filter for third-party loggers: keeps the fact of an event, drops its
details (request paths, header values, tracebacks), which may carry client data or
secrets."""

from __future__ import annotations

import logging


class WithholdDetails(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        kind = type(record.exc_info[1]).__name__ if record.exc_info and record.exc_info[1] else ""
        record.msg = f"event withheld{f' ({kind})' if kind else ''}"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
