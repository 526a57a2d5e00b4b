"""How fast `confide audit verify` checks the log, against raw hashlib over the same
bytes in the same run; and what the command costs as the log grows (issue 12: 10M
entries in under 2 minutes, streaming, in constant memory).

    PYTHONPATH=src python bench/audit_verify.py [--n 200000] [--chains 10] [--repeat 3]
                                                [--in-memory-max 1000000]
                                                [--database-url postgresql://...]

Fills a fresh database (a temporary SQLite file, or the PostgreSQL database given,
which must be empty) with N sealed entries spread over C practice chains, written as
the service writes them (core.audit.append: canonical body, hash, HMAC seal; COPY on
PostgreSQL), with sealed heads and a checkpoint, streaming: the filler holds one batch,
never the log. First a tenth of N, then the rest; after each, `confide audit verify`
runs as its own process, timed, with its peak memory (a streaming verify's stays flat
while the log grows tenfold). Then times, best of R:

  baseline   the same rows, read through the same raw streaming cursor, and their
             bodies hashed with hashlib (the sha256 chain, compared): the floor for
             checking these bytes straight from the database
  confide    services.audit.audit_verify: that, plus every seal (HMAC-SHA256), the key
             order, each chain's sealed head and the checkpoints
  in memory  core.audit.verify over rows already in memory, against hashlib over the
             same bodies in memory (no database on either side; only up to
             --in-memory-max entries, which it holds)

Prints entries per second, the ratios and the load average; then one JSON line per
measurement.
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



FILL_BATCH = 20_000


def templates(count: int = 997) -> list:
    """Events of the shape a chart read records, varied; the filler cycles them."""
    from confide.core.audit import event

    return [event(at=f"2026-11-21T10:15:{i % 60:02d}.{i % 1_000_000:06d}Z", actor=str(i % 40),
                  actor_role="clinician", action="read", purpose="TREAT", client_ref=f"c_{i % 997:024x}",
                  decision="permit", rule_ids=("INT-TREATING",), categories=("progress_notes",),
                  decision_id=uuid.UUID(int=i).hex, detail={"view": "chart"}) for i in range(count)]


def fill(n: int, chains: int, *, start: dict | None = None, keep: bool = True) -> tuple[list[tuple], dict]:
    """Add N entries over `chains` chains after the heads in `start` (chain -> Head),
    stored as the service stores them, a batch at a time; returns the rows (when
    `keep`) and the new heads."""
    from django.db import connection, transaction

    from confide.core.audit import append, empty_head
    from confide.services.audit import _sql, audit_checkpoint
    from confide.services.keys import audit_sealer

    sealer = audit_sealer()
    names = sorted(str(uuid.UUID(int=i + 1)) for i in range(chains))
    heads = dict(start or {})
    kinds = templates()
    rows: list[tuple] = []
    postgres = connection.vendor == "postgresql"
    for c, name in enumerate(names):
        count = n // chains + (1 if c < n % chains else 0)
        head = heads.get(name) or empty_head(name)
        first = head.seq == 0
        done = 0
        while done < count:
            size = min(FILL_BATCH, count - done)
            entries, head = append(head, (kinds[(head.seq + i) % len(kinds)] for i in range(size)), sealer)
            batch = [(e.chain, e.seq, e.body, e.hash, e.key_id, e.seal) for e in entries]
            with transaction.atomic(), connection.cursor() as cur:
                if postgres:
                    with cur.cursor.copy(_sql("COPY {e} (chain, seq, body, hash, key_id, seal) FROM STDIN")) as copy:
                        for row in batch:
                            copy.write_row(row)
                else:
                    cur.executemany(_sql("INSERT INTO {e} (chain, seq, body, hash, key_id, seal) "
                                         "VALUES (%s, %s, %s, %s, %s, %s)"), batch)
                if first:
                    cur.execute(_sql("INSERT INTO {h} (chain, seq, hash, key_id, seal) VALUES (%s, %s, %s, %s, %s)"),
                                [head.chain, head.seq, head.hash, head.key_id, head.seal])
                    first = False
                else:
                    cur.execute(_sql("UPDATE {h} SET seq = %s, hash = %s, key_id = %s, seal = %s WHERE chain = %s"),
                                [head.seq, head.hash, head.key_id, head.seal, head.chain])
            if keep:
                rows += batch
            done += size
        heads[name] = head
    audit_checkpoint()
    return rows, heads


CLI = """
import sys
from confide.cli import main
code = main(["audit", "verify"])
with open("/proc/self/status") as fh:  # the peak of this process since its exec, not its parent's
    print("peak_kb", next(line.split()[1] for line in fh if line.startswith("VmHWM:")), file=sys.stderr)
sys.exit(code)
"""


def cli_verify(n_expected: int) -> tuple[float, float | None]:
    """`confide audit verify` as its own process: (seconds, peak resident MB, on Linux)."""
    import os
    import subprocess

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, *filter(None, [os.environ.get("PYTHONPATH")])])}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CLI], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0 or not proc.stdout.startswith(f"audit log intact: {n_expected} entries"):
        raise SystemExit(f"audit verify failed: {proc.stdout[-500:]} {proc.stderr[-1500:]}")
    peak = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("peak_kb ")]
    return seconds, int(peak[0]) / 1024 if peak else None


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
    parser.add_argument("--in-memory-max", type=int, default=1_000_000,
                        help="the in-memory comparisons hold the log: only up to this many entries")
    database_url_argument(parser)
    args = parser.parse_args(argv)
    return run_with_django(args.database_url, lambda: run(args))


def run(args) -> int:
    import os

    from django.db import connection

    from confide.core.audit import GENESIS_HASH, verify
    from confide.services.audit import _snapshot, _snapshot_rows, audit_heads, audit_verify
    from confide.services.keys import audit_sealer

    n = args.n
    keep = n <= args.in_memory_max
    tenth = max(n // 10, args.chains)
    t0 = time.perf_counter()
    rows, heads_now = fill(tenth, args.chains, keep=keep)
    fill_s = time.perf_counter() - t0
    cli = {tenth: cli_verify(tenth)}
    t0 = time.perf_counter()
    more, _ = fill(n - tenth, args.chains, start=heads_now, keep=keep)
    fill_s += time.perf_counter() - t0
    rows += more
    cli[n] = cli_verify(n)

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

    runs = {"baseline": run_baseline, "confide": run_confide}
    if keep:
        runs.update(memory_baseline=run_memory_baseline, memory_confide=run_memory_confide)
    seconds = {name: best_of(args.repeat, fn) for name, fn in runs.items()}
    rate = {name: n / s for name, s in seconds.items()}
    with connection.cursor() as cur:
        cur.execute("SELECT AVG(LENGTH(body)) FROM (SELECT body FROM auditlog_auditevent LIMIT 10000) AS first_rows")
        body_bytes = float(cur.fetchone()[0] or 0)

    print(f"audit verify: n={n:,} in {args.chains} chains ({body_bytes:.0f}-byte bodies), {connection.vendor}, "
          f"best of {args.repeat}, python {platform.python_version()}, {os.cpu_count()} CPU(s), load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"(filling took {fill_s:.2f}s: {n / fill_s:,.0f} entries sealed and written per second)")
    for size, (secs, peak) in cli.items():
        print(f"  `confide audit verify` at {size:>12,} entries: {secs:8.2f} s ({size / secs:>10,.0f} entries/s "
              f"with start-up), peak memory " + (f"{peak:6.0f} MB" if peak else "unknown"))
    for name in runs:
        print(f"  {name:16s} {rate[name]:>12,.0f} entries/s  {seconds[name]:.3f}s")
    print(f"  ratio confide / baseline (from the database)  {rate['confide'] / rate['baseline']:.3f}  "
          "(1.0 = as fast as reading and hashing alone)")
    if keep:
        print(f"  ratio confide / baseline (in memory)          {rate['memory_confide'] / rate['memory_baseline']:.3f}")
        print(f"  ratio confide from the database / hashlib in memory  {rate['confide'] / rate['memory_baseline']:.3f}")
    else:
        print(f"  (in memory: skipped above {args.in_memory_max:,} entries)")
    print(f"  at this rate, 10,000,000 entries: {10_000_000 / rate['confide']:.0f} s")
    for size, (secs, peak) in cli.items():
        print(json.dumps({"bench": "audit_verify", "measure": "cli", "n": size, "vendor": connection.vendor,
                          "seconds": round(secs, 3), "peak_mb": round(peak, 1) if peak else None}))
    for name in runs:
        print(json.dumps({"bench": "audit_verify", "measure": name, "n": n, "vendor": connection.vendor,
                          "seconds": round(seconds[name], 6), "entries_per_s": round(rate[name])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
