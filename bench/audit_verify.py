"""How fast `confide audit verify` checks a chain, against raw hashlib in the same run.

    PYTHONPATH=src python bench/audit_verify.py [--n 200000] [--repeat 3]

Builds N sealed audit records in memory, then times:
  confide        verify(records): per entry, build the field dict, canonical JSON, sha256, compare
  hash_only      sha256 chained over precomputed canonical bytes (the floor: hashing alone)
  dumps_hash     json.dumps of precomputed field dicts, then the chained sha256
  dict_dumps_hash  the same, building each field dict from the record first

Prints entries/second and ratios, then one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import platform
import sys
import time

from confide.core.audit.chain import GENESIS_HASH, canonical_bytes, seal, verify


def build(n: int):
    records, head = [], None
    for i in range(n):
        record = seal(
            head,
            at=f"2026-11-21T10:15:{i % 60:02d}.{i % 1_000_000:06d}Z",
            actor=f"u_{i % 40}",
            actor_role="clinician",
            action="note.read",
            purpose="TREAT",
            client_ref=f"c_{i % 997:024x}",
            decision="permit",
            rule_ids=("hipaa.tpo.treatment", "practice.default"),
            categories=("progress_notes",),
            decision_id=f"d_{i:012x}",
            detail={"note_id": f"n_{i}", "fields": ["body", "date"]},
        )
        records.append(record)
        head = record.head
    return records


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    n = args.n

    t0 = time.perf_counter()
    records = build(n)
    build_s = time.perf_counter() - t0
    head_hash = records[-1].hash
    field_dicts = [r.hashed_fields() for r in records]
    canon = [canonical_bytes(d) for d in field_dicts]

    def run_confide():
        result = verify(records)
        assert result.ok and result.head_hash == head_hash

    def run_hash_only():
        prev = GENESIS_HASH
        sha = hashlib.sha256
        for data in canon:
            prev = sha(prev.encode("ascii") + data).hexdigest()
        assert prev == head_hash

    dumps = json.dumps

    def run_dumps_hash():
        prev = GENESIS_HASH
        sha = hashlib.sha256
        for d in field_dicts:
            data = dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")
            prev = sha(prev.encode("ascii") + data).hexdigest()
        assert prev == head_hash

    def run_dict_dumps_hash():
        prev = GENESIS_HASH
        sha = hashlib.sha256
        for r in records:
            d = {f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "hash"}
            data = dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")
            prev = sha(prev.encode("ascii") + data).hexdigest()
        assert prev == head_hash

    runs = {
        "confide": run_confide,
        "hash_only": run_hash_only,
        "dumps_hash": run_dumps_hash,
        "dict_dumps_hash": run_dict_dumps_hash,
    }
    seconds = {name: best_of(args.repeat, fn) for name, fn in runs.items()}
    rate = {name: n / s for name, s in seconds.items()}

    print(f"audit verify benchmark: n={n}, best of {args.repeat}, python {platform.python_version()}")
    print(f"(building {n} sealed records took {build_s:.2f}s, {n / build_s:,.0f} seals/s)")
    for name in runs:
        print(f"  {name:16s} {rate[name]:>12,.0f} entries/s  {seconds[name]:.3f}s")
    print(f"  ratio confide / hash_only        {rate['confide'] / rate['hash_only']:.3f}  (1.0 = as fast as hashing alone)")
    print(f"  ratio confide / dumps_hash       {rate['confide'] / rate['dumps_hash']:.3f}")
    print(f"  ratio confide / dict_dumps_hash  {rate['confide'] / rate['dict_dumps_hash']:.3f}")
    share = seconds["hash_only"] / seconds["confide"]
    print(f"  hashing is {share:.0%} of verify's time; serializing and the rest {1 - share:.0%}")
    for name in runs:
        print(json.dumps({
            "bench": "audit_verify", "measure": name, "n": n, "seconds": round(seconds[name], 6),
            "entries_per_s": round(rate[name]), "ratio_confide_over_this": round(rate["confide"] / rate[name], 4),
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
