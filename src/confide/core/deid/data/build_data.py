"""Rebuild the two derived word lists in this folder (run by hand, never at run time).

- english_words.txt.gz: lower-case English words with their SCOWL frequency level
  (10 = the most common ... 70 = rare), from Debian's `scowl` package
  (/usr/share/dict/scowl/{english,american}-words.NN). SCOWL is Copyright 2000-2011
  Kevin Atkinson, free to use, copy, modify and distribute with this notice (see
  SCOWL's README). Capitalised entries (proper names) are left out on purpose: the
  list says which words are ordinary words.
- us_places.txt.gz: "City<TAB>ST" for the US and Canadian places named in
  libphonenumber's area-code geodata (Apache-2.0), as installed with `phonenumbers`.
- clinical_words.txt.gz: "word<TAB>source" for single words of clinical language:
  `icd` for every word of the ICD-10-CM tabular list's descriptions and notes (the
  `simple-icd-10-cm` package, MIT; the code set itself is public-domain CMS/CDC data),
  `drug` for one-word drug names, generic and brand (the `drug-named-entity-recognition`
  package, MIT; its dictionary is built from DrugBank open data, MeSH and MedlinePlus).
  Words that are common given names or surnames of the 1990 Census (the `names` package)
  are left out, so that "Grace" or "Wilson" stay names; what remains is what a note
  writes as clinical language. Both packages are build-time only (requirements/dev.txt).

    python src/confide/core/deid/data/build_data.py [words] [places] [clinical]
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

HERE = Path(__file__).parent
SCOWL = Path("/usr/share/dict/scowl")
LEVELS = (10, 20, 35, 40, 50, 55, 60, 70)


def build_words() -> int:
    level_of: dict[str, int] = {}
    for level in LEVELS:
        for kind in ("english", "american"):
            path = SCOWL / f"{kind}-words.{level}"
            if not path.exists():
                continue
            for line in path.read_text(encoding="latin-1").splitlines():
                word = line.strip()
                if word.endswith("'s"):
                    word = word[:-2]
                if re.fullmatch(r"[a-z][a-z'-]*", word) and word not in level_of:
                    level_of[word] = level
    lines = sorted(f"{w}\t{lv}" for w, lv in level_of.items())
    with gzip.open(HERE / "english_words.txt.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\n".join(lines) + "\n")
    return len(lines)


def build_places() -> int:
    import phonenumbers.geodata as geodata

    folder = Path(geodata.__file__).parent
    pattern = re.compile(r"^\s*'1\d*':\{'en': u?'([^']+), ([A-Z]{2})'\}", re.M)
    places: set[tuple[str, str]] = set()
    for path in folder.glob("data*.py"):
        for city, state in pattern.findall(path.read_text(encoding="utf-8")):
            places.add((city.replace("\\'", "'"), state))
    lines = sorted(f"{c}\t{s}" for c, s in places)
    with gzip.open(HERE / "us_places.txt.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\n".join(lines) + "\n")
    return len(lines)


def _census_names() -> set[str]:
    """Given names with a frequency of at least 0.005% and the 20,000 commonest surnames."""
    from importlib import resources

    out: set[str] = set()
    folder = resources.files("names")
    for fname in ("dist.female.first", "dist.male.first"):
        for line in (folder / fname).read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 4 and float(parts[1]) >= 0.005:
                out.add(parts[0].lower())
    for line in (folder / "dist.all.last").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4 and int(parts[3]) <= 20000:
            out.add(parts[0].lower())
    return out


# endings of medical words (not of eponyms like "Benedikt", "Lyme"): the first word of a description counts
# only with one of these
MEDICAL_ENDING = re.compile(r"(?:ia|itis|osis|oses|emia|oma|omas|pathy|algia|ectomy|plasty|otomy|ostomy|plegia|trophy|"
                            r"rrhea|uria|cele|ism|ness|ity|ation|ure|ance|ence|ics|ive|ous|al|ar|ary|ic|tion|sis|ment)$")


def build_clinical() -> int:
    import bz2
    import pickle
    import xml.etree.ElementTree as ET
    from importlib import resources

    names = _census_names()
    source: dict[str, str] = {}
    icd = resources.files("simple_icd_10_cm") / "data"
    tabular = next(p for p in icd.iterdir() if p.name.startswith("icd10c-tabular") and p.name.endswith(".xml"))
    with tabular.open("rb") as f:
        root = ET.parse(f).getroot()
    # a word ICD-10-CM writes in lower case somewhere is clinical language; one it always
    # capitalises is an eponym or a place ("Benedikt", "Lyme") and stays out
    # (a description's first word is capitalised by convention: "Hyperkalemia", "Cellulitis of ...";
    # it counts when it is long, no census name and no place)
    places = {line.split("\t")[0].lower() for line in gzip.open(HERE / "us_places.txt.gz", "rt", encoding="utf-8")}
    for el in root.iter():
        if el.tag in ("desc", "note", "inclusionTerm", "excludes1", "excludes2") and el.text:
            for w in re.findall(r"(?<![A-Za-z])[a-z][a-z'-]*[a-z]", el.text):
                if w.endswith("'s"):
                    w = w[:-2]
                if len(w) >= 3 and w not in names:
                    source.setdefault(w, "icd")
            first = re.match(r"\s*([A-Z][a-z][a-z'-]*[a-z])\b", el.text)
            if first:
                w = first.group(1).lower()
                if len(w) >= 6 and w not in names and w not in places and MEDICAL_ENDING.search(w):
                    source.setdefault(w, "icd")
    pkl = resources.files("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
    with pkl.open("rb") as f:
        drugs = pickle.load(bz2.open(f))["drug_variant_to_canonical"]  # noqa: S301 - a package's own data
    for variant in drugs:
        v = variant.strip().lower()
        if re.fullmatch(r"[a-z][a-z-]{3,}", v) and v not in names:
            source.setdefault(v, "drug")
    lines = sorted(f"{w}\t{s}" for w, s in source.items())
    with gzip.open(HERE / "clinical_words.txt.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\n".join(lines) + "\n")
    return len(lines)


if __name__ == "__main__":
    import sys

    wanted = sys.argv[1:] or ["words", "places", "clinical"]
    if "words" in wanted:
        print("words", build_words())
    if "places" in wanted:
        print("places", build_places())
    if "clinical" in wanted:
        print("clinical", build_clinical())
