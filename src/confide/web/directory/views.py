"""Finding clients: the list of the user's clients, and search."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django.utils.cache import patch_vary_headers

from confide.core.errors import ConfideError, InvalidInput
from confide.services import directory
from confide.web.shell import staff_page

LISTING_ROLES = frozenset({"clinician", "supervisor", "front_desk", "biller"})


@staff_page(roles=LISTING_ROLES)
def clients_view(request):
    query = request.GET.get("q", "").strip()
    after = request.GET.get("after", "")[:100]
    error, rows, nxt = "", [], None
    try:
        if query:
            rows = directory.client_search(user=request.user, query=query)
        else:
            page = directory.client_page(user=request.user, after=after or None)
            rows, nxt = page["clients"], page["next"]
    except ConfideError as exc:
        error = str(exc)
    context = {"rows": rows, "query": query, "error": error, "search_errors": [{"field": "q", "message": error}],
               "next": nxt, "paged": bool(after),
               "emergency_allowed": directory.emergency_access_allowed(request.user)}
    # A search from the page's own form (htmx) gets the results only; anything else the page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "web/directory/_results.html" if partial else "web/directory/clients.html"
    response = render(request, template, context, status=400 if error else 200)
    patch_vary_headers(response, ("HX-Request",))
    return response


CLINICAL = frozenset({"clinician", "supervisor"})


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def emergency_view(request):
    """Emergency access (break-glass) from a search, with the reason stated first."""
    user = request.user
    allowed = directory.emergency_access_allowed(user)
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q", "")) or ""
    reason = request.POST.get("reason", "") if request.method == "POST" else ""
    rows, errors, searched = [], [], False
    if request.method == "POST" and allowed:
        try:
            rows = directory.emergency_search(user=user, query=query[:200], reason=reason[:1000])
            searched = True
        except InvalidInput as exc:
            field = "reason" if str(exc).startswith("reason") else "q"
            errors = [{"field": f"id_{field}", "message": str(exc)}]
    context = {"allowed": allowed, "query": query.strip(), "reason": reason.strip(), "rows": rows, "errors": errors,
               "searched": searched, "minutes": settings.CONFIDE["BREAK_GLASS_MINUTES"]}
    return render(request, "web/directory/emergency.html", context, status=400 if errors else 200)
