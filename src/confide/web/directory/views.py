"""Finding clients: the list of the user's clients, and search."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from confide.core.errors import ConfideError
from confide.services import directory
from confide.web.shell import staff_page

LISTING_ROLES = frozenset({"clinician", "supervisor", "front_desk", "biller"})


@staff_page(roles=LISTING_ROLES)
def clients_view(request):
    query = request.GET.get("q", "").strip()
    error, rows = "", []
    try:
        rows = directory.client_search(user=request.user, query=query) if query \
            else directory.client_list(user=request.user)
    except ConfideError as exc:
        error = str(exc)
    context = {"rows": rows, "query": query, "error": error, "search_errors": [{"field": "q", "message": error}]}
    # A search from the page's own form (htmx) gets the results only; anything else the page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "web/directory/_results.html" if partial else "web/directory/clients.html"
    response = render(request, template, context, status=400 if error else 200)
    patch_vary_headers(response, ("HX-Request",))
    return response
