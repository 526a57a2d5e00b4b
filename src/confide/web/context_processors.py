"""What the base layout needs on every page: the signed-in user's practice (for times
in its zone) and their navigation bar."""

from __future__ import annotations

from confide.web.navigation import nav_for


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "practice": None}
    return {"nav": nav_for(user.role, request.path), "practice": user.practice_id and user.practice}
