"""Request guards: body limit, and errors that never carry a traceback or client data."""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse, JsonResponse

from confide.core.errors import Busy, ConfideError
from confide.services.database import RETRY_AFTER_SECONDS, database_busy

log = logging.getLogger("confide.web")


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


class BodyLimitMiddleware:
    """Refuse oversized bodies before anything reads them."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0 or length > self.limit:
            message = "request body too large" if length > 0 else "invalid content length"
            if _wants_json(request):
                return JsonResponse({"error": "payload_too_large", "message": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain")
        return self.get_response(request)


API_PLAIN_ERRORS = {400: ("invalid_input", "bad request"), 403: ("forbidden", "not permitted"),
                    404: ("not_found", "not found"), 405: ("method_not_allowed", "method not allowed")}
DJANGO_HANDLED = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)


class SafeErrorsMiddleware:
    """Outermost: any unhandled exception becomes a one-line response with a reference."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _wants_json(request) and response.status_code in API_PLAIN_ERRORS \
                and not response.get("Content-Type", "").startswith("application/json"):
            # An unknown /api/ path (the HTML 404 page), an unsupported method (ninja's
            # plain-text 405) or Django's own 400/403 still answer as the API does: one
            # line of JSON.
            code, message = API_PLAIN_ERRORS[response.status_code]
            json_response = JsonResponse({"error": code, "message": message}, status=response.status_code)
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response

    def process_exception(self, request, exc):
        if isinstance(exc, DJANGO_HANDLED):
            return None  # Django answers these itself (404/403/400 pages), as for any view
        if database_busy(exc):
            exc = Busy()
        if isinstance(exc, ConfideError):
            status, code, message = exc.status, exc.code, str(exc)
        else:
            ref = uuid.uuid4().hex[:12]
            log.error("unhandled error ref=%s class=%s path_kind=%s", ref, type(exc).__name__,
                      request.path.split("/")[1] if "/" in request.path else "")
            status, code, message = 500, "internal", f"internal error (reference {ref})"
        if _wants_json(request):
            response = JsonResponse({"error": code, "message": message}, status=status)
        else:
            response = HttpResponse(message, status=status, content_type="text/plain")
        if isinstance(exc, Busy):
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response but the static files: a page or an
    API answer may hold client information, and neither a browser's cache nor a proxy
    keeps a copy (a signed-out user's Back button shows nothing)."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.static = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.static):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class SessionLifetimeMiddleware:
    """An absolute session lifetime beside the idle timeout: a session ends
    CONFIDE_SESSION_MAX_HOURS after its sign-in, however busy it kept."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.max_seconds = settings.CONFIDE_SESSION_MAX_SECONDS

    def __call__(self, request):
        import time

        from django.contrib.auth import logout

        from confide.services.sessions import SIGNED_IN_AT

        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if not isinstance(started, (int, float)) or time.time() - started > self.max_seconds:
                logout(request)
        return self.get_response(request)


def unstorable(value: str) -> bool:
    """A NUL (PostgreSQL text cannot hold one) or a lone surrogate (not UTF-8)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _any_unstorable(data, depth: int = 0) -> bool:
    if depth > 64:
        return False  # the API's own parser refuses such nesting
    if isinstance(data, str):
        return unstorable(data)
    if isinstance(data, dict):
        return any(_any_unstorable(k, depth + 1) or _any_unstorable(v, depth + 1) for k, v in data.items())
    if isinstance(data, list):
        return any(_any_unstorable(v, depth + 1) for v in data)
    return False


UNSTORABLE_MESSAGE = "text input: NUL bytes and other unstorable characters are not accepted"


class StorableTextMiddleware:
    """Text that no database can store (a NUL byte; a lone surrogate from a JSON
    escape) gets one line and 422 before anything reads it, on SQLite and PostgreSQL
    alike, wherever it comes: the path, the query, a form, a JSON body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._bad(request):
            if _wants_json(request):
                return JsonResponse({"error": "invalid_input", "message": UNSTORABLE_MESSAGE}, status=422)
            return HttpResponse(UNSTORABLE_MESSAGE, status=422, content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def _bad(request) -> bool:
        import json

        if unstorable(request.path) or any(unstorable(k) or any(unstorable(v) for v in vs)
                                           for k, vs in request.GET.lists()):
            return True
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return False
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            try:
                return any(unstorable(k) or any(unstorable(v) for v in vs) for k, vs in request.POST.lists())
            except Exception:  # noqa: BLE001 - a malformed body is the view's to refuse
                return False
        if not content_type.startswith("application/json"):
            return False  # the API takes JSON only and refuses anything else itself
        try:
            body = request.body
        except Exception:  # noqa: BLE001
            return False
        if b"\x00" in body:
            return True
        if b"\\u" not in body and b"\\U" not in body:
            return False
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return False  # not JSON: the API refuses it with its own one line
        return _any_unstorable(data)


class PortalSecondFactorMiddleware:
    """A portal login that turned its second factor on is signed in only by a session
    that gave its code: a session started another way (a password set from a reset
    link) ends, and the person signs in again with password and code. Staff pages keep
    their own guard (web.shell)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib.auth import logout
        from django.shortcuts import redirect

        from confide.services.portal.second_factor import portal_factor_needed

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role in ("client", "representative") \
                and not user.is_verified() and portal_factor_needed(user):
            logout(request)
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)
