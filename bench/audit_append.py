"""Audit appends per second with 1 and 4 concurrent writers, against a plain insert of
the same row in the same run.

    PYTHONPATH=src python bench/audit_append.py [--seconds 5] [--database-url postgresql://...]

Sets up its own database (a temporary SQLite file, or the PostgreSQL database given,
which must be empty), then runs writer processes for a fixed time, each committing one
small transaction after another:

  baseline        a plain INSERT of the same sealed-entry-sized row into a table of
                  its own, one per transaction (what a log without a chain costs)
  confide         services.audit: an audited transaction recording one event, which
                  locks the chain's head, seals and appends right before commit;
                  writers in different practices (each its own chain) ...
  one practice    ... and all writers in one practice (one chain: the head lock)
  chart opens     all writers opening one client's chart in one practice: real work
                  (relationships, the PDP, decryption) before the append, as requests do

Prints appends per second for 1 and 4 writers, the 4/1 scaling and the ratio to the
baseline; then one JSON line per measurement. Then checks the whole log.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import database_url_argument, run_with_django  # noqa: E402

BODY = '{"action":"read","actor":"17","actor_role":"clinician","at":"2026-11-21T10:15:00.000001Z"}' * 4


def plain_insert(row_id: int, writer: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(durable=True), connection.cursor() as cur:
        cur.execute("INSERT INTO bench_plain_event (id, chain, body, hash, key_id, seal) VALUES (%s, %s, %s, %s, %s, %s)",
                    [row_id, str(uuid.UUID(int=writer)), BODY, "0" * 64, "mk", "0" * 64])


def audited_append(practice_id) -> None:
    from confide.services.audit import audit_append, audited_transaction

    with audited_transaction():
        audit_append(practice_id=practice_id, actor_id="17", actor_role="clinician", action="read", purpose="TREAT",
                     client_ref="c_" + "a" * 24, detail={"view": "chart"})


def chart_setup() -> tuple[int, str]:
    """A practice with a clinician and a client with a few notes: (clinician pk, client id)."""
    from confide.apps.practice.models import Practice
    from confide.services.accounts import user_create
    from confide.services.charting import progress_note_create
    from confide.services.intake import client_create

    practice = Practice.objects.create(name="Bench Practice")
    clinician = user_create(actor=None, practice=practice, username="bench-clinician", role="clinician",
                            password=None, licensed=True, licence="LMHC")
    client = client_create(user=clinician, identity={"legal_name": "Bench Client"})
    for i in range(5):
        progress_note_create(user=clinician, client_id=client, session_date="2026-11-02", text=f"Note {i}. " * 40)
    return clinician.pk, str(client)


def chart_open_once(clinician_pk: int, client_id: str) -> None:
    from confide.apps.practice.models import User
    from confide.services.charting import chart_open

    chart_open(user=User.objects.get(pk=clinician_pk), client_id=client_id)


CHART: tuple[int, str] = (0, "")


def writer(kind: str, index: int, seconds: float, start, counts, first_id: int) -> None:
    from django.db import connections

    connections.close_all()  # a connection of its own, never the parent's
    practice = str(uuid.UUID(int=index + 1)) if kind == "confide" else str(uuid.UUID(int=1))
    n = 0
    try:
        start.wait()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            if kind == "baseline":
                plain_insert(first_id + index * 10_000_000 + n, index)
            elif kind == "chart_opens":
                chart_open_once(*CHART)
            else:
                audited_append(practice)
            n += 1
    except BaseException:
        counts.put(-1)
        raise
    counts.put(n)
    connections.close_all()


def rate(kind: str, writers: int, seconds: float, run_number: int) -> float:
    from django.db import connections

    ctx = mp.get_context("fork")
    connections.close_all()
    start, counts = ctx.Barrier(writers), ctx.Queue()
    procs = [ctx.Process(target=writer, args=(kind, i, seconds, start, counts, run_number * 1_000_000_000))
             for i in range(writers)]
    for p in procs:
        p.start()
    got = [counts.get() for _ in procs]
    for p in procs:
        p.join()
    if min(got) < 0:
        raise RuntimeError(f"a {kind} writer failed")
    return sum(got) / seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    database_url_argument(parser)
    args = parser.parse_args(argv)
    return run_with_django(args.database_url, lambda: run(args))


def run(args) -> int:
    global CHART
    from django.db import connection

    from confide.services.audit import audit_verify

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_plain_event (id BIGINT PRIMARY KEY, chain VARCHAR(36), body TEXT, "
                    "hash VARCHAR(64), key_id VARCHAR(64), seal VARCHAR(64))")
    CHART = chart_setup()  # before the writers fork: they inherit it
    results = {}
    for kind in ("baseline", "confide", "one_practice", "chart_opens"):
        for writers in (1, 4):
            results[(kind, writers)] = rate(kind, writers, args.seconds, len(results))
    print(f"audit appends: {args.seconds:g} s per run, {connection.vendor}, {os.cpu_count()} CPU(s), "
          "writer processes, one event per transaction")
    labels = {"baseline": "baseline (plain insert)", "confide": "confide, a practice each",
              "one_practice": "confide, one practice", "chart_opens": "chart opens, one practice"}
    for kind, label in labels.items():
        one, four = results[(kind, 1)], results[(kind, 4)]
        print(f"  {label:28s} 1 writer {one:8,.0f}/s   4 writers {four:8,.0f}/s   4/1 {four / one:5.2f}")
    for writers in (1, 4):
        print(f"  ratio confide / baseline, {writers} writer(s)      {results[('confide', writers)] / results[('baseline', writers)]:.2f}"
              f"   (one practice {results[('one_practice', writers)] / results[('baseline', writers)]:.2f})")
    for (kind, writers), value in results.items():
        print(json.dumps({"bench": "audit_append", "measure": kind, "writers": writers, "vendor": connection.vendor,
                          "appends_per_s": round(value, 1)}))
    report = audit_verify(checkpoint=False)
    print(f"  the log afterwards: {report.result.count} entries in {len(report.result.chains)} chains, "
          f"{'intact' if report.ok else 'BROKEN: ' + report.problems[0]}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
