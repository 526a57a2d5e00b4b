"""The client's releases in the portal (confide.portal.releases), under /portal/releases/."""

from django.urls import path

from confide.portal import releases

urlpatterns = [
    path("", releases.portal_releases, name="portal_releases"),
    path("<str:release_id>/", releases.portal_release, name="portal_release"),
    path("<str:release_id>/document/", releases.portal_release_document, name="portal_release_document"),
]
