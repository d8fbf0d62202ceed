from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "demo_django.documents"
    default_auto_field = "django.db.models.AutoField"
