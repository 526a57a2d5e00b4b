"""Benchmark: requests per second through the real server, in one run.

    PYTHONPATH=src python bench/http_serving.py [--database-url postgresql://...] [--seconds S]

Starts `confide serve` on a private var dir and database (SQLite by default, or the given
empty PostgreSQL database), with the demo practice, and measures over HTTP with keep-alive
clients, each for S seconds:

- the authenticated no-op (`GET /api/v1/me`) with a new database connection per request
  (`CONFIDE_DB_CONN_MAX_AGE=0`, the baseline) and with persistent connections (the
  default), and the ratio;
- a chart GET (`GET /api/v1/clients/{id}` as the treating clinician: PDP, decryption and
  an audited read) against the no-op on the same server, and the ratio;
- chart GETs at concurrency 8 against concurrency 1, and the ratio.

SQLite has one writer at a time, and every chart GET appends to the audit chain, so the
concurrency ratio means most on PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _confide(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "confide.cli", *args], env=env, capture_output=True,
                          text=True, check=True, **kwargs)


class Server:
    """`confide serve` on a free port, started and waited for. As a context manager it
    stops the server on leaving, and when the block failed prints the tail of the
    server's log first (what the server said is usually the reason)."""

    def __init__(self, env: dict, conn_max_age: int):
        self.port = _free_port()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "confide.cli", "serve", "--port", str(self.port)],
            env={**env, "CONFIDE_DB_CONN_MAX_AGE": str(conn_max_age)}, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("http_serving: the server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is not None:
                self.log.seek(0)
                print(self.log.read().decode(errors="replace")[-3000:], file=sys.stderr)
        finally:
            self.stop()


def rate(port: int, token: str, path: str, concurrency: int, seconds: float,
         targets: list[tuple[str, str]] | None = None) -> float:
    """Requests per second answered 200 by `concurrency` keep-alive clients, each
    asking for `path` with `token`, or client i for the (token, path) `targets[i %
    len(targets)]`."""
    targets = targets or [(token, path)]
    counts = [0] * concurrency
    failures: list[str] = []
    stop_at = time.monotonic() + seconds

    def client(i: int) -> None:
        mine, path = targets[i % len(targets)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {mine}"}
        while time.monotonic() < stop_at:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
                return
            counts[i] += 1
        conn.close()

    started = time.monotonic()
    run_all([threading.Thread(target=client, args=(i,)) for i in range(concurrency)], failures, "http_serving")
    return sum(counts) / (time.monotonic() - started)


def interleaved(measures: dict, seconds: float) -> dict:
    """Each measure's rate over `seconds`, taken in turns: up to four slices of each
    (of half a second at least), one measure after another, and the mean of its
    slices. A shared machine's speed drifts by a quarter within a minute; two measures
    taken one after the other carry that drift into their ratio, taken in turns they
    see the same machine."""
    slices = max(1, min(4, int(seconds / 0.5)))
    rates: dict = {label: [] for label in measures}
    for _ in range(slices):
        for label, measure_for in measures.items():
            rates[label].append(measure_for(seconds / slices))
    return {label: statistics.fmean(values) for label, values in rates.items()}


def run_all(threads: list[threading.Thread], failures: list[str], bench: str) -> None:
    """Start the load's threads, wait for them all, and stop the benchmark on the first
    failure any of them recorded."""
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"{bench}: {failures[0]}")


def get_json(port: int, token: str, path: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"http_serving: {path}: {response.status}")
    return json.loads(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement (default 5)")
    args = parser.parse_args(argv)

    var = Path(tempfile.mkdtemp(prefix="confide-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    env.update(CONFIDE_VAR_DIR=str(var), CONFIDE_REQUIRE_OTP="0",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]))
    if args.database_url:
        env["CONFIDE_DATABASE_URL"] = args.database_url
    try:
        _confide(env, "migrate")
        _confide(env, "demo")
        token = _confide(env, "token", "marsh").stdout.strip()
        results: dict[str, float] = {}
        for label, age in (("new connection per request", 0), ("persistent connections", 300)):
            with Server(env, age) as server:
                clients = get_json(server.port, token, "/api/v1/clients")
                items = clients["clients"] if isinstance(clients, dict) else clients
                chart = f"/api/v1/clients/{items[0]['id']}"
                rate(server.port, token, "/api/v1/me", 2, 1.0)  # warm up
                results[f"me, {label}"] = rate(server.port, token, "/api/v1/me", 4, args.seconds)
                if age:
                    results["chart GET, c1"] = rate(server.port, token, chart, 1, args.seconds)
                    results["chart GET, c8"] = rate(server.port, token, chart, 8, args.seconds)
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(f"HTTP serving on {engine}, {args.seconds:.0f} s per measurement (requests/s):")
        for name, value in results.items():
            print(f"  {name:<40} {value:8.1f}")
        me_new, me_kept = results["me, new connection per request"], results["me, persistent connections"]
        print(f"  ratio persistent / new connection (GET /me):   {me_kept / me_new:.2f}")
        print(f"  ratio chart GET c1 / no-op /me (same server):  {results['chart GET, c1'] / me_kept:.2f}")
        print(f"  ratio chart GETs c8 / c1:                      {results['chart GET, c8'] / results['chart GET, c1']:.2f}")
        return 0
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
