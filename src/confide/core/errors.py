"""Domain errors with stable codes. Messages are one line and never carry client data."""

from __future__ import annotations


class ConfideError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)

    default_message = "request failed"


class NotFound(ConfideError):
    """Also what a caller without a relationship gets: existence is secret."""

    code = "not_found"
    status = 404
    default_message = "not found"


class Forbidden(ConfideError):
    """Only for actions on things the caller may know exist (never a client record)."""

    code = "forbidden"
    status = 403
    default_message = "not permitted"


class Refused(ConfideError):
    """A disclosure the PDP denies, to a caller who may know the client exists (they
    have a relationship). The message names the rules that refused it; never client data."""

    code = "refused"
    status = 403
    default_message = "refused by policy"

    def __init__(self, message: str | None = None, rule_ids: tuple[str, ...] = ()):
        super().__init__(message)
        self.rule_ids = rule_ids


class InvalidInput(ConfideError):
    code = "invalid_input"
    status = 400
    default_message = "invalid input"


class RulePackError(ConfideError):
    code = "rule_pack_invalid"
    default_message = "rule pack invalid"


class IntegrityError(ConfideError):
    code = "integrity"
    default_message = "integrity check failed"


class KeyUnavailable(ConfideError):
    code = "key_error"
    default_message = "key unavailable"


class UnsupportedMediaType(ConfideError):
    code = "unsupported_media_type"
    status = 415
    default_message = "content type must be application/json"


class PayloadTooLarge(ConfideError):
    code = "payload_too_large"
    status = 413
    default_message = "request body too large"


class Unauthorized(ConfideError):
    code = "unauthorized"
    status = 401
    default_message = "missing or invalid token"


class Busy(ConfideError):
    """The database stayed locked past the busy timeout (SQLite, one writer at a time):
    nothing was changed, and the same request may simply be sent again."""

    code = "busy"
    status = 503
    default_message = "the database is busy; try again in a moment"
