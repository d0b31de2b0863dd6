"""The site's URLs plus one view that fails, to see the error page a visitor gets."""

from django.urls import path

from archive.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("a fault on purpose")


urlpatterns = [path("fails/", failing_view), *site_urlpatterns]
