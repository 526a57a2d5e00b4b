"""Browser journeys: Debian's Chromium driven by pytest-playwright (never a downloaded
browser) against a real server.

The server is `confide serve` (waitress), started once per test session (per xdist
worker) in its own process over its own database: a SQLite file in its own var dir, or,
when CONFIDE_DATABASE_URL names PostgreSQL, a database of its own beside the test
database. It is migrated and given the demo practice, plus a session today for each
clinician, before it starts. The journeys touch it only as a person would (a browser)
or as an operator would (the `confide` command, e.g. `confide otp`), so nothing is shared
with pytest-django's per-test transactions, and the session demo of the other tests is
never flushed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from confide.services.demo.data import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CONFIDE = Path(sys.executable).with_name("confide")

# Run in the server's environment before it starts: a session today, in the practice's
# time zone, for each clinician's first client.
TODAY_SESSIONS = """
import django; django.setup()
from datetime import time
from confide.apps.practice.models import User
from confide.apps.records.models import CareTeamMember
from confide.services import scheduling
from confide.services.practice_time import local_to_utc, local_today
for username, hour in (("marsh", 11), ("okafor", 15)):
    user = User.objects.get(username=username)
    member = CareTeamMember.objects.filter(staff=user).order_by("created_at").first()
    starts = local_to_utc(user.practice_id, local_today(user.practice_id), time(hour, 0))
    scheduling.appointment_create(user=user, client_id=member.client_id, clinician_id=user.pk, starts_at=starts,
                                  room="Room 2")
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres(url: str, worker: str, *, create: bool) -> str:
    """The PostgreSQL URL of the e2e server's own database for this worker, made fresh
    (create) or dropped."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'confide'}_e2e_{worker}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


class E2EServer:
    def __init__(self, base_url: str, env: dict, var_dir: Path):
        self.base_url, self.env, self.var_dir = base_url, env, var_dir
        self._codes_used: dict[str, str] = {}

    def confide(self, *args: str) -> str:
        """Run the `confide` command against the server's database; its stdout."""
        done = subprocess.run([str(CONFIDE), *args], env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def otp(self, username: str) -> str:
        """The account's current one-time code. An authenticator refuses a code it has
        already accepted (replay), so when an earlier journey on this server signed the
        same person in with the code still showing, wait for the next one, as a person
        would."""
        code = self.confide("otp", username).strip().split()[-1]
        deadline = time.monotonic() + 45
        while code == self._codes_used.get(username) and time.monotonic() < deadline:
            time.sleep(1)
            code = self.confide("otp", username).strip().split()[-1]
        self._codes_used[username] = code
        return code


@contextlib.contextmanager
def served_confide(var_dir: Path, worker: str, *, demo: bool, probe: str, extra_env: dict | None = None,
                   port: int | None = None):
    """`confide serve` over a database of its own (SQLite in var_dir, or a fresh PostgreSQL
    database named for the worker when the run uses PostgreSQL), migrated and, with
    `demo`, holding the demo practice; yields the E2EServer once `probe` answers (any
    HTTP answer: a server that allows only its public host name refuses the probe's), and
    stops the server and drops its database afterwards. `extra_env` (e.g. a production
    environment file) is laid over the server's environment; `port` fixes its port."""
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update({"CONFIDE_VAR_DIR": str(var_dir), "CONFIDE_MESSAGE_OUTBOX_DIR": str(var_dir / "outbox"),
                "DJANGO_SETTINGS_MODULE": "confide.config.settings"})
    env.pop("CONFIDE_MASTER_KEY_FILE", None)
    url = os.environ.get("CONFIDE_DATABASE_URL", "")
    if url.startswith("postgres"):
        env["CONFIDE_DATABASE_URL"] = _postgres(url, worker, create=True)
    else:
        env.pop("CONFIDE_DATABASE_URL", None)
    env.update(extra_env or {})
    stages = {}
    commands = [("migrate", [str(CONFIDE), "migrate"])]
    if demo:
        commands += [("demo", [str(CONFIDE), "demo"]), ("today", [sys.executable, "-c", TODAY_SESSIONS])]
    for name, command in commands:
        at = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        stages[name] = time.monotonic() - at
    port = port or _free_port()
    log = open(var_dir / "server.log", "w")
    proc = subprocess.Popen([str(CONFIDE), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        # A loaded machine (two cores, several test runs) can take well over 20 s to
        # start serving: wait by the clock, and fail loudly rather than let the first
        # journey meet a refused connection.
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base_url}{probe}", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"confide serve exited: {(var_dir / 'server.log').read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"confide serve did not answer {probe} within 120 s")
                time.sleep(0.2)
        server = E2EServer(base_url, env, var_dir)
        server.startup_seconds = time.monotonic() - started
        print(f"\ne2e server ready in {server.startup_seconds:.1f} s at {base_url} ("
              + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()) + ")")
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if url.startswith("postgres"):
            _postgres(url, worker, create=False)


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory):
    """The running demo server; its start-up cost (migrate, demo, serve) is paid once per worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with served_confide(tmp_path_factory.mktemp("e2e-var"), worker, demo=True, probe="/login/") as server:
        yield server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# pytest-playwright keeps Playwright (and the event loop of its sync API) for the whole
# session. A Django test that runs after a journey in the same process would then meet
# that loop and refuse to touch the database (SynchronousOnlyOperation). Here Playwright,
# and so the browser, live for the e2e package only: they stop when the worker leaves it.
@pytest.fixture(scope="package")
def playwright(_pw_api_request_contexts):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(pw)
    yield pw
    pw.stop()


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    return lambda **kwargs: browser_type.launch(**{**browser_type_launch_args, **kwargs})


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(playwright, base_url):
    return {"base_url": base_url}


@pytest.fixture(scope="session")
def base_url(e2e_server):
    return e2e_server.base_url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request, tmp_path_factory):
    """A full-page PNG of the page as it was when a journey failed (path in the report)."""
    yield
    report = getattr(request.node, "report_call", None)
    page = request.node.funcargs.get("page")
    if page is not None and report is not None and report.failed:
        out = tmp_path_factory.getbasetemp() / "e2e-failures"
        out.mkdir(exist_ok=True)
        path = out / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failure: {path}")


@pytest.fixture
def csp_errors(page):
    """Console errors about the Content-Security-Policy, collected while the test runs."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" and "Content Security Policy" in m.text
            else None)
    return seen


def sign_in(page, server: E2EServer, username: str, *, staff: bool = True) -> None:
    """Sign in through the form, as the person would: password, and for staff the
    current one-time code of their authenticator."""
    page.goto(f"{server.base_url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    if staff:
        page.get_by_label("One-time code").fill(server.otp(username))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, page.content()[:2000]


SERIOUS = ("serious", "critical")


def axe_check(page) -> None:
    """axe-core (bundled with axe-playwright-python; nothing is downloaded) on the page
    as it stands: fails on any serious or critical violation, naming each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert not bad, "\n".join(f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
                              f"{v['nodes'][0]['target'] if v['nodes'] else ''})" for v in bad)
