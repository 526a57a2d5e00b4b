"""What the base layout needs on every page: the signed-in user's practice (for times
in its zone) and their navigation bar."""

from __future__ import annotations

from django.conf import settings

from confide.web.navigation import nav_for


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "practice": None}
    if settings.CONFIDE["REQUIRE_OTP"] and user.is_staff_member and not getattr(user, "is_verified", lambda: True)():
        # Signed in but no second factor yet: nothing to navigate to before enrolment.
        return {"nav": [], "practice": user.practice_id and user.practice}
    return {"nav": nav_for(user.role, request.path), "practice": user.practice_id and user.practice}
