"""Benchmark: does more concurrency mean more work, through the real server (issue 12)?

    PYTHONPATH=src python bench/scale_concurrency.py --database-url postgresql://... [--seconds S]
                                                     [--workers N] [--no-single]
                                                     [--shape PxT ...] [--rounds R]

Starts `confide serve` on a private var dir and the given empty PostgreSQL database (or
SQLite, where one writer at a time makes the ratios mean little), with the demo practice
and three more practices made through the services, each with a clinician, four clients
the writers write to and a chart the readers open (30 signed notes, more than its first
screen, and never written to during the run: every server and round reads the same).
Over HTTP, keep-alive clients, each measure for S seconds, and the measures a ratio
compares taken in turns (up to four slices each, alternating), so that a shared
machine's drift does not fall between them:

- chart GETs (`GET /api/v1/clients/{id}` as the treating clinician: the PDP, decryption
  and an audited read) at concurrency 8 against concurrency 1, and the same for the
  authenticated no-op `GET /api/v1/me` (no audit: what the server alone scales to);
- chart GETs at concurrency 8 spread over four practices (two readers in each: four
  audit chains) against the eight in one practice (one chain, whose head each read's
  audit append locks until its commit);
- the chart GETs' p99 time at concurrency 8, alone and with a browser signing in
  through the login form again and again beside them (Argon2's hash, the slowest thing
  a request does itself: a serving process of one thread holds its other requests
  behind it);
- progress notes written (`POST /clients/{id}/notes` then `POST /notes/sign`: two
  audited transactions per note) by 4 writers against 1: writers in four practices
  (four audit chains: they should not wait on each other), and 4 writers in one
  practice (one chain: they meet at its head, briefly, at commit).

The server runs with CONFIDE_SERVE_WORKERS processes (default: `confide serve`'s own,
two per CPU of two threads on PostgreSQL), and, unless --no-single, once more with one process, the
way it served before it forked (the ratio a single interpreter lock allows). With
--shape PxT (repeatable), it serves instead with P processes of T threads for each shape
given. With --rounds R, every server is measured R times, alternating, and the median
and range are printed: on a shared machine only alternated runs compare. Prints one JSON
line per measure and round, then requests/s, the ratios and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_serving import ROOT, Server, _confide, get_json, interleaved, rate, run_all  # noqa: E402

from confide.services.demo.data import DEMO_PASSWORD  # noqa: E402

# Signed progress notes in each chart the readers open (the first screen shows 20).
READ_NOTES = 30

SETUP = """
import json, django
from datetime import date, timedelta
django.setup()
from confide.services.charting import progress_note_create
from confide.apps.practice.models import Practice, User
from confide.services.accounts import user_create
from confide.services.intake import client_create
from confide.services.tokens import token_create
READ_NOTES = %d
out = []
demo = User.objects.get(username="marsh")
for i in range(4):
    if i == 0:
        clinician = demo
    else:
        practice = Practice.objects.create(name=f"Concurrency Practice {i}")
        clinician = user_create(actor=None, practice=practice, username=f"bench-clinician-{i}", role="clinician",
                                password=None, licensed=True, licence="LMHC")
    clients = [str(client_create(user=clinician, identity={"legal_name": f"Bench Client {i}-{k}"}))
               for k in range(4)]
    # The chart the readers open: a history longer than its first screen, which no
    # writer adds to, so every server and round reads the same chart.
    chart = client_create(user=clinician, identity={"legal_name": f"Bench Reader Chart {i}"})
    for week in range(READ_NOTES, 0, -1):
        progress_note_create(user=clinician, client_id=chart, session_date=(date.today() - timedelta(weeks=week))
                             .isoformat(), text="Reviewed the week's worry log; sleep improving. " * 6)
    out.append({"token": token_create(user=clinician, name="bench", days=1), "clients": clients,
                "chart": str(chart)})
print(json.dumps(out))
""" % READ_NOTES

SECTIONS = {"subjective": "Reports sleeping better since the last session; work stress persists. " * 3,
            "objective": "Calm, engaged, affect congruent. PHQ-9 down two points.",
            "assessment": "Progressing toward the sleep goal; anxiety goal unchanged.",
            "plan": "Continue the worry log; next session in one week."}


def notes_rate(port: int, writers: list[tuple[str, str]], seconds: float) -> float:
    """Progress notes written (drafted and signed) per second by one keep-alive
    client per (token, client id)."""
    import http.client

    counts = [0] * len(writers)
    failures: list[str] = []
    stop_at = time.monotonic() + seconds

    def writer(i: int, token: str, client_id: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        draft = json.dumps({"template": "SOAP", "sections": SECTIONS})
        while time.monotonic() < stop_at:
            conn.request("POST", f"/api/v1/clients/{client_id}/notes", body=draft, headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 201:
                failures.append(f"draft by writer {i} of {len(writers)}: {response.status} {body[:200]!r}")
                return
            note = json.loads(body)["id"]
            conn.request("POST", "/api/v1/notes/sign", body=json.dumps({"note_id": note}), headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                failures.append(f"sign: {response.status} {body[:200]!r}")
                return
            counts[i] += 1
        conn.close()

    started = time.monotonic()
    run_all([threading.Thread(target=writer, args=(i, token, cid)) for i, (token, cid) in enumerate(writers)],
            failures, "scale_concurrency")
    return sum(counts) / (time.monotonic() - started)


def latencies(port: int, token: str, path: str, concurrency: int, seconds: float,
              beside=None) -> list[float]:
    """Each GET's time in ms, by `concurrency` keep-alive clients, with `beside(stop_at)`
    running in a thread of its own meanwhile."""
    import http.client

    times: list[float] = []
    failures: list[str] = []
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
                return
            times.append((time.perf_counter() - started) * 1000)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    if beside is not None:
        threads.append(threading.Thread(target=beside, args=(stop_at, failures)))
    run_all(threads, failures, "scale_concurrency")
    return times


def sign_ins(port: int, username: str, password: str):
    """A browser signing in through the login form again and again (Argon2's hash: the
    slowest request a practice's day makes in the request itself), one after another."""
    import http.client
    import re

    def run(stop_at: float, failures: list[str]) -> None:
        while time.monotonic() < stop_at:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/login/")
            response = conn.getresponse()
            page = response.read().decode()
            cookie = response.getheader("Set-Cookie", "").split(";")[0]
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if response.status != 200 or not found:
                failures.append(f"/login/: {response.status}")
                return
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": found.group(1), "username": username,
                                           "password": password})
            conn.request("POST", "/login/", body=body, headers={
                "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}/login/", "Origin": f"http://127.0.0.1:{port}"})
            response = conn.getresponse()
            response.read()
            if response.status != 302:
                failures.append(f"sign-in: {response.status}")
                return
            conn.close()

    return run


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def measure(env: dict, extra: dict, practices: list[dict], seconds: float) -> dict[str, float]:
    with Server({**env, **extra}, 300) as server:
        port, token = server.port, practices[0]["token"]
        chart = f"/api/v1/clients/{practices[0]['chart']}"
        get_json(port, token, chart)
        rate(port, token, "/api/v1/me", 8, 1.0)  # warm every process and thread
        rate(port, token, chart, 8, 1.0)
        out = interleaved({f"me c{c}": partial(rate, port, token, "/api/v1/me", c) for c in (1, 8)}, seconds)
        # The same eight readers, two in each of four practices (four audit chains): what
        # one practice's chain head costs its readers.
        spread = [(p["token"], f"/api/v1/clients/{p['chart']}") for p in practices[:4]]
        rate(port, token, chart, 8, 0.5, targets=spread)
        out |= interleaved({"chart GET c1": partial(rate, port, token, chart, 1),
                            "chart GET c8": partial(rate, port, token, chart, 8),
                            "chart GET c8, four practices": partial(rate, port, token, chart, 8, targets=spread)},
                           seconds)
        alone = latencies(port, token, chart, 8, seconds)
        beside = latencies(port, token, chart, 8, seconds, sign_ins(port, "marsh", DEMO_PASSWORD))
        out["chart GET c8, p99 ms"] = _p(alone, 0.99)
        out["the same, sign-ins beside, p99 ms"] = _p(beside, 0.99)
        first = practices[0]
        out |= interleaved({
            "notes, 1 writer": partial(notes_rate, port, [(first["token"], first["clients"][0])]),
            "notes, 4 writers in 4 practices": partial(notes_rate, port,
                                                       [(p["token"], p["clients"][0]) for p in practices[:4]]),
            "notes, 4 writers in one practice": partial(notes_rate, port,
                                                        [(first["token"], cid) for cid in first["clients"][:4]])},
            seconds)
        return out


RATIOS = (("chart GETs c8 / c1", "chart GET c8", "chart GET c1"), ("/me c8 / c1", "me c8", "me c1"),
          ("chart GETs c8, four practices / one", "chart GET c8, four practices", "chart GET c8"),
          ("notes, 4 writers in 4 practices / 1", "notes, 4 writers in 4 practices", "notes, 1 writer"),
          ("notes, 4 writers in one practice / 1", "notes, 4 writers in one practice", "notes, 1 writer"))


def shape(text: str) -> tuple[int, int]:
    """'PxT': P serving processes of T threads each."""
    try:
        processes, threads = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not PROCESSESxTHREADS, such as 2x8") from None
    if processes < 1 or threads < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: processes and threads are at least 1")
    return processes, threads


def servers(args) -> dict[str, dict]:
    """The serving shapes to measure, by label, with the environment each adds."""
    if args.shape:
        return {f"{p} processes x {t} threads": {"CONFIDE_SERVE_WORKERS": str(p), "CONFIDE_SERVE_THREADS": str(t)}
                for p, t in dict.fromkeys(args.shape)}
    runs = {"served": {} if args.workers is None else {"CONFIDE_SERVE_WORKERS": str(args.workers)}}
    if not args.no_single:
        runs["one process"] = {"CONFIDE_SERVE_WORKERS": "1"}
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per measure (default 5)")
    parser.add_argument("--workers", type=int, default=None,
                        help="serving processes (CONFIDE_SERVE_WORKERS; default: the server's own choice)")
    parser.add_argument("--no-single", action="store_true", help="skip the run with one serving process")
    parser.add_argument("--shape", type=shape, action="append", metavar="PxT",
                        help="instead: serve with P processes of T threads (repeat to compare shapes)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every server this many times, alternating, and print the median (default 1)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds is at least 1")

    var = Path(tempfile.mkdtemp(prefix="confide-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    env.update(CONFIDE_VAR_DIR=str(var), CONFIDE_REQUIRE_OTP="0", DJANGO_SETTINGS_MODULE="confide.config.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]))
    if args.database_url:
        env["CONFIDE_DATABASE_URL"] = args.database_url
    try:
        _confide(env, "migrate")
        _confide(env, "demo")
        practices = json.loads(subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True,
                                              check=True).stdout.strip().splitlines()[-1])
        shapes = servers(args)
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in shapes}
        for round_ in range(args.rounds):
            for label, extra in shapes.items():
                results = measure(env, extra, practices, args.seconds)
                runs[label].append(results)
                for name, value in results.items():
                    print(json.dumps({"bench": "scale_concurrency", "server": label, "round": round_ + 1,
                                      "measure": name, "ms" if name.endswith(" ms") else "per_s": round(value, 1)}))
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(f"concurrency through `confide serve` on {engine}, {os.cpu_count()} CPU(s), {args.seconds:g} s per "
              f"measure, {args.rounds} round(s) alternating the servers (the median, and the range when more), "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (requests/s; notes/s)")
        for label, rounds in runs.items():
            print(f" serving processes: {args.workers or 'default' if label == 'served' else label}")
            for name in rounds[0]:
                print(f"  {name:<36} {_spread([r[name] for r in rounds], '8.1f')}")
            for title, top, bottom in RATIOS:
                print(f"  ratio {title + ':':<40} {_spread([r[top] / r[bottom] for r in rounds], '.2f')}")
        return 0
    finally:
        shutil.rmtree(var, ignore_errors=True)


def _spread(values: list[float], fmt: str) -> str:
    middle, short = format(statistics.median(values), fmt), fmt.lstrip("0123456789")
    return middle if len(values) == 1 else f"{middle} ({format(min(values), short)}-{format(max(values), short)})"


if __name__ == "__main__":
    sys.exit(main())
