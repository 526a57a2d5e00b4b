"""The administrator's staff pages: the list, inviting someone, and one person's page
with its actions (role, password reset, second-factor reset, unlock, deactivation
with the caseload handed over). No client information appears here."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError
from confide.services import staff
from confide.services.portal import second_factor as portal_second_factor
from confide.services.words import role_word
from confide.web.practice.forms import DeactivateForm, RoleForm, StaffInviteForm
from confide.web.shell import staff_page

ADMIN = frozenset({"practice_admin"})


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@staff_page(roles=ADMIN)
def staff_list_view(request):
    return render(request, "web/practice/staff.html", {"members": staff.staff_list(user=request.user)})


@staff_page(roles=ADMIN)
@require_http_methods(["GET", "POST"])
def staff_invite_view(request):
    form = StaffInviteForm(request.POST if request.method == "POST" else None,
                           supervisors=staff.supervisors_of(request.user))
    errors = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            account = staff.staff_invite(user=request.user, username=data["username"], full_name=data["full_name"],
                                         email=data["email"], role=data["role"], licence=data["licence"],
                                         licence_number=data["licence_number"],
                                         supervisor_id=data["supervisor"] or None, base_url=_base_url(request))
        except ConfideError as exc:
            errors = [{"field": "", "message": str(exc)}]
        else:
            messages.success(request, f"Invitation sent to {account.full_name}. The link works once, for 3 days.")
            return redirect("staff_member", account_id=account.pk)
    status = 400 if form.is_bound and (form.errors or errors) else 200
    return render(request, "web/practice/staff_invite.html", {"form": form, "errors": errors}, status=status)


ACTIONS = {
    "reinvite": lambda r, pk, post: staff.staff_reinvite(user=r.user, account_id=pk, base_url=_base_url(r)),
    "password": lambda r, pk, post: staff.staff_password_reset(user=r.user, account_id=pk, base_url=_base_url(r)),
    "second_factor": lambda r, pk, post: staff.staff_second_factor_reset(user=r.user, account_id=pk),
    "unlock": lambda r, pk, post: staff.staff_unlock(user=r.user, account_id=pk),
    "role": lambda r, pk, post: staff.staff_role_change(user=r.user, account_id=pk, role=post.get("role", "")),
    "deactivate": lambda r, pk, post: staff.staff_deactivate(user=r.user, account_id=pk,
                                                             reassign_to=post.get("reassign_to") or None),
}
DONE = {"reinvite": "A new invitation was sent.", "password": "Their password no longer works; a reset link was sent.",
        "second_factor": "Their authenticator was removed; they set up a new one at their next sign-in.",
        "unlock": "They can sign in again.", "role": "Role changed.", "deactivate": "Deactivated."}


@staff_page(roles=ADMIN)
@require_http_methods(["GET", "POST"])
def staff_member_view(request, account_id):
    try:
        member = staff.staff_get(user=request.user, account_id=account_id)
    except ConfideError:
        raise Http404 from None
    errors = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            errors = [{"field": "", "message": "choose an action"}]
        else:
            try:
                moved = ACTIONS[action](request, member["id"], request.POST)
            except ConfideError as exc:
                errors = [{"field": f"{action}-form", "message": str(exc)}]
            else:
                done = DONE[action]
                if action == "deactivate" and moved:
                    done = f"Deactivated; their {moved} client(s) now have their new clinician."
                messages.success(request, done)
                return redirect("staff_member", account_id=member["id"])
    context = {"member": member, "role_label": role_word(member["role"]), "errors": errors,
               "role_form": RoleForm(initial={"role": member["role"]}),
               "deactivate_form": DeactivateForm(clinicians=staff.clinicians_of(request.user, excluding=member["id"]))}
    return render(request, "web/practice/staff_member.html", context, status=400 if errors else 200)


@staff_page(roles=ADMIN)
@require_http_methods(["GET", "POST"])
def portal_factor_reset_view(request):
    """A client (or parent) lost the phone with their portal authenticator: once the
    practice knows it is them, the admin removes it by the login name they give. The
    page shows no client and no list of logins."""
    errors = []
    if request.method == "POST":
        try:
            portal_second_factor.portal_factor_reset(user=request.user, username=request.POST.get("login", "")[:200])
        except ConfideError as exc:
            errors = [{"field": "id_login", "message": str(exc)}]
        else:
            messages.success(request, "Their second factor was removed: they sign in with their password alone, "
                                      "and may turn it on again from their portal.")
            return redirect("staff_portal_factor")
    return render(request, "web/practice/portal_factor.html", {"errors": errors}, status=400 if errors else 200)
