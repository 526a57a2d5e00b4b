"""What every response says about caching, scripts and transport, and how long a
session lives: no page or API answer is kept by a cache, no inline script can run,
cookies and HSTS over https behind the proxy, and a session ends at its absolute
lifetime however busy it was kept."""

from __future__ import annotations

import time

from django.test import Client

from confide.services.sessions import SIGNED_IN_AT
from tests.web.signin import signed_in


def test_every_authenticated_page_and_api_answer_is_no_store(staff, api_client, cid):
    marsh = signed_in(staff["marsh"])
    for path in ("/", "/clients/", f"/clients/{cid['c1']}/"):
        response = marsh.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path
    api = api_client(staff["marsh"])
    for path in ("/api/v1/clients", f"/api/v1/clients/{cid['c1']}", "/api/v1/clients/not-a-client"):
        assert api.get(path)["Cache-Control"] == "no-store", path
    portal = signed_in(staff["lvarga"]).get("/portal/")
    assert portal.status_code == 200 and portal["Cache-Control"] == "no-store"


def test_the_policy_forbids_inline_script_and_style(staff):
    response = signed_in(staff["marsh"]).get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert b"<script>" not in response.content and b" style=" not in response.content


def test_behind_the_proxy_cookies_are_secure_and_hsts_is_sent(settings, staff):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_TRUSTED_ORIGINS = ["https://confide.example.org"]
    settings.ALLOWED_HOSTS = ["confide.example.org"]
    client = Client(enforce_csrf_checks=True, HTTP_HOST="confide.example.org", HTTP_X_FORWARDED_PROTO="https")
    page = client.get("/login/")
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page.cookies["csrftoken"]["secure"]
    token = page.cookies["csrftoken"].value
    from confide.services.demo.data import DEMO_PASSWORD
    from tests.web.signin import otp_code

    # What failed behind a TLS proxy before: the browser's https Origin is trusted.
    signed = client.post("/login/", {"username": "marsh", "password": DEMO_PASSWORD, "otp": otp_code(staff["marsh"]),
                                     "csrfmiddlewaretoken": token},
                         HTTP_ORIGIN="https://confide.example.org", HTTP_REFERER="https://confide.example.org/login/")
    assert signed.status_code == 302
    assert signed.cookies["sessionid"]["secure"] and signed.cookies["sessionid"]["httponly"]
    forged = Client(enforce_csrf_checks=True, HTTP_HOST="confide.example.org", HTTP_X_FORWARDED_PROTO="https")
    forged.get("/login/")
    refused = forged.post("/login/", {"username": "marsh", "password": DEMO_PASSWORD,
                                      "csrfmiddlewaretoken": forged.cookies["csrftoken"].value},
                          HTTP_ORIGIN="https://evil.example", HTTP_REFERER="https://evil.example/")
    assert refused.status_code == 403


def test_a_session_ends_at_its_absolute_lifetime_however_busy(settings, staff):
    client = signed_in(staff["marsh"])
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.CONFIDE_SESSION_MAX_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/").status_code == 302  # signed out for good, not just this once


def test_a_session_without_its_sign_in_time_is_not_honoured(staff):
    client = Client()
    client.force_login(staff["marsh"])  # a session no sign-in made (a forged or legacy row)
    assert client.get("/").status_code == 302
