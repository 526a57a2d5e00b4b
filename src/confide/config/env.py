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
    message_backend: str
    outbox_dir: Path
    email: dict
    audit_checkpoint_dir: Path
    audit_checkpoint_seconds: int
    audit_syslog: tuple[str, ...]
    https: bool
    hsts_seconds: int
    proxy_ssl_header: tuple[str, str] | None
    csrf_trusted_origins: tuple[str, ...]
    session_max_hours: int
    token_days: int
    sign_in_log_days: int
    serve_connections: int
    serve_timeout_seconds: int
    serve_threads: int  # 0: eight in a single serving process, two in each of several
    serve_workers: int  # 0: two per CPU (at most 8) on PostgreSQL, one on SQLite
    trusted_proxy: str


def _sqlite(path: str) -> dict:
    # Writers take the database's one write lock when their transaction begins
    # (IMMEDIATE) and wait for it up to the busy timeout rather than fail at once: a
    # request behind a slow one (a PDF render) waits its turn.
    busy = _int("CONFIDE_SQLITE_BUSY_SECONDS", 30)
    if busy < 1:
        raise ConfigError("CONFIDE_SQLITE_BUSY_SECONDS: at least 1")
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": path,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;",
                        "timeout": busy}}


def _database(url: str, var_dir: Path) -> dict:
    if not url:
        return _sqlite(str(var_dir / "confide.sqlite3"))
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "confide.config.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "confide",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "TEST": {"NAME": f"test_{unquote(parsed.path.lstrip('/')) or 'confide'}"},
            # A request reuses its thread's connection instead of opening one (a new
            # PostgreSQL connection cost more than the whole of a small request).
            "CONN_MAX_AGE": _nonnegative("CONFIDE_DB_CONN_MAX_AGE", 300),
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else parsed.path
        return _sqlite(path)
    raise ConfigError(f"CONFIDE_DATABASE_URL: unsupported scheme {parsed.scheme!r} (use sqlite:/// or postgresql://)")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number") from None


def _nonnegative(name: str, default: int) -> int:
    value = _int(name, default)
    if value < 0:
        raise ConfigError(f"{name}: expected 0 or more")
    return value


# How reminders leave (DESIGN.md promise 10): "file" writes every outgoing message to
# the outbox directory (the default: nothing leaves the machine); "smtp" sends email
# through Django's email settings below (voicemail scripts, texts and letters still go
# to the outbox, for a person or a gateway to take from there).
MESSAGE_BACKENDS = ("file", "smtp")


def _message_backend() -> str:
    value = os.environ.get("CONFIDE_MESSAGE_BACKEND", "") or "file"
    if value not in MESSAGE_BACKENDS:
        raise ConfigError(f"CONFIDE_MESSAGE_BACKEND: expected one of {', '.join(MESSAGE_BACKENDS)}")
    return value


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "")
    if raw not in ("", "0", "1"):
        raise ConfigError(f"{name}: expected 0 or 1")
    return raw == "1"


def _email() -> dict:
    """Django's email settings (used when CONFIDE_MESSAGE_BACKEND=smtp). Safe defaults:
    a local relay, no credentials, a neutral sender address."""
    use_tls, use_ssl = _flag("CONFIDE_EMAIL_USE_TLS"), _flag("CONFIDE_EMAIL_USE_SSL")
    if use_tls and use_ssl:
        raise ConfigError("CONFIDE_EMAIL_USE_TLS and CONFIDE_EMAIL_USE_SSL: choose one")
    sender = os.environ.get("CONFIDE_EMAIL_FROM", "") or "appointments@localhost"
    if "@" not in sender or any(c in sender for c in "<>\r\n\"") or len(sender) > 254:
        raise ConfigError("CONFIDE_EMAIL_FROM: expected a plain address such as appointments@example.org")
    return {
        "EMAIL_HOST": os.environ.get("CONFIDE_EMAIL_HOST", "") or "localhost",
        "EMAIL_PORT": _int("CONFIDE_EMAIL_PORT", 25),
        "EMAIL_HOST_USER": os.environ.get("CONFIDE_EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("CONFIDE_EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": _int("CONFIDE_EMAIL_TIMEOUT", 10),
        "DEFAULT_FROM_EMAIL": sender,
    }


def _syslog() -> tuple[str, ...]:
    """Where checkpoints also go by syslog: () for nowhere, ("unix", path) for a local
    socket such as /dev/log, ("udp" | "tcp", host, port) for a remote collector."""
    raw = os.environ.get("CONFIDE_AUDIT_SYSLOG", "")
    if not raw:
        return ()
    if raw.startswith("/"):
        return ("unix", raw)
    parsed = urlparse(raw)
    try:
        port = parsed.port
    except ValueError:
        port = None
    if parsed.scheme not in ("udp", "tcp") or not parsed.hostname or not port:
        raise ConfigError("CONFIDE_AUDIT_SYSLOG: a socket path (/dev/log) or udp://host:port or tcp://host:port")
    return (parsed.scheme, parsed.hostname, str(port))


def _positive(name: str, default: int) -> int:
    value = _int(name, default)
    if value < 1:
        raise ConfigError(f"{name}: expected 1 or more")
    return value


def _proxy_header() -> tuple[str, str] | None:
    """The header a TLS-terminating proxy sets to say the request came over https
    (`X-Forwarded-Proto`); Django reads it only when this names it."""
    raw = os.environ.get("CONFIDE_PROXY_SSL_HEADER", "").strip()
    if not raw:
        return None
    if not all(c.isalnum() or c == "-" for c in raw):
        raise ConfigError("CONFIDE_PROXY_SSL_HEADER: a header name such as X-Forwarded-Proto")
    return ("HTTP_" + raw.upper().replace("-", "_"), "https")


def _origins() -> tuple[str, ...]:
    out = []
    for origin in os.environ.get("CONFIDE_CSRF_TRUSTED_ORIGINS", "").split(","):
        origin = origin.strip()
        if not origin:
            continue
        parsed = urlparse(origin)
        if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.path not in ("", "/"):
            raise ConfigError("CONFIDE_CSRF_TRUSTED_ORIGINS: comma-separated origins such as https://confide.example.org")
        out.append(origin.rstrip("/"))
    return tuple(out)


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
        message_backend=_message_backend(),
        outbox_dir=Path(os.environ.get("CONFIDE_MESSAGE_OUTBOX_DIR") or var_dir / "outbox"),
        email=_email(),
        audit_checkpoint_dir=Path(os.environ.get("CONFIDE_AUDIT_CHECKPOINT_DIR") or var_dir / "audit-checkpoints"),
        audit_checkpoint_seconds=_nonnegative("CONFIDE_AUDIT_CHECKPOINT_SECONDS", 60),
        audit_syslog=_syslog(),
        https=_flag("CONFIDE_HTTPS"),
        hsts_seconds=_nonnegative("CONFIDE_HSTS_SECONDS", 31_536_000),
        proxy_ssl_header=_proxy_header(),
        csrf_trusted_origins=_origins(),
        session_max_hours=_positive("CONFIDE_SESSION_MAX_HOURS", 12),
        token_days=_positive("CONFIDE_TOKEN_DAYS", 30),
        sign_in_log_days=_positive("CONFIDE_SIGN_IN_LOG_DAYS", 30),
        serve_connections=_positive("CONFIDE_SERVE_CONNECTIONS", 1000),
        serve_timeout_seconds=_positive("CONFIDE_SERVE_TIMEOUT_SECONDS", 30),
        serve_threads=_nonnegative("CONFIDE_SERVE_THREADS", 0),
        serve_workers=_nonnegative("CONFIDE_SERVE_WORKERS", 0),
        trusted_proxy=os.environ.get("CONFIDE_TRUSTED_PROXY", "").strip(),
    )


def owner_only(env: Env) -> None:
    """Every file Confide writes is readable by its owner only: the process umask is
    077 from start-up on, and what an older version (or another umask) left under the
    var dir is made so too (the SQLite file and its journal, keys, outbox, checkpoints).
    The SQLite file named elsewhere by CONFIDE_DATABASE_URL gets the same."""
    os.umask(0o077)
    paths = [env.var_dir]
    name = env.database.get("NAME", "")
    if env.database.get("ENGINE", "").endswith("sqlite3") and name and name != ":memory:":
        db = Path(name)
        paths += [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")]
    env.var_dir.mkdir(parents=True, exist_ok=True)
    for path in paths:
        _owner_only(path)
    for root, dirs, files in os.walk(env.var_dir):
        for name in dirs + files:
            _owner_only(Path(root) / name)


def _owner_only(path: Path) -> None:
    try:
        st = path.lstat()
    except OSError:
        return
    import stat

    if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid():
        return
    wanted = 0o700 if stat.S_ISDIR(st.st_mode) else 0o600
    if stat.S_IMODE(st.st_mode) & 0o077:
        try:
            os.chmod(path, stat.S_IMODE(st.st_mode) & wanted)
        except OSError:
            pass


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
