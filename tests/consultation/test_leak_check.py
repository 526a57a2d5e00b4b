"""The leak check the consultation tests rely on finds values as whole tokens, and
does not find a ZIP code inside a hash, a UUID or a timestamp (which made a CI run
fail by chance once)."""

from .helpers import leaks


def test_whole_tokens_are_found_in_any_case_and_phones_by_digits():
    values = ["98407", "Lena", "lena.v@example.org", "(253) 555-0143", "HL-1000"]
    text = "LENA lives at 98407; mail Lena.V@example.org or 253.555.0143, chart HL-1000."
    assert leaks(text, values) == values


def test_values_inside_hashes_uuids_and_timestamps_are_not_leaks():
    text = ('{"at": "2026-11-21T12:33:14.984071+00:00", "hash": "ab98407cd", '
            '"id": "4201bf25-9840-7466-d000-98407ab51c2e", "n": 1253555014399, "word": "Lenamarie"}')
    assert leaks(text, ["98407", "Lena", "(253) 555-0143"]) == []
