"""A Django project that takes uploads and forms the way Django apps do (request.FILES, request.POST,
forms with Django's CSRF protection), for RealAppsTests."""

SECRET_KEY = "uploadsite-test-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    # Sets Content-Length, as in most Django projects.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "uploadsite.urls"
DATABASES = {}
USE_TZ = True
# Uploads over 2.5 MB go to temporary files (Django's default): both of Django's upload paths run.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_MEMORY_SIZE = None
