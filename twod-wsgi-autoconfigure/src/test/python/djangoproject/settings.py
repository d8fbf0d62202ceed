"""The project's own settings module; Spring's settings are merged into it (twod_wsgi.django_settings)."""

SECRET_KEY = "base-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE = []
ROOT_URLCONF = "djangoproject.urls"
DATABASES = {}
USE_TZ = True
FROM_BASE = "base"
OVERRIDDEN_BY_YAML = "base"
