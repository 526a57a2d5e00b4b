from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "confide.portal"
    label = "portal"
