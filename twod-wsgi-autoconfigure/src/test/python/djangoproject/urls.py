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


def notes(request):
    """Adds a note and tells how many there are: the table exists only if migrate ran."""
    from djangoproject.notes.models import Note

    Note.objects.create(text=request.GET.get("text", "a note"))
    body = {"count": Note.objects.count(), "database": str(settings.DATABASES["default"]["NAME"])}
    return HttpResponse(json.dumps(body), content_type="application/json")


urlpatterns = [path("settings/", show_settings), path("notes/", notes)]
