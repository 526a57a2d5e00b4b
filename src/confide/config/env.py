"""The only reader of environment variables and secrets.

Everything configurable comes through `load()`; nothing else in the code base reads
`os.environ`. A missing mandatory secret stops start-up with one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[3]


class ConfigError(Exception):
    """A configuration fault; its message is one line and safe to print."""


@dataclass(frozen=True)
class Env:
    database: dict
    master_key_file: Path
    var_dir: Path
    secret_key_file: Path
    debug: bool
    allowed_hosts: tuple[str, ...]
    rules_dir: Path
    break_glass_minutes: int
    idle_session_minutes: int
    require_otp: bool
    max_body_bytes: int


def _database(url: str, var_dir: Path) -> dict:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(var_dir / "confide.sqlite3"),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}}
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "confide",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "TEST": {"NAME": f"test_{unquote(parsed.path.lstrip('/')) or 'confide'}"},
        }
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else parsed.path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path,
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}}
    raise ConfigError(f"CONFIDE_DATABASE_URL: unsupported scheme {parsed.scheme!r} (use sqlite:/// or postgresql://)")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number") from None


def load() -> Env:
    """Read the environment once; raise ConfigError with a one-line message on a fault."""
    var_dir = Path(os.environ.get("CONFIDE_VAR_DIR") or ROOT / "var")
    return Env(
        database=_database(os.environ.get("CONFIDE_DATABASE_URL", ""), var_dir),
        master_key_file=Path(os.environ.get("CONFIDE_MASTER_KEY_FILE") or var_dir / "master.key"),
        var_dir=var_dir,
        secret_key_file=Path(os.environ.get("CONFIDE_SECRET_KEY_FILE") or var_dir / "django-secret.key"),
        debug=os.environ.get("CONFIDE_DEBUG", "") == "1",
        allowed_hosts=tuple(h for h in os.environ.get("CONFIDE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h),
        rules_dir=Path(os.environ.get("CONFIDE_RULES_DIR") or ROOT / "rules"),
        break_glass_minutes=_int("CONFIDE_BREAK_GLASS_MINUTES", 60),
        idle_session_minutes=_int("CONFIDE_IDLE_SESSION_MINUTES", 15),
        require_otp=os.environ.get("CONFIDE_REQUIRE_OTP", "1") != "0",
        max_body_bytes=_int("CONFIDE_MAX_BODY_BYTES", 1_000_000),
    )


def secret_key(env: Env) -> str:
    """Django's signing key: read from its file, created (0600) on first use."""
    path = env.secret_key_file
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
