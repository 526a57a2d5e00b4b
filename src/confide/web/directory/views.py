"""Finding clients: the list of the user's clients, and search."""

from __future__ import annotations

from django.shortcuts import render

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
    return render(request, "web/directory/clients.html", {"rows": rows, "query": query, "error": error,
                                                           "search_errors": [{"field": "q", "message": error}]},
                  status=400 if error else 200)
