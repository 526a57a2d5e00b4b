"""The navigation bar, per role: one list of (label, url name) for each role. An item
whose page does not exist yet (its url name is not in the URLconf) is left out, so a
feature adds its page and its item appears; nothing links to a page that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

NAV: dict[str, tuple[tuple[str, str], ...]] = {
    "clinician": (("Today", "home"), ("Calendar", "calendar"), ("Clients", "clients"),
                  ("Notes to sign", "notes_to_sign"), ("Messages", "messages"), ("Obligations", "obligations"),
                  ("Billing", "billing_queue"), ("New client", "intake")),
    "supervisor": (("Today", "home"), ("Calendar", "calendar"), ("Clients", "clients"),
                   ("Notes to sign", "notes_to_sign"), ("Co-signs", "cosigns"), ("Messages", "messages"),
                   ("Obligations", "obligations"), ("Billing", "billing_queue"), ("New client", "intake")),
    "front_desk": (("Day", "home"), ("Calendar", "calendar"), ("Requests", "appointment_requests"),
                   ("Clients", "clients"), ("New client", "intake")),
    "biller": (("Billing", "home"), ("Work queue", "billing_queue"), ("Clients", "clients"),
               ("Billing settings", "billing_settings")),
    "practice_admin": (("Home", "home"), ("Privacy", "privacy"), ("Staff", "staff"), ("Settings", "settings"), ("Review", "review"),
                       ("Audit", "audit"), ("Billing settings", "billing_settings")),
    "client": (("Your care", "portal_home"), ("Appointments", "portal_appointments"), ("Messages", "portal_messages"),
               ("Who opened your record", "portal_access"), ("Shared with others", "portal_accounting"),
               ("Releases", "portal_releases"), ("Bills", "portal_billing"),
               ("Contact preferences", "portal_preferences")),
    "representative": (("Your child's care", "portal_home"), ("Releases", "portal_releases")),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def nav_for(role: str | None, path: str) -> list[NavItem]:
    """The items of a role's bar; the one whose page (or a page under it) is open is current."""
    items = []
    for label, name in NAV.get(role or "", ()):
        url = _url(name)
        if url is not None:
            items.append((label, url))
    # The longest matching prefix is current ("/" only on the home page itself).
    best = max((url for _label, url in items if path == url or (url != "/" and url != "/portal/"
                                                                   and path.startswith(url))),
               key=len, default=None)
    if best is None and path.startswith("/portal/"):
        best = "/portal/" if any(url == "/portal/" for _label, url in items) else None
    return [NavItem(label, url, url == best) for label, url in items]
