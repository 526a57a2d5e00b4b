"""API tokens: issued only after the second factor, expire (30 days by default),
record their last use, listed and revoked through the API and the command line."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.test import Client

from confide.apps.practice.models import ApiToken, SealedTOTPDevice
from confide.cli import main
from confide.core.errors import Unauthorized
from confide.services.tokens import token_create
from tests.conftest import current_code, issue_token


def _api(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_is_issued_only_after_the_second_factor(staff, counts):
    marsh = staff["marsh"]
    before = counts()
    for code in ("", "000000", "not a code"):
        with pytest.raises(Unauthorized):
            token_create(user=marsh, otp=code)
    assert counts() == before  # nothing issued, nothing recorded
    # django-otp slows a device after wrong codes; let this one try again at once
    SealedTOTPDevice.objects.filter(user=marsh).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert token_create(user=marsh, otp=current_code(marsh)).startswith("cfd_")


def test_the_api_issues_another_token_only_with_a_current_code(staff):
    marsh = staff["marsh"]
    api = _api(issue_token(marsh))
    refused = api.post("/api/v1/tokens", {"otp": "000000", "name": "phone"}, content_type="application/json")
    assert refused.status_code == 401
    SealedTOTPDevice.objects.filter(user=marsh).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    issued = api.post("/api/v1/tokens", {"otp": current_code(marsh), "name": "phone"},
                      content_type="application/json")
    assert issued.status_code == 201 and _api(issued.json()["token"]).get("/api/v1/me").status_code == 200


def test_tokens_expire_after_thirty_days_by_default(staff):
    token = issue_token(staff["marsh"])
    row = ApiToken.objects.get(user=staff["marsh"])
    assert timedelta(days=29, hours=23) < row.expires_at - row.created_at <= timedelta(days=30, minutes=1)
    assert _api(token).get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    assert _api(token).get("/api/v1/me").status_code == 401


def test_last_use_is_recorded(staff):
    token = issue_token(staff["marsh"])
    assert ApiToken.objects.get(user=staff["marsh"]).last_used_at is None
    _api(token).get("/api/v1/me")
    assert ApiToken.objects.get(user=staff["marsh"]).last_used_at is not None


def test_list_and_revoke_through_the_api(staff):
    marsh = staff["marsh"]
    keep, other = issue_token(marsh, name="desk"), issue_token(marsh, name="laptop")
    api = _api(keep)
    rows = api.get("/api/v1/tokens").json()
    assert {r["name"] for r in rows} == {"desk", "laptop"} and all(r["live"] for r in rows)
    laptop = next(r for r in rows if r["name"] == "laptop")
    assert api.delete(f"/api/v1/tokens/{laptop['id']}").json() == {"revoked": True}
    assert _api(other).get("/api/v1/me").status_code == 401
    assert api.get("/api/v1/me").status_code == 200
    # someone else's token id answers as a token that does not exist
    fontaine_token = issue_token(staff["fontaine"])
    fontaine_row = ApiToken.objects.get(user=staff["fontaine"])
    assert api.delete(f"/api/v1/tokens/{fontaine_row.pk}").status_code == 404
    assert _api(fontaine_token).get("/api/v1/me").status_code == 200


def test_list_and_revoke_on_the_command_line(staff, capsys, settings):
    marsh = staff["marsh"]
    assert main(["token", "marsh"]) == 1  # no code: refused
    assert "one-time code" in capsys.readouterr().err
    assert main(["token", "marsh", "--otp", current_code(marsh), "--name", "cron"]) == 0
    token = capsys.readouterr().out.strip()
    row = ApiToken.objects.get(user=marsh, name="cron")
    assert main(["token", "marsh", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "cron" in listing and "live" in listing and token not in listing
    assert main(["token", "marsh", "--revoke", str(row.pk)]) == 0
    assert _api(token).get("/api/v1/me").status_code == 401
    assert main(["token", "marsh", "--list"]) == 0
    assert "revoked" in capsys.readouterr().out


def test_a_portal_account_needs_no_code(staff):
    assert token_create(user=staff["lvarga"], otp="").startswith("cfd_")
