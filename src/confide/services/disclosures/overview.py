"""What the disclosure screens show about the client before anything is chosen: who
the client is (their name, for the heading) and what has left their record."""

from __future__ import annotations

from confide.apps.practice.models import User
from confide.apps.records.models import Client
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.sealing import unseal


def client_heading(*, user: User, client_id, view: str) -> dict:
    """The client's id and name, through the door (identity, for the clinician's
    care). A client the caller may not see: NotFound, as for one that does not exist."""
    with access.governed(user=user, client_id=client_id, action="read", purpose="TREAT", categories={"identity"},
                         detail={"view": view}) as ok:
        client = Client.objects.get(id=ok.client.id, practice_id=ok.client.practice_id)
        identity = unseal(data_key_of(client), Client, "identity_enc", client.id, client.identity_enc) or {}
    return {"id": str(client.id), "name": identity.get("preferred_name") or identity.get("legal_name") or "Client",
            "legal_name": identity.get("legal_name", "")}
