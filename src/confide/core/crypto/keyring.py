"""The master key ring: the keys that wrap every client's data key.

On disk it is one JSON file, mode 0600, replaced atomically on every change::

    {"version": 1, "current": "mk-20261121T101500123456-a1b2c3",
     "keys": {"mk-20261121T101500123456-a1b2c3": "<base64 of 32 bytes>"},
     "kept": {"confide audit seal v2": {"mk-20251121T090000654321-d4e5f6": "<base64 of 32 bytes>"}}}

Rotation adds a key and makes it current; old keys stay until every data key wrapped
by them has been rewrapped, then `retire` removes them. A retired key can leave some
of its derived subkeys behind ("kept", by purpose): the audit log's seal key, so what
it sealed can still be checked. A subkey unwraps nothing. Several processes may share the
file (web workers, the CLI): a process that meets a key id it does not know reloads the
file once before giving up. Writers reload before they change anything, so a rotation
in one process does not undo one in another unless both run in the same instant
(rotation is an administrator's command, not a hot path).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import stat
import tempfile
import threading
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from confide.core.crypto.blind import derive_subkey
from confide.core.errors import IntegrityError, InvalidInput, KeyUnavailable

FILE_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
WRAP_VERSION = 1  # first byte of every wrapped blob
_WRAP_AAD_PREFIX = b"confide.keywrap.v1\x00"
_GCM_TAG_BYTES = 16


def _new_key_id(existing: Iterable[str] = ()) -> str:
    """A new key id, sorting after every existing one: ids sort by creation time (the
    audit log relies on it: along a chain, seal keys never go back)."""
    latest = max(existing, default="")
    for _ in range(10_000):
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        key_id = f"mk-{stamp}-{secrets.token_hex(3)}"
        if key_id > latest:
            return key_id
    raise KeyUnavailable("the clock is behind the newest master key; correct the clock before adding a key")


def _wrap_aad(key_id: str, context: bytes) -> bytes:
    # The key id is bound too, so a blob cannot be relabelled to another key's id.
    return _WRAP_AAD_PREFIX + key_id.encode("utf-8") + b"\x00" + bytes(context)


def _file_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


Kept = dict[str, dict[str, bytes]]  # purpose -> key id -> subkey of a retired key


def _b64_key(text, what: str, path: Path) -> bytes:
    if not isinstance(text, str):
        raise KeyUnavailable(f"master key file is malformed: {path}")
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyUnavailable(f"{what} is not valid base64: {path}") from None
    if len(key) != KEY_BYTES:
        raise KeyUnavailable(f"{what} is not {KEY_BYTES} bytes: {path}")
    return key


def _parse(path: Path, raw: bytes) -> tuple[str, dict[str, bytes], Kept]:
    """Validate the file's content; every failure is one line without key material."""
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise KeyUnavailable(f"master key file is not valid json: {path}") from None
    if not isinstance(doc, dict) or doc.get("version") != FILE_VERSION:
        raise KeyUnavailable(f"master key file has an unsupported format: {path}")
    current, encoded = doc.get("current"), doc.get("keys")
    if not isinstance(current, str) or not isinstance(encoded, dict) or not encoded:
        raise KeyUnavailable(f"master key file is malformed: {path}")
    keys: dict[str, bytes] = {}
    for key_id, b64 in encoded.items():
        if not key_id:
            raise KeyUnavailable(f"master key file is malformed: {path}")
        keys[key_id] = _b64_key(b64, f"master key {key_id}", path)
    if current not in keys:
        raise KeyUnavailable(f"current master key {current} is missing from {path}")
    kept_doc = doc.get("kept", {})
    if not isinstance(kept_doc, dict) or not all(isinstance(v, dict) for v in kept_doc.values()):
        raise KeyUnavailable(f"master key file is malformed: {path}")
    kept = {purpose: {key_id: _b64_key(b64, f"kept subkey of {key_id}", path) for key_id, b64 in by_id.items()}
            for purpose, by_id in kept_doc.items()}
    return current, keys, kept


def _read(path: Path) -> tuple[str, dict[str, bytes], Kept, bool]:
    """Return (current id, keys, kept subkeys, insecure_mode) from the file at path."""
    try:
        st = os.stat(path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KeyUnavailable(f"master key file not found: {path}") from None
    except OSError as exc:
        raise KeyUnavailable(f"master key file unreadable: {path} ({exc.strerror or 'os error'})") from None
    if not stat.S_ISREG(st.st_mode):
        raise KeyUnavailable(f"master key file is not a regular file: {path}")
    current, keys, kept = _parse(path, raw)
    return current, keys, kept, bool(st.st_mode & 0o077)


def _serialize(current: str, keys: Mapping[str, bytes], kept: Kept | None = None) -> bytes:
    doc = {
        "version": FILE_VERSION,
        "current": current,
        "keys": {k: base64.b64encode(v).decode("ascii") for k, v in sorted(keys.items())},
    }
    if kept:
        doc["kept"] = {purpose: {k: base64.b64encode(v).decode("ascii") for k, v in sorted(by_id.items())}
                       for purpose, by_id in sorted(kept.items())}
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("ascii")


def _write_temp(path: Path, content: bytes) -> str:
    """Write content to a fsynced 0600 temp file next to path; return its name."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)  # mkstemp already uses 0600; say it anyway
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def _fsync_dir(directory: Path) -> None:
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # platforms without directory fds
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def _unlink_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _write_atomic(path: Path, content: bytes) -> None:
    """Replace path with content: readers see the old file or the new, never a torn one."""
    tmp = _write_temp(path, content)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(path.parent)


class KeyRing:
    """Master keys on disk; wraps and unwraps data keys with AES-256-GCM.

    Build one with `load` or `load_or_create`. `insecure_mode` is True when the file
    was readable or writable by group or others when it was loaded; callers warn.
    """

    def __init__(self, path: Path, current: str, keys: dict[str, bytes], *, insecure_mode: bool = False,
                 kept: Kept | None = None):
        self.path = Path(path)
        self.insecure_mode = insecure_mode
        # INVARIANT: _state and _kept are replaced whole, never mutated, so readers need no lock.
        self._state: tuple[str, dict[str, bytes]] = (current, dict(keys))
        self._kept: Kept = dict(kept or {})
        self._signature = _file_signature(self.path)
        self._lock = threading.RLock()

    # -- construction ---------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> KeyRing:
        """Load an existing key file; KeyUnavailable if missing, unreadable or malformed."""
        path = Path(path)
        current, keys, kept, insecure = _read(path)
        return cls(path, current, keys, insecure_mode=insecure, kept=kept)

    @classmethod
    def load_or_create(cls, path: str | os.PathLike[str]) -> tuple[KeyRing, bool]:
        """Load the key file, or create it (and its parent dirs) with one fresh key.

        Returns (ring, created). If two processes race to create, one file wins and
        both end up using it.
        """
        path = Path(path)
        if path.exists():
            return cls.load(path), False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KeyUnavailable(f"cannot create directory for master key file: {path.parent} ({exc.strerror or 'os error'})") from None
        key_id = _new_key_id()
        tmp = _write_temp(path, _serialize(key_id, {key_id: secrets.token_bytes(KEY_BYTES)}))
        try:
            # link() never overwrites: a file another process created first wins.
            os.link(tmp, path)
            created = True
        except FileExistsError:
            created = False
        except OSError:
            # Filesystems without hard links: fall back to a replace that cannot
            # overwrite an existing file only if none appeared meanwhile.
            created = not path.exists()
            if created:
                os.replace(tmp, path)
        finally:
            _unlink_quietly(tmp)
        _fsync_dir(path.parent)
        return cls.load(path), created

    # -- reading --------------------------------------------------------------

    @property
    def current_id(self) -> str:
        return self._state[0]

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._state[1]))

    def reload(self) -> None:
        """Re-read the file (another process may have rotated or retired keys)."""
        with self._lock:
            current, keys, kept, insecure = _read(self.path)
            self._state = (current, keys)
            self._kept = kept
            self.insecure_mode = insecure
            self._signature = _file_signature(self.path)

    def refresh(self) -> None:
        """Pick up a rotation another process wrote (a cheap stat when nothing changed)."""
        self._reload_if_changed()

    def _reload_if_changed(self) -> None:
        if _file_signature(self.path) != self._signature:
            try:
                self.reload()
            except KeyUnavailable:
                pass  # keep working with what we have; unwrap reports what is missing

    # -- wrapping -------------------------------------------------------------

    def wrap(self, data_key: bytes, *, context: bytes) -> tuple[str, bytes]:
        """Encrypt a data key under the current master key; returns (key_id, blob).

        `context` (e.g. b"client:<id>") is authenticated, not stored: unwrap must
        be given the same context.
        """
        if not isinstance(data_key, (bytes, bytearray)) or not data_key:
            raise ValueError("data key must be non-empty bytes")
        self._reload_if_changed()  # cheap stat: pick up a rotation done elsewhere
        key_id, keys = self._state
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(keys[key_id]).encrypt(nonce, bytes(data_key), _wrap_aad(key_id, context))
        return key_id, bytes([WRAP_VERSION]) + nonce + sealed

    def unwrap(self, key_id: str, blob: bytes | memoryview, *, context: bytes) -> bytes:
        """Decrypt a wrapped data key.

        KeyUnavailable if key_id is not in the ring even after one reload;
        IntegrityError if the blob was altered or the context differs.
        """
        key = self._key(key_id)
        blob = bytes(blob)
        if len(blob) < 1 + NONCE_BYTES + _GCM_TAG_BYTES or blob[0] != WRAP_VERSION:
            raise IntegrityError("wrapped key is malformed")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            return AESGCM(key).decrypt(nonce, sealed, _wrap_aad(key_id, context))
        except InvalidTag:
            raise IntegrityError("wrapped key failed authentication") from None

    # -- derived keys -------------------------------------------------------

    def _key(self, key_id: str) -> bytes:
        key = self._state[1].get(key_id)
        if key is None:
            with self._lock:
                key = self._state[1].get(key_id)
                if key is None:
                    try:
                        self.reload()
                    except KeyUnavailable:
                        pass
                    key = self._state[1].get(key_id)
            if key is None:
                raise KeyUnavailable(f"master key not in key ring: {key_id}")
        return key

    def derive(self, purpose: str, key_id: str | None = None) -> tuple[str, bytes]:
        """A 32-byte subkey of one master key for one purpose (HKDF-SHA256, info =
        purpose): (key_id, subkey). The current key unless `key_id` names another.

        The subkey is what leaves the ring (to seal the audit log, to encrypt a
        backup); the master key itself never does.
        """
        if key_id is None:
            self._reload_if_changed()
            key_id = self.current_id
        return key_id, derive_subkey(self._key(key_id), purpose)

    def derive_all(self, purpose: str) -> dict[str, bytes]:
        """The subkey for `purpose` of every key in the ring, and of retired keys that
        kept theirs, by key id (to check what older keys sealed)."""
        self._reload_if_changed()
        out = dict(self._kept.get(purpose, {}))
        out.update({key_id: derive_subkey(key, purpose) for key_id, key in self._state[1].items()})
        return dict(sorted(out.items()))

    # -- rotation -------------------------------------------------------------

    def add_key(self) -> str:
        """Generate a new master key, make it current, keep the old ones; persist."""
        with self._lock:
            self.reload()
            _, keys = self._state
            key_id = _new_key_id(keys)
            new_keys = {**keys, key_id: secrets.token_bytes(KEY_BYTES)}
            _write_atomic(self.path, _serialize(key_id, new_keys, self._kept))
            self._state = (key_id, new_keys)
            self._signature = _file_signature(self.path)
            return key_id

    def retire(self, key_ids: Iterable[str], *, keep: Iterable[str] = ()) -> None:
        """Remove keys from the ring and the file. The current key cannot be retired.

        Only retire a key once no data key is wrapped by it: what it wrapped becomes
        unrecoverable. `keep`: purposes whose subkeys of the retired keys stay in the
        file (the audit log's seal key: what the key sealed stays checkable).
        """
        if isinstance(key_ids, str):
            key_ids = [key_ids]
        doomed = set(key_ids)
        with self._lock:
            self.reload()
            current, keys = self._state
            if current in doomed:
                raise InvalidInput(f"cannot retire the current master key: {current}")
            unknown = sorted(doomed - keys.keys())
            if unknown:
                raise InvalidInput(f"unknown master key: {unknown[0]}")
            new_keys = {k: v for k, v in keys.items() if k not in doomed}
            kept = {purpose: dict(by_id) for purpose, by_id in self._kept.items()}
            for purpose in keep:
                kept.setdefault(purpose, {}).update({k: derive_subkey(keys[k], purpose) for k in doomed})
            _write_atomic(self.path, _serialize(current, new_keys, kept))
            self._state = (current, new_keys)
            self._kept = kept
            self._signature = _file_signature(self.path)

    def __repr__(self) -> str:  # never show key material
        return f"KeyRing(path={str(self.path)!r}, current={self.current_id!r}, keys={len(self._state[1])})"
