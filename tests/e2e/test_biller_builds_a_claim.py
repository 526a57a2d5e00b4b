"""The biller's journey in the browser: sign in, open the work queue for the last three
weeks, record the charges of a client's attended sessions in bulk (the code from the
session's type, the fee from the practice's schedule), see the self-pay client's
service shown as blocked from the plan, build a claim for the client's plan, and
download the 837P file, which pyx12 accepts. axe-core finds no serious or critical
violation on any page, and no page breaks the Content-Security-Policy."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from confide.services.billing.x12 import validate_837p
from tests.dates import practice_today
from tests.e2e.conftest import axe_check, sign_in

ADRIAN = "Adrian Whitford-Soto"  # the demo's client with Cascadia Health Plan, two sessions not yet charged
HARRIET = "Harriet Solveig Brandtmeyer"  # pays out of pocket, asked that no plan hear of her care


def test_biller_records_charges_builds_a_claim_and_downloads_the_837p(page, e2e_server, csp_errors, tmp_path):
    sign_in(page, e2e_server, "pellham")
    page.get_by_role("link", name="Work queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Billing")
    axe_check(page)

    today = practice_today()
    page.get_by_label("From", exact=True).fill((today - timedelta(days=20)).isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Show").click()
    to_charge = page.get_by_role("region", name="Sessions to charge")
    adrian_rows = to_charge.get_by_role("row").filter(has_text=ADRIAN)
    expect(adrian_rows).to_have_count(2)
    expect(adrian_rows.first.get_by_role("textbox", name=re.compile("^Procedure code"))).to_have_value("90834")
    expect(adrian_rows.first.get_by_role("textbox", name=re.compile("^Fee"))).to_have_value("150.00")
    # the self-pay client's service is kept from the plan, and the page says why
    kept = page.get_by_role("region", name="Kept from the plan")
    harriet = kept.get_by_role("row").filter(has_text=HARRIET)
    expect(harriet.first).to_contain_text("Blocked from the plan.")
    expect(harriet.first).to_contain_text("paid for this in full")
    axe_check(page)
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)

    # charge Adrian's two sessions only: untick the others
    for box in to_charge.get_by_role("checkbox", name=re.compile("^Charge ")).all():
        if ADRIAN not in (box.get_attribute("aria-label") or ""):
            box.uncheck()
    page.get_by_role("button", name="Record the ticked charges").click()
    expect(page.get_by_role("status")).to_have_text("2 charges recorded.")
    expect(page.get_by_role("region", name="Sessions to charge").get_by_role("row").filter(has_text=ADRIAN)
           ).to_have_count(0)
    charged = page.get_by_role("region", name="Charges of the period").get_by_role("row").filter(has_text=ADRIAN)
    expect(charged).to_have_count(2)
    axe_check(page)

    charged.first.get_by_role("link", name=ADRIAN).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Billing: {ADRIAN}")
    expect(page.get_by_label("Payer")).to_have_value("Cascadia Health Plan")
    axe_check(page)
    page.get_by_role("button", name="Build the claim").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("to Cascadia Health Plan")
    expect(page.get_by_role("status")).to_contain_text("The claim is built and validated")
    services = page.get_by_role("region", name="Services").get_by_role("row")
    expect(services).to_have_count(3)  # the header and the two sessions
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the 837P file").click()
    path = download_info.value.path()
    text = open(path, encoding="ascii").read()
    assert text.startswith("ISA*") and "*005010X222A1~" in text
    assert text.count("SV1*HC:90834*150*UN*1") == 2
    assert "WHITFORD-SOTO*ADRIAN" in text and "CHP-448553012" in text
    assert validate_837p(text) == []
    page.screenshot(path=str(tmp_path / "claim.png"), full_page=True)

    # the restricted client's page says in words why nothing goes to a plan
    page.goto(f"{e2e_server.base_url}/billing/?from={(today - timedelta(days=20)).isoformat()}&to={today.isoformat()}")
    page.get_by_role("region", name="Kept from the plan").get_by_role("link", name=HARRIET).first.click()
    expect(page.get_by_role("note")).to_contain_text("No claims for this client.")
    expect(page.get_by_role("button", name="Build the claim")).to_have_count(0)
    axe_check(page)
    assert csp_errors == []
