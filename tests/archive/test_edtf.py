from datetime import date

import pytest
from django.core.exceptions import ValidationError

from archive.edtf import date_range
from tests.factories import SourceFactory


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("1934-11-27", date(1934, 11, 27), date(1934, 11, 27)),
        ("1934-11", date(1934, 11, 1), date(1934, 11, 30)),
        ("1936-03~", date(1936, 3, 1), date(1936, 3, 31)),
        ("1939-05-11/1939-09-16", date(1939, 5, 11), date(1939, 9, 16)),
        ("1937", date(1937, 1, 1), date(1937, 12, 31)),
        ("1936-21", date(1936, 3, 1), date(1936, 5, 31)),  # spring 1936
        ("193X", date(1930, 1, 1), date(1939, 12, 31)),
        ("", None, None),
    ],
)
def test_date_range_gives_earliest_and_latest_day(value, start, end):
    derived = date_range(value)
    assert (derived.start, derived.end) == (start, end)


@pytest.mark.parametrize("value", ["27.11.1934", "1939-02-30", "spring 1936", "1939-09-16/1939-05-11", "1939-05-11/.."])
def test_bad_edtf_is_an_error_naming_the_value(value):
    with pytest.raises(ValidationError) as excinfo:
        date_range(value)
    assert value in excinfo.value.messages[0]


@pytest.mark.django_db
def test_model_validation_reports_bad_edtf_on_its_field():
    source = SourceFactory.build(date_edtf="весна 1936")
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean(exclude=["repository"])
    assert "весна 1936" in excinfo.value.message_dict["date_edtf"][0]


@pytest.mark.django_db
def test_saving_derives_start_and_end_from_edtf():
    source = SourceFactory(date_edtf="1939-05-11/1939-09-16")
    source.refresh_from_db()
    assert (source.date_start, source.date_end) == (date(1939, 5, 11), date(1939, 9, 16))
    source.date_edtf = ""
    source.save()
    source.refresh_from_db()
    assert (source.date_start, source.date_end) == (None, None)
