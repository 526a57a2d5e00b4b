"""The de-identification benchmark's scoring (bench/deid_eval.py), on hand-made notes.

The bench script is not a package; it is loaded from its path. It imports neither
Presidio nor spaCy at module level, so these tests run in the product venv."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH_FILE = Path(__file__).resolve().parents[2] / "bench" / "deid_eval.py"


def _load():
    spec = importlib.util.spec_from_file_location("deid_eval", BENCH_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["deid_eval"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


de = _load()
G = de.GoldSpan

#          0         1         2         3         4
#          0123456789012345678901234567890123456789012345
TEXT = "Maria saw Dr. Feng on 3/14 in Tacoma. Luis Delgado"
GOLD = (
    G(0, 5, "NAME", True, "Maria"),
    G(14, 18, "NAME", False, "Feng"),
    G(22, 26, "DATE", False, "3/14"),
    G(30, 36, "LOCATION", True, "Tacoma"),
    G(38, 50, "NAME", True, "Luis Delgado"),
)
PRED = [(0, 9, "NAME"), (22, 26, "LOCATION"), (30, 36, "LOCATION"), (38, 42, "NAME")]


def test_tokens_are_word_runs_and_punctuation_separates():
    text = "Dr. Feng's (253) 555-0143 j.m@x.org"
    assert [text[a:b] for a, b in de.tokenize(text)] == ["Dr", "Feng", "s", "253", "555", "0143", "j", "m", "x", "org"]


def test_token_counts_overall_and_per_type_are_exact():
    for g in GOLD:
        assert TEXT[g.start:g.end] == g.text
    tally = de.Tally()
    tally.add_note(de.Note("n1", TEXT, None, GOLD), PRED)
    # tokens: Maria saw Dr Feng on 3 14 in Tacoma Luis Delgado
    # gold:   N          N     D D     L      N    N
    # pred:   N     N          L L     L      N
    o = tally.overall
    assert (o.tp, o.fp, o.fn) == (5, 1, 2)  # Maria 3 14 Tacoma Luis; saw; Feng Delgado
    assert o.precision == pytest.approx(5 / 6) and o.recall == pytest.approx(5 / 7)
    assert o.f1 == pytest.approx(2 * (5 / 6) * (5 / 7) / (5 / 6 + 5 / 7))
    by = {t: (c.tp, c.fp, c.fn) for t, c in tally.by_type.items()}
    assert by == {"NAME": (2, 1, 2), "DATE": (0, 0, 2), "LOCATION": (1, 2, 0),
                  "AGE": (0, 0, 0), "CONTACT": (0, 0, 0), "ID": (0, 0, 0)}
    # A wrong type still removes the identifier: overall counts it, per type does not.
    assert tally.by_type["DATE"].recall == 0.0 and tally.by_type["AGE"].precision is None


def test_in_record_span_is_found_only_when_every_token_is_predicted():
    tally = de.Tally()
    tally.add_note(de.Note("n1", TEXT, None, GOLD), PRED)
    assert (tally.in_record.found, tally.in_record.total) == (2, 3)  # Maria, Tacoma; not "Luis Delgado"
    assert [s.text for _, s in tally.missed_in_record] == ["Luis Delgado"]
    assert tally.in_record_by_type["NAME"].as_dict() == {"found": 1, "total": 2, "recall": 0.5}
    assert (tally.spans.found, tally.spans.total) == (3, 5)


def test_partial_token_overlap_counts_and_ignored_regions_are_not_scored():
    text = "Mr. Smith 16yo"
    gold = (G(0, 3, None), G(4, 9, "NAME"), G(10, 12, "AGE"))  # "Mr." left out; "16" inside "16yo"
    tally = de.Tally()
    tally.add_note(de.Note("n", text, None, gold), [(0, 2, "NAME"), (10, 14, "AGE")])
    assert (tally.overall.tp, tally.overall.fp, tally.overall.fn) == (1, 0, 1)  # 16yo; -; Smith
    assert (tally.by_type["AGE"].tp, tally.by_type["NAME"].fn) == (1, 1)


def test_a_span_touching_a_token_without_sharing_a_character_does_not_cover_it():
    text = "Dr. Feng"
    tally = de.Tally()
    tally.add_note(de.Note("n", text, None, (G(4, 8, "NAME"),)), [(0, 4, "NAME")])  # "Dr. " ends where Feng starts
    assert (tally.overall.tp, tally.overall.fp, tally.overall.fn) == (0, 1, 1)
    tally = de.Tally()
    tally.add_note(de.Note("n", text, None, (G(0, 2, "NAME"),)), [(2, 8, "NAME")])  # starts where Dr ends
    assert (tally.overall.tp, tally.overall.fp, tally.overall.fn) == (0, 1, 1)


def test_tallies_add_up_over_notes():
    tally = de.Tally()
    tally.add_note(de.Note("a", "call 555", None, (G(5, 8, "CONTACT"),)), [(5, 8, "CONTACT")])
    tally.add_note(de.Note("b", "call 555", None, (G(5, 8, "CONTACT"),)), [(0, 4, "NAME")])
    assert (tally.notes, tally.overall.tp, tally.overall.fp, tally.overall.fn) == (2, 1, 1, 1)
    assert tally.overall.f1 == pytest.approx(0.5)


@pytest.mark.parametrize("entity, gold", [
    ("PERSON", "NAME"), ("DATE_TIME", "DATE"), ("LOCATION", "LOCATION"), ("NRP", "LOCATION"),
    ("PHONE_NUMBER", "CONTACT"), ("EMAIL_ADDRESS", "CONTACT"), ("URL", "CONTACT"), ("IP_ADDRESS", "CONTACT"),
    ("US_SSN", "ID"), ("US_DRIVER_LICENSE", "ID"), ("CREDIT_CARD", "ID"), ("MEDICAL_LICENSE", "ID"),
    ("SOMETHING_NEW", "ID"),
])
def test_presidio_entity_types_map_to_gold_types(entity, gold):
    assert de.presidio_type(entity) == gold


def test_synth_gold_maps_types_and_leaves_titles_out():
    spans = [{"entity_type": "TITLE", "start_position": 0, "end_position": 3},
             {"entity_type": "STREET_ADDRESS", "start_position": 4, "end_position": 9},
             {"entity_type": "DOMAIN_NAME", "start_position": 10, "end_position": 12}]
    assert [g.type for g in de.synth_gold(spans)] == [None, "LOCATION", "CONTACT"]
    with pytest.raises(de.BenchError):
        de.synth_gold([{"entity_type": "UNHEARD_OF", "start_position": 0, "end_position": 1}])


@pytest.mark.parametrize("text, caps", [("CLIENT: MARIA, DOB 4/2/88", True), ("Client: Maria", False), ("12/3", False)])
def test_all_caps_notes(text, caps):
    assert de.is_all_caps(text) is caps


def test_missing_data_is_one_line_error(tmp_path, capsys):
    assert de.main([str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "data not found" in err and "therapy_dev.jsonl" in err


def test_the_benchmark_runs_on_its_own_data_at_a_smoke_size(tmp_path, capsys):
    """bench-deid stands alone: its data ships in bench/data/deid, and a run over the first
    notes of each set (no Presidio) scores both development sets and presidio_synth."""
    out = tmp_path / "deid.json"
    assert de.main(["--no-presidio", "--repeat", "1", "--limit", "4", "--json", str(out)]) == 0
    import json

    result = json.loads(out.read_text())
    for key in ("therapy_dev", "varied_dev", "forms_dev", "spoken_dev", "clinical_dev", "restated_dev", "presidio_synth"):
        assert key in result
    assert result["therapy_dev"]["confide"]["all"]["notes"] == 4
    assert result["varied_dev"]["confide"]["all"]["in_record_recall"]["total"] > 0
    printed = capsys.readouterr().out
    assert "varied_dev.jsonl (4 notes)" in printed and "presidio_synth (4)" in printed
    assert "forms_dev.jsonl (4 notes)" in printed and "spoken_dev.jsonl (4 notes)" in printed
    assert "clinical_dev.jsonl (4 notes)" in printed and "restated_dev.jsonl (4 notes)" in printed


@pytest.mark.parametrize("generator, data", [("make_varied_dev", "varied_dev.jsonl"), ("make_forms_dev", "forms_dev.jsonl"),
                                             ("make_spoken_dev", "spoken_dev.jsonl"),
                                             ("make_clinical_dev", "clinical_dev.jsonl"),
                                             ("make_restated_dev", "restated_dev.jsonl")])
def test_the_generated_development_sets_are_what_their_generators_write(generator, data):
    """varied_dev.jsonl, forms_dev.jsonl, spoken_dev.jsonl, clinical_dev.jsonl and restated_dev.jsonl
    are generated, deterministically, by bench/make_varied_dev.py, make_forms_dev.py,
    make_spoken_dev.py, make_clinical_dev.py and make_restated_dev.py; their gold offsets
    come from the generator, so they must hold on the text."""
    spec = importlib.util.spec_from_file_location(generator, BENCH_FILE.parent / f"{generator}.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    import json

    rows = gen.build()
    shipped = [json.loads(line) for line in (BENCH_FILE.parent / "data" / "deid" / data).read_text().splitlines()]
    assert rows == shipped and len(rows) >= 60
    for row in rows:
        for s in row["spans"]:
            assert row["text"][s["start"]:s["end"]] == s["text"]


def test_the_benchmark_gives_the_network_back_when_it_ends():
    """The benchmark refuses the network while it runs and restores it after, so a test that
    runs next in the same worker (a browser journey) can still reach its server."""
    import socket

    before = (socket.socket.connect, socket.getaddrinfo)
    with de.offline():
        with pytest.raises(de.BenchError):
            socket.getaddrinfo("127.0.0.1", 80)
    assert (socket.socket.connect, socket.getaddrinfo) == before


def test_a_safe_harbor_set_is_scored_with_the_safe_harbor_policy():
    """clinical_dev.jsonl keeps states, countries and ages under 90 (Safe Harbor): Confide runs on
    it with policy safe_harbor, and goes back to the default for the next set."""
    system = de.ConfideEngine()
    note = de.Note("n1", "Born in Portugal, now 67, lives in Maine.", None, ())
    assert de.POLICY_OF_SET[de.CLINICAL_FILE] == "safe_harbor"
    strict = de.score(system, [note], record=True, policy="safe_harbor")["all"]
    default = de.score(system, [note], record=True)["all"]
    assert strict.overall.fp == 0 < default.overall.fp
    assert system.engine is system.engines["disguise"]


def test_a_note_naming_its_policy_is_scored_with_it():
    """A line's own "policy" comes before the set's: nursing_dev.jsonl carries one on every line."""
    system = de.ConfideEngine()
    text = "Born in Portugal, now 67, lives in Maine."
    own = de.Note("n1", text, None, (), "safe_harbor")
    plain = de.Note("n2", text, None, ())
    assert de.score(system, [own], record=True)["all"].overall.fp == 0
    assert de.score(system, [plain], record=True)["all"].overall.fp > 0
    assert system.engine is system.engines["disguise"]


def test_a_line_with_an_unknown_policy_is_refused(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a", "text": "hi", "spans": [], "policy": "lenient"}\n', encoding="utf-8")
    with pytest.raises(de.BenchError, match="policy must be one of"):
        de.load_therapy(path)


def test_the_policy_option_names_a_known_file_and_policy(tmp_path, capsys):
    assert de.main([str(tmp_path), "--no-presidio", "--policy", "therapy_dev.jsonl=lenient"]) == 2
    assert "--policy therapy_dev.jsonl=lenient" in capsys.readouterr().err
