"""Finding people: any part of a name, case- and accent-insensitive, one typo per word,
by phone or email; blind indexes only (no plaintext), keyed per practice; results only
where the PDP permits, and no permitted match answers as nobody."""

from __future__ import annotations

import pytest

from confide.apps.records.models import BlindIndex
from confide.core.crypto.name_search import index_terms, matches
from confide.services import intake
from confide.services.directory import client_search


def names(rows):
    return [r["legal_name"] for r in rows]


@pytest.mark.parametrize("query", ["Varga", "varga-trent", "VARGA TRENT", "Lena", "elen", "Elena Varga", "trent",
                                   "Vagra", "Varg-Trnet", "Marisol", "marisl", "253-555-0111", "(253) 555 0111",
                                   "lena.varga-trent@example.com", "LENA.VARGA-TRENT@EXAMPLE.COM", "Elena Marisol Varga-Trent"])
def test_the_treating_clinician_finds_their_client(staff, cid, query):
    assert names(client_search(user=staff["marsh"], query=query)) == ["Elena Marisol Varga-Trent"]


def test_accents_and_case_do_not_matter(staff):
    marsh = staff["marsh"]
    intake.client_create(user=marsh, identity={"legal_name": "Zoë Ångström-Núñez"})
    for query in ("zoe", "ANGSTROM", "nunez", "Núñez", "angstrom nunez", "Angstrum"):
        assert names(client_search(user=marsh, query=query)) == ["Zoë Ångström-Núñez"], query


def test_no_permitted_match_reads_as_nobody(staff, cid):
    marsh = staff["marsh"]  # Desmond Kerrigan is Dr Okafor's client
    for query in ("Kerrigan", "Kerig", "Desmond", "Desmond Albright Kerrigan"):
        assert client_search(user=marsh, query=query) == client_search(user=marsh, query="Zzyzx Nobody") == []
    assert names(client_search(user=staff["okafor"], query="Kerigan")) == ["Desmond Albright Kerrigan"]


def test_the_front_desk_finds_everyone_and_the_admin_no_one(staff, cid):
    assert "Desmond Albright Kerrigan" in names(client_search(user=staff["fontaine"], query="kerr"))
    assert client_search(user=staff["haddad"], query="kerr") == []


def test_typos_are_bounded(staff, cid):
    marsh = staff["marsh"]
    assert client_search(user=marsh, query="Vxrgx") == []  # two typos in five letters: nobody
    assert client_search(user=marsh, query="Va") != []  # a two-letter prefix
    assert matches("vag", ["Varga"]) == 0  # no typo tolerance under four letters


def test_the_index_holds_no_plaintext_and_is_keyed_per_practice(staff, cid, other_practice):
    rows = list(BlindIndex.objects.filter(client_id=cid["c1"]).values_list("kind", "digest"))
    terms = {t for _k, t in index_terms(["Elena Marisol Varga-Trent", "Lena"])}
    assert rows and not any(d in terms or "varga" in d for _k, d in rows)
    assert {k for k, _d in rows} >= {"ntok", "npre", "nfz", "name", "email", "phone"}
    assert len(rows) < 400  # bounded per client
    theirs = set(BlindIndex.objects.filter(client_id=other_practice["client_id"]).values_list("digest", flat=True))
    intake.client_create(user=staff["marsh"], identity={"legal_name": "Quill Otherpractice"})
    ours = set(BlindIndex.objects.filter(practice_id=staff["marsh"].practice_id, kind="ntok")
               .values_list("digest", flat=True))
    assert not (theirs & ours)  # the same name, different digests in another practice
    assert client_search(user=other_practice["clinician"], query="Varga") == []


REASON = "Client in crisis at the front desk; their clinician is away."


def test_emergency_access_starts_from_a_search_with_a_reason(staff, cid):
    from confide.apps.auditlog.models import AuditEvent
    from confide.apps.records.models import BreakGlassGrant
    from confide.core.errors import Forbidden, InvalidInput
    from confide.services.directory import emergency_search
    from tests.web.signin import signed_in

    marsh = staff["marsh"]
    with pytest.raises(InvalidInput, match="reason"):
        emergency_search(user=marsh, query="Kerrigan", reason="short")
    found = emergency_search(user=marsh, query="Kerrigan", reason=REASON)
    assert [r["legal_name"] for r in found] == ["Desmond Albright Kerrigan"]
    flagged = AuditEvent.objects.filter(chain=str(marsh.practice_id), detail__view="emergency_search")
    assert flagged.exists() and all(e.detail.get("break_glass") for e in flagged)
    assert emergency_search(user=marsh, query="Kerigan", reason=REASON) == []  # no typo tolerance here
    for username in ("lindqvist", "fontaine", "haddad"):  # pre-licensed, front desk, admin
        with pytest.raises(Forbidden, match="only a licensed clinician"):
            emergency_search(user=staff[username], query="Kerrigan", reason=REASON)
    # the pre-licensed clinician is told plainly, on the clients page and the emergency page
    web = signed_in(staff["lindqvist"])
    assert "your account is not licensed" in web.get("/clients/").content.decode()
    page = web.post("/clients/emergency/", {"q": "Kerrigan", "reason": REASON}).content.decode()
    assert "you cannot use it" in page and "Desmond" not in page
    # the licensed clinician opens the chart from the result, with the reason carried
    web = signed_in(marsh)
    page = web.post("/clients/emergency/", {"q": "Kerrigan", "reason": REASON}).content.decode()
    assert f'action="/clients/{cid["c2"]}/break-glass/"' in page
    opened = web.post(f"/clients/{cid['c2']}/break-glass/", {"reason": REASON})
    assert opened.status_code == 302 and BreakGlassGrant.objects.filter(user=marsh, client_id=cid["c2"]).exists()
    bad = web.post("/clients/emergency/", {"q": "Kerrigan", "reason": ""})
    assert bad.status_code == 400 and "Desmond" not in bad.content.decode()
