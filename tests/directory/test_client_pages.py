"""Practice-wide lists page by keyset: each page is a fixed number of rows, the pages
together are the whole list exactly once, each page is one audit event naming only
its own clients, and a page marker from outside is checked."""

from __future__ import annotations

import json

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Client
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.demo.grow import demo_grow
from confide.services.directory import client_list, client_page, client_search


def walk(user, limit):
    pages, after = [], None
    while True:
        page = client_page(user=user, after=after, limit=limit)
        pages.append(page["clients"])
        after = page["next"]
        if after is None:
            return pages


def test_the_front_desk_pages_through_the_whole_practice_once(staff, demo):
    demo_grow(clients=Client.objects.filter(practice_id=staff["fontaine"].practice_id).count() + 23, batch=10,
              notes=(1, 1))
    fontaine = staff["fontaine"]
    everyone = {str(c) for c in Client.objects.filter(practice_id=fontaine.practice_id).values_list("id", flat=True)}
    pages = walk(fontaine, 7)
    ids = [r["id"] for page in pages for r in page]
    assert len(ids) == len(set(ids)) == len(everyone) and set(ids) == everyone
    assert all(len(p) == 7 for p in pages[:-1]) and 1 <= len(pages[-1]) <= 7
    # One audit event per page, holding that page's pseudonyms only.
    events = [json.loads(e.body)["detail"] for e in AuditEvent.objects.filter(
        chain=str(fontaine.practice_id), action="client.list", actor=str(fontaine.pk)).order_by("seq")]
    assert [e["count"] for e in events] == [len(p) for p in pages]
    assert all(len(e["client_refs"]) == e["count"] for e in events)
    first = {access.client_ref_for(fontaine, r["id"]) for r in pages[0]}
    assert set(events[0]["client_refs"]) == first


def test_a_clinicians_pages_are_their_caseload(staff, cid):
    marsh = staff["marsh"]
    pages = walk(marsh, 2)
    assert sorted(r["id"] for p in pages for r in p) == sorted(r["id"] for r in client_list(user=marsh))
    assert str(cid["c1"]) in {r["id"] for p in pages for r in p}
    assert client_page(user=staff["haddad"]) == {"clients": [], "next": None}


@pytest.mark.parametrize("bad", ["yesterday", "2026-01-01T00:00:00_notanid", "2026-01-01T00:00:00_" + "0" * 32,
                                 "x" * 90])
def test_a_bad_marker_is_a_one_line_error(staff, bad):
    with pytest.raises(InvalidInput, match="clients: the page marker is not valid"):
        client_page(user=staff["fontaine"], after=bad)


def test_bad_limits_are_refused(staff):
    for limit in (0, 201, "5"):
        with pytest.raises(InvalidInput, match="limit must be between 1 and 200"):
            client_page(user=staff["fontaine"], limit=limit)


def test_search_reads_only_the_index_matches(staff, demo, django_assert_max_num_queries):
    """A name search looks at the clients the blind index names, never the whole
    practice: its queries do not grow with the practice."""
    fontaine = staff["fontaine"]
    client_search(user=fontaine, query="Kerrigan")  # warm the keys
    with django_assert_max_num_queries(20) as small:
        assert [r["legal_name"] for r in client_search(user=fontaine, query="Kerrigan")] == [
            "Desmond Albright Kerrigan"]
    demo_grow(clients=Client.objects.count() + 40, batch=40, notes=(1, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert [r["legal_name"] for r in client_search(user=fontaine, query="Kerrigan")] == [
            "Desmond Albright Kerrigan"]


def test_a_common_name_part_decrypts_one_page_of_candidates_closest_first(staff, demo):
    """A part of a name many clients share reads at most SEARCH_CANDIDATES of them (the
    audit event lists that many), and a typo's neighbours never crowd out the names
    that begin with what was typed."""
    from confide.services.directory import SEARCH_CANDIDATES
    from confide.services.keys import client_data_key
    from confide.services.sealing import unseal

    fontaine = staff["fontaine"]
    demo_grow(clients=Client.objects.count() + 3 * SEARCH_CANDIDATES, batch=100, notes=(1, 1))
    names = [unseal(client_data_key(c.id), Client, "identity_enc", c.id, c.identity_enc)["legal_name"]
             for c in Client.objects.all()]
    word = max({n.split()[-1].split("-")[0] for n in names},
               key=lambda w: sum(w in n for n in names))  # the commonest surname
    part = word[:4].lower()
    found = client_search(user=fontaine, query=part)
    event = AuditEvent.objects.filter(action="client.search").order_by("-seq").first()
    assert 0 < len(found) <= SEARCH_CANDIDATES and json.loads(event.body)["detail"]["count"] <= SEARCH_CANDIDATES
    starting = sum(any(t.lower().startswith(part) for t in n.replace("-", " ").split()) for n in names)
    # the page holds names that begin with the part before any that only come near it
    close = [r for r in found if any(t.lower().startswith(part) for t in r["legal_name"].replace("-", " ").split()
                                     + r["name"].split())]
    assert len(close) == min(starting, SEARCH_CANDIDATES) or len(close) == len(found)


@pytest.mark.parametrize("query", ["Kerrigan", "des ker", "ele", "Varga Trent", "kerigan"])
def test_the_index_alone_answers_as_the_index_joined_with_the_scope(staff, monkeypatch, query):
    """The front desk's search reads the blind index alone (its scope is the whole
    practice); joined with the scope's clients, as a caseload's search is, it answers
    the same."""
    from confide.services import directory

    fontaine = staff["fontaine"]
    listed = client_search(user=fontaine, query=query)
    assert listed
    monkeypatch.setattr(directory, "_practice_wide", lambda user: False)
    monkeypatch.setattr(directory, "_scope", lambda user: Client.objects.filter(practice_id=user.practice_id))
    assert client_search(user=fontaine, query=query) == listed


def test_a_common_word_reads_the_newest_clients_it_names(staff, demo):
    """More clients begin with a word than one search decrypts: the candidates are the
    newest of them by intake, exactly, read from the index's own intake times."""
    from confide.services.directory import _search_candidates
    from confide.services.keys import client_data_key
    from confide.services.sealing import unseal

    fontaine = staff["fontaine"]
    demo_grow(clients=Client.objects.count() + 60, batch=30, notes=(1, 1))
    clients = list(Client.objects.filter(practice_id=fontaine.practice_id).order_by("-created_at", "-id"))
    names = {c.id: unseal(client_data_key(c.id), Client, "identity_enc", c.id, c.identity_enc) for c in clients}
    words = {c.id: {w.lower() for n in (names[c.id]["legal_name"], names[c.id].get("preferred_name") or "")
                    for w in n.replace("-", " ").replace(".", " ").split()} for c in clients}
    part = max({w[:2] for ws in words.values() for w in ws if len(w) >= 2},
               key=lambda p: sum(any(w.startswith(p) for w in ws) for ws in words.values()))
    starting = [c.id for c in clients if any(w.startswith(part) for w in words[c.id])]
    page = len(starting) // 2
    assert page >= 3
    assert list(_search_candidates(fontaine, part, None, limit=page)) == starting[:page]


def test_a_clinicians_scope_reads_only_their_own_care_team_rows(staff, demo):
    """The caseload is found through the care team's staff index (the reader's rows and
    their supervisees'), never by reading every care-team row of the practice, which
    grows with the practice, not with the caseload."""
    from django.db import connection

    from confide.services.directory import _scope

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL query plan")
    sql, params = _scope(staff["marsh"]).values_list("id", flat=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # what a large practice's planner would pick
        cursor.execute("EXPLAIN " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    # The reader's own rows are found by their staff id (the index's condition, not a
    # filter over the practice's rows); tiny test tables leave the supervisees' join to
    # the planner's whim, so only the reader's part is pinned here.
    by_staff = [line for line, cond in zip(plan, plan[1:]) if "Scan" in line and "careteammember" in line
                and "Index Cond" in cond and "staff_id = " in cond]
    assert by_staff, "\n".join(plan)
