"""Releases, disclosures and exceptions in the browser, each a person doing a real task:
a client signs a release in the portal and the clinician's disclosure under it succeeds
and appears in the client's accounting, then the client revokes and the next one is
refused in words; a duty to warn from the threat to the packets to the obligation; a
subpoena held, then released on the requester's assurance. Nothing leaves before the
clinician confirms the preview. axe-core finds no serious or critical violation on any
page visited."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in

HASH = re.compile(r"^[0-9a-f]{64}$")


def _open_lenas_chart(page, server) -> str:
    """From the client list to Lena's chart, as the clinician would; the chart's URL."""
    page.goto(f"{server.base_url}/clients/")
    page.get_by_label("Find a client").fill("Lena")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#client-results tbody tr")).to_have_count(1)
    page.locator("#client-results").get_by_role("link").first.click()
    expect(page.get_by_role("navigation", name="Chart sections")).to_be_visible()
    return page.url


def test_release_signed_then_revoked(page, browser, e2e_server, csp_errors):
    sign_in(page, e2e_server, "marsh")
    _open_lenas_chart(page, e2e_server)
    page.get_by_role("link", name="Releases").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Releases")
    axe_check(page)
    page.get_by_label("1. What information, described for the client").fill(
        "My diagnosis and treatment plan, so my physician can coordinate my care")
    page.locator("input[name=categories][value=diagnosis]").check()
    page.locator("input[name=categories][value=treatment_plan]").check()
    page.get_by_label("3. Who may receive it").fill("Dr. Ines Halvorsen")
    page.get_by_label("3. They are").select_option("provider")
    page.get_by_label("4. Why (one purpose a line").fill("Coordination of my care")
    page.get_by_label("5. or ends when (an event)").fill("When my treatment here ends")
    page.get_by_role("button", name="Prepare it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authorization to release health information")
    axe_check(page)
    page.get_by_role("button", name="Send to the client's portal to sign").click()
    expect(page.get_by_text("sent to the client's portal")).to_be_visible()

    # The client, in their own browser, reads it in full and signs.
    lena = browser.new_context(base_url=e2e_server.base_url).new_page()
    sign_in(lena, e2e_server, "lvarga", staff=False)
    lena.get_by_role("navigation", name="Main").get_by_role("link", name="Releases").click()
    axe_check(lena)
    lena.get_by_role("link", name=re.compile("Authorization", re.I)).first.click()
    expect(lena.get_by_text("Dr. Ines Halvorsen").first).to_be_visible()
    expect(lena.get_by_text("Your right to revoke", exact=False)).to_be_visible()
    axe_check(lena)
    lena.get_by_label("Type your full name to sign").fill("Elena Marisol Varga-Trent")
    lena.get_by_label(re.compile("I have read this release in full")).check()
    lena.get_by_role("button", name="Sign", exact=True).click()
    expect(lena.get_by_text("Signed: in force")).to_be_visible()
    digest = lena.locator("code.hash").inner_text().strip()
    assert HASH.match(digest), digest
    axe_check(lena)

    # The clinician previews the disclosure under it, then sends it.
    page.goto(page.url.split("/releases/")[0] + "/disclosures/")
    axe_check(page)
    page.get_by_role("link", name="Under the client's release").click()
    page.get_by_role("button", name="Preview what would leave").click()
    expect(page.get_by_role("heading", name="Preview: exactly what would leave")).to_be_visible()
    expect(page.get_by_text("Nothing has left yet.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Send this").click()
    expect(page.get_by_role("status")).to_contain_text("Sent:")
    expect(page.get_by_role("table").filter(has_text="Dr. Ines Halvorsen")).to_be_visible()
    axe_check(page)

    # It is in the client's accounting.
    lena.get_by_role("navigation", name="Main").get_by_role("link", name="Shared with others").click()
    expect(lena.get_by_role("table")).to_contain_text("Dr. Ines Halvorsen")
    axe_check(lena)

    # The client revokes; the next disclosure is refused in words.
    lena.get_by_role("navigation", name="Main").get_by_role("link", name="Releases").click()
    lena.get_by_role("link", name=re.compile("Authorization", re.I)).first.click()
    lena.get_by_label("I revoke this release from now on.").check()
    lena.get_by_role("button", name="Revoke").click()
    expect(lena.get_by_text("Revoked: nothing more is shared under it")).to_be_visible()
    axe_check(lena)
    lena.context.close()

    page.reload()
    page.get_by_role("link", name="Under the client's release").click()
    page.get_by_role("button", name="Preview what would leave").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Refused: nothing left the practice")
    expect(refusal).to_contain_text("revoked")
    axe_check(page)
    assert csp_errors == []


def test_duty_to_warn(page, e2e_server, csp_errors):
    sign_in(page, e2e_server, "marsh")
    chart = _open_lenas_chart(page, e2e_server)
    page.get_by_role("link", name="Disclosures and exceptions").click()
    page.get_by_role("link", name="Duty to warn or protect").click()
    expect(page.get_by_text("RCW §71.05.120(2)", exact=False).first).to_be_visible()
    expect(page.get_by_text("verification P").first).to_be_visible()
    axe_check(page)
    page.get_by_label("What the client threatened").fill("Said he will hurt his neighbour Rowan tonight")
    page.get_by_label("Who is at risk (name)").fill("Rowan Pike")
    page.get_by_label("How to reach them (optional)").fill("253-555-0177")
    page.get_by_label("How soon").select_option("imminent")
    page.get_by_role("button", name="Record the threat").click()
    expect(page.get_by_text("The state's rule still requires")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Preview warn person").click()
    preview = page.get_by_role("region", name="Preview: exactly what would leave")
    expect(preview).to_contain_text("Said he will hurt his neighbour Rowan tonight")
    incident = preview.locator("dl.packet-entry").filter(has_text="Said he will hurt his neighbour Rowan tonight")
    expect(incident).not_to_contain_text("253-555-0177")  # the person warned knows how to reach themselves
    axe_check(page)
    page.get_by_role("button", name="Send this").click()
    expect(page.get_by_role("status")).to_contain_text("Sent:")

    page.get_by_label("Recipient").first.fill("Tacoma Police Department")
    page.get_by_role("button", name="Preview notify police").click()
    expect(page.get_by_role("region", name="Preview: exactly what would leave")).to_contain_text(
        "Tacoma Police Department")
    page.get_by_role("button", name="Send this").click()
    expect(page.get_by_text("The state's rule still requires")).to_have_count(0)
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Obligations").click()
    owed = page.get_by_role("row").filter(has_text="Tacoma Police Department")
    expect(owed).to_be_visible()
    axe_check(page)
    owed.get_by_label("How the client was told, or why not").fill("Told in session, Tuesday")
    owed.get_by_role("button", name="Close").click()
    expect(page.get_by_role("row").filter(has_text="Tacoma Police Department")).to_have_count(0)
    page.goto(chart.rstrip("/") + "/disclosures/")
    expect(page.get_by_role("region", name="What is owed to the client")).to_contain_text("Told in session, Tuesday")
    axe_check(page)
    assert csp_errors == []


def test_subpoena_held_then_released(page, e2e_server, csp_errors):
    sign_in(page, e2e_server, "marsh")
    _open_lenas_chart(page, e2e_server)
    page.get_by_role("link", name="Disclosures and exceptions").click()
    page.get_by_role("link", name="Court order or subpoena").click()
    axe_check(page)
    page.get_by_label("What it is").select_option("subpoena")
    page.get_by_label("From (court or attorney)").fill("Dana Whitlock, attorney at law")
    page.get_by_label("They are").select_option("attorney")
    page.locator("input[name=categories][value=attendance]").check()
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("on hold"))).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Preview what would leave").click()
    expect(page.get_by_role("alert")).to_contain_text("on hold")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was disclosed")
    axe_check(page)

    page.get_by_label("Assurance", exact=True).select_option("qpo")
    page.get_by_label("The requester's written statement (reference)").fill("Stipulated QPO, filed 1 Dec")
    page.get_by_label("The requester gave a written statement with the documentation").check()
    page.get_by_label("The order was").select_option("agreed_and_presented")
    page.get_by_label("It limits use to the litigation").check()
    page.get_by_label("It requires return or destruction at the end").check()
    page.get_by_role("button", name="Record the assurance").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("ready"))).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Preview what would leave").click()
    preview = page.get_by_role("region", name="Preview: exactly what would leave")
    expect(preview).to_contain_text("Dana Whitlock, attorney at law")
    expect(preview.get_by_role("heading", name="Attendance")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Send this").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("released"))).to_be_visible()
    axe_check(page)
    assert csp_errors == []
