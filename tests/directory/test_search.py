"""Finding people: any part of a name, case- and accent-insensitive, one typo per word,
by phone or email; blind indexes only (no plaintext), keyed per practice; results only
where the PDP permits, and no permitted match answers as nobody."""

from __future__ import annotations

import pytest

from confide.apps.records.models import BlindIndex
from confide.core.crypto.name_search import (
    MIN_FUZZY,
    PREFIX,
    close_term,
    index_terms,
    matches,
    name_tokens,
    near_terms,
    query_terms,
    token_level,
)
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


WORDS = ["Varga-Trent", "Kerrigan", "Ångström", "Abernathy", "Ab", "Zoë", "Featherstonehaugh", "O'Brien",
         "Castellanos", "Li", "Marisol", "Eberhardt"]
QUERIES = ["va", "var", "varg", "vagra", "varga", "vxrga", "trnet", "kerig", "kerrigan", "angstrum", "abe", "abern",
           "abernaty", "aberntahy", "abernathyy", "zo", "zoe", "zoey", "feathersto", "featherstonehaugh",
           "featherstonhaugh", "featherstonehaughs", "obrien", "obrian", "castel", "castellanso", "li", "lim",
           "mari", "maris", "marisl", "eberhard", "ebrhardt", "xyz"]


@pytest.mark.parametrize("word", WORDS)
def test_one_term_names_the_close_matches_and_one_neighbourhood_the_near_ones(word):
    """Search reads, per word of a query, one index term for the names that begin with
    it (close_term) and one neighbourhood for those within a typo (near_terms): a name
    the decrypted check would keep is always among the clients those terms name."""
    held = index_terms([word])
    for query in QUERIES:
        if any(token_level(query, w) >= PREFIX for w in name_tokens(word)):  # the whole word or its start
            assert close_term(query) in held, (word, query)
        # within a typo (the index holds no typo terms for a word under MIN_FUZZY letters)
        if any(token_level(query, w) and len(w) >= MIN_FUZZY for w in name_tokens(word)):
            assert near_terms(query) & held, (word, query)
        # and never fewer than every term of the query would name
        assert bool(near_terms(query) & held) == bool(set(query_terms(query)) & held), (word, query)


def test_index_rows_carry_their_clients_intake_time(staff):
    from confide.apps.records.models import Client

    made = intake.client_create(user=staff["marsh"], identity={"legal_name": "Ilse Intake-Time"})
    created = Client.objects.get(id=made).created_at
    assert set(BlindIndex.objects.filter(client_id=made).values_list("created_at", flat=True)) == {created}


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


def test_the_typo_tier_broadens_a_short_answer_only(staff):
    """One typo away is looked for when the exact and close matches are few; a name
    many clients share answers with those clients, not their one-typo neighbours."""
    from confide.services.directory import TYPO_BELOW

    desk = staff["fontaine"]
    marsh = staff["marsh"]
    intake.client_create(user=marsh, identity={"legal_name": "Oswin Pemberly"})
    intake.client_create(user=marsh, identity={"legal_name": "Oswin Pembery"})  # one typo from the query
    assert set(names(client_search(user=desk, query="Oswin Pemberly"))) == {"Oswin Pemberly", "Oswin Pembery"}
    for n in range(TYPO_BELOW):
        intake.client_create(user=marsh, identity={"legal_name": f"Oswin Pemberly {chr(65 + n)}"})
    found = names(client_search(user=desk, query="Oswin Pemberly"))
    assert "Oswin Pembery" not in found and len(found) == TYPO_BELOW + 1
    assert names(client_search(user=desk, query="Pembery"))[0] == "Oswin Pembery"


@pytest.mark.parametrize("query", ["\u00b5", "-", "a", "..", "\u00df"])
def test_a_query_with_no_name_word_answers_nobody(staff, cid, query):
    """Nothing a name word could match (a lone sign, one letter, punctuation): the exact
    email, phone and name lookups alone, and an empty answer, not an error."""
    assert client_search(user=staff["fontaine"], query=query) == []
