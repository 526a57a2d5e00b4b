from django.urls import include, path

from confide.api.app import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("portal/releases/", include("confide.portal.release_urls")),
    path("portal/", include("confide.portal.urls")),
    path("", include("confide.web.urls")),
]

handler404 = "confide.web.shell.not_found"
handler500 = "confide.web.shell.server_error"
