"""Clinical vocabulary no dictionary ships (eponyms, devices, lab and anatomy words), above all
in capitals, is no name; names in capitals with evidence around them still are.

Every text here is invented for these tests (the eponyms are real clinical vocabulary; the
people are not)."""

from __future__ import annotations

import pytest

from confide.core.deid import Engine

SAFE_HARBOR = Engine(policy="safe_harbor")


def names(text: str, record: dict | None = None) -> list[str]:
    return [text[s.start:s.end] for s in SAFE_HARBOR.analyze(text, record) if s.type in ("NAME", "LOCATION")]


@pytest.mark.parametrize("text", [
    # an unknown word alone in a note in capitals is jargon until something says it is a name
    "CT ABDOMEN: SMALL VOLUME PNEUMOPERITONEUM, NO DRAINABLE COLLECTION. IMMUNOSTAINS PENDING. "
    "PATIENT TOLERATED PROCEDURE WELL AND WAS RETURNED TO THE FLOOR IN STABLE CONDITION.",
    "BLOOD CULTURES: BIOFIRE PANEL DETECTED MECA. SUSCEPTIBILITIES TO FOLLOW. CONTACT PRECAUTIONS "
    "CONTINUED AND VANCOMYCIN DOSED BY PHARMACY FOR A TROUGH OF 15 TO 20.",
])
def test_an_unknown_word_in_capitals_is_no_name_without_evidence(text):
    assert names(text) == []


@pytest.mark.parametrize("text", [
    "Abdomen soft, Murphy's sign negative, no rebound.",
    "History of Hodgkin lymphoma treated with chemotherapy, in remission.",
    "Dobhoff tube advanced to the post-pyloric position; Hasson trocar at the umbilicus.",
    "Breathing pattern consistent with Cheyne-Stokes respirations overnight.",
    "EGD showed a Mallory-Weiss tear and a small Zenker diverticulum.",
    "ABDOMEN: MURPHY'S SIGN POSITIVE. NEURO: BABINSKI SIGN ABSENT BILATERALLY, ROMBERG TEST NEGATIVE.",
    "EXAM: AUSTIN FLINT MURMUR AT THE APEX; JANEWAY LESIONS ON BOTH PALMS.",
    "Status post Nissen fundoplication for reflux; Hashimoto thyroiditis on levothyroxine.",
    "Stone impacted at the ampulla of Vater; free fluid in the pouch of Douglas.",
])
def test_a_word_before_a_noun_eponyms_name_is_no_name(text):
    assert names(text) == []


@pytest.mark.parametrize("text", [
    "Procedure: thoracentesis and paracentesis under ultrasound guidance.",
    "FINDINGS: BRONCHOALVEOLAR LAVAGE FLUID SENT; LYMPHOVASCULAR INVASION PRESENT IN THE SPECIMEN.",
])
def test_clinical_word_endings_mark_unknown_words_as_jargon(text):
    assert names(text) == []


@pytest.mark.parametrize("text, name", [
    ("SEEN WITH HIS DAUGHTER, DR. KELVERTHORPE, WHO AGREES WITH THE PLAN OF CARE TODAY.", "KELVERTHORPE"),
    ("PATIENT MARGARET OSTRAVIK WAS SEEN AT BEDSIDE; PLAN REVIEWED WITH NURSING STAFF TODAY.", "OSTRAVIK"),
])
def test_an_unknown_word_in_capitals_with_name_evidence_is_still_a_name(text, name):
    assert any(name in v for v in names(text))


def test_a_person_with_a_title_before_an_eponym_head_is_still_a_name():
    text = "Discussed the results with Dr. Quillfeather's team this morning after the echo."
    assert any("Quillfeather" in v for v in names(text))


@pytest.mark.parametrize("text, name", [
    ("MY NAME IS HALVOR KVISTRUD AND I AM CALLING ABOUT THE APPOINTMENT NEXT WEEK.", "KVISTRUD"),
    ("CLIENT REPORTS HER FRIEND OSKENBAY SAID SHE SHOULD COME BACK TO GROUP ON THURSDAY.", "OSKENBAY"),
    ("SPOKE WITH VELIMIRA ABOUT THE SAFETY PLAN; SHE AGREED TO CALL IF THINGS GET WORSE.", "VELIMIRA"),
    ("REVIEWED THE PLAN WITH THE TEAM. TRAVENDALE'S NOTE FROM LAST WEEK WAS ALSO READ TO THE GROUP.", "TRAVENDALE"),
])
def test_an_unknown_word_in_capitals_is_a_name_with_a_cue_beside_it(text, name):
    assert any(name in v for v in names(text))


def test_a_patients_own_illness_does_not_unname_her():
    assert "Maribel" in " ".join(names("Her sister Maribel visited; Maribel's dermatitis is better."))
