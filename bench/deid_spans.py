"""Dump or compare the engine's spans on every development note, to show that a change meant to be
behaviour-neutral (a speed-up, a refactor) changes no result.

    python bench/deid_spans.py dump before.jsonl        # spans of every note of every set
    python bench/deid_spans.py compare before.jsonl     # exit 1 and list the notes whose spans differ

Covers every set bench/deid_eval.py scores (each with its policy), presidio_synth, and the
upper-cased copies the benchmark also scores. A span is (start, end, type, in_record, recognizer).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import deid_eval  # noqa: E402


def notes() -> list[tuple[str, str, dict | None, str]]:
    """(key, text, record, policy) for every note the benchmark analyzes."""
    data = deid_eval.DEFAULT_DATA
    out = []
    for name in deid_eval.RECORD_FILES:
        if not (data / name).is_file():
            continue
        policy = deid_eval.POLICY_OF_SET.get(name, "disguise")
        ns = deid_eval.load_therapy(data / name)
        out += [(f"{name}:{n.id}", n.text, n.record, policy) for n in ns]
        out += [(f"{name}:{n.id}:upper", n.text.upper(), n.record, policy) for n in ns if not n.caps]
    synth = deid_eval.load_synth(data / deid_eval.SYNTH_FILE)
    out += [(n.id, n.text, None, "disguise") for n in synth]
    out += [(n.id + ":upper", n.text.upper(), None, "disguise") for n in synth]
    return out


def spans_of_all() -> dict[str, list]:
    from confide.core.deid import Engine

    engines = {p: Engine(policy=p) for p in ("disguise", "safe_harbor")}
    return {key: [[s.start, s.end, s.type, s.in_record, s.recognizer] for s in engines[policy].analyze(text, record)]
            for key, text, record, policy in notes()}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("dump", "compare"):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: deid_spans.py dump|compare FILE", file=sys.stderr)
        return 2
    now = spans_of_all()
    path = Path(argv[1])
    if argv[0] == "dump":
        path.write_text("".join(json.dumps([k, v]) + "\n" for k, v in now.items()), encoding="utf-8")
        print(f"{len(now)} notes, {sum(len(v) for v in now.values())} spans -> {path}")
        return 0
    before = dict(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    differ = [k for k in sorted(set(before) | set(now)) if before.get(k) != now.get(k)]
    for k in differ[:20]:
        b, a = before.get(k) or [], now.get(k) or []
        print(f"{k}: only before {[s for s in b if s not in a]}, only now {[s for s in a if s not in b]}")
    print(f"{len(now)} notes, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
