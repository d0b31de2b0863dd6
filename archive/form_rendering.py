"""The form renderer: Django's own widget templates through Jinja2, everything else through Django's engine.

Django ships every template of `django/forms/` for both engines with the same markup. Jinja2 renders them
several times faster, which is what a large admin form is made of: the change form of a source with
25 people, 12 places, 6 notes and 8 images renders about 300 widgets, labels and error lists, and through
the Django engine they were most of its time. The admin's own widget templates (autocomplete, related
links) and any project template exist for the Django engine only, and are rendered by it.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property

FAST_PREFIX = "django/forms/"


class FastFormRenderer(BaseRenderer):
    @cached_property
    def jinja2(self):
        return Jinja2()

    @cached_property
    def django(self):
        return DjangoTemplates()

    def get_template(self, template_name):
        if template_name.startswith(FAST_PREFIX):
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                pass
        return self.django.get_template(template_name)
