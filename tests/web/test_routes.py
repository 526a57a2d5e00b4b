"""Every URL pattern of the web and the portal (walked from the resolver, so new pages
are covered without editing this file), visited by anonymous, a client, a parent and
each staff role: who may enter, who is sent where, and never a 500."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.web.signin import signed_in

PUBLIC = ("login/", "setup/", "invitation/<str:token>/")  # pages anyone may open (setup: only on an empty server, else to sign in)
PORTAL_PREFIX = "portal/"
STAFF = ("marsh", "okafor", "lindqvist", "pellham", "fontaine", "haddad")
PORTAL = ("lvarga", "acastellanos")


STAFF_ROLE_OF = {"marsh": "clinician", "okafor": "supervisor", "lindqvist": "clinician", "pellham": "biller",
                 "fontaine": "front_desk", "haddad": "practice_admin"}
# Staff pages every staff role may open: the home, and the pages about one client, where
# the PDP (not the page) decides who sees what. Any other staff page names its roles.
OPEN_TO_ALL_STAFF = ("", "logout/")
# Pages with a guard of their own: signing out, and enrolling the second factor (a
# signed-in user not yet verified, whom staff_page would sign out).
SELF_GUARDED = ("logout/", "enrol/")
PER_CLIENT_PREFIX = "clients/<str:client_id>/"


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _views(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _views(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def page_routes() -> list[str]:
    """Every route outside the JSON API (which its own tests walk from its document)."""
    return sorted({r for r in _walk(get_resolver().url_patterns) if not r.startswith("api/")})


def fill(route: str, client_id: str) -> str:
    """A URL for the route: the client is one the clinician treats; any other id is random."""
    out = route.replace("<str:client_id>", client_id)
    while "<" in out:
        start, end = out.index("<"), out.index(">")
        out = out[:start] + str(uuid.uuid4()) + out[end + 1:]
    return "/" + out


def kind(route: str) -> str:
    if route in PUBLIC or route == "logout/":
        return "public"
    return "portal" if route.startswith(PORTAL_PREFIX) else "staff"


def test_the_walk_sees_the_pages():
    routes = page_routes()
    assert "" in routes and "clients/<str:client_id>/" in routes and "portal/" in routes and "login/" in routes


@pytest.mark.parametrize("route", page_routes())
def test_anonymous_is_sent_to_sign_in(db, cid, route):
    response = Client().get(fill(route, str(cid["c1"])))
    assert response.status_code < 500
    if kind(route) == "public":
        assert response.status_code in (200, 302, 404, 405)
    else:
        assert response.status_code == 302 and response["Location"].startswith("/login/"), response.status_code


@pytest.mark.parametrize("username", PORTAL)
def test_portal_people_never_enter_staff_pages(staff, cid, username):
    web = signed_in(staff[username])
    for route in page_routes():
        response = web.get(fill(route, str(cid["c1"])))
        assert response.status_code < 500, (route, response.status_code)
        if kind(route) == "staff":
            assert response.status_code == 302 and response["Location"] == "/portal/", (route, response.status_code)
        elif kind(route) == "portal":
            assert response.status_code in (200, 404, 405), (route, response.status_code)


@pytest.mark.parametrize("username", STAFF)
def test_staff_never_enter_portal_pages_and_get_no_500(staff, cid, username):
    web = signed_in(staff[username])
    for route in page_routes():
        response = web.get(fill(route, str(cid["c1"])))
        assert response.status_code < 500, (route, response.status_code)
        if kind(route) == "portal":
            assert response.status_code == 302 and response["Location"] == "/", (route, response.status_code)
        elif kind(route) == "staff":
            assert response.status_code in (200, 302, 400, 404, 405), (route, response.status_code)
            if response.status_code == 302:  # only ever onward inside the staff pages, never to sign in
                assert not response["Location"].startswith(("/login/", "/portal/")), (route, response["Location"])


def test_every_staff_role_has_a_home(staff):
    for username in STAFF:
        assert signed_in(staff[username]).get("/").status_code == 200, username


def test_every_staff_page_has_its_guard_and_a_role_check():
    """A staff page is wrapped by `staff_page`; one that is neither the home nor a page
    about one client (where the PDP decides) names the staff roles that may enter. A new
    page without them fails here."""
    for route, view in _views(get_resolver().url_patterns):
        if route.startswith("api/") or kind(route) != "staff" or route in SELF_GUARDED:
            continue
        assert hasattr(view, "staff_roles"), f"{route}: not a staff_page"
        if route in OPEN_TO_ALL_STAFF or route.startswith(PER_CLIENT_PREFIX):
            continue
        assert view.staff_roles, f"{route}: staff_page(roles=...) names who may enter"


@pytest.mark.parametrize("username", STAFF)
def test_staff_outside_a_pages_roles_get_not_found(staff, cid, username):
    role = STAFF_ROLE_OF[username]
    web = signed_in(staff[username])
    for route, view in _views(get_resolver().url_patterns):
        roles = getattr(view, "staff_roles", None)
        if route.startswith("api/") or kind(route) != "staff" or roles is None:
            continue
        response = web.get(fill(route, str(cid["c1"])))
        if role in roles:
            assert response.status_code != 404 or "<" in route, (route, role)
        else:
            assert response.status_code == 404, (route, role, response.status_code)


def test_obligations_is_for_those_who_act_on_them(staff):
    """Issue found in use: /obligations/ let every staff role in."""
    assert Client().get("/obligations/").status_code == 302
    assert signed_in(staff["marsh"]).get("/obligations/").status_code == 200
    assert signed_in(staff["okafor"]).get("/obligations/").status_code == 200
    for username in ("pellham", "fontaine"):
        assert signed_in(staff[username]).get("/obligations/").status_code == 404, username
    # the privacy officer: only the notices owed of the amendments they accepted, by reference
    officer = signed_in(staff["haddad"]).get("/obligations/")
    assert officer.status_code == 200 and "Record requests on the clock" not in officer.content.decode()
    for username in PORTAL:
        response = signed_in(staff[username]).get("/obligations/")
        assert response.status_code == 302 and response["Location"] == "/portal/"
