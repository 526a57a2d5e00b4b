"""The portal's reads name the practice: on a database distributed on the practice
(Citus), every SELECT the portal's workflows send filters each tenant table it reads by
`practice_id`, so it is a router query on the practice's shard (tests/shards.py).

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

import pytest

from confide.core.errors import NotFound
from confide.services.directory import client_list
from confide.services.portal import access_log, correspondence, forms, home, notice, requests
from confide.services.portal.common import own_client_id
from tests.shards import assert_every_statement_names_the_practice, sent

PHQ_CALM = [0, 1, 0, 1, 0, 0, 0, 0, 0]


def test_the_clients_portal_names_the_practice_in_every_statement(staff, cid, outbox):
    """The client's side: their home page, forms, the notice, appointment requests,
    messages and the access log."""
    lena, client_id = staff["lvarga"], cid["c1"]
    with sent() as statements:
        assert own_client_id(lena) == client_id
        home.portal_home(user=lena, client_id=client_id)
        forms.forms_due(user=lena, client_id=client_id)
        forms.form_submit(user=lena, client_id=client_id, slug="phq9", answers=PHQ_CALM)
        forms.forms_of_client(user=lena, client_id=client_id)
        notice.notice_acknowledge(user=lena, client_id=client_id, version=notice.NOTICE_VERSION)
        notice.notice_status(user=lena, client_id=client_id)
        times = requests.open_times(user=lena, client_id=client_id)["clinicians"][0]["times"]
        requests.appointment_request_create(user=lena, client_id=client_id, slot=times[0]["value"])
        rid = requests.appointment_request_create(user=lena, client_id=client_id, preference="Mornings")
        requests.appointment_request_withdraw(user=lena, client_id=client_id, request_id=rid)
        requests.appointment_requests_mine(user=lena, client_id=client_id)
        correspondence.message_send(user=lena, client_id=client_id, text="Can we talk about sleep?")
        correspondence.thread(user=lena, client_id=client_id)
        access_log.access_log(user=lena, client_id=client_id)
        home.portal_home(user=lena, client_id=client_id)
    assert_every_statement_names_the_practice(statements, at_least=30)


def test_a_parents_login_names_the_practice_in_every_statement(staff, cid):
    """A representative's login: their list, and the door they pass (each reads the
    practice's election about them and the minor's consent)."""
    parent, client_id = staff["acastellanos"], cid["c3"]
    with sent() as statements:
        client_list(user=parent)  # decided row by row on the minor's consent and the PR election
        with pytest.raises(NotFound):  # the home page is the client's own; the parent has the guardian view
            home.portal_home(user=parent, client_id=client_id)
    assert_every_statement_names_the_practice(statements, at_least=5)


def test_the_practices_side_of_the_portal_names_the_practice_in_every_statement(staff, cid, outbox):
    """The clinician reads and answers messages and reviews forms; the front desk declines
    a request (booking goes through scheduling, outside this module's reads)."""
    lena, marsh, desk, client_id = staff["lvarga"], staff["marsh"], staff["fontaine"], cid["c1"]
    form = forms.form_submit(user=lena, client_id=client_id, slug="phq9", answers=[1, 1, 1, 1, 0, 0, 0, 0, 2])
    correspondence.message_send(user=lena, client_id=client_id, text="Can we talk about sleep?")
    rid = requests.appointment_request_create(user=lena, client_id=client_id, preference="Any weekday after 5 PM")
    with sent() as statements:
        correspondence.threads_mine(user=marsh)
        correspondence.thread(user=marsh, client_id=client_id)
        correspondence.message_send(user=marsh, client_id=client_id, text="Yes: bring a sleep diary.")
        correspondence.thread(user=staff["okafor"], client_id=cid["c5"])  # a supervisor may not reply
        forms.forms_to_review(user=marsh)
        forms.form_response_get(user=marsh, response_id=form["id"])
        forms.form_review(user=marsh, response_id=form["id"])
        forms.forms_of_client(user=marsh, client_id=client_id)
        notice.notice_status(user=marsh, client_id=client_id)
        requests.appointment_requests_open(user=desk)
        requests.appointment_request_decline(user=desk, request_id=rid, reason="No evening times this month.")
    assert_every_statement_names_the_practice(statements, at_least=20)
