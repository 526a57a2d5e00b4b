"""A client asks to amend their record in the portal; the privacy officer denies it in
writing on an allowed ground; the client files a statement of disagreement; the
clinician's later disclosure of the client's notes carries the request, the denial and
the disagreement (45 CFR 164.526(d)(5)), shown in the preview before anything leaves.
axe-core finds no serious or critical violation on any page visited."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in

CHANGE = "My notes say I drink every day; I drink once a week."
EXPLANATION = "You described drinking daily in two sessions; the note records what you said."
DISAGREEMENT = "I described one bad week, not my life; daily drinking is not true of me."
RECIPIENT = "Dr. Wren Abernathy-Osei"


def test_a_denied_amendment_travels_with_a_later_disclosure(browser, e2e_server, csp_errors):
    lena = browser.new_context(base_url=e2e_server.base_url).new_page()
    sign_in(lena, e2e_server, "lvarga", staff=False)
    lena.goto(f"{e2e_server.base_url}/portal/")
    lena.get_by_role("link", name="Ask to amend your record").click()
    expect(lena.get_by_role("heading", level=1)).to_have_text("Ask to amend your record")
    axe_check(lena)
    lena.get_by_label("What should be changed, and how").fill(CHANGE)
    lena.get_by_label("Why", exact=True).fill("It is wrong, and others may read it.")
    lena.get_by_label("Which part of your record").fill("My progress notes")
    lena.get_by_role("button", name="Ask to amend my record").click()
    expect(lena.get_by_role("status")).to_contain_text("Your request was received")
    axe_check(lena)

    # The privacy officer decides it from the dashboard: denied in writing, on a ground.
    officer = browser.new_context(base_url=e2e_server.base_url)
    admin = officer.new_page()
    sign_in(admin, e2e_server, "haddad")
    admin.goto(f"{e2e_server.base_url}/privacy/amendments/")
    axe_check(admin)
    admin.get_by_role("link", name="Decide").first.click()
    expect(admin.get_by_text(CHANGE)).to_be_visible()
    axe_check(admin)
    admin.get_by_label(re.compile("The record is accurate and complete")).check()
    admin.get_by_label("Explanation the client will read").fill(EXPLANATION)
    admin.get_by_role("button", name="Deny", exact=True).click()
    expect(admin.get_by_role("status")).to_contain_text("Denied in writing")
    axe_check(admin)
    officer.close()

    # The client reads the denial and files a statement of disagreement.
    lena.reload()
    card = lena.get_by_role("article").filter(has_text=CHANGE)
    expect(card).to_contain_text(EXPLANATION)
    expect(card).to_contain_text("accurate and complete")
    axe_check(lena)
    card.get_by_label("Your statement of disagreement").fill(DISAGREEMENT)
    card.get_by_role("button", name="File my statement").click()
    expect(lena.get_by_role("status")).to_contain_text("Your statement of disagreement was filed")
    expect(lena.get_by_role("article").filter(has_text=CHANGE)).to_contain_text(
        "your request, our denial, your statement")
    axe_check(lena)

    # Later, the clinician discloses the client's notes under a release the client signs.
    page = browser.new_context(base_url=e2e_server.base_url).new_page()
    sign_in(page, e2e_server, "marsh")
    page.goto(f"{e2e_server.base_url}/clients/")
    page.get_by_label("Find a client").fill("Lena")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#client-results tbody tr")).to_have_count(1)
    page.locator("#client-results").get_by_role("link").first.click()
    expect(page.get_by_role("navigation", name="Chart sections")).to_be_visible()
    chart = page.url
    page.get_by_role("link", name="Releases").click()
    page.get_by_label("1. What information, described for the client").fill(
        "My progress notes, so my new psychiatrist knows my history")
    page.locator("input[name=categories][value=progress_notes]").check()
    page.get_by_label("3. Who may receive it").fill(RECIPIENT)
    page.get_by_label("3. They are").select_option("provider")
    page.get_by_label("4. Why (one purpose a line").fill("Coordination of my care")
    page.get_by_label("5. or ends when (an event)").fill("When my treatment here ends")
    page.get_by_role("button", name="Prepare it").click()
    page.get_by_role("button", name="Send to the client's portal to sign").click()
    expect(page.get_by_text("sent to the client's portal")).to_be_visible()

    lena.get_by_role("navigation", name="Main").get_by_role("link", name="Releases").click()
    lena.get_by_role("row").filter(has_text=RECIPIENT).get_by_role("link").click()
    lena.get_by_label("Type your full name to sign").fill("Elena Marisol Varga-Trent")
    lena.get_by_label(re.compile("I have read this release in full")).check()
    lena.get_by_role("button", name="Sign", exact=True).click()
    expect(lena.get_by_text("Signed: in force")).to_be_visible()

    page.goto(chart.rstrip("/") + "/disclosures/")
    page.get_by_role("link", name="Under the client's release").click()
    release = page.locator("#release_id option").filter(has_text=RECIPIENT).get_attribute("value")
    page.get_by_label("Release", exact=True).select_option(release)
    page.get_by_role("button", name="Preview what would leave").click()
    expect(page.get_by_role("heading", name="Preview: exactly what would leave")).to_be_visible()
    notices = page.locator("p").filter(has_text="amendment dispute")
    expect(notices).to_contain_text(CHANGE)
    expect(notices).to_contain_text(EXPLANATION)
    expect(notices).to_contain_text(DISAGREEMENT)
    axe_check(page)
    page.get_by_role("button", name="Send this").click()
    expect(page.get_by_role("status")).to_contain_text("Sent:")
    expect(page.get_by_role("table").filter(has_text=RECIPIENT)).to_be_visible()
    axe_check(page)
    assert csp_errors == []
