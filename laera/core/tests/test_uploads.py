"""Bounded reading of uploads: sizes, workbook archives, rows and cells, JSON depth."""

from __future__ import annotations

import codecs
import io
import json
import zipfile
from typing import Any

import pytest
from django.utils import translation

from laera.core import uploads
from laera.core.uploads import ImportFileError
from laera.testing import bombs


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _read(data: bytes, name: str, **kwargs: Any) -> list[tuple[int, list[str]]]:
    return list(uploads.read_table(io.BytesIO(data), name, **kwargs))


# Size ---------------------------------------------------------------------------------------------


def test_a_file_is_read_up_to_the_limit_and_not_past_it(settings: Any) -> None:
    settings.LAERA_UPLOAD_MAX_BYTES = 10
    assert uploads.read_bytes(io.BytesIO(b"0123456789")) == b"0123456789"
    stream = io.BytesIO(b"0123456789A" + b"B" * 1000)
    with pytest.raises(ImportFileError, match="larger than 10"):
        uploads.read_bytes(stream)
    assert stream.tell() == 11  # never more than one byte past the limit


def test_a_declared_size_over_the_limit_is_refused_unread() -> None:
    upload = uploads.OversizedUpload("people.csv", "text/csv", 50 * 1024 * 1024, None)
    with pytest.raises(ImportFileError, match="larger than"):
        uploads.read_bytes(upload)


def test_the_upload_handler_drops_what_is_past_the_limit(settings: Any) -> None:
    settings.LAERA_UPLOAD_MAX_BYTES = 100
    handler = uploads.UploadLimitHandler()
    handler.new_file("file", "people.csv", "text/csv", 1000)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    assert handler.receive_data_chunk(b"x" * 60, 60) is None
    kept = handler.file_complete(120)
    assert isinstance(kept, uploads.OversizedUpload) and kept.size == 120 and kept.read() == b""
    small = uploads.UploadLimitHandler()
    small.new_file("file", "people.csv", "text/csv", 10)
    assert small.receive_data_chunk(b"x" * 10, 0) == b"x" * 10
    assert small.file_complete(10) is None  # the next handler keeps the file


# Workbooks --------------------------------------------------------------------------------------------


def _zip(parts: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_plain_workbook_is_read() -> None:
    data = bombs.xlsx([["name", "email"], ["Kari", "kari@example.org"], [], ["Ola", ""]])
    assert _read(data, "people.xlsx") == [
        (1, ["name", "email"]),
        (2, ["Kari", "kari@example.org"]),
        (3, []),
        (4, ["Ola"]),
    ]


def test_too_many_parts() -> None:
    data = _zip({f"part{n}.xml": b"<x/>" for n in range(uploads.XLSX_MAX_PARTS + 1)})
    with pytest.raises(ImportFileError, match="more than 500 parts"):
        uploads.check_xlsx_archive(data)


def test_a_part_that_unpacks_too_far_or_too_tightly() -> None:
    with pytest.raises(ImportFileError, match="unpacks to far more data"):
        uploads.check_xlsx_archive(bombs.xlsx_cell_bomb(["name"], megabytes=60))
    tight = _zip({"xl/sharedStrings.xml": b"<sst>" + b"A" * (2 * 1024 * 1024) + b"</sst>"})
    with pytest.raises(ImportFileError, match="far more than its size suggests"):
        uploads.check_xlsx_archive(tight)


def test_a_workbook_that_is_not_a_zip_archive() -> None:
    with pytest.raises(ImportFileError, match="could not be read"):
        _read(b"PK\x03\x04 not really", "people.xlsx")
    with pytest.raises(ImportFileError, match="could not be read"):
        _read(_zip({"hello.txt": b"hello"}), "people.xlsx")


def test_rows_are_counted_while_reading_blank_ones_too() -> None:
    rows = [["name"], *([[]] * 8), ["Kari"]]
    assert len(_read(bombs.xlsx(rows), "f.xlsx", max_lines=10)) == 10
    with pytest.raises(ImportFileError, match="more than 9 rows"):
        _read(bombs.xlsx(rows), "f.xlsx", max_lines=9)
    with pytest.raises(ImportFileError, match="more than 9 rows"):
        _read(bombs.xlsx_blank_rows(["name"], ["Kari"], blank=8), "f.xlsx", max_lines=9)
    with pytest.raises(ImportFileError, match="more than 9 rows"):
        _read(bombs.xlsx_written_blank_rows(["name"], blank=9), "f.xlsx", max_lines=9)
    with pytest.raises(ImportFileError, match="more than 9 rows"):
        _read(bombs.xlsx_written_blank_rows(["name"], blank=9, sized=True), "f.xlsx", max_lines=9)


def test_cells_longer_than_any_field() -> None:
    fits = bombs.xlsx_long_cell(["name"], uploads.MAX_CELL_LENGTH)
    assert len(_read(fits, "f.xlsx")[1][1][0]) == uploads.MAX_CELL_LENGTH
    with pytest.raises(ImportFileError, match="Line 2 has a cell longer than 20000 characters"):
        _read(bombs.xlsx_long_cell(["name"], uploads.MAX_CELL_LENGTH + 1), "f.xlsx")
    with pytest.raises(ImportFileError, match="The workbook has a cell longer than 20000 characters"):
        _read(bombs.xlsx_long_cell(["name"], 10 * uploads.MAX_CELL_LENGTH), "f.xlsx")


def test_only_the_first_columns_are_read() -> None:
    wide = [["name", *([""] * (uploads.MAX_COLUMNS + 10)), "far away"]]
    ((_line, cells),) = _read(bombs.xlsx(wide), "f.xlsx")
    assert cells == ["name"]


# CSV ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("name;email\nKari;k@x.no\n", [["name", "email"], ["Kari", "k@x.no"]]),
        ("name,email\r\nKari,k@x.no\r\n", [["name", "email"], ["Kari", "k@x.no"]]),
        ("name\temail\n", [["name", "email"]]),
        ('"a;b",c\n', [["a;b", "c"]]),
        ("\n\nname;x\n", [[], [], ["name", "x"]]),
        ("name;email\rKari;k@x.no\r", [["name", "email"], ["Kari", "k@x.no"]]),
    ],
)
def test_csv_delimiters_and_line_ends(text: str, rows: list[list[str]]) -> None:
    assert [cells for _line, cells in _read(text.encode("utf-8"), "f.csv")] == rows


def test_csv_encodings() -> None:
    text = "navn;e-post\nÅse Øren;ase@x.no\n"
    for data in (
        text.encode("utf-8"),
        codecs.BOM_UTF8 + text.encode("utf-8"),
        text.encode("cp1252"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    ):
        assert _read(data, "f.csv")[1] == (2, ["Åse Øren", "ase@x.no"])


def test_csv_lines_and_cells_are_limited() -> None:
    with pytest.raises(ImportFileError, match="more than 5 rows"):
        _read(bombs.csv_blank_rows("name", blank=5), "f.csv", max_lines=5)
    assert len(_read(bombs.csv_blank_rows("name", blank=4), "f.csv", max_lines=5)) == 5
    with pytest.raises(ImportFileError, match="Line 2 has a cell longer"):
        _read(("name\n" + "x" * (uploads.MAX_CELL_LENGTH + 1)).encode(), "f.csv")
    with pytest.raises(ImportFileError, match="Line 3 has a cell longer"):
        _read(("name\nok\n" + "x" * 200_000).encode(), "f.csv")


def test_binary_and_foreign_files() -> None:
    with pytest.raises(ImportFileError, match="could not be read"):
        _read(b"name\x00email", "f.csv")
    with pytest.raises(ImportFileError, match="could not be read"):
        _read(bombs.xlsx([["name"]]), "f.csv")
    with pytest.raises(ImportFileError, match="Only CSV"):
        uploads.read_table(io.BytesIO(b""), "people.xls")


# JSON ---------------------------------------------------------------------------------------------


def test_json_depth_is_checked_before_parsing() -> None:
    assert uploads.load_json("[" * 32 + "]" * 32) == json.loads("[" * 32 + "]" * 32)
    with pytest.raises(ImportFileError, match="more than 32 levels deep"):
        uploads.load_json("[" * 33 + "]" * 33)
    with pytest.raises(ImportFileError, match="more than 32 levels deep"):
        uploads.load_json(bombs.deep_json(100_000))
    with pytest.raises(ImportFileError, match="more than 3 levels deep"):
        uploads.load_json('{"a": [{"b": [1]}]}', max_depth=3)


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"text": "[" * 1000 + "{" * 1000}),
        json.dumps({"text": 'quote " and backslash \\ then [[[[[[[[' * 100}),
        json.dumps(["\\" * 99 + "[" * 99]),
    ],
)
def test_brackets_inside_strings_do_not_count(text: str) -> None:
    assert uploads.load_json(text, max_depth=3) == json.loads(text)


def test_the_depth_scan_reads_a_string_once_whatever_it_holds() -> None:
    # Many unclosed strings and escapes: each is scanned to its end once, not once per quote.
    assert not uploads.json_depth_exceeds('"\\"' * 200_000 + "[]", 3)
    assert uploads.json_depth_exceeds("[[[[" + '"\\' * 200_000, 3)
    assert not uploads.json_depth_exceeds('"' + "[" * 200_000, 3)


def test_json_size_nul_and_encodings(settings: Any) -> None:
    settings.LAERA_UPLOAD_MAX_BYTES = 20
    with pytest.raises(ImportFileError, match="larger than"):
        uploads.load_json(b'{"a": "' + b"x" * 20 + b'"}')
    with pytest.raises(ImportFileError, match="larger than"):
        uploads.load_json('{"a": "' + "æ" * 8 + '"}')  # 16 characters, 24 bytes
    with pytest.raises(ImportFileError, match="NUL"):
        uploads.load_json(b'{"a": "\x00"}')
    settings.LAERA_UPLOAD_MAX_BYTES = 100
    assert uploads.load_json('{"a": "b"}'.encode("utf-16")) == {"a": "b"}
    with pytest.raises(ValueError):
        uploads.load_json(b"{")
