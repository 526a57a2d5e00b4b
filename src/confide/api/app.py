"""The NinjaAPI instance: bearer-token auth, strict JSON parsing, one-line errors."""

from __future__ import annotations

import json
import logging
import math
import uuid

from django.http import JsonResponse
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from confide.api.registry import ALL_OPERATIONS
from confide.core.errors import (
    Busy,
    ConfideError,
    InvalidInput,
    Unauthorized,
    UnsupportedMediaType,
)
from confide.services.database import RETRY_AFTER_SECONDS, database_busy
from confide.services.tokens import token_user

log = logging.getLogger("confide.api")


class StrictJSONParser(Parser):
    """JSON bodies only, valid UTF-8 only."""

    def parse_body(self, request):
        body = request.body
        if not body:
            return {}
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise UnsupportedMediaType()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("body is not valid UTF-8") from None
        try:
            data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
        except (ValueError, RecursionError):
            raise InvalidInput("body is not valid JSON") from None
        if _depth(data) > MAX_DEPTH:
            raise InvalidInput("body is nested too deeply")
        try:
            # An escaped lone surrogate ("\\ud800") parses but can never be stored as UTF-8.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput("body is not valid JSON") from None
        return data


MAX_DEPTH = 32


def _depth(data) -> int:
    """Nesting depth of parsed JSON, iteratively (no recursion to exhaust)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _no_constant(name: str):
    """NaN, Infinity and -Infinity are not JSON (RFC 8259)."""
    raise ValueError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 overflows to inf
        raise ValueError("not finite")
    return value


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return token_user(token)


api = NinjaAPI(title="Confide API", version="1", urls_namespace="api", parser=StrictJSONParser(),
               auth=BearerToken(), docs_url=None)


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


@api.exception_handler(ConfideError)
def _confide_error(request, exc: ConfideError):
    return error(exc.status, exc.code, str(exc))


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error(401, Unauthorized.code, Unauthorized.default_message)


def _location(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    message = f"{_location(first.get('loc', ()))}: {first.get('msg', 'invalid')}".lower()
    # One line; the message names a field, never echoes the submitted value.
    return error(422, "invalid_input", message.replace("\n", " ")[:200])


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # django-ninja wraps parser errors in HttpError(400); ours carry the real answer.
    cause = exc.__cause__
    if isinstance(cause, ConfideError):
        return error(cause.status, cause.code, str(cause))
    return error(exc.status_code, "invalid_input" if exc.status_code == 400 else "error", "request failed")


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    if database_busy(exc):
        response = error(Busy.status, Busy.code, Busy.default_message)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    ref = uuid.uuid4().hex[:12]
    log.error("api error ref=%s class=%s", ref, type(exc).__name__)
    return error(500, "internal", f"internal error (reference {ref})")


router = Router()
for op in ALL_OPERATIONS:
    router.add_api_operation(op.path, [op.method], op.handle, response=op.responses(), summary=op.summary,
                          operation_id=op.__name__, url_name=op.__name__, exclude_unset=op.exclude_unset)
api.add_router("", router)
