"""Benchmark: what a practice's size costs (issue 12), at 1k and 10k clients (100k with
--full), each measure against a baseline in the same run.

    CONFIDE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<empty db> \
        PYTHONPATH=src python bench/scale.py [--clients 1000,10000] [--full] [--repeat N]

Sets up its own var dir and database (SQLite, or the given empty PostgreSQL database:
`--database-url`, else CONFIDE_DATABASE_URL; the figures in the README and the issue
are PostgreSQL's), creates the demo practice,
and grows it through `confide demo --clients N`'s bulk path (services.demo.grow) to each
size in turn. At each size, in-process:

- the front desk's client list, first page (services.directory.client_page as the
  front desk) against plain Django reading the same page's rows (keyset query, the
  ciphertexts, no PDP, no decryption, no audit);
- name search by part of a surname and by a whole name (client_search as the front
  desk) against plain Django's lookup of the same blind-index digests;
- a chart's first screen with a long chart (1,000 sessions and notes) against one with
  10 (chart_open, whose notes and appointments are the newest page; and the notes tab:
  chart_tab + notes_page);
- chart_open against plain Django reading the same rows, and its query count;
- through the whole Django stack in-process (WSGI handler, middleware, token
  authentication, the API; the connection kept, as CONN_MAX_AGE keeps a serving
  thread's): a chart's GET /api/v1/clients/{id} (the 10-note and the long one) against
  the authenticated no-op GET /api/v1/me, as requests per second.

Then, at each size, through the real server (the target's measure: "chart GET rate /
authenticated no-op rate, same server"): `confide serve` started on the same var dir and
database (its default processes and threads, persistent database connections), warmed,
and, over HTTP with keep-alive clients (bench/http_serving.rate), GET /api/v1/me, the
10-note chart's GET and the long chart's, each for --server-seconds at concurrency 1 and
8, with marsh's bearer token; requests/s and the ratio chart rate / no-op rate per
concurrency. --no-server skips it. On SQLite (one writer at a time, and every chart GET
appends to the audit chain) the concurrency-8 figures mean little.

`--reuse --var-dir DIR` measures a database an earlier run grew (with the same
`--var-dir`, whose master key sealed it), or a copy of one: growth is skipped where the
demo practice already has the size, and the charts the earlier run made are measured
again, so a 100k measure takes a minute, not the growth's ten.

`--profile ROWS` also prints the process CPU per request (time.process_time: this
process only, not the database's) of /me and the long chart's GET, and a cProfile of
the chart GET (the ROWS costliest functions by own and by cumulative time), so a cut is
chosen from what the request spends, not guessed.

Each line prints mean, p50 and p99 in milliseconds and the ratio; the last block shows
how each measure grew from the first size. Concurrency at more length (chart GETs at 8
against 1 with one serving process and with several, progress notes with 4 writers),
the real server's connection reuse and audit verify have their own benchmarks (scale_concurrency.py, http_serving.py, audit_append.py,
audit_verify.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import database_url_argument, run_with_django  # noqa: E402


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def stats(samples: list[float]) -> tuple[float, float, float]:
    if len(samples) == 1:
        return samples[0], samples[0], samples[0]
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.fmean(samples), q[49], q[98]


def line(label: str, samples: list[float]) -> str:
    mean, p50, p99 = stats(samples)
    return f"  {label:<44} mean {mean:8.2f} ms   p50 {p50:8.2f} ms   p99 {p99:8.2f} ms"


def ratio(label: str, a: list[float], b: list[float]) -> str:
    (ma, pa, qa), (mb, pb, qb) = stats(a), stats(b)
    return f"  {label:<44} mean {ma / mb:7.2f}x     p50 {pa / pb:7.2f}x     p99 {qa / qb:7.2f}x"


def cpu_per_call(fn, n: int) -> float:
    """Process CPU time per call in milliseconds (this process only: the database's
    CPU is not counted)."""
    t0 = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - t0) * 1000 / n


def profile(fn, n: int, rows: int) -> None:
    """cProfile n calls of fn; print the top functions by own and by cumulative time."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        fn()
    prof.disable()
    for order in ("tottime", "cumulative"):
        print(f"  -- profile of {n} chart GETs, by {order}")
        pstats.Stats(prof, stream=sys.stdout).sort_stats(order).print_stats(rows)


def server_rates(token: str, short_chart, long_chart, seconds: float) -> dict[tuple[str, int], float]:
    """Requests/s through `confide serve` on this run's var dir and database (the
    CONFIDE_* run_with_django put in os.environ), keep-alive clients: /me, the 10-note
    chart's GET and the long chart's, at concurrency 1 and 8, `seconds` each, taken in
    turns (http_serving.interleaved)."""
    from http_serving import ROOT, Server, get_json, interleaved, rate

    assert "CONFIDE_VAR_DIR" in os.environ, "server_rates runs inside run_with_django"
    env = {**os.environ, "CONFIDE_REQUIRE_OTP": "0",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    paths = {"me": "/api/v1/me", "10 notes": f"/api/v1/clients/{short_chart}",
             "long chart": f"/api/v1/clients/{long_chart}"}
    with Server(env, 300) as server:
        for path in paths.values():
            get_json(server.port, token, path)
        for path in paths.values():  # warm every serving process and thread
            rate(server.port, token, path, 8, min(seconds, 1.0))
        return interleaved({(name, concurrency): partial(rate, server.port, token, path, concurrency)
                            for concurrency in (1, 8) for name, path in paths.items()}, seconds)


def main(args) -> int:
    import json

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from confide.apps.practice.models import User
    from confide.apps.records.models import BlindIndex, Client, ProgressNote
    from confide.core.crypto.name_search import (
        KINDS,
        query_terms,
        query_tokens,
        term_digest,
    )
    from confide.services.charting import chart_open, chart_tab, notes_page
    from confide.services.demo.build import demo_create
    from confide.services.demo.grow import demo_grow
    from confide.services.directory import client_page, client_search
    from confide.services.keys import practice_index_key
    from confide.services.sealing import unseal

    from django.test import Client as WebClient

    from confide.services.tokens import token_create

    sizes = [int(s) for s in args.sizes.split(",")] + ([100_000] if args.full else [])
    n = args.repeat
    demo_create(with_otp=False)
    front = User.objects.get(username="fontaine")
    marsh = User.objects.get(username="marsh")
    web = WebClient(HTTP_HOST="127.0.0.1")
    token = token_create(user=marsh, name="bench")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def ok(response):
        assert response.status_code == 200, (response.status_code, response.content[:300])
    practice = front.practice_id

    def baseline_page():
        """Plain Django: the same page's rows (keyset on the same index), the identity
        ciphertexts, no PDP, no decryption, no audit."""
        rows = list(Client.objects.filter(practice_id=practice).order_by("-created_at", "-id")
                    .only("id", "created_at", "identity_enc")[:51])
        return [(r.id, bytes(r.identity_enc)) for r in rows[:50]]

    key = practice_index_key(practice)

    def baseline_search(query: str):
        """Plain Django: the same blind-index digests looked up, the matching clients'
        identity ciphertexts read; no scope, PDP, decryption or audit."""
        ids = None
        for token in query_tokens(query):
            digests = {term_digest(key, kind, term) for kind, term in query_terms(token)}
            found = set(BlindIndex.objects.filter(practice_id=practice, kind__in=KINDS, digest__in=digests)
                        .values_list("client_id", flat=True))
            ids = found if ids is None else ids & found
        return [bytes(c.identity_enc) for c in Client.objects.filter(id__in=list(ids or []))[:200]]

    def baseline_chart(client_id):
        """Plain Django: the rows chart_open reads (the client, its care team, its
        records, the newest page of past appointments and the next to come, the newest
        page of notes and their addenda), ciphertexts only: no PDP, decryption or audit."""
        from datetime import datetime, timezone

        from confide.apps.records.models import Appointment, CareTeamMember, NoteAddendum
        from confide.services.projection import HISTORY_PAGE, RECORD_KINDS

        c = Client.objects.select_related("practice").get(id=client_id)
        out = [bytes(c.identity_enc), c.practice.timezone]
        out += [m.staff.full_name for m in CareTeamMember.objects.filter(client_id=c.id).select_related("staff")]
        for model, column, _cat, _a, _r in RECORD_KINDS.values():
            out += [bytes(getattr(r, column)) for r in model.objects.filter(client_id=c.id).order_by("created_at")]
        now = datetime.now(timezone.utc)
        appts = Appointment.objects.filter(client_id=c.id).select_related("clinician")
        out += [bytes(a.details_enc) for a in appts.filter(starts_at__lt=now).order_by("-starts_at", "-id")
                [:HISTORY_PAGE + 1]]
        out += [bytes(a.details_enc) for a in appts.filter(starts_at__gte=now).order_by("starts_at", "id")
                [:HISTORY_PAGE]]
        notes = list(ProgressNote.objects.filter(client_id=c.id, status="signed").select_related("author")
                     .order_by("-session_date", "-id")[:21])
        out += [bytes(p.body_enc) for p in notes]
        out += [bytes(a.body_enc) for a in NoteAddendum.objects.filter(note_id__in=[p.id for p in notes])]
        return out

    def charts_made():
        """The 10-note and the long chart an earlier run made (marsh's newest clients
        with that many signed notes), or (None, None)."""
        from django.db.models import Count

        counts = (ProgressNote.objects.filter(practice_id=practice, author=marsh, status="signed")
                  .values("client_id").annotate(n=Count("id")))
        found = []
        for wanted in (counts.filter(n=10), counts.filter(n__gte=args.long_notes)):
            ids = [row["client_id"] for row in wanted]
            found.append(Client.objects.filter(id__in=ids).order_by("-created_at", "-id")
                         .values_list("id", flat=True).first())
        return tuple(found) if all(found) else (None, None)

    # Two charts of marsh's: 10 notes and long chart, made by the same bulk path.
    def chart_with(notes: int):
        before = set(Client.objects.filter(practice_id=practice).values_list("id", flat=True))
        demo_grow(clients=len(before) + 1, batch=1, notes=(notes, notes))
        made = Client.objects.filter(practice_id=practice).exclude(id__in=before).get()
        return made.id

    summary: dict[int, dict[str, float]] = {}
    engine = connection.vendor
    short_chart = long_chart = None
    if args.reuse:
        short_chart, long_chart = charts_made()
    for size in sizes:
        t0 = time.perf_counter()
        added = demo_grow(clients=size)
        built = time.perf_counter() - t0
        if engine == "postgresql":
            # What autovacuum does shortly after a bulk load (its insert threshold):
            # fresh planner statistics (without them the planner guesses a just-loaded
            # table is tiny) and the visibility map, without which an index-only scan
            # (a search's) still visits the table for every row. A database measured
            # again (--reuse) was vacuumed when it grew: statistics only.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if added else "ANALYZE")
        if short_chart is None:
            # marsh treats every third bulk client (clinicians in turn); grow until the
            # next one is theirs, so both long and short charts are marsh's.
            while Client.objects.filter(practice_id=practice).count() % 3 != 1:
                demo_grow(clients=Client.objects.filter(practice_id=practice).count() + 1, batch=1)
            short_chart = chart_with(10)
            while Client.objects.filter(practice_id=practice).count() % 3 != 1:
                demo_grow(clients=Client.objects.filter(practice_id=practice).count() + 1, batch=1)
            long_chart = chart_with(args.long_notes)
            if engine == "postgresql":
                # The two charts are a bulk load too (1,000 sessions and notes for one
                # client: past autovacuum's analyze threshold at this size); without
                # fresh statistics the planner takes the long chart for a 5-row one and
                # sorts all its rows instead of walking its index.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        total = Client.objects.filter(practice_id=practice).count()
        print(f"== {total:,} clients ({engine}; {added:,} added through the bulk path in {built:.1f} s, "
              f"{added / built if built and added else 0:.0f} clients/s)", flush=True)
        # A surname of a client in the middle of the practice, and their whole name.
        probe = Client.objects.filter(practice_id=practice).order_by("created_at", "id")[total // 2]
        from confide.services.keys import client_data_key

        name = unseal(client_data_key(probe.id), Client, "identity_enc", probe.id, probe.identity_enc)["legal_name"]
        surname = name.split()[-1].split("-")[0]
        part = surname[:5].lower()

        client_page(user=front)  # warm
        page_ms, page_base = [], []
        for _ in range(max(n // 10, 1)):
            page_ms += timed(lambda: client_page(user=front), 10)
            page_base += timed(baseline_page, 10)
        search_ms, search_full_ms, search_base = [], [], []
        for _ in range(max(n // 10, 1)):
            search_ms += timed(lambda: client_search(user=front, query=part), 10)
            search_full_ms += timed(lambda: client_search(user=front, query=name), 10)
            search_base += timed(lambda: baseline_search(part), 10)
        found = client_search(user=front, query=part)
        assert str(probe.id) in {r["id"] for r in found} or len(found) >= 1, "search found nobody"
        chart_open(user=marsh, client_id=short_chart)
        short_ms, long_ms, tab_short, tab_long, open_base = [], [], [], [], []
        for _ in range(max(n // 10, 1)):
            short_ms += timed(lambda: chart_open(user=marsh, client_id=short_chart), 10)
            long_ms += timed(lambda: chart_open(user=marsh, client_id=long_chart), 10)
            open_base += timed(lambda: baseline_chart(long_chart), 10)
            tab_short += timed(lambda: (chart_tab(user=marsh, client_id=short_chart, tab="notes"),
                                        notes_page(user=marsh, client_id=short_chart)), 10)
            tab_long += timed(lambda: (chart_tab(user=marsh, client_id=long_chart, tab="notes"),
                                       notes_page(user=marsh, client_id=long_chart)), 10)
        # The whole stack in-process: the same handler a server runs, as one client.
        me_ms, get_ms, get_short_ms = [], [], []
        web.get("/api/v1/me", **auth)
        web.get(f"/api/v1/clients/{long_chart}", **auth)
        for _ in range(max(n // 10, 1)):
            me_ms += timed(lambda: ok(web.get("/api/v1/me", **auth)), 10)
            get_short_ms += timed(lambda: ok(web.get(f"/api/v1/clients/{short_chart}", **auth)), 10)
            get_ms += timed(lambda: ok(web.get(f"/api/v1/clients/{long_chart}", **auth)), 10)
        cpu_me = cpu_get = 0.0
        if args.profile:
            cpu_me = cpu_per_call(lambda: ok(web.get("/api/v1/me", **auth)), n)
            cpu_get = cpu_per_call(lambda: ok(web.get(f"/api/v1/clients/{long_chart}", **auth)), n)
            profile(lambda: ok(web.get(f"/api/v1/clients/{long_chart}", **auth)), n, args.profile)
        reset_queries()
        with CaptureQueriesContext(connection) as q_open:
            chart_open(user=marsh, client_id=long_chart)
        with CaptureQueriesContext(connection) as q_page:
            client_page(user=front)
        print(line("front-desk client list, first page (50)", page_ms))
        print(line("baseline: plain Django, same page's rows", page_base))
        print(ratio("ratio", page_ms, page_base))
        print(line(f"name search, part of a surname ({len(found)} found)", search_ms))
        print(line("name search, a whole name", search_full_ms))
        print(line("baseline: plain Django, same index lookup", search_base))
        print(ratio("ratio (part of a surname)", search_ms, search_base))
        print(line("chart_open, 10 notes", short_ms))
        print(line("chart_open, long chart (first page of 20)", long_ms))
        print(ratio("ratio long chart / 10 notes", long_ms, short_ms))
        print(line("notes tab + first notes page, 10 notes", tab_short))
        print(line("notes tab + first notes page, long chart", tab_long))
        print(ratio("ratio long chart / 10 notes", tab_long, tab_short))
        print(line("baseline: plain Django, chart_open's rows", open_base))
        print(ratio("ratio plain Django / chart_open (long chart)", open_base, long_ms))
        print(line("GET /api/v1/me (authenticated no-op)", me_ms))
        print(line("GET /api/v1/clients/{id} (10 notes)", get_short_ms))
        print(line("GET /api/v1/clients/{id} (long chart)", get_ms))
        for label, samples in (("10 notes", get_short_ms), ("long chart", get_ms)):
            print(f"  {'ratio chart GET rate / no-op rate, ' + label:<44} {1000 / stats(samples)[0]:7.1f} / "
                  f"{1000 / stats(me_ms)[0]:7.1f} req/s = {stats(me_ms)[0] / stats(samples)[0]:.2f}")
        if args.profile:
            print(f"  CPU per request (process_time): /me {cpu_me:.2f} ms, chart GET (long chart) {cpu_get:.2f} ms")
        print(f"  queries: chart_open {len(q_open.captured_queries)}, client list page "
              f"{len(q_page.captured_queries)}", flush=True)
        summary[total] = {"list_p99": stats(page_ms)[2], "search_p99": stats(search_ms)[2],
                          "search_full_p99": stats(search_full_ms)[2], "chart_1000_over_10": stats(long_ms)[0]
                          / stats(short_ms)[0], "chart_p99": stats(long_ms)[2],
                          "django_over_chart": stats(open_base)[0] / stats(long_ms)[0],
                          "chart_queries": len(q_open.captured_queries),
                          "chart_get_over_noop": stats(me_ms)[0] / stats(get_short_ms)[0],
                          "long_chart_get_over_noop": stats(me_ms)[0] / stats(get_ms)[0]}
        if args.profile:
            summary[total].update(cpu_noop_ms=cpu_me, cpu_chart_get_ms=cpu_get)
        if not args.no_server:
            served = server_rates(token, short_chart, long_chart, args.server_seconds)
            print(f"  through the server (the target's measure: `confide serve` on this database, keep-alive "
                  f"clients, {args.server_seconds:g} s each, requests/s):", flush=True)
            for concurrency in (1, 8):
                me_rate = served[("me", concurrency)]
                print(f"    c{concurrency}: GET /api/v1/me {me_rate:8.1f}, chart GET 10 notes "
                      f"{served[('10 notes', concurrency)]:8.1f}, long chart {served[('long chart', concurrency)]:8.1f}")
                for name, field in (("10 notes", "server_chart_get_over_noop"),
                                    ("long chart", "server_long_chart_get_over_noop")):
                    got = served[(name, concurrency)]
                    print(f"    {f'ratio chart GET rate / no-op rate, {name}, c{concurrency}':<50} "
                          f"{got:7.1f} / {me_rate:7.1f} req/s = {got / me_rate:.2f}")
                    summary[total][f"{field}_c{concurrency}"] = got / me_rate
            summary[total].update({f"server_{name.replace(' ', '_')}_rate_c{c}": value
                                   for (name, c), value in served.items()})
        print(json.dumps({"measure": "scale", "clients": total, **{k: round(v, 3) for k, v in
                                                                   summary[total].items()}}), flush=True)
    first = min(summary)
    print(f"== growth from {first:,} clients")
    for total, row in summary.items():
        print(f"  {total:>9,} clients: list p99 x{row['list_p99'] / summary[first]['list_p99']:.2f}, "
              f"search p99 x{row['search_p99'] / summary[first]['search_p99']:.2f}, "
              f"chart_open p99 x{row['chart_p99'] / summary[first]['chart_p99']:.2f}; "
              f"list p99 {row['list_p99']:.1f} ms, search p99 {row['search_p99']:.1f} ms, chart long/10 "
              f"{row['chart_1000_over_10']:.2f}, plain Django/chart_open {row['django_over_chart']:.2f}, "
              f"chart GET/no-op {row['chart_get_over_noop']:.2f} (long chart {row['long_chart_get_over_noop']:.2f}), "
              f"chart_open queries {row['chart_queries']}")
        if "server_chart_get_over_noop_c1" in row:
            print(f"  {'':>9}          through the server, chart GET/no-op: 10 notes c1 "
                  f"{row['server_chart_get_over_noop_c1']:.2f}, c8 {row['server_chart_get_over_noop_c8']:.2f}; "
                  f"long chart c1 {row['server_long_chart_get_over_noop_c1']:.2f}, "
                  f"c8 {row['server_long_chart_get_over_noop_c8']:.2f}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_url_argument(parser)
    parser.add_argument("--clients", "--sizes", dest="sizes", default="1000,10000",
                        help="practice sizes, comma-separated, ascending")
    parser.add_argument("--full", action="store_true", help="also 100,000 clients")
    parser.add_argument("--repeat", type=int, default=100, help="timed calls per measure")
    parser.add_argument("--long-notes", type=int, default=1000, help="notes in the long chart (the short has 10)")
    parser.add_argument("--profile", type=int, default=0, metavar="ROWS",
                        help="also measure CPU per request of /me and the long chart's GET, and print "
                             "a cProfile of the chart GET (ROWS functions per ordering)")
    parser.add_argument("--server-seconds", type=float, default=3.0,
                        help="seconds per measure through the real server (default 3)")
    parser.add_argument("--no-server", action="store_true",
                        help="skip the measures through the real server (`confide serve`)")
    parser.add_argument("--var-dir", default=None,
                        help="the var dir to use and keep (its master key seals the database's clients)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database an earlier run grew with the same --var-dir (growth and "
                             "the two charts are skipped where they exist)")
    args = parser.parse_args()
    if args.reuse and not args.var_dir:
        parser.error("--reuse needs --var-dir: the var dir whose master key sealed the database")
    sys.exit(run_with_django(args.database_url or os.environ.get("CONFIDE_DATABASE_URL") or None,
                             lambda: main(args), var_dir=args.var_dir))
