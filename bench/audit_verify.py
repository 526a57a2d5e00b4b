"""How fast `confide audit verify` checks the log, against raw hashlib over the same
bytes in the same run.

    PYTHONPATH=src python bench/audit_verify.py [--n 200000] [--chains 10] [--repeat 3]
                                                [--database-url postgresql://...]

Fills a fresh database (a temporary SQLite file, or the PostgreSQL database given,
which must be empty) with N sealed entries spread over C practice chains, written as
the service writes them (core.audit.append: canonical body, hash, HMAC seal), with
sealed heads and a checkpoint. Then times, best of R:

  baseline   the same rows, read through the same raw streaming cursor, and their
             bodies hashed with hashlib (the sha256 chain, compared): the floor for
             checking these bytes straight from the database
  confide    services.audit.audit_verify: that, plus every seal (HMAC-SHA256), the key
             order, each chain's sealed head and the checkpoints
  in memory  core.audit.verify over rows already in memory, against hashlib over the
             same bodies in memory (no database on either side)

Prints entries per second and the ratios; then one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import database_url_argument, run_with_django  # noqa: E402



def fill(n: int, chains: int) -> list[tuple]:
    """N entries over `chains` chains, stored as the service stores them; returns the rows."""
    from django.db import connection, transaction

    from confide.core.audit import append, empty_head, event
    from confide.services.audit import _sql, audit_checkpoint
    from confide.services.keys import audit_sealer

    sealer = audit_sealer()
    names = sorted(str(uuid.UUID(int=i + 1)) for i in range(chains))
    rows = []
    with transaction.atomic(), connection.cursor() as cur:
        for c, name in enumerate(names):
            count = n // chains + (1 if c < n % chains else 0)
            events = [event(at=f"2026-11-21T10:15:{i % 60:02d}.{i % 1_000_000:06d}Z", actor=str(i % 40),
                            actor_role="clinician", action="read", purpose="TREAT", client_ref=f"c_{i % 997:024x}",
                            decision="permit", rule_ids=("INT-TREATING",), categories=("progress_notes",),
                            decision_id=uuid.UUID(int=i).hex, detail={"view": "chart"}) for i in range(count)]
            entries, head = append(empty_head(name), events, sealer)
            batch = [(e.chain, e.seq, e.body, e.hash, e.key_id, e.seal) for e in entries]
            for i in range(0, len(batch), 5000):
                cur.executemany(_sql("INSERT INTO {e} (chain, seq, body, hash, key_id, seal) "
                                     "VALUES (%s, %s, %s, %s, %s, %s)"), batch[i:i + 5000])
            cur.execute(_sql("INSERT INTO {h} (chain, seq, hash, key_id, seal) VALUES (%s, %s, %s, %s, %s)"),
                        [head.chain, head.seq, head.hash, head.key_id, head.seal])
            rows += batch
    audit_checkpoint()
    return rows


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
    parser.add_argument("--chains", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    database_url_argument(parser)
    args = parser.parse_args(argv)
    return run_with_django(args.database_url, lambda: run(args))


def run(args) -> int:
    from django.db import connection

    from confide.core.audit import GENESIS_HASH, verify
    from confide.services.audit import _snapshot, _snapshot_rows, audit_heads, audit_verify
    from confide.services.keys import audit_sealer

    n = args.n
    t0 = time.perf_counter()
    rows = fill(n, args.chains)
    fill_s = time.perf_counter() - t0

    def run_baseline():
        sha = hashlib.sha256
        prev, chain, count = GENESIS_HASH, None, 0
        with _snapshot() as conn, conn.chunked_cursor() as cursor:
            for row_chain, _seq, body, digest, _key_id, _seal in _snapshot_rows(cursor, 5000):
                if row_chain != chain:
                    chain, prev = row_chain, GENESIS_HASH
                prev = sha((prev + body).encode("utf-8")).hexdigest()
                if prev != digest:
                    raise AssertionError("baseline hash mismatch")
                count += 1
        assert count == n

    def run_confide():
        report = audit_verify(checkpoint=False)
        assert report.ok and report.result.count == n, report.problems

    heads, sealer = audit_heads(), audit_sealer()
    ordered = sorted(rows)

    def run_memory_baseline():
        sha = hashlib.sha256
        prev, chain = GENESIS_HASH, None
        for row_chain, _seq, body, digest, _k, _s in ordered:
            if row_chain != chain:
                chain, prev = row_chain, GENESIS_HASH
            prev = sha((prev + body).encode("utf-8")).hexdigest()
            if prev != digest:
                raise AssertionError("baseline hash mismatch")

    def run_memory_confide():
        assert verify(ordered, heads=heads, sealer=sealer).ok

    runs = {"baseline": run_baseline, "confide": run_confide, "memory_baseline": run_memory_baseline,
            "memory_confide": run_memory_confide}
    seconds = {name: best_of(args.repeat, fn) for name, fn in runs.items()}
    rate = {name: n / s for name, s in seconds.items()}
    body_bytes = sum(len(r[2]) for r in rows)

    print(f"audit verify: n={n} in {args.chains} chains ({body_bytes / n:.0f}-byte bodies), {connection.vendor}, "
          f"best of {args.repeat}, python {platform.python_version()}")
    print(f"(filling took {fill_s:.2f}s: {n / fill_s:,.0f} entries sealed and written per second)")
    for name in runs:
        print(f"  {name:16s} {rate[name]:>12,.0f} entries/s  {seconds[name]:.3f}s")
    print(f"  ratio confide / baseline (from the database)  {rate['confide'] / rate['baseline']:.3f}  "
          "(1.0 = as fast as reading and hashing alone)")
    print(f"  ratio confide / baseline (in memory)          {rate['memory_confide'] / rate['memory_baseline']:.3f}")
    print(f"  ratio confide from the database / hashlib in memory  {rate['confide'] / rate['memory_baseline']:.3f}")
    for name in runs:
        print(json.dumps({"bench": "audit_verify", "measure": name, "n": n, "vendor": connection.vendor,
                          "seconds": round(seconds[name], 6), "entries_per_s": round(rate[name])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
