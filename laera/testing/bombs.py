"""Hostile files for the import tests, small on disk: a workbook whose one cell unpacks to hundreds of
megabytes, sheets of millions of blank rows, and plain workbooks written by hand as a spreadsheet
program writes them (so that these helpers need no spreadsheet library)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
MEGABYTE = 1024 * 1024


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row(number: int, cells: Sequence[str]) -> str:
    inner = "".join(
        f'<c r="{_column(i)}{number}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
        for i, text in enumerate(cells)
        if text
    )
    return f'<row r="{number}">{inner}</row>'


def _workbook(sheet_parts: Iterable[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for part in sheet_parts:
                sheet.write(part)
    return buffer.getvalue()


def xlsx(rows: Sequence[Sequence[str]]) -> bytes:
    """A plain workbook with one sheet holding `rows` of text."""
    body = "".join(_row(number, cells) for number, cells in enumerate(rows, start=1))
    return _workbook([(_SHEET_START + body + _SHEET_END).encode("utf-8")])


def xlsx_cell_bomb(header: Sequence[str], megabytes: int = 400) -> bytes:
    """A workbook of about 400 KB whose second row's first cell unpacks to `megabytes` of text."""

    def parts() -> Iterable[bytes]:
        yield (_SHEET_START + _row(1, header) + '<row r="2"><c r="A2" t="inlineStr"><is><t>').encode()
        chunk = b"A" * MEGABYTE
        for _ in range(megabytes):
            yield chunk
        yield ("</t></is></c></row>" + _SHEET_END).encode()

    return _workbook(parts())


def xlsx_blank_rows(header: Sequence[str], last: Sequence[str], blank: int = 2_000_000) -> bytes:
    """A workbook of a few hundred bytes: the header, `blank` rows that are not written at all (a reader
    fills them in as empty rows), then one more row."""
    body = _row(1, header) + _row(blank + 2, last)
    return _workbook([(_SHEET_START + body + _SHEET_END).encode("utf-8")])


def xlsx_written_blank_rows(header: Sequence[str], blank: int = 2_000_000, *, sized: bool = False) -> bytes:
    """A workbook of about 5 MB whose sheet writes out `blank` empty rows after the header; `sized`
    states the sheet's size in a dimension element first, as spreadsheet programs do."""
    head = _SHEET_START
    if sized:
        head = head.replace("<sheetData>", f'<dimension ref="A1:A{blank + 1}"/><sheetData>')

    def parts() -> Iterable[bytes]:
        yield (head + _row(1, header)).encode()
        for start in range(2, blank + 2, 100_000):
            yield "".join(f'<row r="{n}"/>' for n in range(start, min(start + 100_000, blank + 2))).encode()
        yield _SHEET_END.encode()

    return _workbook(parts())


def xlsx_long_cell(header: Sequence[str], characters: int) -> bytes:
    """A workbook whose second row's first cell holds `characters` characters of text that packs no
    better than ordinary text does."""
    text = "".join(chr(97 + (n * 7919) % 26) for n in range(characters))
    return xlsx([header, [text]])


def csv_blank_rows(header: str, blank: int = 2_000_000) -> bytes:
    """A CSV file of the header and `blank` empty lines (about 2 MB)."""
    return (header + "\r\n" + "\r\n" * blank).encode("utf-8")


def csv_of_size(header: str, row: str, size: int) -> bytes:
    """A CSV file of at least `size` bytes: the header and `row` repeated."""
    line = (row + "\r\n").encode("utf-8")
    return (header + "\r\n").encode("utf-8") + line * (size // len(line) + 1)


def deep_json(levels: int = 100_000) -> bytes:
    """JSON nested `levels` deep: a list in a list in a list..."""
    return b"[" * levels + b"]" * levels
