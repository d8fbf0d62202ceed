import hashlib
import json
import threading
import time

from django import forms
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


def _json(value, status=200):
    return HttpResponse(json.dumps(value), content_type="application/json", status=status)


@csrf_exempt
def files(request):
    """Every part of request.FILES with its size and sha256, and request.POST."""
    parts = []
    for field in request.FILES:
        for upload in request.FILES.getlist(field):
            digest = hashlib.sha256()
            size = 0
            for chunk in upload.chunks():
                digest.update(chunk)
                size += len(chunk)
            parts.append({"field": field, "filename": upload.name, "size": size, "sha256": digest.hexdigest()})
    return _json({"parts": parts, "form": {key: request.POST.getlist(key) for key in request.POST}})


@csrf_exempt
def form(request):
    """The raw body, and the form Django parsed from it (request.POST for POST, QueryDict otherwise)."""
    raw = request.body
    parsed = request.POST if request.method == "POST" else QueryDict(raw)
    return _json({"method": request.method, "raw": raw.decode("latin-1"),
                  "form": {key: parsed.getlist(key) for key in parsed}})


class NoteForm(forms.Form):
    text = forms.CharField(max_length=50)


def note(request):
    """A Django form behind Django's own CSRF protection: GET gives the token, POST checks it."""
    if request.method == "GET":
        return _json({"csrf_token": get_token(request)})
    submitted = NoteForm(request.POST)
    if not submitted.is_valid():
        return _json({"errors": submitted.errors}, status=400)
    return _json({"text": submitted.cleaned_data["text"]})


_finishing = threading.local()


def _slow_request_finished(sender, **kwargs):
    """A request_finished receiver that takes 2 s, for the request that asked for it only."""
    if getattr(_finishing, "slow", False):
        _finishing.slow = False
        time.sleep(2)


def slow_finish(request):
    """A page whose request_finished receiver takes 2 s: the client must have the page before that."""
    _finishing.slow = True
    return HttpResponse(b"the whole page", content_type="text/plain")


def slow_finish_streamed(request):
    """The same as a streaming response (no Content-Length): the client must have it whole before the
    receiver ends, as under gunicorn, which sends the last chunk before close()."""
    _finishing.slow = True
    return StreamingHttpResponse(iter([b"the whole ", b"streamed page"]), content_type="text/plain")


from django.core.signals import request_finished  # noqa: E402

request_finished.connect(_slow_request_finished)

urlpatterns = [path("slow-finish/", slow_finish), path("slow-finish-streamed/", slow_finish_streamed), path("files/", files), path("form/", form), path("note/", note)]
