"""Reading curators' files: every line where it belongs, and a bad byte named by its line."""

import pytest

from curation.transfer.reading import SAMPLE_BYTES, FileError, open_csv

from .conftest import stream


def rows(data: bytes, **options) -> list[tuple[int, list[str]]]:
    return list(open_csv(stream(data), **options).rows)


def test_a_bad_byte_after_the_sampled_start_is_named_by_its_line():
    filler = "".join(f"R-{n},Запись беседы № {n}\r\n" for n in range(2, 2000)).encode()
    assert len(filler) > SAMPLE_BYTES  # detection sees clean UTF-8; the fault comes later
    data = b"identifier,title\r\n" + filler + "R-X,Телеграмма\r\n".encode("cp1251")

    with pytest.raises(FileError) as caught:
        rows(data)

    assert (caught.value.line, caught.value.message) == (
        2000,
        "Line 2000 is not valid utf-8: check the file's encoding.",
    )


def test_unicode_line_separators_stay_inside_their_cell():
    data = "identifier,title\r\nR-1,Первая\u2028вторая строка\r\nR-2,Ещё\x85одна\r\n".encode()

    assert rows(data) == [(2, ["R-1", "Первая\u2028вторая строка"]), (3, ["R-2", "Ещё\x85одна"])]


def test_a_quoted_cell_over_several_lines_keeps_them_and_the_next_row_its_line_number():
    data = 'identifier,title\r\nR-1,"Первая\r\nвторая"\r\nR-2,Третья\r\n'.encode()

    assert rows(data) == [(2, ["R-1", "Первая\r\nвторая"]), (4, ["R-2", "Третья"])]


def test_windows_1251_with_a_bom_free_header_and_classic_mac_line_ends():
    data = "identifier;title\rR-1;Протокол\rR-2;Запись\r".encode("cp1251")

    csv_file = open_csv(stream(data))

    assert (csv_file.encoding, csv_file.delimiter, csv_file.header) == ("cp1251", ";", ["identifier", "title"])
    assert list(csv_file.rows) == [(2, ["R-1", "Протокол"]), (3, ["R-2", "Запись"])]


def test_the_byte_order_mark_is_not_part_of_the_first_column_name():
    csv_file = open_csv(stream("\ufeffidentifier,title\r\nR-1,Протокол".encode()))

    assert (csv_file.encoding, csv_file.header) == ("utf-8-sig", ["identifier", "title"])
    assert list(csv_file.rows) == [(2, ["R-1", "Протокол"])]


def test_a_line_too_long_to_be_csv_is_refused_by_its_number(monkeypatch):
    from curation.transfer import reading

    monkeypatch.setattr(reading, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(reading, "BLOCK_BYTES", 512)
    data = b"identifier,title\r\nR-1,short\r\nR-2," + b"x" * 3000 + b"\r\n"

    with pytest.raises(FileError) as caught:
        rows(data)

    assert (caught.value.line, caught.value.message) == (3, "Line 3 is longer than 16 MB: is this a CSV file?")


def test_a_bad_byte_is_named_by_its_column_too_when_its_row_starts_on_its_line():
    filler = "".join(f"R-{n},Запись беседы № {n},RGASPI\r\n" for n in range(2, 2000)).encode()
    data = b"identifier,title,repository\r\n" + filler + "R-X,Телеграмма,RGASPI\r\n".encode("cp1251")

    with pytest.raises(FileError) as caught:
        rows(data)

    assert (caught.value.line, caught.value.column) == (2000, "title")


def test_a_stray_nul_is_text_with_a_fault_but_utf16_and_binary_files_are_refused_at_once():
    assert rows(b"identifier,title\r\nR-1,a\x00b\r\n") == [(2, ["R-1", "a\x00b"])]
    for data in (
        "identifier,title\r\n".encode("utf-16"),
        "identifier,title\r\n".encode("utf-16-le"),
        b"PK\x03\x04\x00",
    ):
        with pytest.raises(FileError, match="UTF-16 or binary"):
            rows(data)
