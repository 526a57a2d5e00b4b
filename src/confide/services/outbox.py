"""The outbox on disk holds nothing readable without the keys. Each file the file
backend writes (an .eml, a voicemail script, a text, a letter) is sealed with AES-GCM:
under the client's data key when the message is about a client (a reminder), else under
a subkey of the installation's "outbox" key (invitations and password links). The file
name is bound in as associated data, so a sealed file cannot be passed off as another.

A sealed file starts with one line: `confide-outbox-1 client <client id>` or
`confide-outbox-1 instance`. It names no more than the database's Message row already
does (the message id is in the file name). Crypto-shredding a client deletes their
pending files (and their key, so a copy taken before is noise too).

`confide outbox show FILE` prints a file's message for the person or gateway that
delivers it."""

from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path

from django.conf import settings

from confide.core.crypto import decrypt_field, derive_subkey, encrypt_field
from confide.core.errors import InvalidInput, NotFound
from confide.services.keys import client_data_key, instance_key

MAGIC = b"confide-outbox-1"


def outbox_dir() -> Path:
    return Path(settings.CONFIDE["MESSAGE_OUTBOX_DIR"])


def _aad(name: str) -> bytes:
    return b"confide.outbox.v1\x00" + name.encode("utf-8")


def _key(client_id) -> bytes:
    if client_id is None:
        return derive_subkey(instance_key("outbox"), "outbox-file")
    return client_data_key(client_id)


def outbox_write(name: str, data: bytes, *, client_id=None, directory: Path | None = None) -> Path:
    """Seal `data` into a new owner-only file `name` in the outbox directory (0700)."""
    directory = Path(directory) if directory is not None else outbox_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    head = MAGIC + (b" client " + str(client_id).encode() if client_id is not None else b" instance") + b"\n"
    blob = encrypt_field(_key(client_id), base64.b64encode(data).decode("ascii"), aad=_aad(name))
    path = directory / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(head + blob)
    return path


def _head(raw: bytes) -> tuple[str, uuid.UUID | None, bytes]:
    line, _, blob = raw.partition(b"\n")
    parts = line.split(b" ")
    if parts[:1] != [MAGIC] or len(parts) not in (2, 3):
        raise InvalidInput("outbox: not a sealed outbox file")
    if parts[1] == b"instance" and len(parts) == 2:
        return "instance", None, blob
    if parts[1] == b"client" and len(parts) == 3:
        try:
            return "client", uuid.UUID(parts[2].decode("ascii")), blob
        except ValueError:
            pass
    raise InvalidInput("outbox: not a sealed outbox file")


def outbox_read(path) -> bytes:
    """The message a sealed outbox file holds. NotFound when its client was shredded;
    InvalidInput for a file that is not a sealed outbox file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError:
        raise NotFound() from None
    _kind, client_id, blob = _head(raw)
    text = decrypt_field(_key(client_id), blob, aad=_aad(path.name))
    return base64.b64decode(text)


def outbox_files() -> list[Path]:
    directory = outbox_dir()
    return sorted(p for p in directory.iterdir() if p.is_file()) if directory.is_dir() else []


def outbox_client_files(client_id) -> list[Path]:
    """The pending outbox files sealed under this client's key."""
    found = []
    for path in outbox_files():
        try:
            with path.open("rb") as fh:
                _kind, owner, _ = _head(fh.readline())
        except (OSError, InvalidInput):
            continue
        if owner is not None and str(owner) == str(client_id):
            found.append(path)
    return found


def outbox_remove(path) -> None:
    Path(path).unlink(missing_ok=True)


__all__ = ["outbox_write", "outbox_read", "outbox_files", "outbox_client_files", "outbox_remove", "outbox_dir"]
