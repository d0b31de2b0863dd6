"""Operations endpoints, outside the public pages and the i18n prefix."""

from django.urls import path

from . import health

app_name = "ops"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
]
