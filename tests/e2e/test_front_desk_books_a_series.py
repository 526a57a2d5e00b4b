"""The front desk's journey in the browser: sign in with password and one-time code,
see today across clinicians, book a weekly series for a client with their clinician,
see it on the week calendar in the practice's local time, and cancel one session with
a reason. axe-core finds no serious or critical violation on any page, and no page
breaks the Content-Security-Policy."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in


def _a_tuesday_ahead() -> date:
    day = date.today() + timedelta(days=21)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def test_front_desk_books_a_weekly_series_and_cancels_one(page, e2e_server, csp_errors, tmp_path):
    sign_in(page, e2e_server, "fontaine")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today's appointments")
    expect(page.get_by_role("heading", name="Signe Lindqvist-Hale")).to_be_visible()  # the demo's day
    axe_check(page)

    page.get_by_role("link", name="Book a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a session")
    axe_check(page)
    first = _a_tuesday_ahead()
    # The client is found, not scrolled to (a practice may have 100,000).
    page.get_by_label("Find the client").fill("Lena")
    page.get_by_role("button", name="Find", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"^Lena\b")).click()
    expect(page.get_by_text("Client: Lena")).to_be_visible()
    page.get_by_label("Clinician").select_option(label="Theo Marsh-Calloway")
    page.get_by_label("Type").select_option(label="Session (50 min)")
    page.get_by_label("Date").fill(first.isoformat())
    page.get_by_label("Time", exact=True).fill("19:00")
    page.get_by_label("Room").select_option(label="Room 3")
    page.get_by_label("Repeat weekly").check()
    page.get_by_label("Number of weekly sessions").fill("4")
    page.get_by_role("button", name="Book").click()

    expect(page).to_have_url(re.compile(r"/calendar/week/\?day="))
    expect(page.get_by_role("status")).to_contain_text("4 weekly sessions booked: Lena with Theo Marsh-Calloway")
    heading = f"{first.strftime('%a')} {first.day} {first.strftime('%b')}"
    tuesday = page.get_by_role("region", name=re.compile(f"^{heading}"))
    row = tuesday.get_by_role("row").filter(has_text="7:00 PM")
    expect(row).to_contain_text("Lena")
    expect(row).to_contain_text("Session (weekly)")
    expect(row).to_contain_text("Room 3")
    axe_check(page)
    page.screenshot(path=str(tmp_path / "week.png"), full_page=True)

    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session with Lena")
    expect(page.get_by_text("7:00 PM to 7:50 PM")).to_be_visible()
    axe_check(page)
    page.get_by_label("Why it is cancelled").fill("Client is travelling that week")
    page.get_by_role("button", name="Cancel session").click()
    expect(page.get_by_role("status")).to_have_text("Session cancelled.")
    expect(page.get_by_text("Client is travelling that week")).to_be_visible()
    axe_check(page)
    page.screenshot(path=str(tmp_path / "cancelled.png"), full_page=True)

    page.get_by_role("link", name="Back to the calendar").click()
    page.goto(f"{e2e_server.base_url}/calendar/week/?day={first.isoformat()}")
    row = page.get_by_role("region", name=re.compile(f"^{heading}")).get_by_role("row").filter(has_text="7:00 PM")
    expect(row).to_contain_text("cancelled")
    nxt = first + timedelta(weeks=1)
    page.goto(f"{e2e_server.base_url}/calendar/week/?day={nxt.isoformat()}")
    later = page.get_by_role("region", name=re.compile(f"^{nxt.strftime('%a')} {nxt.day} {nxt.strftime('%b')}"))
    expect(later.get_by_role("row").filter(has_text="7:00 PM")).not_to_contain_text("cancelled")
    axe_check(page)

    page.set_viewport_size({"width": 375, "height": 800})  # a phone
    page.goto(f"{e2e_server.base_url}/calendar/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Calendar")
    axe_check(page)
    assert csp_errors == []
