"""Whole Confide instances for end-to-end tests: a var dir (master key, checkpoints),
a database of the engine the test run uses (a SQLite file, or a new database on the
PostgreSQL server CONFIDE_DATABASE_URL names), and the real `confide` command.

What these tests check happens to committed data, outside the test run's own
transaction: backups, restores, concurrent requests, and attacks with nothing but the
database driver and hashlib."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

SRC = Path(__file__).resolve().parents[1] / "src"


def postgres_url() -> str | None:
    url = os.environ.get("CONFIDE_DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def engine() -> str:
    return "postgresql" if postgres_url() else "sqlite"


def _admin() -> dict:
    parsed = urlparse(postgres_url())
    return dict(host=parsed.hostname or "", port=parsed.port or 5432, user=unquote(parsed.username or ""),
                password=unquote(parsed.password or ""), dbname="postgres", autocommit=True)


def new_postgres_database() -> tuple[str, str]:
    """A new, empty database on the test run's PostgreSQL server: (name, url)."""
    name = f"confide_e2e_{uuid.uuid4().hex[:12]}"
    _pg(f'CREATE DATABASE "{name}"')
    parsed = urlparse(postgres_url())
    return name, f"{parsed.scheme}://{parsed.netloc}/{name}"


def drop_postgres_database(name: str) -> None:
    _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(**_admin()) as conn:
        conn.execute(sql)


def _comparable(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, (list, dict)):  # jsonb, as psycopg reads it
        return json.dumps(value, sort_keys=True)
    return value


@dataclass
class Instance:
    var: Path
    database_url: str | None  # None: SQLite in var/confide.sqlite3
    db_name: str | None = None  # the PostgreSQL database, when there is one

    # -- building ------------------------------------------------------------------------

    @classmethod
    def empty(cls, var: Path) -> Instance:
        """A new instance with an empty database (nothing migrated)."""
        var.mkdir(parents=True, exist_ok=True)
        if not postgres_url():
            return cls(var, None)
        name, url = new_postgres_database()
        return cls(var, url, name)

    @classmethod
    def demo(cls, var: Path) -> Instance:
        inst = cls.empty(var)
        inst.confide("migrate")
        assert "created the demo practice" in inst.confide("demo").stdout
        return inst

    def copy(self, var: Path) -> Instance:
        """Another instance with the same files (key, checkpoints) and a copy of the database."""
        shutil.copytree(self.var, var)
        if self.db_name is None:
            return Instance(var, None)
        name = f"confide_e2e_{uuid.uuid4().hex[:12]}"
        _pg(f'CREATE DATABASE "{name}" TEMPLATE "{self.db_name}"')
        parsed = urlparse(postgres_url())
        return Instance(var, f"{parsed.scheme}://{parsed.netloc}/{name}", name)

    def drop(self) -> None:
        if self.db_name is not None:
            drop_postgres_database(self.db_name)

    # -- running ------------------------------------------------------------------------

    def env(self, **extra: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_") and k != "DJANGO_SETTINGS_MODULE"}
        env.update(CONFIDE_VAR_DIR=str(self.var), CONFIDE_REQUIRE_OTP="0",
                   PYTHONPATH=os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]))
        if self.database_url:
            env["CONFIDE_DATABASE_URL"] = self.database_url
        env.update(extra)
        return env

    def confide(self, *args: str, check: bool = True, env: dict | None = None,
                timeout: int = 600) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "confide.cli", *args], env={**self.env(), **(env or {})},
                              capture_output=True, text=True, timeout=timeout)
        if check:
            assert proc.returncode == 0, f"confide {' '.join(args)} failed: {proc.stderr[-2000:]}"
        return proc

    def python(self, code: str, timeout: int = 600) -> str:
        """Run Python with Django set up against this instance; returns its stdout."""
        prelude = "import django, os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'confide.config.settings'\ndjango.setup()\n"
        proc = subprocess.run([sys.executable, "-c", prelude + code], env=self.env(), capture_output=True, text=True,
                              timeout=timeout)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc.stdout

    # -- the database, raw --------------------------------------------------------------

    def connect(self):
        """A raw DB-API connection (sqlite3 or psycopg), autocommit off: what an attacker holds."""
        if self.db_name is None:
            return sqlite3.connect(self.var / "confide.sqlite3")
        import psycopg

        return psycopg.connect(**{**_admin(), "dbname": self.db_name, "autocommit": False})

    @property
    def mark(self) -> str:
        """The driver's parameter mark."""
        return "?" if self.db_name is None else "%s"

    def tables(self) -> dict[str, list[tuple]]:
        """Every row of every table, sorted: for comparing two instances."""
        conn = self.connect()
        try:
            cur = conn.cursor()
            if self.db_name is None:
                cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            else:
                cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                            "AND table_type = 'BASE TABLE'")
            names = sorted(r[0] for r in cur.fetchall())
            out = {}
            for name in names:
                cur.execute(f'SELECT * FROM "{name}"')
                out[name] = sorted((tuple(_comparable(v) for v in row) for row in cur.fetchall()), key=repr)
            return out
        finally:
            conn.close()
