"""`confide serve` with several processes (CONFIDE_SERVE_WORKERS): a process's threads
share one interpreter lock, so a second core serves only through a second process.
They accept on one socket; one that dies is replaced; stopping the server stops them
all, and killing it outright makes them stop themselves. The default is two processes
per CPU of two threads each on PostgreSQL, and one of eight threads on SQLite."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from confide.cli import serve_threads, serve_workers
from tests.instances import Instance


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return {int(p) for p in fh.read().split()}
    except FileNotFoundError:
        return set()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" not in fh.read()
    except FileNotFoundError:
        return False


def _until(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def _get(port: int, path: str = "/api/v1/me") -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_default_is_two_processes_per_cpu_of_two_threads_on_postgresql_and_one_of_eight_on_sqlite(monkeypatch):
    for cpus, processes in ((1, 2), (2, 4), (3, 6), (4, 8), (16, 8)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid, n=cpus: set(range(n)))
        assert serve_workers(0, "django.db.backends.postgresql") == processes
        assert serve_threads(0, processes) == 2
    assert serve_workers(0, "django.db.backends.sqlite3") == 1 and serve_threads(0, 1) == 8
    assert serve_workers(3, "django.db.backends.sqlite3") == 3  # as configured
    assert serve_threads(5, 1) == 5 and serve_threads(5, 4) == 5


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads the process tree from /proc")


@pytest.fixture
def two_processes(tmp_path):
    """A migrated instance served by `confide serve` with two processes, both running
    and answering: (instance, the server, its port). Whatever is left of it is stopped
    after the test, processes it orphaned included."""
    inst = Instance.empty(tmp_path / "var")
    try:
        inst.confide("migrate")
        proc, port = _serve(inst, workers=2)
        started = _children(proc.pid)
        try:
            yield inst, proc, port
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
            for pid in started:
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
    finally:
        inst.drop()


@needs_proc
def test_processes_serve_are_replaced_and_stop_together(two_processes):
    _inst, proc, port = two_processes
    assert {_get(port) for _ in range(10)} == {401}  # no token: refused, by whichever process
    victim = min(_children(proc.pid))
    os.kill(victim, signal.SIGKILL)
    assert _until(lambda: len(_children(proc.pid)) == 2 and victim not in _children(proc.pid), 30)
    assert _get(port) == 401
    now = _children(proc.pid)
    proc.terminate()
    proc.wait(timeout=30)
    assert all(_until(lambda pid=pid: not _alive(pid), 10) for pid in now), "the processes stopped with it"
    out = proc.stdout.read()
    assert "with 2 process(es) of 2 threads" in out and f"serving process {victim} ended" in out


@needs_proc
def test_serving_processes_whose_parent_is_killed_outright_stop_and_free_the_port(two_processes):
    inst, proc, port = two_processes
    orphans = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)  # no chance to stop its children
    proc.wait(timeout=30)
    assert all(_until(lambda pid=pid: not _alive(pid), 15) for pid in orphans), "the orphans stopped"
    assert _until(lambda: not _port_open(port), 15)
    again = subprocess.Popen([sys.executable, "-m", "confide.cli", "serve", "--port", str(port)],
                             env=inst.env(CONFIDE_SERVE_WORKERS="1"), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        assert _until(lambda: again.poll() is None and _port_open(port), 60), "a new server binds the port"
    finally:
        again.terminate()
        again.wait(timeout=30)
    assert f"its parent {proc.pid} is gone; stopping" in proc.stdout.read()


def test_a_port_in_use_is_refused_in_one_line_before_anything_starts(tmp_path):
    inst = Instance.empty(tmp_path / "var")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        try:
            inst.confide("migrate")
            done = subprocess.run([sys.executable, "-m", "confide.cli", "serve", "--port", str(port), "--with-worker"],
                                  env=inst.env(CONFIDE_SERVE_WORKERS="2"), capture_output=True, text=True, timeout=120)
        finally:
            inst.drop()
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"confide: port {port} on 127.0.0.1 is in use (another server?); choose another with --port")
    assert "Traceback" not in done.stderr and "serving Confide" not in done.stdout
    assert "background worker started" not in done.stdout


def _serve(inst: Instance, *, workers: int) -> tuple[subprocess.Popen, int]:
    """`confide serve` with `workers` processes on a free port, once they all run and
    it answers (no token: 401); another port when another process took this one between
    our look and its bind (the suite's servers run side by side)."""
    for _ in range(5):
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "confide.cli", "serve", "--port", str(port)],
                                env=inst.env(CONFIDE_SERVE_WORKERS=str(workers)), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        _until(lambda: proc.poll() is not None or len(_children(proc.pid)) == workers, 60)
        if proc.poll() is None:
            assert len(_children(proc.pid)) == workers, f"{workers} serving processes"
            assert _until(lambda: _port_open(port) and _get(port) == 401, 60), "it answers"
            return proc, port
        out = proc.stdout.read()
        assert "is in use" in out, out
    raise AssertionError("no free port in five tries")


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False
