import json

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import path
from django.views.generic import RedirectView

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
    # Spring holds the login, so the admin's "Log out" leads to Spring's logout (it asks to confirm);
    # logging out of Django alone would last until the next request brings REMOTE_USER again.
    path("admin/logout/", RedirectView.as_view(url="/logout")),
    # behind Spring's login: /django/admin/** needs an authenticated user (DemoSecurity.java)
    path("admin/", admin.site.urls),
]
