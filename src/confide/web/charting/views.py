"""The chart, in tabs a clinician moves through (links: they work without script);
who opened it; and emergency access."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, InvalidInput, NotFound
from confide.services import break_glass, charting, reports
from confide.services.charting.measures import INSTRUMENTS, SLUGS
from confide.services.portal import forms as portal_forms
from confide.services.portal import notice
from confide.services.practice_time import human_time, local_today
from confide.web.charting.forms import (
    AddendumForm,
    BreakGlassForm,
    DiagnosisSearchForm,
    NewNoteForm,
    PlanForm,
    PsychotherapyNoteForm,
    ReturnForm,
    measure_form_class,
    note_form_class,
)
from confide.web.shell import staff_page


def _chart(request, client_id, tab: str) -> dict:
    """One tab of the chart through the door: only its sections are decrypted. The
    appointments tab pages (`?before=` the marker of the older page)."""
    if tab != "appointments":
        return charting.chart_tab(user=request.user, client_id=client_id, tab=tab)
    try:
        return charting.chart_tab(user=request.user, client_id=client_id, tab=tab, before=request.GET.get("before"))
    except InvalidInput:
        raise NotFound() from None


def _render_tab(request, template: str, chart: dict, status: int = 200, **context):
    return render(request, template, {"chart": chart, "tabs": chart["tabs"], "tab": context.pop("tab", ""),
                                      **context}, status=status)


@staff_page
def chart_view(request, client_id, tab: str = ""):
    data = _chart(request, client_id, tab)
    context = {}
    if not tab and request.user.role in WRITERS:
        # Whether the client acknowledged the notice of privacy practices (a door of its own: consents).
        try:
            context["notice"] = {"status": notice.notice_status(user=request.user, client_id=client_id),
                                 "version": notice.NOTICE_VERSION}
        except NotFound:
            context["notice"] = None
    if tab == "appointments":
        context["earlier"] = bool(request.GET.get("before"))
    return _render_tab(request, f"web/charting/tab_{tab or 'overview'}.html", data, tab=tab, **context)


@staff_page
@require_http_methods(["GET", "POST"])
def break_glass_view(request, client_id):
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            grant = break_glass.break_glass_open(user=request.user, client_id=client_id,
                                                 reason=form.cleaned_data["reason"])
            until = human_time(request.user.practice_id, datetime.fromisoformat(grant["expires_at"]))
            messages.success(request, f"Emergency access is open until {until}. The privacy officer will review it.")
            return redirect(f"/clients/{client_id}/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error("reason", str(exc))
    return render(request, "web/charting/break_glass.html",
                  {"client_id": client_id, "form": form, "minutes": settings.CONFIDE["BREAK_GLASS_MINUTES"]},
                  status=400 if form.errors else 200)


@staff_page
def access_report_view(request, client_id):
    entries = reports.access_report(user=request.user, client_id=client_id)
    return render(request, "web/charting/access_report.html", {"entries": entries, "client_id": client_id})


# --- notes ------------------------------------------------------------------------------

WRITERS = frozenset({"clinician", "supervisor"})


def _template_choices(user):
    return [(k, charting.NOTE_TEMPLATES[k][0]) for k in charting.note_templates_in_use(user.practice_id)]


@staff_page
def notes_tab_view(request, client_id):
    data = _chart(request, client_id, "notes")
    try:
        page = charting.notes_page(user=request.user, client_id=client_id, before=request.GET.get("before"))
    except InvalidInput:
        raise NotFound() from None
    form = NewNoteForm(templates=_template_choices(request.user),
                       initial={"session_date": local_today(request.user.practice_id), "template": "SOAP"})
    return _render_tab(request, "web/charting/tab_notes.html", data, tab="notes", page=page, new_form=form,
                       earlier=bool(request.GET.get("before")))


@staff_page(roles=WRITERS)
@require_http_methods(["POST"])
def note_new_view(request, client_id):
    form = NewNoteForm(request.POST, templates=_template_choices(request.user))
    if form.is_valid():
        try:
            nid = charting.note_draft_start(user=request.user, client_id=client_id,
                                            template=form.cleaned_data["template"],
                                            session_date=form.cleaned_data["session_date"])
            return redirect(f"/clients/{client_id}/notes/{nid}/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error(None, str(exc))
    data = _chart(request, client_id, "notes")
    page = charting.notes_page(user=request.user, client_id=client_id)
    return _render_tab(request, "web/charting/tab_notes.html", data, 400, tab="notes", page=page, new_form=form)


def _note(request, client_id, note_id) -> dict:
    note = charting.note_get(user=request.user, note_id=note_id)
    if note["client_id"] != str(client_id):
        raise NotFound()
    return note


def _note_form(note, data=None):
    sections = charting.NOTE_TEMPLATES.get(note["format"], charting.NOTE_TEMPLATES["free"])[1]
    initial = {**note["sections"], "session_date": note["session_date"]}
    return note_form_class(sections)(data, initial=initial)


def _note_page(request, client_id, note, status=200, **context):
    data = _chart(request, client_id, "notes")
    editable = note["status"] in ("draft", "returned") and note["author_id"] == request.user.pk
    context.setdefault("form", _note_form(note) if editable else None)
    context.setdefault("addendum_form", AddendumForm())
    context.setdefault("return_form", ReturnForm())
    may_cosign = (note["status"] == "awaiting_cosign" and request.user.role == "supervisor"
                  and note["author_id"] != request.user.pk)
    return _render_tab(request, "web/charting/note.html", data, status, tab="notes", note=note, editable=editable,
                       may_cosign=may_cosign,
                       template_name=charting.NOTE_TEMPLATES.get(note["format"], ("Free text",))[0], **context)


@staff_page
def note_view(request, client_id, note_id):
    return _note_page(request, client_id, _note(request, client_id, note_id))


@staff_page(roles=WRITERS)
@require_http_methods(["POST"])
def note_save_view(request, client_id, note_id):
    """Autosave (htmx, as the clinician types): the draft's status line only."""
    note = _note(request, client_id, note_id)
    form = _note_form(note, request.POST)
    error, saved = "", None
    if form.is_valid():
        sections = {k: v for k, v in form.cleaned_data.items() if k != "session_date"}
        try:
            saved = charting.note_draft_save(user=request.user, note_id=note_id, sections=sections,
                                             session_date=form.cleaned_data["session_date"])
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    else:
        error = "; ".join(e for errs in form.errors.values() for e in errs)
    return render(request, "web/charting/_save_status.html", {"saved": saved, "error": error},
                  status=400 if error else 200)


@staff_page(roles=WRITERS)
@require_http_methods(["POST"])
def note_sign_view(request, client_id, note_id):
    """Save what the form holds, then sign: the note is locked."""
    note = _note(request, client_id, note_id)
    form = _note_form(note, request.POST)
    if form.is_valid():
        sections = {k: v for k, v in form.cleaned_data.items() if k != "session_date"}
        try:
            charting.note_draft_save(user=request.user, note_id=note_id, sections=sections,
                                     session_date=form.cleaned_data["session_date"])
            status = charting.note_sign(user=request.user, note_id=note_id)
            messages.success(request, "Signed and locked." if status == "signed" else
                             "Signed. It waits for your supervisor's co-signature and shows as unsigned until then.")
            return redirect(f"/clients/{client_id}/notes/{note_id}/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error(None, str(exc))
    return _note_page(request, client_id, _note(request, client_id, note_id), 400, form=form)


@staff_page(roles=WRITERS)
@require_http_methods(["POST"])
def note_addendum_view(request, client_id, note_id):
    note = _note(request, client_id, note_id)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            charting.note_addendum_add(user=request.user, note_id=note_id, text=form.cleaned_data["text"])
            messages.success(request, "Addendum added.")
            return redirect(f"/clients/{client_id}/notes/{note_id}/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error("text", str(exc))
    return _note_page(request, client_id, note, 400, addendum_form=form)


@staff_page(roles={"supervisor"})
@require_http_methods(["POST"])
def note_cosign_view(request, client_id, note_id):
    note = _note(request, client_id, note_id)
    try:
        charting.note_cosign(user=request.user, note_id=note_id)
    except NotFound:
        raise
    except ConfideError as exc:
        return _note_page(request, client_id, note, 400, errors=[{"field": "", "message": str(exc)}])
    messages.success(request, "Co-signed. The note is signed.")
    return redirect("/cosigns/")


@staff_page(roles={"supervisor"})
@require_http_methods(["POST"])
def note_return_view(request, client_id, note_id):
    note = _note(request, client_id, note_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            charting.note_return(user=request.user, note_id=note_id, comment=form.cleaned_data["comment"])
            messages.success(request, "Returned to its author with your comment.")
            return redirect("/cosigns/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error("comment", str(exc))
    return _note_page(request, client_id, note, 400, return_form=form)


@staff_page(roles=WRITERS)
def notes_to_sign_view(request):
    return render(request, "web/charting/notes_to_sign.html",
                  {"notes": charting.notes_to_sign(user=request.user),
                   "waiting": charting.awaiting_my_cosign(user=request.user)})


@staff_page(roles={"supervisor"})
def cosigns_view(request):
    return render(request, "web/charting/cosigns.html", {"notes": charting.cosign_queue(user=request.user)})


# --- psychotherapy notes, diagnoses, plan, measures ---------------------------------------

@staff_page(roles=WRITERS)
@require_http_methods(["GET", "POST"])
def psychotherapy_view(request, client_id):
    data = _chart(request, client_id, "psychotherapy")
    form = PsychotherapyNoteForm(request.POST or None,
                                 initial={"session_date": local_today(request.user.practice_id)})
    if form.is_bound and form.is_valid():
        try:
            charting.psychotherapy_note_create(user=request.user, client_id=client_id,
                                               session_date=form.cleaned_data["session_date"],
                                               text=form.cleaned_data["text"])
            messages.success(request, "Psychotherapy note kept apart. Only you can read it.")
            return redirect(f"/clients/{client_id}/psychotherapy/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error("text", str(exc))
    return _render_tab(request, "web/charting/tab_psychotherapy.html", data, 400 if form.errors else 200,
                       tab="psychotherapy", form=form)


@staff_page
def diagnoses_view(request, client_id):
    data = _chart(request, client_id, "diagnoses")
    form = DiagnosisSearchForm(request.GET if "q" in request.GET else None)
    results = []
    if form.is_bound and form.is_valid():
        results = charting.icd10_search(form.cleaned_data["q"])
    context = {"form": form, "results": results, "client_id": str(data["id"]), "searched": form.is_bound}
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "web/charting/_icd_results.html", context, status=400 if form.errors else 200)
    else:
        response = _render_tab(request, "web/charting/tab_diagnoses.html", data, 400 if form.errors else 200,
                               tab="diagnoses", **context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@staff_page(roles=WRITERS)
@require_http_methods(["POST"])
def diagnosis_add_view(request, client_id):
    try:
        out = charting.diagnosis_add(user=request.user, client_id=client_id, code=request.POST.get("code", ""))
        messages.success(request, f"Added {out['code']} {out['description']}.")
    except NotFound:
        raise
    except ConfideError as exc:
        messages.error(request, str(exc))
    return redirect(f"/clients/{client_id}/diagnoses/")


@staff_page(roles=WRITERS)
@require_http_methods(["GET", "POST"])
def plan_edit_view(request, client_id):
    data = _chart(request, client_id, "plan")
    plan = data.get("treatment_plan") or {}
    initial = {"summary": plan.get("summary", "")}
    for n, g in enumerate(plan.get("goals") or [], 1):
        initial.update({f"goal_{n}": g.get("text"), f"progress_{n}": g.get("progress", 0),
                        f"target_{n}": g.get("target")})
    form = PlanForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            charting.treatment_plan_save(user=request.user, client_id=client_id,
                                         summary=form.cleaned_data["summary"], goals=form.goals())
            messages.success(request, "Treatment plan saved.")
            return redirect(f"/clients/{client_id}/plan/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error(None, str(exc))
    return _render_tab(request, "web/charting/plan_edit.html", data, 400 if form.errors else 200, tab="plan",
                       form=form)


@staff_page(roles=WRITERS)
@require_http_methods(["GET", "POST"])
def measure_view(request, client_id, slug):
    key = SLUGS.get(slug)
    if key is None:
        raise NotFound()
    instrument = INSTRUMENTS[key]
    data = _chart(request, client_id, "measures")
    form = measure_form_class(instrument)(request.POST or None,
                                          initial={"on": local_today(request.user.practice_id)})
    if form.is_bound and form.is_valid():
        answers = [form.cleaned_data[f"item_{n}"] for n in range(1, len(instrument.items) + 1)]
        try:
            out = charting.measure_record(user=request.user, client_id=client_id, instrument=key, answers=answers,
                                          on=form.cleaned_data["on"])
            text = f"{key} recorded: {out['score']} of {out['max']}, {out['severity']}."
            if out["flag"] == "item9":
                messages.warning(request, text + " Item 9 was answered above zero: check for thoughts of "
                                 "self-harm before the client leaves.")
            else:
                messages.success(request, text)
            return redirect(f"/clients/{client_id}/measures/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error(None, str(exc))
    return _render_tab(request, "web/charting/measure_form.html", data, 400 if form.errors else 200,
                       tab="measures", form=form, instrument=instrument)


# --- forms clients completed in the portal ----------------------------------------------

@staff_page(roles=WRITERS)
def forms_to_review_view(request):
    """Questionnaires and intake forms clients completed, not yet reviewed; those with
    an answer that needs attention (PHQ-9 item 9) first."""
    return render(request, "web/charting/forms_to_review.html",
                  {"forms": portal_forms.forms_to_review(user=request.user)})


@staff_page(roles=WRITERS)
@require_http_methods(["GET", "POST"])
def form_response_view(request, response_id):
    if request.method == "POST":
        portal_forms.form_review(user=request.user, response_id=response_id)
        messages.success(request, "Marked as reviewed.")
        return redirect("/forms/")
    return render(request, "web/charting/form_response.html",
                  {"form": portal_forms.form_response_get(user=request.user, response_id=response_id)})
