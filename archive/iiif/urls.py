from django.urls import path

from . import views

app_name = "iiif"
# <identifier> is a source's identifier (letters, digits and . _ : -, never a slash); <pk> an image's id.
IMAGE = "<str:identifier>/image/<int:pk>"

urlpatterns = [
    path("<str:identifier>/manifest.json", views.ManifestView.as_view(), name="manifest"),
    path("<str:identifier>/viewer/", views.ViewerView.as_view(), name="viewer"),
    path("<str:identifier>/canvas/<int:pk>", views.CanvasView.as_view(), name="canvas"),
    path(IMAGE, views.ImageServiceView.as_view(), name="image-service"),
    path(f"{IMAGE}/info.json", views.ImageInfoView.as_view(), name="image-info"),
    path(
        f"{IMAGE}/<str:region>/<str:size>/<str:rotation>/<str:quality>.<str:format>",
        views.ImageFileView.as_view(),
        name="image-file",
    ),
]
