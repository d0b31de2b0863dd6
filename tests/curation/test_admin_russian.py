"""The admin in Russian: applications, models, counts, choices, permissions and messages read as Russian, and a
language switcher in the header of every admin page changes the language."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse

from archive.models import Source
from tests.factories import CommentaryFactory, EventFactory, PlaceFactory, SourceFactory, SubjectFactory
from tests.visible_text import visible_text

pytestmark = pytest.mark.django_db


def _switch(client, language: str, next_url: str = "/curation/"):
    """What the header's language switcher sends."""
    return client.get(reverse("archive:language"), {"language": language, "next": next_url})


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.text)


def test_the_dashboard_names_every_application_and_model_in_russian(admin_client):
    CommentaryFactory()
    _switch(admin_client, "ru")
    text = _text(admin_client, reverse("admin:index"))
    for english in ("Axes", "Tasks Database Backend", "Task Result", "Commentary"):
        assert english.lower() not in text.lower(), english
    for russian in ("Попытки входа", "Фоновые задачи", "Результаты задач", "Комментарии"):
        assert russian in text, russian


def test_third_party_changelists_are_russian(admin_client):
    _switch(admin_client, "ru")
    text = _text(admin_client, reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert "Task Result" not in text and "Результаты задач" in text and "0 результатов задач" in text
    text = _text(admin_client, reverse("admin:axes_accessattempt_changelist"))
    assert "Axes" not in text and "Попытки входа" in text and "0 попыток доступа" in text


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "1 документ"), (2, "2 документа"), (5, "5 документов"), (21, "21 документ")],
)
def test_a_changelist_counts_in_the_form_the_number_needs(curator_client, number, words):
    SourceFactory.create_batch(number)
    _switch(curator_client, "ru")
    text = _text(curator_client, reverse("admin:archive_source_changelist"))
    assert words in text.splitlines()
    assert "документы" not in re.findall(r"\d+ (\w+)", text)  # "5 документы"


def test_counts_of_other_records_agree_too(curator_client):
    PlaceFactory.create_batch(5)
    SubjectFactory.create_batch(3)
    EventFactory.create_batch(2)
    CommentaryFactory()
    _switch(curator_client, "ru")
    assert "5 мест" in _text(curator_client, reverse("admin:archive_place_changelist")).splitlines()
    assert "3 темы" in _text(curator_client, reverse("admin:archive_subject_changelist")).splitlines()
    assert "2 события" in _text(curator_client, reverse("admin:archive_event_changelist")).splitlines()
    text = _text(curator_client, reverse("admin:archive_commentary_changelist"))
    assert "1 комментарий" in text.splitlines() and "Комментарии" in text and "Commentary" not in text


def test_an_empty_choice_reads_russian(curator_client):
    _switch(curator_client, "ru")
    text = _text(curator_client, reverse("admin:archive_source_add"))
    assert "Select an option" not in text
    assert "- Выберите -" in text


def test_a_bulk_step_counts_its_records_in_russian(make_member):
    from django.test import Client

    client = Client()
    client.force_login(make_member("Editor"))
    sources = SourceFactory.create_batch(5, status="review")
    _switch(client, "ru")
    response = client.post(
        reverse("admin:archive_source_changelist"),
        {"action": "publish_selected", ACTION_CHECKBOX_NAME: [s.pk for s in sources]},
        follow=True,
    )
    assert Source.objects.published().count() == 5
    assert "Опубликовать: 5 записей." in visible_text(response.text)


def test_a_saved_record_is_announced_in_words_that_fit_its_name(curator_client):
    subject = SubjectFactory(term="Military cooperation")
    _switch(curator_client, "ru")
    url = reverse("admin:archive_subject_change", args=[subject.pk])
    data = {
        "identifier": subject.identifier,
        "slug": subject.slug,
        "term": subject.term,
        "scope_note": "Сотрудничество.",
    }
    response = curator_client.post(url, data, follow=True)
    text = visible_text(response.text).replace("\n", "")  # the record's name is a link
    assert "Изменения сохранены: тема «Military cooperation»." in text
    assert "был успешно изменен" not in text  # Django's Russian: "Тема … был успешно изменен"


def test_the_export_page_names_the_columns_in_russian(curator_client):
    _switch(curator_client, "ru")
    text = _text(curator_client, reverse("admin:archive_event_export"))
    assert "Название на языке оригинала (name_original)" in text.splitlines()
    assert "Адрес (slug)" in text.splitlines()
    assert "Name Original" not in text and "Date Edtf" not in text


def test_permissions_are_named_in_russian(admin_client):
    _switch(admin_client, "ru")
    group = Group.objects.create(name="Readers")
    text = _text(admin_client, reverse("admin:auth_group_change", args=[group.pk]))
    assert "Архивные записи | документ | Может добавлять: документ" in text
    assert "Архивные записи | документ | Может публиковать и снимать с публикации: документы" in text
    assert "Can add" not in text and "Can publish" not in text and "historical" not in text


def test_a_deletion_names_the_links_it_takes_in_russian(admin_client):
    source = SourceFactory()
    source.places.add(PlaceFactory(name="Ulaanbaatar"))
    _switch(admin_client, "ru")
    text = _text(admin_client, reverse("admin:archive_source_delete", args=[source.pk]))
    assert "связи документ – место: 1" in text.lower()
    assert "relationship" not in text and "Source_places object" not in text


def test_languages_are_named_in_russian(curator_client):
    from tests.factories import LanguageFactory

    LanguageFactory(code="ru", name="Russian")
    LanguageFactory(code="mn", name="Mongolian")
    _switch(curator_client, "ru")
    text = _text(curator_client, reverse("admin:archive_source_changelist"))  # the filter by language
    assert "Русский (ru)" in text and "Монгольский (mn)" in text
    assert "Russian (ru)" not in text and "Mongolian (mn)" not in text


def test_import_batches_name_their_kind_in_russian(admin_client, admin_user):
    from curation.models import ImportBatch

    ImportBatch.objects.create(kind="subjects", user=admin_user, file_name="terms.csv")
    _switch(admin_client, "ru")
    text = _text(admin_client, reverse("admin:curation_importbatch_changelist"))
    assert "Темы" in text.splitlines() and "subjects" not in text


# English a Russian page may show on purpose: technical names, formats, and the English examples of the fields
# that hold English (a repository's name in English, e.g. Moscow).
TECHNICAL = {
    *"CSV csv UTF BOM Windows EDTF slug ID Markdown HTML https ISO QID JPEG PNG TIFF WebP SHA".split(),
    *"Control Command Mac English".split(),  # Django's help for a multiple select; the switcher's own-name option
    *"Stalin Joseph Moscow Ulaanbaatar Battles of Khalkhin Gol Russian Choibalsan ojbalsan ru mn en ja".split(),
    *"protocol RGASPI".split(),
    *"tsv txt manage py import records".split(),  # file name endings and the command for large files
    "c",  # the suffix of a note's made identifier, RGASPI-558-11-123-c1
}


def _data_words() -> set[str]:
    """Every Latin word the records and accounts hold: what the curator typed or uploaded (file names), not the
    interface."""
    from django.apps import apps
    from django.db import models

    words = set()
    for model in [*apps.get_app_config("archive").get_models(), apps.get_model("auth", "User")]:
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.FileField)
        ]
        if not fields:  # values_list() without names would give every column
            continue
        for row in model.objects.values_list(*fields):
            words |= {word for value in row for word in re.findall(r"[A-Za-z]+", value or "")}
    return words


def test_a_curators_pages_show_no_english_beyond_the_records(curator_client):
    from curation.demo import load_demo
    from curation.transfer.formats import KINDS

    load_demo()
    source = Source.objects.get(identifier="RGASPI-DEMO-1936-03-12")
    _switch(curator_client, "ru")
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for name in ("source", "event", "commentary", "agent", "place", "subject", "repository", "language"):
        urls += [reverse(f"admin:archive_{name}_changelist"), reverse(f"admin:archive_{name}_add")]
    for name in ("source", "event", "place", "subject"):
        urls += [reverse(f"admin:archive_{name}_export"), reverse(f"admin:archive_{name}_deleted")]
    urls += [reverse("admin:archive_source_import"), reverse("admin:archive_subject_import")]
    urls += [reverse(f"admin:archive_source_{view}", args=[source.pk]) for view in ("change", "history")]
    urls += [reverse("admin:archive_source_transition", args=[source.pk, "submit"])]
    allowed = TECHNICAL | _data_words() | {word for kind in KINDS.values() for word in "_".join(kind.header).split("_")}
    english = {}
    for url in urls:
        for word in re.findall(r"[A-Za-z]+", _text(curator_client, url)):
            if word not in allowed:
                english.setdefault(word, url)
    assert not english, english
