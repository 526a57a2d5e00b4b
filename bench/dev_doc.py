"""The builder the generated de-identification development sets share: a document written
from templates in which each identifier is marked `[[TYPE|value]]` (`[[TYPE+|value]]` when
the chart knows it), so the gold offsets are the generator's own record of where it put
each value, never the engine's output."""

from __future__ import annotations

import json
import re
from pathlib import Path

MARK = re.compile(r"\[\[([A-Z]+)(\+?)\|(.*?)\]\]")


class Doc:
    def __init__(self, style: str, record: dict, *, ordered: bool = True):
        self.style, self.record, self.ordered = style, record, ordered
        self.text = ""
        self.spans: list[dict] = []

    def w(self, template: str) -> "Doc":
        pos = 0
        for m in MARK.finditer(template):
            self.text += template[pos:m.start()]
            value = m.group(3)
            self.spans.append({"start": len(self.text), "end": len(self.text) + len(value), "type": m.group(1),
                               "text": value, "in_record": bool(m.group(2))})
            self.text += value
            pos = m.end()
        self.text += template[pos:]
        return self

    def row(self, doc_id: str, upper: bool = False) -> dict:
        """The document as a development-set row; `upper` writes it in capitals (offsets
        unchanged). Spans come sorted and never overlap when `ordered` (the newer sets)."""
        text, spans = self.text, self.spans
        if upper:
            assert len(text.upper()) == len(text)
            text = text.upper()
            spans = [{**s, "text": text[s["start"]:s["end"]]} for s in spans]
        for s in spans:
            assert text[s["start"]:s["end"]] == s["text"], s
        if self.ordered:
            spans = sorted(spans, key=lambda s: s["start"])
            for a, b in zip(spans, spans[1:]):
                assert a["end"] <= b["start"], (a, b)
        return {"id": doc_id, "style": self.style, "record": self.record, "text": text, "spans": spans}


def write_rows(rows: list[dict], out: Path) -> None:
    """Write a development set, one JSON object per line, and say what was written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} documents, {sum(len(r['spans']) for r in rows)} spans -> {out}")


# Numbers and dates in words, for the sets that write them as they are said.
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORD = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth", 9: "ninth",
       10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth", 14: "fourteenth", 15: "fifteenth",
       16: "sixteenth", 17: "seventeenth", 18: "eighteenth", 19: "nineteenth", 20: "twentieth", 30: "thirtieth"}
for _n in range(21, 32):
    ORD[_n] = ("twenty-" if _n < 30 else "thirty-") + ORD[_n % 10] if _n % 10 else "thirtieth"


def two(n: int) -> str:
    """0-99 in words: 7 -> 'seven', 41 -> 'forty-one'."""
    return ONES[n] if n < 10 else TEENS[n - 10] if n < 20 else TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])


def in_pairs(digits: str) -> str:
    """'4187' -> 'forty-one eighty-seven'; '0143' -> 'oh one forty-three'."""
    out = []
    for k in range(0, len(digits) - 1, 2):
        p = digits[k:k + 2]
        out.append(f"oh {ONES[int(p[1])]}" if p[0] == "0" else two(int(p)))
    if len(digits) % 2:
        out.append(ONES[int(digits[-1])])
    return " ".join(out)
