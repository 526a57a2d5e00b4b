"""Releases of information, for the client's clinician: prepare one from the template
of its kind (every element of 45 CFR 164.508(c), or of 42 CFR 2.31 for a Part 2
consent; psychotherapy-notes authorizations alone), send it to the client's portal to
sign, follow it (draft, signed, expired, revoked), upload a wet-signed copy, record a
written revocation or an expiry event, and read the signed document."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, InvalidInput, NotFound, Refused
from confide.core.policy import CATEGORIES, RECIPIENTS
from confide.services import words
from confide.services.disclosures import releases
from confide.services.disclosures.overview import client_heading
from confide.services.practice_time import local_today
from confide.web.shell import staff_page

CLINICAL = frozenset({"clinician", "supervisor"})
KIND_LABELS = {"hipaa": "Authorization (HIPAA)", "part2": "Part 2 consent (substance use records)",
               "psychotherapy_notes": "Psychotherapy-notes authorization"}
ELEMENTS = (
    ("What information", "a specific and meaningful description (164.508(c)(1)(i))"),
    ("Who may disclose it", "the person or class of persons (164.508(c)(1)(ii))"),
    ("Who may receive it", "the person or class of persons (164.508(c)(1)(iii))"),
    ("Why", "each purpose, or \"at the request of the individual\" (164.508(c)(1)(iv))"),
    ("When it ends", "an expiry date or an expiry event (164.508(c)(1)(v))"),
    ("Signature and date", "given by the client in the portal, or on paper (164.508(c)(1)(vi))"),
    ("Right to revoke, signing is voluntary, redisclosure", "fixed statements, printed on it (164.508(c)(2))"),
)


def categories_for(kind: str) -> list[tuple[str, str]]:
    """The categories a release of this kind may name (the compounding rules of
    164.508(b)(3) and 42 CFR 2.31, as releases.check_categories enforces them)."""
    if kind == "psychotherapy_notes":
        allowed = ["psychotherapy_notes"]
    elif kind == "part2":
        allowed = [c for c in sorted(CATEGORIES) if c != "psychotherapy_notes"]
    else:
        allowed = [c for c in sorted(CATEGORIES) if c not in ("psychotherapy_notes", "substance_use")]
    return [(c, words.category_word(c)) for c in allowed]


def _data(post, kind: str) -> dict:
    data = {"description": post.get("description", "")[:2001],
            "categories": [c[:40] for c in post.getlist("categories")[:len(CATEGORIES) + 1]],
            "discloser": post.get("discloser", "")[:201],
            "recipient": {"name": post.get("recipient_name", "")[:201], "kind": post.get("recipient_kind", "")[:40],
                          "address": post.get("recipient_address", "")[:401]},
            "purposes": [p.strip()[:301] for p in post.get("purposes", "")[:3200].splitlines() if p.strip()][:11],
            "expires_on": post.get("expires_on", "")[:10] or None,
            "expiry_event": post.get("expiry_event", "")[:301] or None}
    if post.get("purpose_of_use"):
        data["purpose_of_use"] = post.get("purpose_of_use")[:20]
    if kind == "part2":
        data["sud_description"] = post.get("sud_description", "")[:2001]
    return data


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def releases_view(request, client_id):
    """The client's releases with their state, and the template of each kind."""
    client = client_heading(user=request.user, client_id=client_id, view="releases")
    kind = request.POST.get("kind", request.GET.get("kind", "hipaa"))
    kind = kind if kind in releases.KINDS else "hipaa"
    error = ""
    if request.method == "POST":
        try:
            rid = releases.release_create(user=request.user, client_id=client["id"], kind=kind,
                                          data=_data(request.POST, kind))
            messages.success(request, "Prepared. Read it through, then send it to the client's portal to sign.")
            return redirect(f"/clients/{client['id']}/releases/{rid}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    statements = releases.STATEMENTS[releases.STATEMENTS_VERSION][kind]
    return render(request, "web/releases/releases.html", {
        "client": client, "releases": [{**r, "label": releases.LABEL.get(r["kind"], "Release")}
                                       for r in releases.release_list(user=request.user, client_id=client["id"])],
        "kind": kind, "kinds": KIND_LABELS, "title": releases.TITLE[kind], "elements": ELEMENTS,
        "categories": categories_for(kind), "recipient_kinds": sorted(RECIPIENTS),
        "purpose_codes": sorted(releases.PURPOSE_CODES), "form": request.POST,
        "chosen": request.POST.getlist("categories"), "error": error,
        "statements": [(releases.STATEMENT_HEADINGS[k], v.format(practice=request.user.practice.name))
                       for k, v in statements.items()],
        "discloser": request.POST.get("discloser", request.user.practice.name)},
        status=400 if error else 200)


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def release_view(request, client_id, release_id):
    """One release in full, its state, and what may be done with it now."""
    client = client_heading(user=request.user, client_id=client_id, view="release")
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("do", "")
        try:
            if action == "send":
                releases.release_send(user=request.user, client_id=client["id"], release_id=release_id[:64])
                messages.success(request, "Sent: the client can read and sign it in their portal.")
            elif action == "upload":
                upload = request.FILES.get("document")
                if upload is None:
                    raise InvalidInput("document: choose the scanned or photographed signed copy")
                if upload.size > releases.MAX_SIGNED_PDF_BYTES:
                    raise InvalidInput(f"document: larger than {releases.MAX_SIGNED_PDF_BYTES} bytes")
                signed = releases.release_upload_signed(
                    user=request.user, client_id=client["id"], release_id=release_id[:64],
                    pdf_base64=base64.b64encode(upload.read()).decode("ascii"),
                    signer_name=request.POST.get("signer_name", "")[:201],
                    signer_role=request.POST.get("signer_role", "client")[:20],
                    representative_authority=request.POST.get("representative_authority", "")[:501] or None,
                    signed_on=request.POST.get("signed_on", "")[:10] or None)
                messages.success(request, f"Signed copy stored. SHA-256 {signed['document_sha256']}")
            elif action == "revoke":
                releases.release_revoke(user=request.user, client_id=client["id"], release_id=release_id[:64],
                                        how=request.POST.get("how", "")[:501])
                messages.success(request, "Revoked: from now on it permits nothing.")
            elif action == "expiry_event":
                releases.release_expire_event(user=request.user, client_id=client["id"],
                                              release_id=release_id[:64],
                                              occurred_on=request.POST.get("occurred_on", "")[:10],
                                              note=request.POST.get("note", "")[:501])
                messages.success(request, "Recorded: the release has ended.")
            else:
                raise InvalidInput("choose what to do")
            return redirect(f"/clients/{client['id']}/releases/{release_id}/")
        except NotFound:
            raise
        except Refused as exc:
            error, status = str(exc), 403
        except ConfideError as exc:
            error, status = str(exc), exc.status
    release = releases.release_get(user=request.user, client_id=client["id"], release_id=release_id)
    return render(request, "web/releases/release.html", {
        "client": client, "r": release, "kind_label": KIND_LABELS.get(release["kind"], ""),
        "title": releases.TITLE.get(release["kind"], "Release"), "error": error,
        "today": local_today(request.user.practice_id).isoformat(),
        "categories": [(c, words.category_word(c)) for c in release["categories"]]}, status=status)


@staff_page(roles=CLINICAL)
@require_http_methods(["GET"])
def release_document_view(request, client_id, release_id):
    """The document: exactly as signed or uploaded; a draft as it would print."""
    data, content_type = releases.release_document(user=request.user, client_id=client_id, release_id=release_id)
    response = HttpResponse(data, content_type=content_type)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[content_type]
    response["Content-Disposition"] = f'inline; filename="release.{extension}"'
    return response
