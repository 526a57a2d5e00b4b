from django.apps import AppConfig


class AuditlogConfig(AppConfig):
    name = "confide.apps.auditlog"
    label = "auditlog"
    default_auto_field = "django.db.models.BigAutoField"
