"""The client's own portal pages beyond their record: the notice, forms before a
session, appointments and requests, secure messages, contact preferences, the
plain-language access log, and (a minor who consented alone) what the parent sees.
Every read and write is a service call through the door."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from confide.core.errors import ConfideError, InvalidInput
from confide.portal.pages import client_page, not_found, one_line
from confide.services import messages as contact
from confide.services.disclosures import minors
from confide.services.portal import access_log, correspondence, forms, notice, requests

HELP_NOW = ("Thank you for telling us. Your clinician will see your answers. If you are thinking about harming "
            "yourself now, call or text 988 (the Suicide and Crisis Lifeline) or 911, any time.")


@client_page
def notice_page(request, client_id):
    if request.method == "POST":
        try:
            notice.notice_acknowledge(user=request.user, client_id=client_id,
                                      version=request.POST.get("version", "")[:20])
        except InvalidInput as exc:
            flash.error(request, one_line(exc))
            return redirect("/portal/notice/")
        flash.success(request, "Thank you: your acknowledgement is recorded.")
        return redirect("/portal/")
    status = notice.notice_status(user=request.user, client_id=client_id)
    return render(request, "portal/notice.html", {"notice": notice.notice_text(), "status": status})


@client_page
def form_page(request, client_id, slug):
    try:
        form = forms.form_definition(slug)
    except ConfideError:
        return not_found(request)
    error, given = None, {}
    if request.method == "POST":
        if form["kind"] == "intake":
            given = {q.key: request.POST.get(q.key, "") for q in forms.INTAKE_QUESTIONS}
            answers = given
        else:
            raw = [request.POST.get(f"item{n}") for n in range(1, len(form["items"]) + 1)]
            given = {f"item{n}": v for n, v in enumerate(raw, 1)}
            missing = [n for n, v in enumerate(raw, 1) if v not in ("0", "1", "2", "3")]
            answers = None if missing else [int(v) for v in raw]
            if missing:
                error = f"Please answer question {missing[0]}."
        if error is None:
            try:
                done = forms.form_submit(user=request.user, client_id=client_id, slug=slug, answers=answers)
            except InvalidInput as exc:
                error = one_line(exc)
            else:
                if done["help"]:
                    flash.warning(request, HELP_NOW)
                flash.success(request, f"Thank you: your {done['title'].lower()} is with your clinician.")
                return redirect("/portal/")
    items = []
    if form["kind"] != "intake":
        items = [{"n": n, "text": text, "given": given.get(f"item{n}")} for n, text in enumerate(form["items"], 1)]
    return render(request, "portal/form.html", {"form": form, "items": items, "given": given, "error": error},
                  status=400 if error else 200)


@client_page
def appointments_page(request, client_id):
    error = None
    if request.method == "POST":
        try:
            requests.appointment_request_create(user=request.user, client_id=client_id,
                                                slot=request.POST.get("slot") or None,
                                                clinician_id=request.POST.get("clinician") or None,
                                                preference=request.POST.get("preference", ""))
        except InvalidInput as exc:
            error = one_line(exc)
        else:
            flash.success(request, "Your request is with the practice. You will see the answer here.")
            return redirect("/portal/appointments/")
    offered = requests.open_times(user=request.user, client_id=client_id)
    mine = requests.appointment_requests_mine(user=request.user, client_id=client_id)
    return render(request, "portal/appointments.html", {"offered": offered, "mine": mine, "error": error,
                                                        "preference": request.POST.get("preference", "")},
                  status=400 if error else 200)


@client_page
def appointment_request_withdraw(request, client_id, request_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        requests.appointment_request_withdraw(user=request.user, client_id=client_id, request_id=request_id)
    except InvalidInput as exc:
        flash.error(request, one_line(exc))
    return redirect("/portal/appointments/")


@client_page
def messages_page(request, client_id):
    error = None
    if request.method == "POST":
        try:
            correspondence.message_send(user=request.user, client_id=client_id, text=request.POST.get("text", ""))
        except InvalidInput as exc:
            error = one_line(exc)
        else:
            flash.success(request, "Your message was sent to your clinician.")
            return redirect("/portal/messages/")
    thread = correspondence.thread(user=request.user, client_id=client_id)
    return render(request, "portal/messages.html", {"thread": thread, "error": error,
                                                    "text": request.POST.get("text", "") if error else ""},
                  status=400 if error else 200)


CHANNEL_CHOICES = {
    "voicemail": (("none", "No voicemail"), ("name_callback", "Only my first name and a number to call back"),
                  ("details", "The appointment, with my clinician's name")),
    "text": (("none", "No text messages"), ("neutral", "Texts that say only the time"),
             ("details", "Texts with my clinician's name and the place")),
    "email": (("none", "No email"), ("neutral", "Email that says only the time"),
              ("details", "Email with my clinician's name and the place")),
    "postal": (("none", "No letters"), ("home", "Letters to my home address"),
               ("alternate", "Letters to the other address below")),
}
CHANNEL_LEGENDS = {"voicemail": "Voicemail", "text": "Text messages", "email": "Email", "postal": "Letters"}
ZONES = ("America/Los_Angeles", "America/Denver", "America/Phoenix", "America/Chicago", "America/New_York",
         "America/Anchorage", "Pacific/Honolulu")


@client_page
def preferences_page(request, client_id):
    error = None
    current = contact.contact_preferences_get(user=request.user, client_id=client_id)
    if request.method == "POST":
        prefs = {c: request.POST.get(c, "") for c in contact.CHANNELS}
        for key in ("alternate_address", "alternate_phone", "alternate_email", "timezone"):
            value = request.POST.get(key, "").strip()
            if value:
                prefs[key] = value
        try:
            contact.contact_preferences_set(user=request.user, client_id=client_id, prefs=prefs)
        except InvalidInput as exc:
            error = one_line(exc).replace("Contact preferences: ", "")
            current = {**current, **prefs}
        else:
            flash.success(request, "Saved. We will contact you only in these ways.")
            return redirect("/portal/preferences/")
    channels = [{"name": c, "legend": CHANNEL_LEGENDS[c], "value": current.get(c),
                 "choices": CHANNEL_CHOICES[c]} for c in contact.CHANNELS]
    return render(request, "portal/preferences.html", {"channels": channels, "prefs": current, "error": error,
                                                       "zones": ZONES}, status=400 if error else 200)


@client_page
def access_page(request, client_id):
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    log = access_log.access_log(user=request.user, client_id=client_id, page=page)
    return render(request, "portal/access.html", {"log": log})


@client_page
def parent_view_page(request, client_id):
    if request.method == "POST":
        try:
            minors.minor_parent_view_set(user=request.user, client_id=client_id,
                                         allows=request.POST.getlist("allows"))
        except InvalidInput as exc:
            flash.error(request, one_line(exc))
        else:
            flash.success(request, "Saved. Your parent now sees only what you chose.")
        return redirect("/portal/parent-view/")
    view = minors.minor_parent_view_get(user=request.user, client_id=client_id)
    return render(request, "portal/parent_view.html", {"view": view})
