"""A pre-licensed clinician's note is co-signed: `lindqvist` writes and signs a note
(it waits, shown as unsigned), supervisor `okafor` sees it on the home page, opens the
co-sign queue and co-signs it; the note is then signed. axe-core on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in


def test_prelicensed_note_is_cosigned_by_the_supervisor(browser, e2e_server):
    writer = browser.new_context(base_url=e2e_server.base_url)
    page = writer.new_page()
    sign_in(page, e2e_server, "lindqvist")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    page.locator("#client-results").get_by_role("link").first.click()
    client_url = page.url
    page.get_by_role("navigation", name="Chart sections").get_by_role("link", name="Notes", exact=True).click()
    page.get_by_label("Template").select_option("free")
    page.get_by_role("button", name="Start the note").click()
    expect(page).to_have_url(re.compile(r"/notes/[0-9a-f-]{36}/$"))
    note_url = page.url
    with page.expect_response(lambda r: r.url.endswith("/save/"), timeout=15000):
        page.get_by_label("Note", exact=True).fill("Grief work: the client named three supports.")
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_role("status").filter(has_text="waits for your supervisor")).to_be_visible()
    expect(page.get_by_text("unsigned: waiting for co-signature").first).to_be_visible()
    axe_check(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notes to sign").click()
    expect(page.get_by_role("heading", name="Waiting for your supervisor")).to_be_visible()
    axe_check(page)
    writer.close()

    supervisor = browser.new_context(base_url=e2e_server.base_url)
    page = supervisor.new_page()
    sign_in(page, e2e_server, "okafor")
    expect(page.get_by_role("heading", level=2, name="Co-signs waiting")).to_be_visible()
    axe_check(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Co-signs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-signs waiting")
    axe_check(page)
    page.locator(f'a[href="{note_url.removeprefix(e2e_server.base_url)}"]').click()
    expect(page.get_by_text("Grief work: the client named three supports.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Co-sign", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Co-signed")).to_be_visible()
    page.goto(note_url)
    expect(page.get_by_text("co-signed by Dr. Adaeze Okafor-Brennan")).to_be_visible()
    expect(page.locator(".tag-note-signed").first).to_be_visible()
    assert client_url.startswith(e2e_server.base_url)
    supervisor.close()
