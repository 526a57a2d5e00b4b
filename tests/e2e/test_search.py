"""Finding people in the browser: a clinician with no relationship searches a demo
client's last name and finds nothing (the page reads as for a name nobody has); the
client's own clinician finds them by a typo'd prefix; emergency access starts from a
search with a reason. axe-core on every page; no CSP error."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in


def search(page, query: str) -> None:
    page.get_by_label("Find a client").fill(query)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/clients/\?q="))


def test_search_finds_only_permitted_clients_and_forgives_a_typo(page, e2e_server, csp_errors):
    sign_in(page, e2e_server, "marsh")
    page.goto(f"{e2e_server.base_url}/clients/")
    search(page, "Kerrigan")  # Dr Okafor's client
    expect(page.locator("#client-results")).to_contain_text("No client you may see matches.")
    unrelated = page.locator("#client-results").inner_html().replace("Kerrigan", "Q")
    search(page, "Zzyzxnobody")
    expect(page.locator("#client-results")).to_contain_text("No client you may see matches.")
    assert page.locator("#client-results").inner_html().replace("Zzyzxnobody", "Q") == unrelated
    axe_check(page)

    page.get_by_role("link", name="use emergency access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency access")
    axe_check(page)
    page.get_by_label("Why you need this now").fill("Client in crisis at the front desk; clinician away.")
    page.get_by_label("Their name, phone or email").fill("Kerrigan")
    page.get_by_role("button", name="Search the whole practice").click()
    expect(page.get_by_role("table")).to_contain_text("Desmond Albright Kerrigan")
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, e2e_server, "okafor")
    page.goto(f"{e2e_server.base_url}/clients/")
    search(page, "Kerig")  # a typo'd prefix of Kerrigan
    expect(page.locator("#client-results tbody tr")).to_have_count(1)
    expect(page.locator("#client-results")).to_contain_text("Desmond Albright Kerrigan")
    axe_check(page)
    assert csp_errors == []
