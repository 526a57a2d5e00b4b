"""The `confide` command.

Every sub-command prints one clear line on failure and exits non-zero; no traceback
reaches the user (set CONFIDE_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confide.config.settings")
    import django

    django.setup()


def _progress(total: int | None, label: str):
    """A rich progress bar on a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        return None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True)
    bar.start()
    task = bar.add_task(label, total=total)
    return bar, task


def cmd_migrate(args) -> int:
    from django.core.management import call_command

    from confide.services.distribution import distribute, is_distributed

    call_command("migrate", interactive=False, verbosity=0)
    if is_distributed():
        # A distributed database stays distributed: what a migration added is rewritten too.
        plan = distribute()
        if plan.statements:
            print(f"distribution: {len(plan.statements)} statements applied to what the migrations added")
    print("database is up to date")
    return 0


def cmd_distribute(args) -> int:
    from confide.services.distribution import distribute

    plan = distribute(dry_run=args.dry_run)
    if args.dry_run:
        for statement in plan.statements:
            print(statement + ";")
        if not plan.statements:
            print("-- nothing to do: the keys are distributed")
        return 0
    if not plan.statements:
        print("nothing to do: the keys are distributed")
    else:
        print(f"distributed: {len(plan.statements)} statements applied in one transaction"
              + ("" if plan.citus else " (no citus extension: keys rewritten, no tables distributed)"))
    return 0


def cmd_demo(args) -> int:
    from django.conf import settings

    from confide.services.demo.build import demo_create, demo_exists

    if args.if_empty and demo_exists() is not None:
        result = demo_create()  # returns the existing practice's logins, creates nothing
        print("demo practice already present")
    else:
        result = demo_create(with_otp=settings.CONFIDE["REQUIRE_OTP"])
        print("created the demo practice (Harbor Light Counseling, Tacoma, WA)" if result.created
              else "demo practice already present")
    if args.clients is not None:
        from confide.services.demo.grow import demo_grow

        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if done == total or done % 10000 < 500:
                print(f"  {done:,} of {total:,} clients added ({time.monotonic() - started:.0f} s)", flush=True)

        added = demo_grow(clients=args.clients, progress=progress)
        print(f"the demo practice now has {args.clients:,} clients or more ({added:,} added)" if added
              else f"the demo practice already has {args.clients:,} clients or more; nothing added")
    print(f"demo logins at http://127.0.0.1:{os.environ.get('PORT', '8000')}/  (password for all: {result.password})")
    for login in result.logins:
        print(f"  {login.username:<14} {login.role:<15} {login.description}")
    if settings.CONFIDE["REQUIRE_OTP"]:
        print("staff sign in with a one-time code as well: `.venv/bin/confide otp USERNAME` prints the current one")
    return 0


def cmd_otp(args) -> int:
    """The current code of a demo account's authenticator: the demo practice only (a
    real account's second factor lives on its owner's phone, never on the server's
    command line)."""
    from confide.apps.practice.models import SealedTOTPDevice
    from confide.services.demo.build import demo_exists
    from confide.services.second_factor import totp_code_now

    demo = demo_exists()
    device = None
    if demo is not None:
        device = SealedTOTPDevice.objects.filter(user__username=args.username, user__practice=demo,
                                           confirmed=True).first()
    if device is None:
        print(f"confide: no demo authenticator for {args.username!r} (`confide otp` serves the demo practice only)",
              file=sys.stderr)
        return 1
    print(totp_code_now(device))
    return 0


def cmd_serve(args) -> int:
    from django.conf import settings

    import confide.config.urls  # noqa: F401 - fail at start-up, not on the first request
    from confide.services.keys import keyring
    from confide.services.policy import rules

    ruleset = rules()
    keyring()
    print(f"rules: {len(ruleset.rules)} rules in {len(ruleset.packs)} packs (version {ruleset.version})")
    from confide.config.wsgi import application

    serve_args = settings.CONFIDE["SERVE"]
    workers = serve_workers(serve_args["workers"], settings.DATABASES["default"]["ENGINE"])
    threads = serve_threads(serve_args["threads"], workers)
    backlog = 2048
    listener = _listen(args.host, args.port, backlog)  # a port in use fails here, before anything starts
    worker = _start_worker() if args.with_worker else None
    print(f"serving Confide on http://{args.host}:{args.port}/ with {workers} process(es) of "
          f"{threads} threads (Ctrl-C stops)", flush=True)
    # Idle and half-open clients cost a socket, not a thread: waitress reads each request
    # whole before a worker thread sees it, holds up to `connections` at once and closes
    # one idle for `timeout` seconds. Production puts nginx in front (deploy/).
    options = dict(threads=threads, ident="confide", connection_limit=serve_args["connections"],
                   channel_timeout=serve_args["timeout"], cleanup_interval=max(1, min(30, serve_args["timeout"] // 2)),
                   asyncore_use_poll=True, backlog=backlog, **_proxy(serve_args["trusted_proxy"]))
    try:
        if workers == 1:
            from waitress import serve

            serve(application, sockets=[listener], **options)
        else:
            _serve_processes(application, listener, workers, options)
    finally:
        listener.close()
        if worker is not None:
            _stop_worker(worker)
    return 0


def _listen(host: str, port: int, backlog: int):
    """The listening socket every serving process accepts on, or a one-line reason."""
    import errno
    import socket

    from confide.core.errors import ConfideError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        listener = socket.create_server((host, port), family=family, backlog=backlog)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfideError(f"port {port} on {host} is in use (another server?); choose another with --port") from None
        if exc.errno == errno.EACCES:
            raise ConfideError(f"not allowed to listen on port {port} (ports below 1024 need privileges)") from None
        raise ConfideError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    listener.setblocking(False)
    return listener


SERVE_WORKERS_PER_CPU, DEFAULT_SERVE_WORKERS_MAX = 2, 8


def serve_workers(configured: int, engine: str) -> int:
    """How many serving processes: as configured (CONFIDE_SERVE_WORKERS), else on
    PostgreSQL two per CPU this process may run on, at most eight, and one on SQLite (one
    writer at a time anyway). A process's threads share one interpreter lock, so only
    processes use a second core; two per CPU keep a core busy while a process waits on
    the database (bench/scale_concurrency.py measured the shapes)."""
    if configured:
        return configured
    if "postgresql" not in engine:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(SERVE_WORKERS_PER_CPU * cpus, DEFAULT_SERVE_WORKERS_MAX))


def serve_threads(configured: int, workers: int) -> int:
    """Threads in each serving process: as configured (CONFIDE_SERVE_THREADS), else eight
    in a single process and two in each of several. More threads in a process contend
    for its interpreter lock (at concurrency 8 on two cores, 2 x 8 served fewer chart
    reads than 4 x 2); a second thread keeps a process answering while one request is
    slow (a sign-in's password hash). Each thread holds a database connection."""
    return configured or (8 if workers == 1 else 2)


def _serve_processes(application, listener, workers: int, options: dict) -> None:
    """`workers` forked processes, each waitress with its threads, accepting on one
    listening socket. A process that dies is replaced; SIGTERM or Ctrl-C stops them all,
    and one whose parent is killed outright stops itself."""
    import signal

    from django.db import connections

    connections.close_all()  # each process opens its own
    children: set[int] = set()
    stopping = False
    parent = os.getpid()
    stop_signals = {signal.SIGTERM, signal.SIGINT}

    def spawn() -> None:
        # A stop signal is held back from fork until the new pid is in `children`: one
        # arriving in between would otherwise leave a child its parent never stops.
        signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
        try:
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
            raise
        if pid:
            children.add(pid)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
            return
        code = 0
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)  # one held back now ends this process
            _exit_when_orphaned(parent)
            from waitress import serve

            serve(application, sockets=[listener], **options)
        except KeyboardInterrupt:
            pass
        except BaseException as exc:  # noqa: BLE001 - a child never runs its parent's cleanup
            print(f"serving process {os.getpid()} failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            code = 1
        finally:
            os._exit(code)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        for _ in range(workers):
            spawn()
        while children:
            pid, status = os.wait()
            children.discard(pid)
            if not stopping:
                print(f"serving process {pid} ended ({os.waitstatus_to_exitcode(status)}); starting another",
                      file=sys.stderr, flush=True)
                time.sleep(1)
                spawn()
    except (SystemExit, KeyboardInterrupt):
        stopping = True
    finally:
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in list(children):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _exit_when_orphaned(parent: int, interval: float = 1.0) -> None:
    """A serving process whose parent is gone (killed outright, so it could not stop its
    children) ends itself within `interval` seconds: an orphan would hold the listening
    port, and a restarted server could not bind it."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        print(f"serving process {os.getpid()}: its parent {parent} is gone; stopping", file=sys.stderr, flush=True)
        os._exit(0)

    threading.Thread(target=watch, name="confide-parent-watch", daemon=True).start()


def _start_worker():
    """`confide worker` beside the server, as its child: it stops when the server does
    (here, or on its own when it finds its parent gone after a kill -9)."""
    import signal
    import subprocess

    proc = subprocess.Popen([sys.executable, "-m", "confide.cli", "worker", "--parent-pid", str(os.getpid())])
    print(f"background worker started (pid {proc.pid})")

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)  # a terminated server runs its finally: the worker stops too
    return proc


def _stop_worker(proc) -> None:
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def cmd_worker(args) -> int:
    from confide.services.background import worker_run

    print("worker: running background tasks; the periodic one every minute (Ctrl-C stops)", flush=True)
    worker_run(parent_pid=args.parent_pid)
    return 0


def cmd_tasks(args) -> int:
    from confide.services.background import tasks_run_pending, tick

    if args.tasks_cmd == "tick":
        done = tick()
        r = done["reminders"]
        print(f"reminders: {r['sent']} sent, {r['refused']} refused, {r['failed']} failed; "
              f"sign-in records deleted: {done['sign_in']['counters']} counters, {done['sign_in']['sessions']} "
              f"expired sessions; {done['kept']['task_results']} finished task(s) and {done['kept']['documents']} "
              "prepared document(s) past their time deleted")
    else:
        print(f"ran {tasks_run_pending()} queued task(s)")
    return 0


def _proxy(address: str) -> dict:
    """Behind the reverse proxy at `address` (CONFIDE_TRUSTED_PROXY), believe its
    X-Forwarded-For (the address sign-in throttling counts) and X-Forwarded-Proto (https);
    from anyone else those headers are dropped."""
    if not address:
        return {}
    return {"trusted_proxy": address, "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}


def cmd_audit(args) -> int:
    from confide.core.audit import human_time
    from confide.services.audit import (
        audit_checkpoint,
        audit_count,
        audit_heads,
        audit_verify,
    )

    if args.audit_cmd == "head":
        for chain, head in sorted(audit_heads().items()):
            print(f"{chain} {head.seq}:{head.hash}")
        return 0
    if args.audit_cmd == "checkpoint":
        chains = audit_checkpoint()
        print(f"checkpoint written: the heads of {chains} chain(s)")
        return 0
    bar = _progress(audit_count(), "verifying")
    callback = None
    if bar:
        def callback(n: int) -> None:
            bar[0].update(bar[1], completed=n)
    try:
        report = audit_verify(progress=callback)
    finally:
        if bar:
            bar[0].stop()
    result, book = report.result, report.book
    if report.ok:
        against = (f"{book.read} checkpoint(s), the latest of {human_time(book.latest)}" if book.latest
                   else "no checkpoint yet")
        print(f"audit log intact: {result.count} entries in {len(result.chains)} chain(s), sealed, "
              f"matching their stored heads and {against}")
        if report.checkpointed:
            print("checkpoint written: the heads just verified")
        return 0
    problems = report.problems
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    print(f"audit log BROKEN: {problems[0]}{more}", file=sys.stderr)
    return 1


def cmd_keys(args) -> int:
    from confide.services.key_rotation import keys_rotate

    bar = _progress(None, "re-wrapping data keys")
    callback = None
    if bar:
        def callback(done: int, total: int) -> None:
            bar[0].update(bar[1], completed=done, total=total)
    try:
        result = keys_rotate(progress=callback)
    finally:
        if bar:
            bar[0].stop()
    print(f"rotated: {result.rewrapped} data keys now wrapped by {result.new_key_id}; "
          f"retired {len(result.retired)} old master key(s)")
    return 0


def cmd_backup(args) -> int:
    from confide.services.backup import backup_create

    result = backup_create(path=args.file)
    print(f"backup written: {result.path} ({result.bytes:,} bytes, {result.engine}, sha256 {result.sha256}); "
          "the master key is not in it: keep the key file apart from the backups")
    return 0


def cmd_restore(args) -> int:
    from confide.core.audit import human_time
    from confide.services.backup import backup_restore

    header = backup_restore(path=args.file)
    print(f"restored the backup made {human_time(header['made_at'])}; "
          "run `confide audit verify` and open a chart to check it")
    return 0


def cmd_client(args) -> int:
    from confide.services.shredding import client_shred

    if not args.yes:
        if not sys.stdin.isatty():
            print("confide: shredding cannot be undone; confirm with --yes", file=sys.stderr)
            return 1
        answer = input(f"Shred client {args.client_id}? Their record becomes unreadable forever. "
                       "Type 'shred' to go on: ")
        if answer.strip() != "shred":
            print("nothing shredded")
            return 1
    client_shred(client_id=args.client_id)
    print(f"shredded client {args.client_id}: the data key and search indexes are gone")
    return 0


def cmd_outbox(args) -> int:
    from confide.services.outbox import outbox_files, outbox_read, outbox_remove

    if args.outbox_cmd == "list":
        for path in outbox_files():
            print(path.name)
        return 0
    path = Path(args.file)
    if not path.is_absolute() and not path.exists():
        from confide.services.outbox import outbox_dir
        path = outbox_dir() / args.file
    sys.stdout.buffer.write(outbox_read(path))
    sys.stdout.flush()
    if args.outbox_cmd == "take":
        outbox_remove(path)
    return 0


def cmd_practice(args) -> int:
    import getpass

    from confide.services.practice.setup import practice_create

    password = os.environ.get("CONFIDE_ADMIN_PASSWORD", "")
    if not password:
        if not sys.stdin.isatty():
            print("confide: give the administrator's password in CONFIDE_ADMIN_PASSWORD or at a terminal",
                  file=sys.stderr)
            return 1
        password = getpass.getpass("The administrator's password (12 characters or more): ")
    created = practice_create(name=args.name, sender_name=args.sender_name, time_zone=args.time_zone,
                              state=args.state, admin_username=args.admin_username, admin_full_name=args.admin_name,
                              admin_email=args.admin_email, admin_password=password)
    print(f"created the practice {created.practice.name!r} ({created.practice.jurisdiction}, "
          f"{created.practice.timezone}); its administrator {created.admin.username!r} sets up a second factor "
          "at first sign-in")
    return 0


def cmd_signin(args) -> int:
    from confide.services.accounts import account_for_login
    from confide.services.sessions import sign_in_records_prune, sign_in_unlock

    if args.signin_cmd == "prune":
        gone = sign_in_records_prune()
        print(f"deleted {gone['counters']} failed-sign-in counter(s) older than the retention and "
              f"{gone['sessions']} expired session(s)")
        return 0

    user = account_for_login(args.username)
    if user is None:
        print(f"confide: no user {args.username!r}", file=sys.stderr)
        return 1
    waited = sign_in_unlock(actor=None, account=user)
    print(f"unlocked {args.username}: " + ("its failed sign-ins are forgotten" if waited else "it had no failures"))
    return 0


def cmd_token(args) -> int:
    from confide.services.accounts import account_for_login
    from confide.services.tokens import token_create, token_list, token_revoke

    user = account_for_login(args.username)
    if user is None:
        print(f"confide: no user {args.username!r}", file=sys.stderr)
        return 1
    if args.list:
        from confide.core.audit import human_time

        for row in token_list(user=user):
            state = "live" if row["live"] else ("revoked" if row["revoked_at"] else "expired")
            used = human_time(row["last_used_at"]) if row["last_used_at"] else "never"
            print(f"{row['id']:>6}  {state:<8} {row['name']:<20} issued {human_time(row['created_at'])}, "
                  f"expires {human_time(row['expires_at'])}, last used {used}")
        return 0
    if args.revoke is not None:
        done = token_revoke(user=user, token_id=args.revoke)
        print(f"token {args.revoke} " + ("revoked" if done else "was not live"))
        return 0
    print(token_create(user=user, otp=args.otp or "", name=args.name, days=args.days))
    return 0


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return f.read()


class _CliFailure(Exception):
    """A one-line failure of a sub-command that needs no database (its message is safe to print)."""


def _load_record(path: str | None) -> dict | None:
    import json

    if not path:
        return None
    try:
        data = json.loads(_read_bytes(path).decode("utf-8"))
    except FileNotFoundError:
        raise _CliFailure(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise _CliFailure(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _CliFailure(f"{path}: invalid JSON (line {exc.lineno})") from None
    except OSError as exc:
        raise _CliFailure(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    if isinstance(data, dict) and isinstance(data.get("record"), dict):
        data = data["record"]
    if not isinstance(data, dict):
        raise _CliFailure(f"{path}: a record must be a JSON object")
    return data


def _case_secret(path: str | None) -> bytes | None:
    if not path:
        return None
    try:
        secret = _read_bytes(path).strip()
    except OSError:
        raise _CliFailure(f"cannot read the case secret file {path}") from None
    if len(secret) < 16:
        raise _CliFailure("a case secret needs at least 16 bytes")
    return secret


def _span_dicts(spans) -> list[dict]:
    return [{"start": s.start, "end": s.end, "type": s.type} for s in spans]


def cmd_deid(args) -> int:
    """De-identify a note (or, with --format jsonl, many). Needs no database and no master key."""
    import json

    from confide.core.deid import Engine, deidentify

    try:
        record = _load_record(args.record)
        secret = _case_secret(args.case_secret_file)
        try:
            raw = _read_bytes(args.file)
        except FileNotFoundError:
            raise _CliFailure(f"no such file: {args.file}") from None
        except IsADirectoryError:
            raise _CliFailure(f"{args.file} is a directory") from None
        except OSError as exc:
            raise _CliFailure(f"{args.file}: cannot read ({exc.strerror or type(exc).__name__})") from None
    except _CliFailure as exc:
        print(f"confide: {exc}", file=sys.stderr)
        return 1
    mode = "surrogates" if args.surrogates else "redact"
    engine = Engine(policy=args.policy)
    if args.format == "jsonl":
        return _deid_jsonl(raw, engine, record)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"confide: {args.file}: not UTF-8 text (byte {exc.start})", file=sys.stderr)
        return 1
    result = deidentify(text, record, mode=mode, case_secret=secret, engine=engine)
    if args.format == "json":
        print(json.dumps({"text": result.text, "spans": _span_dicts(result.spans)}, ensure_ascii=False))
    else:
        sys.stdout.write(result.text if result.text.endswith("\n") or not result.text else result.text + "\n")
    return 0


def _deid_jsonl(raw: bytes, engine, default_record: dict | None) -> int:
    """One JSON object per line in, {"id", "spans"} per line out; a bad line is reported and skipped.
    A line's own "policy" comes before --policy."""
    import json

    from confide.core.deid import Engine
    from confide.core.deid.engine import POLICIES

    engines = {engine.policy: engine}
    failures = 0
    out = sys.stdout
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        problem = None
        try:
            item = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            problem = "not UTF-8 text"
        except json.JSONDecodeError as exc:
            problem = f"invalid JSON (column {exc.colno})"
        else:
            if not isinstance(item, dict):
                problem = "not a JSON object"
            elif not isinstance(item.get("text"), str):
                problem = "missing \"text\" (a string)"
            elif item.get("record") is not None and not isinstance(item.get("record"), dict):
                problem = "\"record\" must be an object"
            elif item.get("policy") is not None and item.get("policy") not in POLICIES:
                problem = f"\"policy\" must be one of {', '.join(POLICIES)}"
        if problem:
            failures += 1
            print(f"confide: line {number}: {problem}", file=sys.stderr)
            continue
        record = item.get("record") if item.get("record") is not None else default_record
        policy = item.get("policy") or engine.policy
        if policy not in engines:
            engines[policy] = Engine(policy=policy)
        spans = engines[policy].analyze(item["text"], record)
        out.write(json.dumps({"id": item.get("id"), "spans": _span_dicts(spans)}, ensure_ascii=False) + "\n")
    out.flush()
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="confide", description="Confide, the confidential record system.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("migrate", help="create or update the database schema").set_defaults(func=cmd_migrate)
    distribute = sub.add_parser("distribute", help="make the database's keys include the practice (PostgreSQL) and, "
                                "with the citus extension, distribute the tables on it")
    distribute.add_argument("--dry-run", action="store_true", help="print the SQL, change nothing")
    distribute.set_defaults(func=cmd_distribute)
    demo = sub.add_parser("demo", help="create the demo practice and print its logins")
    demo.add_argument("--if-empty", action="store_true", help="do nothing if the demo practice exists")
    demo.add_argument("--clients", type=int, default=None, metavar="N",
                      help="grow the demo practice to N clients with charts (bulk: encrypted, sealed, audited per batch)")
    demo.set_defaults(func=cmd_demo)
    serve = sub.add_parser("serve", help="serve the web app and API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    serve.add_argument("--with-worker", action="store_true",
                       help="also run the background worker (`confide worker`), stopped with the server")
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="run background tasks (reminders, documents) and the periodic one "
                            "every minute")
    worker.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    worker.set_defaults(func=cmd_worker)
    tasks = sub.add_parser("tasks", help="background tasks without a worker")
    tasks_sub = tasks.add_subparsers(dest="tasks_cmd", required=True)
    tasks_sub.add_parser("tick", help="do the minute's periodic work once (reminders due, sign-in records "
                         "past retention); for cron when no worker runs")
    tasks_sub.add_parser("run", help="run the queued tasks now and return")
    tasks.set_defaults(func=cmd_tasks)
    otp = sub.add_parser("otp", help="print a demo user's current one-time code")
    otp.add_argument("username")
    otp.set_defaults(func=cmd_otp)
    practice = sub.add_parser("practice", help="set up a practice without the demo")
    practice_sub = practice.add_subparsers(dest="practice_cmd", required=True)
    create = practice_sub.add_parser("create", help="create a practice and its first administrator "
                                     "(password from CONFIDE_ADMIN_PASSWORD or asked for)")
    create.add_argument("--name", required=True, help="the practice's name")
    create.add_argument("--sender-name", required=True, help="the neutral name messages come from")
    create.add_argument("--time-zone", default="America/Los_Angeles", help="an IANA time zone")
    create.add_argument("--state", required=True, help="the state whose law applies, e.g. US-WA")
    create.add_argument("--admin-username", required=True)
    create.add_argument("--admin-name", required=True, help="the administrator's full name")
    create.add_argument("--admin-email", required=True)
    practice.set_defaults(func=cmd_practice)
    token = sub.add_parser("token", help="issue (after the second factor), list or revoke a user's API tokens")
    token.add_argument("username")
    token.add_argument("--name", default="cli")
    token.add_argument("--otp", metavar="CODE", help="the account's current one-time code (staff need it)")
    token.add_argument("--days", type=int, help="lifetime in days (default CONFIDE_TOKEN_DAYS, 30)")
    token.add_argument("--list", action="store_true", help="list the user's tokens instead")
    token.add_argument("--revoke", type=int, metavar="ID", help="revoke the user's token ID instead")
    token.set_defaults(func=cmd_token)
    signin = sub.add_parser("signin", help="sign-in throttling")
    signin_sub = signin.add_subparsers(dest="signin_cmd", required=True)
    unlock = signin_sub.add_parser("unlock", help="end the wait failed sign-ins put on an account")
    unlock.add_argument("username")
    signin_sub.add_parser("prune", help="delete failed-sign-in counters past CONFIDE_SIGN_IN_LOG_DAYS and expired "
                          "sessions (the worker does it every minute)")
    signin.set_defaults(func=cmd_signin)
    audit = sub.add_parser("audit", help="the tamper-evident audit log")
    audit_sub = audit.add_subparsers(dest="audit_cmd", required=True)
    audit_sub.add_parser("verify", help="check every chain's hashes and seals against its head and the checkpoints")
    audit_sub.add_parser("checkpoint", help="write a sealed checkpoint of the chains' heads outside the database")
    audit_sub.add_parser("head", help="print each chain's last sequence number and hash")
    audit.set_defaults(func=cmd_audit)
    keys = sub.add_parser("keys", help="master key management")
    keys_sub = keys.add_subparsers(dest="keys_cmd", required=True)
    keys_sub.add_parser("rotate", help="re-wrap every data key under a new master key")
    keys.set_defaults(func=cmd_keys)
    backup = sub.add_parser("backup", help="write an encrypted archive of the database (the service keeps running)")
    backup.add_argument("file", metavar="FILE", help="where to write it (a new file)")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore an archive into an empty database")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=cmd_restore)
    client = sub.add_parser("client", help="operator actions on one client")
    client_sub = client.add_subparsers(dest="client_cmd", required=True)
    shred = client_sub.add_parser("shred", help="crypto-shred a client: delete their data key (irreversible)")
    shred.add_argument("client_id", metavar="CLIENT_ID")
    shred.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    client.set_defaults(func=cmd_client)
    outbox = sub.add_parser("outbox", help="the sealed outbox of the file message backend")
    outbox_sub = outbox.add_subparsers(dest="outbox_cmd", required=True)
    outbox_sub.add_parser("list", help="list the files waiting in the outbox")
    for name, text in (("show", "print one file's message"), ("take", "print one file's message and delete it "
                                                                      "(it has been delivered)")):
        one = outbox_sub.add_parser(name, help=text)
        one.add_argument("file", metavar="FILE", help="a file name in the outbox, or a path")
    outbox.set_defaults(func=cmd_outbox)
    deid = sub.add_parser("deid", help="de-identify a note for consultation (no database needed)")
    deid.add_argument("file", nargs="?", default="-", metavar="FILE", help="the note (or JSON lines); '-' reads stdin")
    deid.add_argument("--record", metavar="CHART.json", help="the client's chart: what it knows is always removed")
    how = deid.add_mutually_exclusive_group()
    how.add_argument("--redact", action="store_true", help="replace identifiers by [NAME], [DATE], ... (default)")
    how.add_argument("--surrogates", action="store_true", help="replace identifiers by consistent invented values")
    deid.add_argument("--case-secret-file", metavar="PATH",
                      help="a secret for the case, so surrogates stay the same across runs")
    deid.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                      help="text: the de-identified note; json: text and spans; "
                           "jsonl: {id, text, record?, policy?} lines in, {id, spans} lines out")
    deid.add_argument("--policy", choices=("disguise", "safe_harbor"), default="disguise",
                      help="disguise (default, therapy consultation): every age and every place tied to a person; "
                           "safe_harbor (45 CFR 164.514(b)(2), clinical and research text): keeps ages under 90, "
                           "states and countries")
    deid.set_defaults(func=cmd_deid, needs_django=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "needs_django", True):
            _setup()
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line, never a traceback, never client data
        if os.environ.get("CONFIDE_DEBUG") == "1":
            raise
        from confide.core.errors import ConfideError

        message = str(exc) if isinstance(exc, ConfideError) else _describe(exc)
        print(f"confide: {message}", file=sys.stderr)
        return 1


def _describe(exc: Exception) -> str:
    from confide.config.env import ConfigError

    if isinstance(exc, ConfigError):
        return str(exc)
    try:
        from django.db import OperationalError, ProgrammingError

        if isinstance(exc, (OperationalError, ProgrammingError)):
            return "database unavailable or not migrated (run `confide migrate`)"
    except Exception:  # noqa: BLE001 - django itself failed to import
        pass
    return f"failed ({type(exc).__name__})"


if __name__ == "__main__":
    sys.exit(main())
