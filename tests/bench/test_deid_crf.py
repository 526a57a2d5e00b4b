"""bench/deid_crf.py: the CRF experiment trains deterministically on generated text and tags notes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from confide.core.deid.document import Document

BENCH = Path(__file__).resolve().parents[2] / "bench" / "deid_crf.py"


def _module():
    spec = importlib.util.spec_from_file_location("deid_crf", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_training_text_labels_exactly_the_identifiers_it_put_in():
    mod = _module()
    import random

    lists = {"first": ["Odile"], "last": ["Brannock"], "place": ["Quarryville"], "drug": ["lorazepam"],
             "dx": ["Essential hypertension"], "eponym": ["Parkinson"]}
    text, spans = mod.document(random.Random(1), lists)
    x, y = mod.labelled(text, spans)
    toks = mod.tokens(text)
    assert len(x) == len(y) == len(toks)
    for (s, e, w), label in zip(toks, y):
        if w in ("Odile", "Brannock", "Quarryville") or w.upper() in ("ODILE", "BRANNOCK", "QUARRYVILLE"):
            assert label != "O", w
        if w.lower() in ("lorazepam", "essential", "hypertension", "parkinson"):
            assert label == "O", w


@pytest.mark.slow
def test_training_is_deterministic_and_the_model_tags_a_note(tmp_path):
    mod = _module()
    a = mod.build(tmp_path / "a.crfsuite", n_docs=40)
    b = mod.build(tmp_path / "b.crfsuite", n_docs=40)
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size < 5_000_000
    text = "Patient: Brannock, Odile   MRN: 4471902   DOB: 3/9/1951\nSeen at Quarryville Medical Center on 4/2/2025."
    spans = mod.CrfRecognizer(a).analyze(Document(text))
    assert spans and all(0 <= s.start < s.end <= len(text) for s in spans)
