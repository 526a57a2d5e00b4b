from django.urls import path

from confide.web.practice import settings_views, setup_views, staff_views, views

urlpatterns = [
    path("setup/", setup_views.setup_view, name="setup"),
    path("settings/", settings_views.settings_view, name="settings"),
    path("staff/", staff_views.staff_list_view, name="staff"),
    path("staff/invite/", staff_views.staff_invite_view, name="staff_invite"),
    path("staff/portal-second-factor/", staff_views.portal_factor_reset_view, name="staff_portal_factor"),
    path("staff/<str:account_id>/", staff_views.staff_member_view, name="staff_member"),
    path("review/", views.review_queue_view, name="review"),
    path("review/<str:grant_id>/", views.review_view, name="review_grant"),
]
