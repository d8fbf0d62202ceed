from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "djangoproject.notes"
    label = "notes"
    default_auto_field = "django.db.models.AutoField"
