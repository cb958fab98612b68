from django.apps import AppConfig


class FactlineConfig(AppConfig):
    name = "factline"
    verbose_name = "Factline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from factline.services.base import mark_change

        pre_create_historical_record.connect(mark_change, dispatch_uid="factline-mark-change")
