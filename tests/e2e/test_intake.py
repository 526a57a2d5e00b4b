"""Intake in the browser: a clinician adds a new client (contact preferences, payment
with the payer restriction, program, acknowledgements with how and when), invites the
client to the portal; the client opens the emailed link (from the outbox), chooses a
password, declines the second factor offered and reaches their portal. axe-core on every page; no CSP error."""

from __future__ import annotations

import re
from email import message_from_bytes

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in

PASSWORD = "a long enough pass phrase"


def test_clinician_runs_intake_and_the_client_accepts_the_portal_invitation(page, e2e_server, csp_errors):
    sign_in(page, e2e_server, "okafor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New client")
    axe_check(page)

    page.get_by_label("Legal name").fill("Soren Alejandro Whitcombe")
    page.get_by_label("Preferred name").fill("Soren")
    page.get_by_label("Date of birth").fill("1988-06-14")
    page.get_by_label("Phone", exact=True).fill("253-555-0144")
    page.get_by_label("Email", exact=True).fill("soren@example.org")
    page.get_by_label("Voicemail").select_option("name_callback")
    page.get_by_label("Text messages").select_option("none")
    page.get_by_label("Self-pay").check()
    page.get_by_label("They pay in full themselves").check()
    page.get_by_label("Program").select_option("outpatient")
    page.get_by_label("Emergency contact: name").fill("Ada Whitcombe")
    page.get_by_label("Emergency contact: relationship").fill("spouse")
    page.get_by_label("Emergency contact: phone").fill("253-555-0145")
    page.get_by_label("Notice of privacy practices: how it was acknowledged").select_option("paper")
    page.get_by_label("Limits of confidentiality discussed: how acknowledged").select_option("verbal")
    page.get_by_role("button", name="Add the client").click()

    expect(page.get_by_role("status")).to_contain_text("Soren was added")
    expect(page.get_by_role("heading", level=1)).to_have_text("Online access")
    axe_check(page)
    page.get_by_label("The client", exact=True).check()
    page.get_by_label("User name for the login").fill("soren.w")
    page.get_by_label("Email for the invitation link").fill("soren@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent")
    page.get_by_role("link", name="Back to clients").click()
    expect(page.locator("#client-results")).to_contain_text("Soren Alejandro Whitcombe")
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()

    mails = [message_from_bytes(e2e_server.confide("outbox", "show", str(p)).encode())
             for p in sorted((e2e_server.var_dir / "outbox").glob("*.eml"))]
    mail = next(m for m in mails if "soren@example.org" in m["To"])
    body = mail.get_payload(decode=True).decode()
    assert "Counseling" not in body and "therap" not in body.lower()
    link = re.search(r"(/invitation/[^/\s]+/)", body).group(1)
    page.goto(f"{e2e_server.base_url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    axe_check(page)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is set")  # a second factor, offered
    page.get_by_role("link", name="Not now: go to my portal").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    axe_check(page)
    assert csp_errors == []
