"""The practice's people, as its administrator manages them: who works here, in which
role, under whose supervision. Staff records hold no client information."""

from __future__ import annotations

from confide.apps.practice.models import SupervisionLink, User

ADMIN_ROLES = frozenset({"practice_admin"})


def staff_list(*, user: User) -> list[dict]:
    """Every staff account of the user's practice, for its administrator; nothing for
    anyone else."""
    if user.role not in ADMIN_ROLES:
        return []
    supervisors = {link.supervisee_id: link.supervisor.full_name
                   for link in SupervisionLink.objects.filter(practice_id=user.practice_id).select_related("supervisor")}
    rows = User.objects.filter(practice_id=user.practice_id, role__in=User.STAFF_ROLES).order_by("full_name", "pk")
    return [{"id": u.pk, "name": u.full_name or u.username, "username": u.username, "role": u.role,
             "licence": u.licence, "active": u.is_active, "supervisor": supervisors.get(u.pk)} for u in rows]
