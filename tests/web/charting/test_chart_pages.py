"""The chart in tabs: each tab a link that works without script, showing only what the
door permits; an unrelated chart is the not-found page."""

from __future__ import annotations

import pytest

from tests.web.signin import signed_in, without_csrf


def test_overview_links_every_tab_with_content(staff, cid):
    page = signed_in(staff["marsh"]).get(f"/clients/{cid['c1']}/").content.decode()
    for tab in ("notes/", "plan/", "diagnoses/", "measures/", "appointments/", "psychotherapy/"):
        assert f'href="/clients/{cid["c1"]}/{tab}"' in page
    assert 'aria-current="page">Overview<' in page
    assert "Generalized anxiety disorder" not in page  # on the plan tab, not here


def test_tabs_show_their_sections(staff, cid):
    web = signed_in(staff["marsh"])
    assert "Generalized anxiety disorder" in web.get(f"/clients/{cid['c1']}/diagnoses/").content.decode()
    assert "Generalized anxiety disorder" not in web.get(f"/clients/{cid['c1']}/plan/").content.decode()
    notes = web.get(f"/clients/{cid['c1']}/notes/").content.decode()
    assert "Progress notes" in notes and "Your psychotherapy notes" not in notes
    assert "Your psychotherapy notes" in web.get(f"/clients/{cid['c1']}/psychotherapy/").content.decode()
    appointments = web.get(f"/clients/{cid['c1']}/appointments/").content.decode()
    assert "attended" in appointments and "cancelled" in appointments
    assert "T1" not in appointments  # times are human, never ISO


def test_front_desk_sees_overview_and_appointments_only(staff, cid):
    web = signed_in(staff["fontaine"])
    page = web.get(f"/clients/{cid['c1']}/").content.decode()
    assert f'href="/clients/{cid["c1"]}/appointments/"' in page
    assert f'href="/clients/{cid["c1"]}/notes/"' not in page and f'href="/clients/{cid["c1"]}/plan/"' not in page
    assert web.get(f"/clients/{cid['c1']}/plan/").status_code == 404
    assert web.get(f"/clients/{cid['c1']}/diagnoses/").status_code == 404


@pytest.mark.parametrize("tab", ["", "notes/", "plan/", "diagnoses/", "measures/", "appointments/", "psychotherapy/",
                                 "access-report/"])
def test_unrelated_chart_is_the_not_found_page(staff, cid, tab):
    web = signed_in(staff["marsh"])
    real = web.get(f"/clients/{cid['c2']}/{tab}")
    fake = web.get(f"/clients/00000000-0000-4000-8000-000000000000/{tab}")
    assert real.status_code == fake.status_code == 404
    assert without_csrf(real.content) == without_csrf(fake.content)


def test_access_report_shows_words_and_practice_times(staff, cid):
    web = signed_in(staff["marsh"])
    web.get(f"/clients/{cid['c1']}/")
    page = web.get(f"/clients/{cid['c1']}/access-report/").content.decode()
    assert "opened the record" in page and "for treatment" in page
    assert "TREAT" not in page and "HOPERAT" not in page and ">read<" not in page


def test_portal_access_report_speaks_to_the_client(staff, cid):
    signed_in(staff["marsh"]).get(f"/clients/{cid['c1']}/")
    page = signed_in(staff["lvarga"]).get("/portal/").content.decode()
    assert "Elena Marisol Varga-Trent" in page and "Who has opened your record" in page
    assert "for your care" in page and "TREAT" not in page
    assert "Your psychotherapy notes" not in page


def test_break_glass_form_errors_link_to_the_field_and_change_nothing(staff, cid, counts):
    web = signed_in(staff["okafor"])
    before = counts()
    response = web.post(f"/clients/{cid['c1']}/break-glass/", {"reason": "short"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in page and 'href="#id_reason"' in page
    assert "the reason needs at least 10 characters" in page and 'aria-invalid="true"' in page
    assert counts() == before


def test_break_glass_opens_the_chart_with_a_banner(staff, cid):
    web = signed_in(staff["okafor"])
    response = web.post(f"/clients/{cid['c1']}/break-glass/",
                        {"reason": "Client in crisis at the front desk, need the safety plan."}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and 'role="status"' in page and "Emergency access is open until" in page
    assert "Lena" in page
