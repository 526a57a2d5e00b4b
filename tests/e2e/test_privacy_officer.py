"""A client asks for a formal accounting of disclosures in the portal; the privacy
officer sees it on the dashboard with its due date, prepares it, reviews it and sends
it; the client reads it in the portal. axe-core on every page."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from confide.services.practice_time import human_date
from tests.dates import practice_today
from tests.e2e.conftest import axe_check, sign_in


def test_a_formal_accounting_from_request_to_reading(browser, e2e_server):
    due = human_date(practice_today() + timedelta(days=60))

    client = browser.new_context(base_url=e2e_server.base_url)
    page = client.new_page()
    sign_in(page, e2e_server, "lvarga", staff=False)
    page.goto(f"{e2e_server.base_url}/portal/accounting/")
    axe_check(page)
    page.get_by_role("link", name="Ask for a formal accounting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a formal accounting of disclosures")
    axe_check(page)
    page.get_by_label("How far back").select_option("6")
    page.get_by_role("button", name="Ask for the accounting").click()
    expect(page.get_by_role("status").filter(has_text="Your request was received")).to_be_visible()
    expect(page.get_by_role("cell", name=due)).to_be_visible()
    expect(page.get_by_text("Being prepared")).to_be_visible()
    axe_check(page)

    officer = browser.new_context(base_url=e2e_server.base_url)
    admin = officer.new_page()
    sign_in(admin, e2e_server, "haddad")
    expect(admin.get_by_role("heading", name="Requests on their clocks").first).to_be_visible()
    axe_check(admin)
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Privacy").click()
    # the accounting's row (an amendment asked the same day is due the same day)
    row = admin.get_by_role("row").filter(has_text=due).filter(has=admin.get_by_role("link", name="Prepare and send"))
    expect(row).to_be_visible()
    axe_check(admin)
    row.get_by_role("link", name="Prepare and send").click()
    expect(admin).to_have_url(re.compile(r"/privacy/accounting/[0-9a-f-]{36}/[0-9a-f-]{36}/$"))
    admin.get_by_role("button", name="Prepare the accounting").click()
    # six years rendered as a PDF: in the background; the page says so, then links it
    expect(admin.get_by_role("status")).to_contain_text("Being prepared")
    axe_check(admin)
    e2e_server.confide("tasks", "run")  # what the worker does (the e2e server runs none)
    expect(admin.get_by_role("link", name="Open the PDF")).to_be_visible(timeout=15_000)
    axe_check(admin)
    admin.get_by_role("link", name="Back to the accounting request").click()
    expect(admin.get_by_role("cell", name="Cascadia Health Plan")).to_be_visible()
    axe_check(admin)
    admin.get_by_role("button", name="Send to the client's portal").click()
    expect(admin.get_by_role("status").filter(has_text="Sent to the client's portal")).to_be_visible()
    axe_check(admin)
    officer.close()

    page.goto(f"{e2e_server.base_url}/portal/accounting/requests/")
    link = page.get_by_role("link", name="Read your accounting (PDF)")
    expect(link).to_be_visible()
    axe_check(page)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    client.close()
