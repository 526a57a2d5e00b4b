"""The clients page: a user's own clients only; search answers the same for a client
the user may not see and for nobody."""

from __future__ import annotations

from tests.web.signin import signed_in, without_csrf


def test_clinician_lists_only_their_clients(staff, cid):
    page = signed_in(staff["marsh"]).get("/clients/").content.decode()
    assert "Lena" in page and "June" in page
    assert "Desmond" not in page and "Russ" not in page


def test_search_for_an_unrelated_client_reads_as_nobody(staff, cid):
    web = signed_in(staff["marsh"])
    unrelated = web.get("/clients/", {"q": "Desmond Albright Kerrigan"})
    nobody = web.get("/clients/", {"q": "Nobody Atall"})
    assert unrelated.status_code == nobody.status_code == 200
    assert without_csrf(unrelated.content).replace(b"Desmond Albright Kerrigan", b"Q") == \
        without_csrf(nobody.content).replace(b"Nobody Atall", b"Q")


def test_a_bad_query_is_an_error_summary_linking_to_the_field(staff):
    response = signed_in(staff["marsh"]).get("/clients/", {"q": "x" * 201})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in page and 'href="#q"' in page and "search: give 1 to 200 characters" in page


def test_admin_has_no_clients_page(staff):
    assert signed_in(staff["haddad"]).get("/clients/").status_code == 404


def test_htmx_search_answers_with_the_results_only(staff, cid):
    web = signed_in(staff["marsh"])
    response = web.get("/clients/", {"q": "Lena"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and page.startswith('<div id="client-results"')
    assert "<html" not in page and f'href="/clients/{cid["c1"]}/"' in page
    assert "HX-Request" in response["Vary"]
    restore = web.get("/clients/", {"q": "Lena"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()  # going back in history gets the whole page


def test_htmx_search_for_an_unrelated_client_reads_as_nobody(staff, cid):
    web = signed_in(staff["marsh"])
    unrelated = web.get("/clients/", {"q": "Desmond Albright Kerrigan"}, HTTP_HX_REQUEST="true")
    nobody = web.get("/clients/", {"q": "Nobody Atall"}, HTTP_HX_REQUEST="true")
    assert unrelated.status_code == nobody.status_code == 200 and unrelated.content == nobody.content
