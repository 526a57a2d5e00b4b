"""Recognizers on invented text only (no sentence or name from the dev notes): address
blocks written the way much of the world writes them, names in capitals that no word list
holds, and the ordinary words in capitals that must not be taken for names."""

from __future__ import annotations

import pytest

from confide.core.deid import Engine, deidentify
from confide.core.deid.document import Document
from confide.core.deid.recognizers.address_blocks import AddressBlockRecognizer

ENGINE = Engine()


def covered(text: str, value: str, spans, type_: str = "LOCATION") -> bool:
    start = text.index(value)
    end = start + len(value)
    return all(any(s.start <= i < s.end and s.type == type_ for s in spans)
               for i in range(start, end) if not text[i].isspace())


@pytest.mark.parametrize("text, values", [
    ("Maren Holt  4410 Fjordveien 12  Apt. 7  Tromsdal  Norway 9012", ["4410 Fjordveien 12", "Apt. 7", "Tromsdal", "9012"]),
    ("Ship to: Suite 300 > Kellerby > Wales 4471", ["Suite 300", "Kellerby", "4471"]),
    ("Please write to PSC 4410, Box 1234, APO AE 09012 after June.", ["PSC 4410, Box 1234, APO AE 09012"]),
    ("ZIP: 5020", ["5020"]),
    ("Postal code K1A 0B1 on the form", ["K1A 0B1"]),
    ("She lives at 88 Rue Verte 14, Lisonne.", ["88 Rue Verte 14, Lisonne"]),
    ("He now resides at 17 Orchard Lane Unit 2; mother visits.", ["17 Orchard Lane Unit 2"]),
])
def test_address_blocks(text, values):
    spans = ENGINE.analyze(text)
    for value in values:
        assert covered(text, value, spans), (value, [text[s.start:s.end] for s in spans])


@pytest.mark.parametrize("text", [
    "Take 2 tablets 3\ntimes daily.",
    "Finished unit 4 of the workbook; Rm 4 was cold.",
    "Address: see chart.",
    "She lives at 2 different homes during the week.",
])
def test_not_address_blocks(text):
    assert AddressBlockRecognizer().analyze(Document(text)) == []


@pytest.mark.parametrize("text, name", [
    ("TODAY BRONISLAVA REPORTED BETTER SLEEP AND LESS WORRY ABOUT WORK.", "BRONISLAVA"),
    ("SEEN WITH HER SON ANSELM; HE WAS QUIET FOR MOST OF THE SESSION.", "ANSELM"),
    ("MET WITH ODALYS AND HER AUNT TO PLAN THE SCHOOL MEETING NEXT WEEK.", "ODALYS"),
    ("PT SAYS CHARLOTTE CALLED TWICE THIS WEEK AND THEY ARGUED ABOUT MONEY.", "CHARLOTTE"),
])
def test_names_in_capitals_that_no_list_holds(text, name):
    spans = ENGINE.analyze(text)
    assert covered(text, name, spans, "NAME"), [text[s.start:s.end] for s in spans]


def test_ordinary_words_in_capitals_are_not_names():
    text = ("PT DENIES SI. REFERAL FOR EVAL PLACED; REFRAMED THOUGHTS ABOUT THE GRANDKIDS AND THE NEW "
            "PASSCODE; COMORBID INSOMNIA; HYGEINE REVIEWED; WILL CALL THE HOTLINE IF NEEDED.")
    assert [text[s.start:s.end] for s in ENGINE.analyze(text)] == []


def test_a_town_named_like_a_person_is_a_place_after_in():
    text = "PT MOVED IN WITH HER SISTER IN CHARLOTTE LAST SPRING AND STARTED A NEW JOB THERE."
    assert not any(s.type == "NAME" and text[s.start:s.end] == "CHARLOTTE" for s in ENGINE.analyze(text))


def test_surrogate_addresses_change_every_piece_and_keep_states_and_countries():
    text = "lives at 28245 Kirkeveien 82  Apt. 595  Lillehammer  Norway 2609; mail: 12 Elm St, Dayton, OH 45402"
    out = deidentify(text, None, mode="surrogates", case_secret=b"k" * 32).text
    for gone in ("28245", "Kirkeveien", "595", "Lillehammer", "2609", "12 Elm", "Dayton", "45402"):
        assert gone not in out, (gone, out)
    assert "Norway" in out and "OH" in out
