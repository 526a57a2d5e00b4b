"""Shared by the benchmarks that need Django: a private var dir and database, set up
before Django is, and torn down after."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_with_django(database_url: str | None, run: Callable[[], int], *, var_dir: str | None = None) -> int:
    """Set up Django on a fresh var dir (and SQLite there, or the given PostgreSQL
    database, which must be empty), migrate, call `run`, then clean up. `var_dir`: a
    var dir to use and keep instead (its master key is the one a database grown by an
    earlier run was sealed under, so a later run can measure that database again)."""
    var = Path(var_dir) if var_dir else Path(tempfile.mkdtemp(prefix="confide-bench-"))
    var.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in [k for k in os.environ if k.startswith("CONFIDE_")]:
        del os.environ[name]
    os.environ.update(CONFIDE_VAR_DIR=str(var), CONFIDE_REQUIRE_OTP="0", DJANGO_SETTINGS_MODULE="confide.config.settings")
    if database_url:
        os.environ["CONFIDE_DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    logging.getLogger("confide").setLevel(logging.ERROR)  # the "created master key" warning
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", interactive=False, verbosity=0)
        return run()
    finally:
        connection.close()
        if not var_dir:
            shutil.rmtree(var, ignore_errors=True)


def database_url_argument(parser) -> None:
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
