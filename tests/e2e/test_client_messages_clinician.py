"""A secure message round trip: `lvarga` writes to her clinician in the portal; `marsh`
sees it waiting on his home page, reads it and replies; the email that tells Lena a
message waits says only that (no name, no practice type, no text), from the neutral
sender; Lena reads the reply in the portal. axe-core on every page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in

QUESTION = "Could we talk about the sleep diary on Tuesday?"
REPLY = "Yes: bring the diary and we will go through it together."


def test_client_messages_clinician(browser, e2e_server):
    client = browser.new_context(base_url=e2e_server.base_url)
    page = client.new_page()
    sign_in(page, e2e_server, "lvarga", staff=False)
    expect(page.get_by_role("heading", level=1, name="Your care")).to_be_visible()
    axe_check(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1, name="Messages with your clinician")).to_be_visible()
    axe_check(page)
    page.get_by_label("Your message").fill(QUESTION)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status").filter(has_text="sent to your clinician")).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    client.close()

    clinician = browser.new_context(base_url=e2e_server.base_url)
    page = clinician.new_page()
    sign_in(page, e2e_server, "marsh")
    expect(page.get_by_role("heading", level=2, name="Messages waiting")).to_be_visible()
    axe_check(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1, name="Messages from clients")).to_be_visible()
    axe_check(page)
    page.locator("table").get_by_role("link").first.click()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    axe_check(page)
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status").filter(has_text="a message is waiting")).to_be_visible()
    expect(page.get_by_text(REPLY)).to_be_visible()
    clinician.close()

    files = [line.strip() for line in e2e_server.confide("outbox", "list").splitlines() if line.strip()]
    notices = [e2e_server.confide("outbox", "show", f.split()[0].rsplit("/", 1)[-1]) for f in files]
    notice = next(n for n in notices if "A message is waiting for you" in n)
    for word in ("diary", "sleep", "Marsh", "Counseling", "therapy", "clinician"):
        assert word not in notice, word
    assert "HL Appointments" in notice

    client = browser.new_context(base_url=e2e_server.base_url)
    page = client.new_page()
    sign_in(page, e2e_server, "lvarga", staff=False)
    expect(page.get_by_text("1 new message from your clinician.")).to_be_visible()
    page.get_by_role("link", name="Read and write messages").click()
    expect(page.get_by_text(REPLY)).to_be_visible()
    axe_check(page)
    client.close()
