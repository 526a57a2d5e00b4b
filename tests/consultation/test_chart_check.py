"""The final check of a disguised note against the chart (services.consultation): every
value the chart holds, in its common forms, is caught wherever the engine left it; a
name that is also a word is caught where it is written as a name. And the alignment
of the engine's output with its input, which places each highlighted replacement."""

from __future__ import annotations

import pytest

from confide.core.deid import DeidResult, Span
from confide.services.disclosures.consultation import _address, _checked, _pieces, chart_check

RECORD = {
    "client": {"first_name": "Elena", "middle_name": "Marisol", "last_name": "Varga-Trent", "preferred_name": "Lena",
               "dob": "1992-06-18", "address": {"street": "3817 North Ferrell Lane", "city": "Tacoma", "state": "WA",
                                                "zip": "98407"},
               "phone": "253-555-0111", "email": "lena.varga-trent@example.com", "mrn": "HL-1000",
               "insurance_member_id": "CHP-448120937"},
    "contacts": [{"relation": "brother", "first_name": "Will", "last_name": "Varga-Trent", "phone": "253-555-0112"}],
}
CHECK = chart_check(RECORD, keep_first_name=False)


@pytest.mark.parametrize("text,kind", [
    ("Elena", "NAME"), ("ELENA", "NAME"), ("Marisol", "NAME"), ("Varga-Trent", "NAME"), ("Trent", "NAME"),
    ("Lena", "NAME"), ("Will", "NAME"),
    ("253-555-0111", "CONTACT"), ("(253) 555-0111", "CONTACT"), ("253.555.0112", "CONTACT"), ("2535550111", "CONTACT"),
    ("LENA.VARGA-TRENT@EXAMPLE.COM", "CONTACT"),
    ("06/18/1992", "DATE"), ("6/18/92", "DATE"), ("1992-06-18", "DATE"), ("June 18, 1992", "DATE"),
    ("18th of June 1992", "DATE"), ("Jun. 18 1992", "DATE"),
    ("HL-1000", "ID"), ("HL1000", "ID"), ("hl 1000", "ID"), ("CHP448120937", "ID"),
    ("3817 North Ferrell Lane", "LOCATION"), ("3817 N. Ferrell Ln", "LOCATION"), ("Tacoma", "LOCATION"),
    ("98407", "LOCATION"),
])
def test_every_chart_value_is_caught_in_its_common_forms(text, kind):
    assert [(s, e, k) for s, e, k in CHECK.find(f"Said: {text}.")] == [(6, 6 + len(text), kind)]


@pytest.mark.parametrize("text", [
    "She will call on Tuesday.",   # a name that is also a word, used as the word
    "GAD-7 15; sertraline 50 mg; 253 minutes",  # clinical numbers
    "Washington state; WA",        # the state may stay (164.514(b)(2)(i)(B))
    "Lenard and Helena",           # other names that contain a chart name
    "1000 steps",                  # part of an id
])
def test_what_is_not_a_chart_value_is_left_alone(text):
    assert CHECK.find(text) == []


def test_keep_first_name_allows_the_first_and_preferred_names_only():
    check = chart_check(RECORD, keep_first_name=True)
    assert check.find("Elena, Lena") == []
    assert [k for _, _, k in check.find("Elena Varga-Trent and Will")] == ["NAME", "NAME"]


def test_a_value_left_in_a_piece_is_replaced_and_marked_as_caught_by_the_chart():
    pieces = [("Mary ", "NAME", "engine"), ("Trent", "NAME", "engine"), (" called from 253-555-0112.", None, "")]
    assert _checked(pieces, CHECK) == [("Mary ", "NAME", "engine"), ("[NAME]", "NAME", "chart"),
                                       (" called from ", None, ""), ("[CONTACT]", "CONTACT", "chart"), (".", None, "")]


def _span(start, end, kind="NAME"):
    return Span(start=start, end=end, type=kind, recognizer="record", explanation="", score=1.0, in_record=True)


def test_the_engines_output_is_aligned_with_its_input():
    text = "Elena Varga-Trent called 253-555-0111, then Lena."
    result = DeidResult(text="Kristen Lopez called 849-555-0175, then Alvin.",
                        spans=[_span(0, 5), _span(6, 17), _span(25, 37, "CONTACT"), _span(44, 48)])
    assert _pieces(text, result) == [("Kristen Lopez", "NAME", "engine"), (" called ", None, ""),
                                     ("849-555-0175", "CONTACT", "engine"), (", then ", None, ""),
                                     ("Alvin", "NAME", "engine"), (".", None, "")]


def test_an_output_that_cannot_be_aligned_is_shown_without_highlighting():
    result = DeidResult(text="something else entirely", spans=[_span(0, 5)])
    assert _pieces("Elena called.", result) is None


@pytest.mark.parametrize("raw,expected", [
    ("3817 North Ferrell Lane, Tacoma, WA 98407",
     {"street": "3817 North Ferrell Lane", "city": "Tacoma", "state": "WA", "zip": "98407"}),
    ("1420 Marrowstone Avenue, Suite 210, Tacoma, WA 98403",
     {"street": "1420 Marrowstone Avenue, Suite 210", "city": "Tacoma", "state": "WA", "zip": "98403"}),
    ("PO Box 12, Tacoma WA", {"street": "PO Box 12", "city": "Tacoma WA", "state": None, "zip": None}),
    ("", None),
])
def test_an_address_line_is_split_for_the_engine(raw, expected):
    assert _address(raw) == expected
