import json

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

SHOWN = ("SITE_TITLE", "WELCOME", "DEBUG", "ALLOWED_HOSTS", "INSTALLED_APPS", "PAGE_SIZE", "ADMINS")


def show_settings(request):
    """Where each demo setting ended up, as Django sees it; and the tables migrate created."""
    from django.db import connection

    values = {name: getattr(settings, name, None) for name in SHOWN}
    values["tables"] = sorted(connection.introspection.table_names())
    return HttpResponse(json.dumps(values, default=list, indent=2), content_type="application/json")


admin.site.site_header = "twod-wsgi demo: Django admin"

urlpatterns = [
    path("", show_settings),
    # behind Spring's login: /django/admin/** needs an authenticated user (DemoSecurity.java)
    path("admin/", admin.site.urls),
]
