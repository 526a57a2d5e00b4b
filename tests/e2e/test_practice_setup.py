"""A practice starts without the demo, in the browser: on an empty server the first
visit sets up the practice and its administrator, who enrols an authenticator (typing
the key the page shows, as a person whose camera fails would), invites a clinician,
and the clinician accepts the emailed link (taken from the outbox), chooses a password
and enrols their own authenticator. axe-core on every page; no CSP error."""

from __future__ import annotations

import base64
import os
import re
from email import message_from_bytes

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.e2e.conftest import E2EServer, axe_check, served_confide

PASSWORD = "a long enough pass phrase"


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A server of its own over an empty (migrated, demo-less) database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main") + "_empty"
    with served_confide(tmp_path_factory.mktemp("e2e-empty"), worker, demo=False, probe="/setup/") as server:
        yield server


def code_from_page(page) -> str:
    """What the person's authenticator app shows after they typed in the page's key."""
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def outbox_link(server: E2EServer) -> str:
    mails = sorted((server.var_dir / "outbox").glob("*.eml"))
    body = message_from_bytes(server.confide("outbox", "show", str(mails[-1])).encode()).get_payload(
        decode=True).decode()
    return re.search(r"(/invitation/[^/\s]+/)", body).group(1)


def test_admin_sets_up_a_practice_and_a_clinician_joins(page, empty_server, csp_errors):
    base = empty_server.base_url
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/setup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your practice")
    axe_check(page)

    # A revealing sender name is refused, in words, changing nothing.
    page.get_by_label("Practice name").fill("Alder Creek Counseling")
    page.get_by_label("Neutral sender name").fill("Alder Creek Counseling")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_label("State whose law applies").select_option("US-WA")
    page.get_by_label("Your full name").fill("Amara Osei")
    page.get_by_label("Your email").fill("amara@example.org")
    page.get_by_label("Your user name").fill("amara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create the practice").click()
    expect(page.get_by_role("alert")).to_contain_text("sender name: must not say what kind of practice")
    axe_check(page)
    page.get_by_label("Neutral sender name").fill("AC Office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create the practice").click()

    expect(page).to_have_url(re.compile(r"/enrol/$"))
    expect(page.locator(".qr-box svg")).to_be_visible()
    axe_check(page)
    page.goto(f"{base}/staff/")  # nothing else opens before the second factor
    expect(page).to_have_url(re.compile(r"/enrol/$"))
    page.get_by_label("Code from your app").fill(code_from_page(page))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice")
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Our promises")).to_be_visible()
    axe_check(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    axe_check(page)
    page.get_by_role("link", name="Invite a staff member").click()
    axe_check(page)
    page.get_by_label("Full name").fill("Jonah Reyes")
    page.get_by_label("Email").fill("jonah@example.org")
    page.get_by_label("User name").fill("jreyes")
    page.get_by_label("Role").select_option("clinician")
    page.get_by_label("Licence type").select_option("LMHC")
    page.get_by_label("Licence number").fill("LH-61234567")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to Jonah Reyes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jonah Reyes")
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()

    link = outbox_link(empty_server)
    page.goto(f"{base}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    axe_check(page)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page).to_have_url(re.compile(r"/enrol/$"))
    page.get_by_label("Code from your app").fill(code_from_page(page))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    axe_check(page)

    page.goto(f"{base}{link}")  # the link worked once
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/")
    axe_check(page)
    assert csp_errors == []
