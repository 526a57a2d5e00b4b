"""The calendar: a day or a week, a clinician's own or the front desk's across
clinicians; booking one session or a weekly series; an appointment's page (reschedule,
cancel with a reason, attendance); and the practice's rooms and appointment types.
Each view calls one service; every time shown is the practice's local time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from confide.core.errors import ConfideError, Forbidden, InvalidInput, NotFound
from confide.services import directory, scheduling
from confide.services.portal import requests as portal_requests
from confide.services.practice_time import human_datetime, local_today
from confide.web.scheduling.forms import (
    AppointmentTypeForm,
    BookingForm,
    CancelForm,
    RescheduleForm,
    RoomForm,
)
from confide.web.shell import staff_page

CALENDAR_ROLES = {"clinician", "supervisor", "front_desk"}
ADMIN = {"practice_admin"}


def _day(request) -> date:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return local_today(request.user.practice_id)
    return day if date(1900, 1, 8) <= day <= date(2199, 12, 24) else local_today(request.user.practice_id)


def _clinician(request) -> str:
    value = request.GET.get("clinician", "")
    return value if value.isdigit() else ""


def _context(request, day: date, span: str) -> dict:
    clinician = _clinician(request)
    query = f"&clinician={clinician}" if clinician else ""
    step = 7 if span == "week" else 1
    return {"day": day, "clinician": clinician, "clinicians": scheduling.clinicians(user=request.user),
            "span": span, "today": local_today(request.user.practice_id),
            "prev": f"?day={(day - timedelta(days=step)).isoformat()}{query}",
            "next": f"?day={(day + timedelta(days=step)).isoformat()}{query}", "query": query,
            "desk": request.user.role == "front_desk"}


@staff_page(roles=CALENDAR_ROLES)
def calendar_day(request):
    day = _day(request)
    context = _context(request, day, "day")
    sessions = scheduling.appointments_day(user=request.user, day=day, clinician_id=context["clinician"] or None)
    by_clinician: dict[str, list] = {}
    for s in sessions:
        by_clinician.setdefault(s["clinician"], []).append(s)
    context.update({"groups": sorted(by_clinician.items()), "count": len(sessions)})
    return render(request, "web/scheduling/day.html", context)


@staff_page(roles=CALENDAR_ROLES)
def calendar_week(request):
    day = _day(request)
    context = _context(request, scheduling.week_start(day), "week")
    context["week"] = scheduling.appointments_week(user=request.user, day=day,
                                                   clinician_id=context["clinician"] or None)
    return render(request, "web/scheduling/week.html", context)


def _booking_form(request, data=None):
    user = request.user
    clinicians = scheduling.clinicians(user=user)
    initial = {"day": _day(request), "modality": "in_person"}
    if _clinician(request):
        initial["clinician"] = _clinician(request)
    if request.GET.get("client"):
        initial["client"] = request.GET["client"]
    return BookingForm(data, initial=initial, clinicians=clinicians, rooms=scheduling.room_list(user=user),
                       types=scheduling.appointment_type_list(user=user))


def _client_picker(request, form) -> dict:
    """The booking form's client: the one chosen (by its id in the form or the address,
    shown by name), or else the picker: a search by any part of the name, or the
    clients the user may list a page at a time, each a link that chooses them. Never
    the whole practice at once."""
    kept = {k: request.GET[k][:100] for k in ("day", "clinician") if request.GET.get(k)}
    keep = urlencode(kept)
    chosen = directory.client_pick(user=request.user, client_id=form["client"].value())
    if chosen is not None:
        return {"chosen": chosen, "keep": keep}
    find = request.GET.get("find", "").strip()[:200]
    picker = {"chosen": None, "keep": keep, "keep_fields": sorted(kept.items()), "find": find, "rows": [],
              "next": None, "find_error": "", "paged": bool(request.GET.get("after"))}
    try:
        if find:
            picker["rows"] = directory.client_search(user=request.user, query=find)[:PICKER_ROWS]
        else:
            page = directory.client_page(user=request.user, after=request.GET.get("after", "")[:100] or None)
            picker["rows"], picker["next"] = page["clients"], page["next"]
    except InvalidInput as exc:
        picker["find_error"] = str(exc)
    return picker


PICKER_ROWS = 50


@staff_page(roles=CALENDAR_ROLES)
@require_http_methods(["GET", "POST"])
def book(request):
    form = _booking_form(request, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        common = {"user": request.user, "client_id": d["client"], "clinician_id": d["clinician"],
                  "minutes": d["minutes"], "room": d["room"] or None, "appointment_type": d["appointment_type"] or None,
                  "modality": d["modality"]}
        try:
            if d["weekly"]:
                ids = scheduling.series_create(first_day=d["day"], at=d["at"], count=d["count"], **common)
                what = f"{len(ids)} weekly sessions booked"
            else:
                ids = [scheduling.appointment_create(
                    starts_at=scheduling.wall_clock(request.user.practice_id, d["day"], d["at"]), **common)]
                what = "Session booked"
            first = scheduling.appointment_get(user=request.user, appointment_id=ids[0])
            messages.success(request, f"{what}: {first['client_name']} with {first['clinician']}, "
                                      f"from {human_datetime(request.user.practice_id, first['starts_at'])}.")
            return redirect(f"/calendar/week/?day={d['day'].isoformat()}&clinician={d['clinician']}")
        except NotFound:
            form.add_error("client", "choose the client")
        except ConfideError as exc:
            form.add_error(None, str(exc))
    picker = _client_picker(request, form)
    failed = bool(form.errors or picker.get("find_error"))
    return render(request, "web/scheduling/book.html",
                  {"form": form, "picker": picker,
                   "picker_errors": [{"field": "id_client", "message": picker.get("find_error", "")}]},
                  status=400 if failed else 200)


def _appointment_page(request, appointment_id, *, cancel_form=None, reschedule_form=None, status=200):
    item = scheduling.appointment_get(user=request.user, appointment_id=appointment_id)
    day, at = scheduling.local_parts(request.user.practice_id, item["starts_at"])
    return render(request, "web/scheduling/appointment.html", {
        "a": item, "cancel_form": cancel_form or CancelForm(),
        "reschedule_form": reschedule_form or RescheduleForm(initial={"day": day, "at": at}),
        "back_url": f"/calendar/?day={day.isoformat()}"}, status=status)


@staff_page(roles=CALENDAR_ROLES)
def appointment(request, appointment_id):
    return _appointment_page(request, appointment_id)


@staff_page(roles=CALENDAR_ROLES)
@require_POST
def cancel(request, appointment_id):
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["rest_of_series"]:
                done = scheduling.series_cancel(user=request.user, appointment_id=appointment_id,
                                                reason=form.cleaned_data["reason"])
                messages.success(request, f"{done} sessions cancelled.")
            else:
                scheduling.appointment_cancel(user=request.user, appointment_id=appointment_id,
                                              reason=form.cleaned_data["reason"])
                messages.success(request, "Session cancelled.")
            return redirect(f"/calendar/appointments/{appointment_id}/")
        except (NotFound, Forbidden):
            raise NotFound()
        except ConfideError as exc:
            form.add_error("reason", str(exc))
    return _appointment_page(request, appointment_id, cancel_form=form, status=400)


@staff_page(roles=CALENDAR_ROLES)
@require_POST
def reschedule(request, appointment_id):
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            scheduling.appointment_reschedule(
                user=request.user, appointment_id=appointment_id,
                starts_at=scheduling.wall_clock(request.user.practice_id, form.cleaned_data["day"],
                                                form.cleaned_data["at"]))
            messages.success(request, "Session moved.")
            return redirect(f"/calendar/appointments/{appointment_id}/")
        except (NotFound, Forbidden):
            raise NotFound()
        except ConfideError as exc:
            form.add_error(None, str(exc))
    return _appointment_page(request, appointment_id, reschedule_form=form, status=400)


@staff_page(roles={"clinician", "supervisor"})
@require_POST
def attendance(request, appointment_id):
    try:
        scheduling.attendance_record(user=request.user, appointment_id=appointment_id,
                                     status=request.POST.get("status", ""))
        messages.success(request, "Attendance recorded.")
    except (NotFound, Forbidden):
        raise NotFound()
    except ConfideError as exc:
        messages.error(request, str(exc))
    return redirect(f"/calendar/appointments/{appointment_id}/")


def _settings_page(request, *, template, form, rows, create, set_active, noun):
    if request.method == "POST" and "toggle" in request.POST:
        try:
            set_active(user=request.user, active=request.POST.get("active") == "1", **{noun: request.POST["toggle"]})
            messages.success(request, "Saved.")
        except ConfideError as exc:
            messages.error(request, str(exc))
        return redirect(request.path)
    if form.is_bound and form.is_valid():
        try:
            create(user=request.user, **form.cleaned_data)
            messages.success(request, "Added.")
            return redirect(request.path)
        except ConfideError as exc:
            form.add_error(None, str(exc))
    return render(request, template, {"form": form, "rows": rows(user=request.user, include_inactive=True),
                                      "back_url": "/", "back_label": "home"},
                  status=400 if form.errors else 200)


@staff_page(roles=ADMIN)
@require_http_methods(["GET", "POST"])
def rooms(request):
    form = RoomForm(request.POST if request.method == "POST" and "toggle" not in request.POST else None)
    return _settings_page(request, template="web/scheduling/rooms.html", form=form, rows=scheduling.room_list,
                          create=scheduling.room_create, set_active=scheduling.room_set_active, noun="room_id")


@staff_page(roles=ADMIN)
@require_http_methods(["GET", "POST"])
def appointment_types(request):
    form = AppointmentTypeForm(request.POST if request.method == "POST" and "toggle" not in request.POST else None)
    return _settings_page(request, template="web/scheduling/types.html", form=form,
                          rows=scheduling.appointment_type_list, create=scheduling.appointment_type_create,
                          set_active=scheduling.appointment_type_set_active, noun="type_id")


# --- appointment requests from the portal ------------------------------------------------

REQUEST_ROLES = {"front_desk", "clinician", "supervisor"}


@staff_page(roles=REQUEST_ROLES)
def appointment_requests(request):
    """Requests clients made in the portal, oldest first: book at the client's chosen
    time (or a time given here), or decline with a reason the client reads."""
    return render(request, "web/scheduling/requests.html",
                  {"requests": portal_requests.appointment_requests_open(user=request.user)})


@staff_page(roles=REQUEST_ROLES)
@require_POST
def appointment_request_decide(request, request_id, decision):
    try:
        if decision == "book":
            starts_at = None
            if request.POST.get("day") and request.POST.get("time"):
                try:
                    day = date.fromisoformat(request.POST["day"])
                    at = datetime.strptime(request.POST["time"], "%H:%M").time()
                except ValueError:
                    raise InvalidInput("time: give the day and the time (HH:MM)") from None
                starts_at = scheduling.wall_clock(request.user.practice_id, day, at)
            appointment_id = portal_requests.appointment_request_book(user=request.user, request_id=request_id,
                                                                      starts_at=starts_at)
            messages.success(request, "Booked. The client sees it in the portal.")
            return redirect(f"/calendar/appointments/{appointment_id}/")
        if decision == "decline":
            portal_requests.appointment_request_decline(user=request.user, request_id=request_id,
                                                        reason=request.POST.get("reason", ""))
            messages.success(request, "Declined. The client sees your reason in the portal.")
        else:
            raise NotFound()
    except (InvalidInput, scheduling.Conflict) as exc:
        messages.error(request, str(exc))
    return redirect("/appointment-requests/")
