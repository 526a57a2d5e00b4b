"""What the portal's services share: the client's own account, their time zone and
their clinicians."""

from __future__ import annotations

from datetime import datetime

from confide.apps.practice.models import Practice, User
from confide.apps.records.models import CareTeamMember, Client, ClientAccount
from confide.core.errors import NotFound
from confide.services.messages import preferences_normalize
from confide.services.practice_time import human_datetime
from confide.services.sealing import unseal


def own_client_id(user: User):
    """The client a portal login is (self), or NotFound: a parent's login has none."""
    account = ClientAccount.objects.filter(practice_id=user.practice_id, user=user, relationship="self").first()
    if account is None:
        raise NotFound()
    return account.client_id


def client_zone(dek: bytes, client: Client) -> str:
    """The time zone the client reads times in: theirs if they set one, else the practice's."""
    row = Client.objects.only("id", "preferences_enc", "practice_id").get(id=client.id, practice_id=client.practice_id)
    prefs = preferences_normalize(unseal(dek, Client, "preferences_enc", row.id, row.preferences_enc))
    return prefs.get("timezone") or Practice.objects.values_list("timezone", flat=True).get(pk=row.practice_id)


def when(zone_name: str, moment: datetime | None) -> str:
    """'Tue 8 Dec, 6:02 PM' in the given zone."""
    return human_datetime(zone_name, moment) if moment else ""


def treating_clinicians(client_id, practice_id) -> list[User]:
    """The client's clinicians on the care team now (oldest first)."""
    ids = (CareTeamMember.objects.filter(practice_id=practice_id, client_id=client_id, ended_at__isnull=True,
                                         staff__role__in=("clinician", "supervisor"), staff__is_active=True)
           .order_by("created_at", "id").values_list("staff_id", flat=True))
    by_id = {u.pk: u for u in User.objects.filter(pk__in=list(ids))}
    return [by_id[i] for i in ids if i in by_id]
