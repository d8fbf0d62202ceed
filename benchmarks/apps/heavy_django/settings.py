"""A heavier Django project than the demo's, for benchmarks/worker_memory.sh: the usual contrib apps,
a catalog app with a few related models, admin registrations, template views and a JSON view.
DATABASES is left empty: each server is given the same SQLite file (see worker_memory.sh)."""

SECRET_KEY = "only-for-the-benchmark"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "heavy_django.catalog",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
ROOT_URLCONF = "heavy_django.urls"
WSGI_APPLICATION = "heavy_django.wsgi.application"
DATABASES = {}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
USE_I18N = True
STATIC_URL = "static/"
