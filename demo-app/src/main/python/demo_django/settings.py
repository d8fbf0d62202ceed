"""The project's own settings. Spring's settings (application-django.yml, demo-django.ini, environment
variables) are merged into these by twod-wsgi: see the README section "Settings"."""

SECRET_KEY = "only-for-the-demo"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "demo_django.urls"
DATABASES = {}
USE_TZ = True
SITE_TITLE = "set in settings.py"
