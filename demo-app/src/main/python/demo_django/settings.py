"""The project's own settings. Spring's settings (application-django.yml, demo-django.ini, environment
variables) are merged into these by twod-wsgi: see the README section "Settings"."""

SECRET_KEY = "only-for-the-demo"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "demo_django.documents",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Spring Security logs users in; Django takes the user from REMOTE_USER (see spring_users.py).
    "django.contrib.auth.middleware.RemoteUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
AUTHENTICATION_BACKENDS = ["demo_django.spring_users.SpringUserBackend"]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
ROOT_URLCONF = "demo_django.urls"
DATABASES = {}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
# Relative URLs get SCRIPT_NAME (/django) in front; Spring serves both directories (application-django.yml),
# STATIC_ROOT filled by the collectstatic once hook, MEDIA_ROOT by uploads.
STATIC_URL = "static/"
MEDIA_URL = "media/"
SITE_TITLE = "set in settings.py"
