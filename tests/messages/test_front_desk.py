"""The front desk's answer to "is this person a client?" neither confirms nor denies,
and cannot: it takes no name and looks nothing up (seeds: never acknowledge a client
or an appointment to a third party)."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from confide.services.demo import data as demo_data
from confide.services.messages import FRONT_DESK_SCRIPT, front_desk_script
from tests.api.conftest import API_PREFIX

REAL = next(c for c in demo_data.CLIENTS if c["key"] == "c7")["legal_name"]  # Noor: "do not confirm to callers"
MADE_UP = "Persimmon Q. Nobody-Here"
_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def test_the_script_neither_confirms_nor_denies():
    script = front_desk_script()["script"]
    assert script == FRONT_DESK_SCRIPT
    assert "can't confirm or deny" in script and "take your name and number" in script


def test_the_script_looks_nothing_up(db):
    with CaptureQueriesContext(connection) as queries:
        first, second = front_desk_script(), front_desk_script()
    assert len(queries) == 0
    assert first == second


def test_api_answer_is_identical_for_a_client_and_a_stranger(staff, api_client, counts):
    client = api_client(staff["fontaine"])
    before = counts()
    real = client.get(f"{API_PREFIX}/front-desk/script", {"name": REAL})
    made_up = client.get(f"{API_PREFIX}/front-desk/script", {"name": MADE_UP})
    assert real.status_code == made_up.status_code == 200
    assert real.content == made_up.content
    assert {k: v for k, v in real.headers.items() if k != "Date"} == \
        {k: v for k, v in made_up.headers.items() if k != "Date"}
    assert real.json()["script"] == FRONT_DESK_SCRIPT
    assert counts() == before  # nothing looked up, nothing written


def test_web_page_is_identical_for_a_client_and_a_stranger(staff, web_client, counts):
    page = web_client(staff["fontaine"])
    before = counts()
    real = page.get("/front-desk/", {"name": REAL})
    made_up = page.get("/front-desk/", {"name": MADE_UP})
    assert real.status_code == made_up.status_code == 200
    assert _CSRF.sub(b"", real.content) == _CSRF.sub(b"", made_up.content)
    html = real.content.decode()
    assert "can&#x27;t confirm or deny" in html or "can't confirm or deny" in html
    assert REAL not in html
    assert counts() == before
    assert "/front-desk/" in page.get("/").content.decode()  # linked from the front desk's home page


def test_the_page_needs_a_signed_in_staff_member(staff, web_client):
    assert Client().get("/front-desk/").status_code == 302
    assert web_client(staff["lvarga"]).get("/front-desk/")["Location"] == "/portal/"
