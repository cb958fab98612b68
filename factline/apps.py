from django.apps import AppConfig


class FactlineConfig(AppConfig):
    name = "factline"
    verbose_name = "Factline"
    default_auto_field = "django.db.models.BigAutoField"
