"""A client's optional second factor in the browser: invited to the portal, the client
opens the emailed link (from the outbox), chooses a password, is offered a second
factor and turns it on by typing the shown key into "their app" (django-otp's TOTP
here), signs out, is refused with the password alone, and signs in with password and
code. axe-core on every page; no CSP error."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import time
from email import message_from_bytes

from django_otp.oath import totp
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check

PASSWORD = "a long enough pass phrase"
LOGIN = "river.second"

# The practice invites a client who has no portal login yet (their clinician does), as the
# intake page does (that page has its own journey, tests/e2e/test_intake.py).
INVITE = """
import sys
import django; django.setup()
from confide.apps.records.models import CareTeamMember, ClientAccount
from confide.services import intake
with_login = set(ClientAccount.objects.values_list("client_id", flat=True))
member = next(m for m in CareTeamMember.objects.filter(relationship="treating", ended_at__isnull=True)
              .select_related("staff").order_by("created_at", "id") if m.client_id not in with_login)
intake.portal_invite(user=member.staff, client_id=member.client_id, relationship="self", username=sys.argv[1],
                     email="river@example.org", base_url=sys.argv[2])
"""


class App:
    """The authenticator app on the client's phone: the key typed in, codes by the clock."""

    def __init__(self, typed_key: str):
        text = typed_key.replace(" ", "")
        self.key = base64.b32decode(text + "=" * (-len(text) % 8))
        self.last = ""

    def code(self) -> str:
        """The code showing now; a new one if the last was already given (a code is
        accepted once), as a person would wait for it."""
        now = f"{totp(self.key, step=30, t0=0, digits=6):06d}"
        deadline = time.monotonic() + 45
        while now == self.last and time.monotonic() < deadline:
            time.sleep(1)
            now = f"{totp(self.key, step=30, t0=0, digits=6):06d}"
        self.last = now
        return now


def _sign_in(page, base_url: str, code: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("User name").fill(LOGIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("One-time code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_client_turns_on_a_second_factor_and_signs_in_with_it(page, e2e_server, csp_errors):
    done = subprocess.run([sys.executable, "-c", INVITE, LOGIN, e2e_server.base_url], env=e2e_server.env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    mails = [message_from_bytes(e2e_server.confide("outbox", "show", str(p)).encode())
             for p in sorted((e2e_server.var_dir / "outbox").glob("*.eml"))]
    mail = next(m for m in mails if "river@example.org" in m["To"])
    link = re.search(r"(/invitation/[^/\s]+/)", mail.get_payload(decode=True).decode()).group(1)

    page.goto(f"{e2e_server.base_url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()

    # offered, optional
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is set")
    expect(page.get_by_role("link", name="Not now: go to my portal")).to_be_visible()
    axe_check(page)
    app = App(page.locator("#secret").inner_text())
    page.get_by_label("Code from your app").fill("000000" if app.code() != "000000" else "111111")
    page.get_by_role("button", name="Turn it on").click()
    expect(page.get_by_role("alert")).to_contain_text("not the current code")
    axe_check(page)
    time.sleep(2)  # django-otp makes the try right after a wrong one wait a second; a person reads first
    page.get_by_label("Code from your app").fill(app.code())
    page.get_by_role("button", name="Turn it on").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("status")).to_contain_text("Your second factor is on")
    axe_check(page)
    page.get_by_role("link", name="How you sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How you sign in")
    expect(page.get_by_text("Your second factor is on.")).to_be_visible()
    expect(page.locator("#secret")).to_have_count(0)  # the key is never shown again
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()

    # the password alone no longer signs in
    _sign_in(page, e2e_server.base_url, "")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_role("alert")).to_contain_text("sign-in failed")
    axe_check(page)

    _sign_in(page, e2e_server.base_url, app.code())
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your care")
    axe_check(page)
    assert csp_errors == []
