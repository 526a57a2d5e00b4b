"""Every form of a value the chart knows is found (in_record): said aloud, spelled, shortened,
re-cased. Invented text, one case per form; the near misses stay unmarked."""

import pytest

from confide.core.deid import Engine

RECORD = {
    "client": {"first_name": "Odalys", "middle_name": "Perpetua", "last_name": "van der Kamp",
               "dob": "1987-03-03", "phone": "541-555-0163", "work_phone": "207-555-0118 ext. 4471",
               "email": "odalys.vdk7@example.org", "mrn": "4417093",
               "address": {"street": "2210 Quillback Lane", "city": "Kettle Falls", "state": "WA", "zip": "99141"},
               "employer": "Tractor Supply"},
    "contacts": [{"relation": "brother", "first_name": "Teodor", "last_name": "Ruiz-Bellamy", "phone": "541-555-0177"}],
}

CASES = [
    ("phone said digit by digit", "call me at five four one, five five five, oh one six three", "five four one, five five five, oh one six three"),
    ("phone said in groups", "reach her on five four one double five five oh one sixty-three today", "five four one double five five oh one sixty-three"),
    ("record number said aloud", "record number four four one seven oh nine three, thanks", "four four one seven oh nine three"),
    ("birth date in words", "date of birth March third, nineteen eighty-seven.", "March third, nineteen eighty-seven"),
    ("year of birth alone in words", "She was born in nineteen eighty-seven in Oregon.", "nineteen eighty-seven"),
    ("birthday as month and day", "Her birthday is March 3rd and she wants cake.", "March 3rd"),
    ("surname spelled with hyphens", "last name is K-A-M-P, thanks", "K-A-M-P"),
    ("first name spelled 'as in' to the last letter", "spelled O as in oscar D as in delta A as in alpha L as in lima Y as in yankee S as in sierra okay",
     "O as in oscar D as in delta A as in alpha L as in lima Y as in yankee S as in sierra"),
    ("last four digits of a known phone", "Is the number ending in 0163 still good?", "0163"),
    ("extension of a known work phone", "at work, extension four four seven one", "four four seven one"),
    ("e-mail said aloud", "or email odalys dot vdk7 at example dot org if easier", "odalys dot vdk7 at example dot org"),
    ("particles written together", "Ms. Vanderkamp did not attend.", "Vanderkamp"),
    ("particles in capitals", "RE: VAN DER KAMP, ODALYS", "VAN DER KAMP"),
    ("one part of a hyphenated surname", "Her brother Teodor Bellamy called.", "Bellamy"),
    ("middle initial", "Odalys P. van der Kamp signed the release.", "P."),
    ("initials on a copy line", "Respectfully,\nDr. Ines Whitcombe\ncc: OV\n", "OV"),
    ("lower-case name", "hi this is odalys calling back", "odalys"),
    ("lower-case town after a preposition", "she moved back to kettle falls last spring", "kettle falls"),
    ("lower-case employer after a preposition", "works nights at tractor supply now", "tractor supply"),
]


@pytest.mark.parametrize("form, text, value", CASES, ids=[c[0] for c in CASES])
def test_a_chart_known_value_is_found_in_this_form(form, text, value):
    start = text.index(value)
    spans = [s for s in Engine().analyze(text, RECORD) if s.in_record]
    covered = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    missing = [i for i in range(start, start + len(value)) if text[i].isalnum() and i not in covered]
    assert not missing, f"{form}: {value!r} not wholly found in {[text[s.start:s.end] for s in spans]}"


@pytest.mark.parametrize("text, word", [
    ("The year nineteen eighty-seven was a hard one for the town.", "nineteen eighty-seven"),  # no word of birth near it
    ("We spoke about the kettle falls on the river walk.", "kettle falls"),  # no place word before it
    ("Plan: OV reviewed in the meeting today.", "OV"),  # two letters in running text, not a copy line
])
def test_the_near_misses_are_not_taken_for_the_chart(text, word):
    start = text.index(word)
    assert not [s for s in Engine().analyze(text, RECORD) if s.in_record and s.start < start + len(word) and start < s.end]
