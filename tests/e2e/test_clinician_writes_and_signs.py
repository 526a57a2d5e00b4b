"""A clinician writes and signs a note in the browser: opens a chart from the client
list, starts a SOAP note, the draft saves itself as they type (htmx, under the strict
policy), signs it (locked: no more text boxes), and adds an addendum that shows with
its author. axe-core on every page; no page breaks the Content-Security-Policy."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in


def test_clinician_writes_a_soap_note_signs_it_and_adds_an_addendum(page, e2e_server, csp_errors):
    sign_in(page, e2e_server, "marsh")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    page.locator("#client-results").get_by_role("link").first.click()
    tabs = page.get_by_role("navigation", name="Chart sections")
    tabs.get_by_role("link", name="Notes", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Write a progress note")).to_be_visible()
    axe_check(page)

    page.get_by_label("Template").select_option("SOAP")
    page.get_by_role("button", name="Start the note").click()
    expect(page).to_have_url(re.compile(r"/notes/[0-9a-f-]{36}/$"))
    note_url = page.url
    axe_check(page)

    # The draft saves itself while the clinician types.
    with page.expect_response(lambda r: r.url.endswith("/save/"), timeout=15000) as first:
        page.get_by_label("Subjective").fill("Reports sleeping six hours most nights; worry lower at work.")
    assert first.value.status == 200
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")
    page.get_by_label("Objective").fill("Calm, engaged, good eye contact.")
    page.get_by_label("Assessment").fill("Sleep goal improving.")
    with page.expect_response(lambda r: r.url.endswith("/save/") and "next%20session" in (r.request.post_data or ""),
                              timeout=15000) as saved:
        page.get_by_label("Plan", exact=True).fill("Continue the worry log; next session in a week.")
    assert saved.value.status == 200
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")
    page.reload()  # what was typed is on the server
    expect(page.get_by_label("Objective")).to_have_value("Calm, engaged, good eye contact.", timeout=10000)
    expect(page.get_by_label("Plan", exact=True)).to_have_value("Continue the worry log; next session in a week.")

    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_role("status").filter(has_text="Signed and locked.")).to_be_visible()
    expect(page.get_by_label("Subjective")).to_have_count(0)  # locked: nothing to edit
    expect(page.get_by_text("Reports sleeping six hours most nights")).to_be_visible()
    axe_check(page)

    page.get_by_role("textbox", name="Addendum").fill("Correction: the client sleeps seven hours on weekends.")
    page.get_by_role("button", name="Add the addendum").click()
    addenda = page.get_by_role("region", name="Addenda", exact=True)
    expect(addenda).to_contain_text("Correction: the client sleeps seven hours on weekends.")
    expect(addenda).to_contain_text("Theo Marsh-Calloway")
    assert page.url == note_url
    axe_check(page)

    page.get_by_role("link", name="All notes").click()
    expect(page.get_by_role("table").first).to_contain_text("signed")
    axe_check(page)
    assert csp_errors == []
