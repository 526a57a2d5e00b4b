from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "confide.apps.records"
    label = "records"
    default_auto_field = "django.db.models.BigAutoField"
