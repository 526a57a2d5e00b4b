"""Rebuild the two derived word lists in this folder (run by hand, never at run time).

- english_words.txt.gz: lower-case English words with their SCOWL frequency level
  (10 = the most common ... 70 = rare), from Debian's `scowl` package
  (/usr/share/dict/scowl/{english,american}-words.NN). SCOWL is Copyright 2000-2011
  Kevin Atkinson, free to use, copy, modify and distribute with this notice (see
  SCOWL's README). Capitalised entries (proper names) are left out on purpose: the
  list says which words are ordinary words.
- us_places.txt.gz: "City<TAB>ST" for the US and Canadian places named in
  libphonenumber's area-code geodata (Apache-2.0), as installed with `phonenumbers`.

    python src/confide/core/deid/data/build_data.py
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


if __name__ == "__main__":
    print("words", build_words())
    print("places", build_places())
