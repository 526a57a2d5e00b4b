"""The client's releases, in their portal: read one in full, sign it with their typed
name, see the SHA-256 of the signed document (kept with the release), and revoke it
from now on. A parent signs for a child who did not consent to the care alone; where
the child did, the parent is told the releases are the child's."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, InvalidInput, NotFound, Refused
from confide.services import reports, words
from confide.services.disclosures import releases
from confide.services.practice_time import local_today

PORTAL_ROLES = ("client", "representative")


def _who(request, next_url: str):
    user = request.user
    if not user.is_authenticated:
        return None, redirect(f"{settings.LOGIN_URL}?next={next_url}")
    if user.role not in PORTAL_ROLES:
        return None, redirect("/")
    return user, None


def _shown(release: dict) -> bool:
    """A draft reaches the portal once the clinician sends it; anything signed, revoked
    or ended is always shown."""
    return release["status"] != "draft" or bool(release.get("sent_at"))


@require_http_methods(["GET"])
def portal_releases(request):
    user, away = _who(request, "/portal/releases/")
    if away:
        return away
    try:
        mine = releases.release_list(user=user, client_id=reports.my_client_id(user))
    except Refused as exc:
        return render(request, "portal/releases.html", {"releases": [], "refused": str(exc)})
    except NotFound:
        mine = []
    return render(request, "portal/releases.html", {
        "releases": [{**r, "label": releases.LABEL.get(r["kind"], "Release")} for r in mine if _shown(r)]})


@require_http_methods(["GET", "POST"])
def portal_release(request, release_id):
    user, away = _who(request, f"/portal/releases/{release_id}/")
    if away:
        return away
    try:
        client_id = reports.my_client_id(user)
        release = releases.release_get(user=user, client_id=client_id, release_id=release_id)
    except Refused as exc:
        return render(request, "portal/releases.html", {"releases": [], "refused": str(exc)})
    except NotFound:
        release = None
    if release is None or not _shown(release):
        return render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("do") == "sign":
                if request.POST.get("confirm") != "yes":
                    raise InvalidInput("confirm: tick the box to say you read the release and sign it")
                releases.release_sign(user=user, client_id=client_id, release_id=release_id,
                                      typed_name=request.POST.get("typed_name", "")[:201],
                                      representative_authority=request.POST.get("representative_authority",
                                                                                "")[:501] or None)
            elif request.POST.get("do") == "revoke":
                if request.POST.get("confirm") != "yes":
                    raise InvalidInput("confirm: tick the box to say you want to revoke it")
                releases.release_revoke(user=user, client_id=client_id, release_id=release_id,
                                        how="revoked by the client in the portal" if user.role == "client"
                                        else "revoked by the personal representative in the portal")
            else:
                raise InvalidInput("choose sign or revoke")
            return redirect(f"/portal/releases/{release_id}/")
        except NotFound:
            return render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)
        except ConfideError as exc:
            error, status = str(exc), exc.status
    return render(request, "portal/release.html", {
        "r": release, "title": releases.TITLE.get(release["kind"], "Release"), "error": error,
        "categories": [words.category_word(c) for c in release["categories"]],
        "today": local_today(user.practice_id)}, status=status)


@require_http_methods(["GET"])
def portal_release_document(request, release_id):
    user, away = _who(request, f"/portal/releases/{release_id}/")
    if away:
        return away
    try:
        client_id = reports.my_client_id(user)
        release = releases.release_get(user=user, client_id=client_id, release_id=release_id)
        if not _shown(release):
            raise NotFound()
        data, content_type = releases.release_document(user=user, client_id=client_id, release_id=release_id)
    except (NotFound, Refused):
        return render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = "inline"
    return response
