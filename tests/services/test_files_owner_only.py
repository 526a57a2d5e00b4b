"""Every file Confide writes is its owner's alone: the umask is 077 from start-up, and
what an older version left readable under var/ is made owner-only when Confide starts."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from confide.config import env


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_start_up_makes_var_and_the_database_owner_only(tmp_path, monkeypatch):
    var = tmp_path / "var"
    (var / "outbox").mkdir(parents=True)
    (var / "confide.sqlite3").write_bytes(b"")
    (var / "confide.sqlite3-wal").write_bytes(b"")
    (var / "outbox" / "old-message.txt").write_text("left by an older version")
    for path in (var, var / "outbox"):
        path.chmod(0o755)
    for path in (var / "confide.sqlite3", var / "confide.sqlite3-wal", var / "outbox" / "old-message.txt"):
        path.chmod(0o644)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    environ.update(CONFIDE_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="confide.config.settings")
    # A new process, as at start-up: settings run the hardening, then a file is written.
    script = ("import django, os; django.setup(); open(os.environ['CONFIDE_VAR_DIR'] + '/new.txt', 'w').write('x');"
              "print(oct(os.umask(0)))")
    out = subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0o77"
    assert _mode(var) == 0o700 and _mode(var / "outbox") == 0o700
    for name in ("confide.sqlite3", "confide.sqlite3-wal", "outbox/old-message.txt", "new.txt",
                 "django-secret.key"):
        assert _mode(var / name) == 0o600, name


def test_owner_only_leaves_symlinks_alone(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("not ours to change")
    target.chmod(0o644)
    var = tmp_path / "var"
    var.mkdir()
    (var / "link").symlink_to(target)
    saved = os.umask(0o022)
    try:
        env.owner_only(env.Env(**{**env.load().__dict__, "var_dir": var, "database": {}}))
    finally:
        os.umask(saved)
    assert _mode(target) == 0o644 and _mode(var) == 0o700
