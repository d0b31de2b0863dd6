"""Django's own widget templates render through Jinja2; the admin's widgets still through Django's engine."""

from django import forms
from django.forms.renderers import get_default_renderer

from archive.form_rendering import FastFormRenderer


class SampleForm(forms.Form):
    title = forms.CharField(label="Title", max_length=10)
    kind = forms.ChoiceField(choices=[("letter", "Letter"), ("report", "People's report")])


def test_the_project_renders_forms_with_the_fast_renderer():
    assert isinstance(get_default_renderer(), FastFormRenderer)


def test_django_widget_templates_come_from_jinja2_and_others_from_django_templates():
    renderer = FastFormRenderer()
    assert renderer.get_template("django/forms/widgets/select.html").__module__.endswith("jinja2")
    assert renderer.get_template("admin/widgets/related_widget_wrapper.html").__module__.endswith("django")


def test_a_form_renders_the_same_fields_and_escapes_its_values():
    html = SampleForm({"title": "<b>", "kind": "report"}).as_div()
    assert '<input type="text" name="title" value="&lt;b&gt;" maxlength="10" required id="id_title">' in html
    assert '<option value="report" selected>People&#39;s report</option>' in html
