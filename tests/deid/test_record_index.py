"""The record recognizer compiles, per note, only the chart's alternatives whose literal part the
note contains; what it finds must be what the whole alternation finds."""

import re

from confide.core.deid import Engine
from confide.core.deid.document import Document
from confide.core.deid.recognizers.record import _id_variant, _needle, _street_regex, build_index

RECORD = {"client": {"first_name": "Tamsin", "last_name": "Achebe-Ruiz", "dob": "1990-02-11",
                     "address": {"street": "1412 N Alder St", "city": "Port Orchard", "state": "WA", "zip": "98366"},
                     "email": "tamsin.ar90@example.com", "mrn": "HBH-220914", "phone": "253-555-0143"}}


def test_a_needle_is_a_literal_every_match_contains():
    assert _needle(r"@?" + re.escape("maria.delgado88") + r"\d{0,4}") == ("maria.delgado88", False)
    assert _needle(_street_regex("1412 N Alder St", with_number=False)) == ("alder", False)
    assert _needle(_id_variant("HBH-220914")) == ("hbh220914", True)  # looked for with separators removed
    assert _needle(r"98366(?:-\d{4})?") == ("98366", False)
    assert _needle(r"(?:a|b)") is None and _needle(r"a|bc") is None
    assert _needle(r"abc\.?def") == ("abc", False)  # an optional character ends a literal run
    assert _needle("Zo\u00eb\\s+Lind") == ("lind", False)  # beyond ASCII case folding differs: never a needle


def test_only_the_alternatives_a_note_can_match_are_compiled():
    index = build_index(RECORD)
    ids = next(p for p in index.patterns if p.type == "ID")
    assert ids.regex_for(Document("Nothing of the chart here.", RECORD)) is None
    regex = ids.regex_for(Document("MRN HBH 220914 on file.", RECORD))
    assert regex is not None and regex.search("MRN HBH 220914 on file.")


def test_the_filtered_patterns_find_what_the_whole_alternation_finds():
    text = ("Tamsin Achebe Ruiz (HBH/220914) lives at 1412 North Alder Street, Port Orchard. "
            "Write to TAMSIN.AR90@EXAMPLE.COM.")
    found = {(s.start, s.end, s.type) for s in Engine().analyze(text, RECORD) if s.in_record}
    index = build_index(RECORD)
    for p in index.patterns:
        whole = re.compile(p.assemble(list(p.alternatives)), p.flags)
        some = p.regex_for(Document(text, RECORD))
        assert [m.span() for m in whole.finditer(text)] == ([m.span() for m in some.finditer(text)] if some else [])
    assert (text.index("HBH"), text.index("HBH") + 10, "ID") in found
    assert any(t == "LOCATION" and text[s:e].startswith("1412 North Alder") for s, e, t in found)
    assert any(t == "CONTACT" and text[s:e] == "TAMSIN.AR90@EXAMPLE.COM" for s, e, t in found)
