"""Backups that restore (45 CFR 164.308(a)(7)): `confide backup FILE`, `confide restore FILE`.

A backup is a consistent copy of the whole database, taken while the service runs
(SQLite's online backup API; pg_dump, which reads one snapshot), encrypted and
authenticated in 1 MiB chunks with AES-256-GCM under a key derived from the master key
ring. The master key is never in the archive: a stolen archive without the key file
reveals nothing, and restoring needs the key file that was in use when it was made
(the data keys inside are wrapped by it).

Archive layout: MAGIC, a 4-byte header length, the header (JSON: format, engine, when,
master key id, salt), then records of [4-byte length][nonce-less AES-GCM ciphertext].
Record i is encrypted under a key derived for this archive (HKDF with the archive's
salt), with nonce i and, as associated data, the header's hash, i, and whether it is
the last record; so no record can be altered, dropped, reordered or appended, and an
archive cut short is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from confide.core.audit import utc_now_iso
from confide.core.errors import (
    ConfideError,
    IntegrityError,
    InvalidInput,
    KeyUnavailable,
)
from confide.services.audit import audit_checkpoint, audit_record, audit_restored
from confide.services.keys import keyring

MAGIC = b"CONFIDE-BACKUP\n"
FORMAT = 1
BACKUP_KEY_PURPOSE = "confide backup v1"
CHUNK = 1 << 20
_LEN = struct.Struct(">I")


class BackupFailed(ConfideError):
    code = "backup_failed"
    default_message = "backup failed"


@dataclass(frozen=True)
class BackupResult:
    path: str
    bytes: int
    sha256: str
    engine: str


# -- the archive ------------------------------------------------------------------------

def _archive_key(key_id: str | None, salt: bytes) -> tuple[str, AESGCM]:
    """This archive's key: HKDF of the ring's backup key with the archive's own salt,
    so no two archives share a key (and nonces can simply count records)."""
    key_id, backup_key = keyring().derive(BACKUP_KEY_PURPOSE, key_id=key_id)
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"confide backup archive v1").derive(backup_key)
    return key_id, AESGCM(key)


def _aad(header_hash: bytes, index: int, final: bool) -> bytes:
    return header_hash + struct.pack(">Q?", index, final)


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def _write_archive(out, plain: Iterator[bytes], engine: str) -> None:
    salt = os.urandom(32)
    key_id, aead = _archive_key(None, salt)
    header = json.dumps({"format": FORMAT, "engine": engine, "made_at": utc_now_iso(), "key_id": key_id,
                         "salt": salt.hex(), "chunk": CHUNK}, sort_keys=True).encode("ascii")
    header_hash = hashlib.sha256(header).digest()
    out.write(MAGIC + _LEN.pack(len(header)) + header)
    index, pending = 0, b""
    for block in plain:
        pending += block
        while len(pending) > CHUNK:  # keep one back: the last record is marked final
            record, pending = pending[:CHUNK], pending[CHUNK:]
            sealed = aead.encrypt(_nonce(index), record, _aad(header_hash, index, False))
            out.write(_LEN.pack(len(sealed)) + sealed)
            index += 1
    sealed = aead.encrypt(_nonce(index), pending, _aad(header_hash, index, True))
    out.write(_LEN.pack(len(sealed)) + sealed)


def _read_exact(fh, n: int) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise IntegrityError("backup archive is cut short")
    return data


def archive_header(path: Path) -> dict:
    """The archive's plaintext header (no client data: format, engine, time, key id)."""
    with open(path, "rb") as fh:
        return _header(fh)[0]


def _header(fh) -> tuple[dict, bytes]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise InvalidInput("not a Confide backup archive")
    raw = _read_exact(fh, _read_length(fh, 1 << 16))
    try:
        header = json.loads(raw)
    except ValueError:
        raise IntegrityError("backup archive header is damaged") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InvalidInput("backup archive format not supported by this version")
    return header, hashlib.sha256(raw).digest()


def _read_length(fh, limit: int) -> int:
    (length,) = _LEN.unpack(_read_exact(fh, _LEN.size))
    if length > limit:
        raise IntegrityError("backup archive is damaged")
    return length


def _decrypt_archive(path: Path, out) -> dict:
    """Check and decrypt every record into `out`; returns the header. Nothing is
    written anywhere else, so a damaged archive changes nothing."""
    with open(path, "rb") as fh:
        header, header_hash = _header(fh)
        try:
            _, aead = _archive_key(header["key_id"], bytes.fromhex(header["salt"]))
        except KeyUnavailable:
            raise KeyUnavailable(f"this backup was made under master key {header['key_id']}, which the key ring "
                                 "does not hold: restore with the key file kept for it") from None
        index = 0
        while True:
            sealed = _read_exact(fh, _read_length(fh, CHUNK + 64))
            try:
                try:
                    out.write(aead.decrypt(_nonce(index), sealed, _aad(header_hash, index, False)))
                except InvalidTag:
                    out.write(aead.decrypt(_nonce(index), sealed, _aad(header_hash, index, True)))
                    if fh.read(1):
                        raise IntegrityError("backup archive has data after its last record")
                    return header
            except InvalidTag:
                raise IntegrityError("backup archive is damaged or was altered (record "
                                     f"{index} fails authentication)") from None
            index += 1


# -- the database -----------------------------------------------------------------------

def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _pg_dump_blocks() -> Iterator[bytes]:
    args, env = _pg_args()
    proc = subprocess.Popen(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        while block := proc.stdout.read(CHUNK):
            yield block
    finally:
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        if proc.wait() != 0:
            raise BackupFailed(f"pg_dump failed: {_first_line(err)}")


def _first_line(err: bytes) -> str:
    line = err.decode("utf-8", "replace").strip().splitlines()[:1]
    return line[0][:200] if line else "no message"


@contextmanager
def _private_dir():
    with tempfile.TemporaryDirectory(prefix="confide-backup-") as tmp:  # created 0700
        yield Path(tmp)


def _sqlite_copy(target: Path) -> None:
    """A consistent copy of the live SQLite database (online backup API: writers go on)."""
    connection.ensure_connection()
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)
    finally:
        dst.close()


def _file_blocks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            yield block


def backup_create(*, path: Path) -> BackupResult:
    """Write an encrypted, authenticated archive of the whole database to `path`
    (which must not exist), without stopping the service. Audited: backup.made, then
    a checkpoint."""
    path = Path(path)
    if path.exists():
        raise InvalidInput(f"{path} exists; choose a new file name")
    engine = _engine()
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupFailed(f"cannot write {path} ({exc.strerror or 'os error'})") from None
    try:
        with os.fdopen(fd, "wb") as out, _private_dir() as tmp:
            if engine == "sqlite":
                copy = tmp / "copy.sqlite3"
                _sqlite_copy(copy)
                _write_archive(out, _file_blocks(copy), engine)
            else:
                _write_archive(out, _pg_dump_blocks(), engine)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    for block in _file_blocks(path):
        digest.update(block)
    size = path.stat().st_size
    result = BackupResult(str(path), size, digest.hexdigest(), engine)
    audit_record(action="backup.made", detail={"engine": engine, "bytes": size, "sha256": result.sha256,
                                               "key_id": archive_header(path)["key_id"]})
    audit_checkpoint()
    return result


def _database_is_empty() -> bool:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
        else:
            cur.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        return cur.fetchone()[0] == 0


def backup_restore(*, path: Path) -> dict:
    """Restore an archive into this instance's database, which must be empty; then
    bring the schema up to date and record the restore outside the database (so the
    audit checkpoints accept chains put back on purpose) and in it: backup.restored.
    Returns the archive's header."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    key_file = Path(settings.CONFIDE["MASTER_KEY_FILE"])
    if not key_file.exists():  # never make a new ring here: nothing it could decrypt
        raise KeyUnavailable(f"no master key file at {key_file}: put the key file kept for this backup there")
    engine = _engine()
    if not _database_is_empty():
        raise InvalidInput("the database is not empty: restore into a new, empty database")
    with _private_dir() as tmp:
        plain = tmp / "restore.bin"
        with open(plain, "wb") as out:
            header = _decrypt_archive(path, out)
        if header.get("engine") != engine:
            raise InvalidInput(f"this backup is of a {header.get('engine')} database; this instance uses {engine}")
        if engine == "sqlite":
            _sqlite_restore(plain)
        else:
            _pg_restore(plain)
    call_command("migrate", interactive=False, verbosity=0)
    digest = hashlib.sha256()
    for block in _file_blocks(path):
        digest.update(block)
    audit_restored(detail={"engine": engine, "made_at": header["made_at"], "sha256": digest.hexdigest(),
                           "key_id": header["key_id"]})
    return header


def _sqlite_restore(plain: Path) -> None:
    src = sqlite3.connect(plain)
    try:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise IntegrityError("the database inside the backup fails SQLite's integrity check")
        connection.close()
        connection.ensure_connection()
        src.backup(connection.connection)
    finally:
        src.close()


def _pg_restore(plain: Path) -> None:
    args, env = _pg_args()
    connection.close()
    proc = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                           *args, str(plain)], capture_output=True, env=env)
    if proc.returncode != 0:
        raise BackupFailed(f"pg_restore failed: {_first_line(proc.stderr)}")


__all__ = ["BackupResult", "BackupFailed", "backup_create", "backup_restore", "archive_header", "MAGIC"]
