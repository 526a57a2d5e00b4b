"""The staff pages, one URLconf per domain (each under confide/web/<domain>/), and
their templates under templates/web/<domain>/. A feature adds its domain here."""

from django.urls import include, path

urlpatterns = [
    path("", include("confide.web.accounts.urls")),
    path("", include("confide.web.home.urls")),
    path("", include("confide.web.directory.urls")),
    path("", include("confide.web.charting.urls")),
    path("", include("confide.web.consultation.urls")),
    path("", include("confide.web.obligations.urls")),
    path("", include("confide.web.releases.urls")),
    path("", include("confide.web.disclosures.urls")),
    path("", include("confide.web.messaging.urls")),
    path("", include("confide.web.practice.urls")),
    path("", include("confide.web.intake.urls")),
    path("", include("confide.web.scheduling.urls")),
    path("", include("confide.web.privacy.urls")),
    path("", include("confide.web.billing.urls")),
    path("", include("confide.web.documents.urls")),
]
