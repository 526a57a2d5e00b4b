"""Benchmark: does the served Confide stay available while idle and slow clients hold connections?

    PYTHONPATH=src python bench/idle_connections.py [--database-url postgresql://...] [--seconds S]
        [--idle N] [--slow N] [--body N]

Starts `confide serve` (waitress, with the documented CONFIDE_SERVE_* settings) on a
private var dir and database with the demo practice, and measures the authenticated
no-op `GET /api/v1/me` (4 keep-alive clients, S seconds; requests per second and
latency percentiles, plus the time a brand-new connection waits for its answer), first
with no other connection open (the baseline), then, in the same run and on the same
server, while it holds:

- N idle connections (connected, nothing sent),
- N slow-loris connections (a request line and one header, then one more header line
  every second, never finishing the headers),
- N half-sent bodies (whole headers announcing a body, a few bytes of it, then nothing).

It prints both measurements and the ratio held / none (near 1.00: the held connections
cost the server nothing that matters), and how many of the held connections the server
had closed by the end (the idle timeout, CONFIDE_SERVE_TIMEOUT_SECONDS). One JSON line
per measurement follows for tools.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_serving import ROOT, Server, _confide  # noqa: E402


def _connect(port: int) -> socket.socket | None:
    try:
        return socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return None


class Held:
    """The idle, slow-loris and half-body connections, opened and kept."""

    def __init__(self, port: int, idle: int, slow: int, body: int):
        self.port = port
        self.idle = [s for s in (_connect(port) for _ in range(idle)) if s]
        self.slow = [s for s in (_connect(port) for _ in range(slow)) if s]
        self.body = [s for s in (_connect(port) for _ in range(body)) if s]
        for s in self.slow:
            self._send(s, b"GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for s in self.body:
            self._send(s, b"POST /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 100000\r\n\r\n{\"a\": ")
        self.opened = len(self.idle) + len(self.slow) + len(self.body)
        self._stop = threading.Event()
        self._drip = threading.Thread(target=self._trickle, daemon=True)
        self._drip.start()

    @staticmethod
    def _send(s: socket.socket, data: bytes) -> bool:
        try:
            s.sendall(data)
            return True
        except OSError:
            return False

    def _trickle(self) -> None:
        n = 0
        while not self._stop.wait(1.0):
            n += 1
            for s in self.slow:
                self._send(s, f"X-Slow-{n}: {n}\r\n".encode())

    def still_open(self) -> int:
        """How many held connections the server has not closed (a closed one reads EOF)."""
        alive = 0
        for s in self.idle + self.slow + self.body:
            s.setblocking(False)
            try:
                alive += s.recv(1, socket.MSG_PEEK) != b""
            except BlockingIOError:
                alive += 1
            except OSError:
                pass
        return alive

    def close(self) -> None:
        self._stop.set()
        self._drip.join(timeout=5)
        for s in self.idle + self.slow + self.body:
            s.close()


def measure(port: int, token: str, seconds: float, clients: int = 4) -> dict:
    """Requests per second and latency (ms) of GET /api/v1/me from keep-alive clients,
    and the time-to-answer of new connections made one at a time meanwhile."""
    import http.client

    latencies: list[list[float]] = [[] for _ in range(clients)]
    fresh: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                conn.request("GET", "/api/v1/me", headers=headers)
                response = conn.getresponse()
                response.read()
            except OSError as exc:
                errors.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            if response.status != 200:
                errors.append(str(response.status))
                continue
            latencies[i].append(time.perf_counter() - t0)
        conn.close()

    def newcomer() -> None:
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", "/api/v1/me", headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    fresh.append(time.perf_counter() - t0)
                else:
                    errors.append(f"new connection {response.status}")
            except OSError as exc:
                errors.append(f"new connection {type(exc).__name__}")
            finally:
                conn.close()
            time.sleep(0.05)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    threads.append(threading.Thread(target=newcomer))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    every = sorted(x for lat in latencies for x in lat)
    if not every:
        raise SystemExit(f"idle_connections: no request answered ({errors[:3]})")

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")

    fresh.sort()
    return {"requests_per_s": len(every) / elapsed, "p50_ms": statistics.median(every) * 1000,
            "p95_ms": pct(every, 0.95), "max_ms": every[-1] * 1000,
            "new_connection_p50_ms": pct(fresh, 0.5), "new_connection_max_ms": fresh[-1] * 1000 if fresh else None,
            "new_connections": len(fresh), "errors": len(errors)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement (default 5)")
    parser.add_argument("--idle", type=int, default=120, help="idle connections held (default 120)")
    parser.add_argument("--slow", type=int, default=120, help="slow-loris connections held (default 120)")
    parser.add_argument("--body", type=int, default=40, help="half-sent bodies held (default 40)")
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
        with Server(env, 300) as server:
            measure(server.port, token, min(1.0, args.seconds))  # warm up
            none = measure(server.port, token, args.seconds)
            held = Held(server.port, args.idle, args.slow, args.body)
            try:
                time.sleep(0.5)  # the server has accepted them all
                loaded = measure(server.port, token, args.seconds)
                open_at_end = held.still_open()
            finally:
                held.close()
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(f"Availability under held connections, {engine}, GET /api/v1/me by 4 keep-alive clients, "
              f"{args.seconds:.0f} s each; held: {args.idle} idle, {args.slow} slow-loris, {args.body} half-sent "
              f"bodies ({held.opened} opened, {open_at_end} still open at the end)")
        for label, m in (("none held", none), ("held", loaded)):
            print(f"  {label:<10} {m['requests_per_s']:8.1f} req/s   p50 {m['p50_ms']:6.1f} ms   "
                  f"p95 {m['p95_ms']:6.1f} ms   max {m['max_ms']:7.1f} ms   new connection p50 "
                  f"{m['new_connection_p50_ms']:6.1f} ms (max {m['new_connection_max_ms'] or 0:.1f})   "
                  f"errors {m['errors']}")
        print(f"  ratio held / none (requests/s): {loaded['requests_per_s'] / none['requests_per_s']:.2f}")
        print(f"  ratio held / none (p95 latency): {loaded['p95_ms'] / none['p95_ms']:.2f}")
        for label, m in (("none", none), ("held", loaded)):
            print(json.dumps({"measure": label, "held": held.opened if label == "held" else 0, **m}))
        if loaded["errors"] or held.opened < args.idle + args.slow + args.body:
            print("idle_connections: requests failed or connections were refused while others were held",
                  file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
