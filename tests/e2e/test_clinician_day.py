"""A clinician's day in the browser: sign in with password and one-time code, see
today's sessions, open a client's chart from them, move through its tabs, find a client
(htmx answers in place), and the home page at phone width. axe-core
finds no serious or critical violation on any page, and no page breaks the
Content-Security-Policy."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in


def test_clinician_signs_in_sees_today_and_moves_through_a_chart(page, e2e_server, csp_errors):
    page.goto(f"{e2e_server.base_url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    axe_check(page)

    sign_in(page, e2e_server, "marsh")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Today")).to_have_attribute(
        "aria-current", "page")
    sessions = page.get_by_role("table").filter(has_text="11:00 AM")
    expect(sessions).to_be_visible()
    axe_check(page)

    sessions.get_by_role("link").first.click()
    expect(page.get_by_role("navigation", name="Chart sections")).to_be_visible()
    expect(page.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    axe_check(page)

    tabs = page.get_by_role("navigation", name="Chart sections")
    for tab, shows in (("Notes", "Progress notes"), ("Plan", "Treatment plan"), ("Diagnoses", "Diagnoses"),
                       ("Measures", "Questionnaire scores"), ("Appointments", "Appointments")):
        tabs.get_by_role("link", name=tab, exact=True).click()
        expect(tabs.get_by_role("link", name=tab, exact=True)).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", level=2, name=shows).first).to_be_visible()
        axe_check(page)

    page.get_by_role("link", name="Back to clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    axe_check(page)
    rows_before = page.locator("#client-results tbody tr").count()

    # The search answers in place (htmx, under the strict policy) and the address follows.
    assert page.evaluate("typeof htmx") == "object"
    page.get_by_label("Find a client").fill("Lena")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/clients/\?q=Lena$"))
    expect(page.locator("#client-results tbody tr")).to_have_count(1)
    expect(page.locator("#client-results")).to_contain_text("Elena Marisol Varga-Trent")
    assert rows_before > 1
    axe_check(page)

    page.set_viewport_size({"width": 375, "height": 800})  # a phone
    page.goto(f"{e2e_server.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    axe_check(page)
    assert csp_errors == []
