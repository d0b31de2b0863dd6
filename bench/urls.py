"""The site's URLs plus /bench/floor/: the cheapest Django response, the framework's floor under gunicorn."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("archive.urls")),
]
