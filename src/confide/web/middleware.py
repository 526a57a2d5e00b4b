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
