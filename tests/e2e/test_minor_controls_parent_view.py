"""A minor who consented alone decides what their parent sees: June (`jcastellanos`,
15, consented under RCW 71.34.530) lets their mother see when appointments are and no
longer whether they came; the mother (`acastellanos`) sees the change on her next
visit. axe-core on every page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in


def test_minor_controls_parent_view(browser, e2e_server):
    parent = browser.new_context(base_url=e2e_server.base_url)
    parent_page = parent.new_page()
    sign_in(parent_page, e2e_server, "acastellanos", staff=False)
    expect(parent_page.get_by_role("heading", level=1, name="Your child's care")).to_be_visible()
    expect(parent_page.get_by_role("heading", level=3, name="Attendance")).to_be_visible()
    expect(parent_page.get_by_role("heading", level=3, name="Appointments")).to_have_count(0)
    axe_check(parent_page)

    minor = browser.new_context(base_url=e2e_server.base_url)
    page = minor.new_page()
    sign_in(page, e2e_server, "jcastellanos", staff=False)
    page.get_by_role("link", name="What your parent sees").click()
    expect(page.get_by_role("heading", level=1, name="What your parent sees")).to_be_visible()
    expect(page.get_by_label("Whether you came to your appointments")).to_be_checked()
    axe_check(page)
    page.get_by_label("Whether you came to your appointments").uncheck()
    page.get_by_label("When your appointments are").check()
    page.get_by_role("button", name="Save what my parent sees").click()
    expect(page.get_by_role("status").filter(has_text="Your parent now sees only what you chose")).to_be_visible()
    expect(page.get_by_label("When your appointments are")).to_be_checked()
    expect(page.get_by_label("Whether you came to your appointments")).not_to_be_checked()
    axe_check(page)
    minor.close()

    parent_page.reload()
    expect(parent_page.get_by_role("heading", level=3, name="Appointments")).to_be_visible()
    expect(parent_page.get_by_role("heading", level=3, name="Attendance")).to_have_count(0)
    axe_check(parent_page)
    parent.close()
