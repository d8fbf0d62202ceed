from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "heavy_django.catalog"
    default_auto_field = "django.db.models.AutoField"
