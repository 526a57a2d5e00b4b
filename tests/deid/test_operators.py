"""Operators: redaction, consistent surrogates per case, date shifts that keep intervals,
ages over 89 as "90+" (the "90 or older" category), and keeping only the client's first name."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from confide.core.deid import Span, deidentify
from confide.core.deid.operators.dates import shift_date

RECORD = {"client": {"first_name": "Maria", "last_name": "Delgado", "preferred_name": None, "dob": "1988-04-02",
                     "phone": "(253) 555-0143", "mrn": "00451237"},
          "contacts": [{"relation": "spouse", "first_name": "Luis", "last_name": "Delgado", "phone": "(253) 555-0178"}]}
NOTE = ("Client: Maria Delgado    DOB: 04/02/1988    MRN: 00451237\n"
        "Seen 03/14/2025. Maria says Luis Delgado drove her; Luis waited. Next appt 3/21/2025.\n"
        "Call (253) 555-0143. Her grandmother, 93, lives with them; her son is 12.")
SECRET = b"case-secret-for-tests-0123456789"


def test_redact_writes_the_type():
    result = deidentify(NOTE, RECORD)
    assert "[NAME]" in result.text and "[DATE]" in result.text and "[ID]" in result.text and "[CONTACT]" in result.text
    for value in ("Maria", "Delgado", "Luis", "04/02/1988", "00451237", "555-0143"):
        assert value not in result.text
    assert all(NOTE[s.start:s.end] for s in result.spans)  # offsets into the input


def test_surrogates_are_consistent_within_a_case():
    a = deidentify(NOTE, RECORD, mode="surrogates", case_secret=SECRET).text
    b = deidentify(NOTE, RECORD, mode="surrogates", case_secret=SECRET).text
    assert a == b
    for value in ("Maria", "Delgado", "Luis", "00451237", "555-0143"):
        assert value not in a
    # the same person gets the same invented name everywhere
    first = re.search(r"Client: (\w+) (\w+)", a)
    assert first and a.count(first.group(2)) >= 2
    other = deidentify(NOTE, RECORD, mode="surrogates", case_secret=b"another-case-secret-0123456789").text
    assert other != a


def test_keep_first_name_keeps_only_the_clients_first_name():
    text = deidentify(NOTE, RECORD, mode="surrogates", case_secret=SECRET, keep_first_name=True).text
    assert "Maria" in text
    assert "Delgado" not in text and "Luis" not in text


def _dates(text: str) -> list[dt.date]:
    return [dt.datetime.strptime(m, "%m/%d/%Y").date() for m in re.findall(r"\b\d{2}/\d{2}/\d{4}\b|\b\d{1,2}/\d{1,2}/\d{4}\b", text)]


def test_dates_shift_by_one_offset_so_intervals_survive():
    before = _dates(NOTE)
    after = _dates(deidentify(NOTE, RECORD, mode="surrogates", case_secret=SECRET).text)
    assert len(before) == len(after) == 3
    assert before != after
    assert [b - a for a, b in zip(before, before[1:])] == [b - a for a, b in zip(after, after[1:])]
    offsets = {(y - x).days for x, y in zip(before, after)}
    assert len(offsets) == 1 and 0 not in offsets


@pytest.mark.parametrize("value,days,expected", [
    ("03/14/2025", 10, "03/24/2025"), ("3/14/25", -14, "2/28/25"), ("2025-03-14", 1, "2025-03-15"),
    ("March 14th", 3, "March 17th"), ("Oct. 31", 1, "Nov. 1"), ("Tues 3/14/2023", 1, "Wed 3/15/2023"),
    ("9 July 2025", 30, "8 August 2025"), ("MARCH 2023", 31, "APRIL 2023"), ("2019", 10, "2019"),
    ("Tuesday, March 4, 2025", 7, "Tuesday, March 11, 2025"), ("1.30.25", 2, "2.1.25"),
])
def test_date_shift_keeps_the_format(value, days, expected):
    assert shift_date(value, days) == expected


def test_ages_over_89_become_90_or_older():
    text = deidentify("Grandmother, aged 93, and her 91-year-old brother; client is 34 y/o.", None,
                      mode="surrogates", case_secret=SECRET).text
    assert "93" not in text and "91" not in text
    assert "aged 90+," in text and "her 90+-year-old brother" in text
    assert "34 y/o" in text


@pytest.mark.parametrize("note, expected", [
    ("She is a ninety-one-year-old widow.", "She is a 90+-year-old widow."),
    ("Pt is 102 years old.", "Pt is 90+ years old."),
    ("He turned ninety last week.", "He turned 90+ last week."),
    ("A 89-year-old man.", "A 89-year-old man."),
    ("She is in her nineties.", "She is in her 90+."),
])
def test_ages_over_89_in_words_and_digits(note, expected):
    assert deidentify(note, None, mode="surrogates", case_secret=SECRET).text == expected


def test_unreadable_dates_are_redacted_in_surrogate_mode():
    from confide.core.deid.operators.surrogate import Surrogates

    sur = Surrogates(SECRET)
    assert sur.replace("Valentine's Day", Span(0, 15, "DATE", "t", "t", 1.0)) == "[DATE]"


def test_states_stay_and_zip_codes_change():
    text = deidentify("Address: 1412 N Alder St, Tacoma, WA 98406", None, mode="surrogates", case_secret=SECRET).text
    assert "WA" in text and "98406" not in text and "Tacoma" not in text and "Alder" not in text


def test_keep_first_name_in_redact_mode_and_twice_is_stable():
    result = deidentify(NOTE, RECORD, keep_first_name=True)
    assert "Maria [NAME]" in result.text and "Luis" not in result.text and "Delgado" not in result.text
    assert deidentify(result.text, RECORD, keep_first_name=True).text == result.text
