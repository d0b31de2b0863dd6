"""The language switcher's endpoint: Django's set_language, without a CSRF token.

The only thing it changes is the visitor's own language cookie, so a forged request could at worst switch
someone's interface language. Requiring a token would put a CSRF cookie on every public page (the switcher is
in the header), and a page that sets a cookie is never stored by the public page cache (archive/cache.py).
The name stays un-namespaced, as Django's own `django.conf.urls.i18n` names it.
"""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path("setlang/", csrf_exempt(set_language), name="set_language"),
]
