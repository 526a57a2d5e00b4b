"""The client's own pages: their record (without psychotherapy notes), who opened it,
and their accounting of disclosures and requests for a copy; for a parent or guardian, the guardian
view."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from confide.core.errors import ConfideError, NotFound
from confide.services import charting, documents, reports
from confide.services.disclosures import accounting, minors, record_requests
from confide.services.portal import access_log
from confide.services.portal import home as portal_summary


def _portal_user(request, next_url: str):
    """The signed-in portal user, or the redirect to send anyone else to."""
    user = request.user
    if not user.is_authenticated:
        return None, redirect(f"{settings.LOGIN_URL}?next={next_url}")
    if user.role not in ("client", "representative"):
        return None, redirect("/")
    return user, None


def portal_home(request):
    user, away = _portal_user(request, "/portal/")
    if away:
        return away
    if user.role == "representative":
        return render(request, "portal/guardian.html", {"views": minors.guardian_views_mine(user=user)})
    try:
        client_id = reports.my_client_id(user)
        summary = portal_summary.portal_home(user=user, client_id=client_id)
        chart = charting.chart_open(user=user, client_id=client_id)
        log = access_log.access_log(user=user, client_id=client_id)
        requests = record_requests.record_request_list(user=user, client_id=client_id)
    except NotFound:
        return render(request, "portal/home.html", {"chart": None, "summary": None, "requests": []})
    return render(request, "portal/home.html", {"chart": chart, "summary": summary, "log": log,
                                                "requests": requests, "error": request.GET.get("error") == "1"})


def portal_record_request(request):
    """The client asks for a copy of their record (45 CFR 164.524): the clock starts."""
    user, away = _portal_user(request, "/portal/")
    if away:
        return away
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if user.role != "client":
        return redirect("/portal/")
    try:
        record_requests.record_request_create(user=user, client_id=reports.my_client_id(user),
                                              format=request.POST.get("format", "pdf")[:10])
    except ConfideError:
        return redirect("/portal/?error=1")
    return redirect("/portal/")


def portal_accounting(request):
    """Every disclosure from the client's record in the last six years (45 CFR 164.528),
    the ones the law does not require marked as such."""
    user, away = _portal_user(request, "/portal/accounting/")
    if away:
        return away
    try:
        report = accounting.accounting_of_disclosures(user=user, client_id=reports.my_client_id(user), fmt="html")
    except NotFound:
        report = None
    return render(request, "portal/accounting.html", {"report": report})


def portal_accounting_pdf(request):
    """Ask for the accounting as a PDF: rendered in the background (services.documents);
    this answers at once with the page that shows it being prepared."""
    user, away = _portal_user(request, "/portal/accounting/")
    if away:
        return away
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        document = documents.document_request(user=user, client_id=reports.my_client_id(user), kind="accounting")
    except NotFound:
        return render(request, "portal/accounting.html", {"report": None}, status=404)
    return redirect(f"/portal/documents/{document['id']}/")


def portal_document(request, document_id):
    """One's own asked-for document: "being prepared" (the page asks again every few
    seconds), then the link to it. Anyone else's, like one that does not exist: 404."""
    user, away = _portal_user(request, "/portal/")
    if away:
        return away
    try:
        document = documents.document_status(user=user, document_id=document_id)
    except NotFound:
        return render(request, "portal/document.html", {"document": None}, status=404)
    return render(request, "portal/document.html", {"document": document, "practice": user.practice})


def portal_document_pdf(request, document_id):
    user, away = _portal_user(request, "/portal/")
    if away:
        return away
    try:
        document, pdf = documents.document_pdf(user=user, document_id=document_id)
    except NotFound:
        return render(request, "portal/document.html", {"document": None}, status=404)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document["kind"]}.pdf"'
    return response
