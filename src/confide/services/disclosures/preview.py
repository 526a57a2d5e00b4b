"""What the clinician sees before anything leaves, and the proof that what leaves is
what they saw.

Every workflow (a release, a duty-to-warn action, a court order, a claim...) ends in
`disclosure_packet_build`. Run under `previewing(...)`, that function asks the PDP and
builds the exact minimum packet, audits the look as a preview, writes nothing else,
and stops the workflow with `Previewed` carrying the packet and a token: an HMAC, under
the client's data key, of everything that would leave (recipient, purpose, basis,
period, each field of each section, the notices) and of who looked. Nothing after the
build runs, so no accounting entry, obligation or workflow step is written.

Run under `confirming(token)`, the same workflow builds the packet again and
`disclosure_packet_build` refuses, writing nothing, unless its token is the one the
clinician confirmed: if the record, the release, the rules or the request changed in
between, the clinician previews again. Outside either (the JSON API, the CLI) nothing
changes.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from contextlib import contextmanager
from dataclasses import dataclass

from confide.core.errors import ConfideError, InvalidInput

_MODE: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("disclosure_preview", default=None)

TOKEN_LENGTH = 64
CHANGED = ("what would leave has changed since your preview (the record, the basis or the rules changed); "
           "preview it again. Nothing was disclosed")


class PreviewChanged(ConfideError):
    """What would leave now differs from what the clinician confirmed."""

    code = "preview_changed"
    status = 409
    default_message = CHANGED


class Previewed(Exception):  # noqa: N818 - a signal, not an error
    """Raised by `disclosure_packet_build` under `previewing()`: the packet that would
    leave and its token. Nothing was written but the audit event of the look."""

    def __init__(self, packet: dict, token: str):
        super().__init__("previewed")
        self.packet = packet
        self.token = token


@dataclass(frozen=True)
class Preview:
    packet: dict
    token: str


def active() -> str | None:
    """"preview", "confirm" or None."""
    mode = _MODE.get()
    return mode[0] if mode else None


@contextmanager
def previewing():
    reset = _MODE.set(("preview", ""))
    try:
        yield
    finally:
        _MODE.reset(reset)


@contextmanager
def confirming(token: str):
    if not isinstance(token, str) or len(token) != TOKEN_LENGTH or any(c not in "0123456789abcdef" for c in token):
        raise InvalidInput("preview token: preview the disclosure first, then confirm it")
    reset = _MODE.set(("confirm", token))
    try:
        yield
    finally:
        _MODE.reset(reset)


def preview_of(workflow, /, **kwargs) -> Preview:
    """Run `workflow(**kwargs)` as a preview; the packet it would send and its token.
    A refusal (Refused) or bad input propagates as it would for the real thing."""
    with previewing():
        try:
            workflow(**kwargs)
        except Previewed as shown:
            return Preview(packet=shown.packet, token=shown.token)
    raise RuntimeError("the workflow made no disclosure to preview")


def confirmed(workflow, token: str, /, **kwargs):
    """Run `workflow(**kwargs)` for real, leaving only if what leaves matches `token`."""
    with confirming(token):
        return workflow(**kwargs)


# What would leave, as the token covers it (made_at, the packet id and the decision id
# differ on every build and say nothing about content).
COVERED = ("recipient", "purpose", "basis", "period", "categories", "sections", "notices", "deidentified",
           "client_id")


def packet_token(dek: bytes, user_id, packet: dict) -> str:
    covered = {k: packet.get(k) for k in COVERED}
    body = json.dumps({"by": str(user_id), "packet": covered}, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(dek, b"confide.disclosure.preview|" + body.encode(), hashlib.sha256).hexdigest()


def checkpoint(dek: bytes, user_id, packet: dict) -> Previewed | None:
    """Called by `disclosure_packet_build` once the packet is built, inside the door's
    transaction. Under a preview: the `Previewed` to raise once the transaction (only
    the audit event) has committed. Under a confirmation: raises Refused (the
    transaction rolls back, nothing is written) unless the packet is the one
    previewed. Otherwise None."""
    mode = _MODE.get()
    if mode is None:
        return None
    token = packet_token(dek, user_id, packet)
    if mode[0] == "preview":
        return Previewed(packet, token)
    if not hmac.compare_digest(token, mode[1]):
        raise PreviewChanged(CHANGED)
    return None
