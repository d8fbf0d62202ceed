import json

from django.conf import settings
from django.http import HttpResponse
from django.urls import path


def show_settings(request):
    """The settings named in ?names=A,B as JSON, as Django sees them."""
    names = request.GET.get("names", "").split(",")
    values = {name: getattr(settings, name, "<unset>") for name in names if name}
    values["SETTINGS_MODULE"] = settings.SETTINGS_MODULE
    return HttpResponse(json.dumps(values, default=list), content_type="application/json")


urlpatterns = [path("settings/", show_settings)]
