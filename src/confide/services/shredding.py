"""Crypto-shredding a client, by the operator (`confide client shred`)."""

from __future__ import annotations

from confide.apps.records.models import Client, ClientKey
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.audit import OPERATOR, audit_append, audited_transaction
from confide.services.keys import client_key_shred
from confide.services.outbox import outbox_client_files, outbox_remove


def client_shred(*, client_id) -> None:
    """Delete the client's data key and blind indexes, after which the client's
    ciphertexts are noise, and their undelivered outbox files. Irreversible. Audited in the practice's chain, under its
    pseudonym of the client: client.shredded. NotFound for no such client;
    InvalidInput when already shredded."""
    cid = access.parse_client_id(client_id)
    client = Client.objects.filter(id=cid).only("id", "practice_id").first() if cid else None
    if client is None:
        raise NotFound()
    with audited_transaction():
        if not ClientKey.objects.filter(practice_id=client.practice_id, client_id=client.id).exists():
            raise InvalidInput("client: already shredded")
        client_key_shred(client.id, client.practice_id)
        audit_append(practice_id=client.practice_id, actor_id=OPERATOR, actor_role=OPERATOR,
                     action="client.shredded", purpose="HOPERAT",
                     client_ref=access.client_ref_in(client.practice_id, client.id))
    for path in outbox_client_files(client.id):  # sealed under the key just deleted: noise, now gone
        outbox_remove(path)


__all__ = ["client_shred"]
