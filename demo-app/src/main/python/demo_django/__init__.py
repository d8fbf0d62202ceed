"""The demo's Django project, mounted at /django with the profile "django" (application-django.yml)."""
