from django.urls import path, register_converter

from . import views


class IdentifierConverter:
    """A record identifier (archive.models.base.identifier_validator)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9._:-]*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IdentifierConverter, "identifier")

app_name = "iiif"
IMAGE = "<identifier:identifier>/image/<int:pk>"

urlpatterns = [
    path("<identifier:identifier>/manifest.json", views.ManifestView.as_view(), name="manifest"),
    path("<identifier:identifier>/canvas/<int:pk>", views.CanvasView.as_view(), name="canvas"),
    path(IMAGE, views.ImageServiceView.as_view(), name="image-service"),
    path(f"{IMAGE}/info.json", views.ImageInfoView.as_view(), name="image-info"),
    path(
        f"{IMAGE}/<str:region>/<str:size>/<str:rotation>/<str:quality>.<str:format>",
        views.ImageFileView.as_view(),
        name="image-file",
    ),
]
