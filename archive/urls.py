"""Root URLconf: only includes; each app owns its URLs under its namespace."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("archive.ops_urls")),
    path("curation/", admin.site.urls),
    path("iiif/", include("archive.iiif.urls")),
    path("oai/", include("archive.public.oai.urls")),
    path("", include("archive.public.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
