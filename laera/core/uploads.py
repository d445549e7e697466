"""Bounded reading of uploaded files: every import in Læra reads its file through this module.

Everything is checked before the content is parsed, and each refusal is an `ImportFileError` with a
translated message; nothing is saved by then.

* Size: at most `settings.LAERA_UPLOAD_MAX_BYTES` per file. `UploadLimitHandler` stops keeping an upload
  past that size while the request is read, and `read_bytes` refuses it (or any larger file) unread.
* Excel workbooks (.xlsx) are zip archives: the archive's directory is read first, and the workbook is
  refused before openpyxl sees it when it has too many parts, when a part or all parts together unpack to
  too much, or when a part unpacks to far more than its packed size (a "zip bomb"). Python's zip reader
  never unpacks more than a part's declared size, so the declared sizes bound the work. Then every part
  is unpacked once, piece by piece, and refused for a text longer than any cell may hold or for a sheet
  of more than `max_lines` rows that does not state its size (openpyxl would read it to its end just to
  open the workbook).
* Tables (CSV and XLSX): at most `max_lines` rows, counted while reading and blank rows included, so a
  sheet of millions of empty rows stops early; no cell longer than `MAX_CELL_LENGTH` characters; only
  the first `MAX_COLUMNS` columns are read.
* JSON: the size as above, no NUL character, and a nesting depth of at most `MAX_JSON_DEPTH`, found by a
  scan that skips brackets inside strings before `json.loads` runs.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Generator
from pathlib import PurePath
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from .errors import ServiceError
from .limits import LONG_TEXT_MAX_LENGTH

DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_LINES = 25_000  # 20,000 people and their header, with room for blank rows
MAX_CELL_LENGTH = LONG_TEXT_MAX_LENGTH  # no field in Læra holds more
MAX_COLUMNS = 256
MAX_JSON_DEPTH = 32  # a plan with its sub-plans needs about 15

# A workbook as Excel, LibreOffice and HR systems write it has a few dozen parts that unpack to a few
# megabytes; a 20,000-row sheet with many columns stays well below these.
XLSX_MAX_PARTS = 500
XLSX_MAX_PART_BYTES = 50 * 1024 * 1024
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
XLSX_MAX_RATIO = 100  # unpacked size per packed byte, for parts above XLSX_RATIO_FLOOR
XLSX_RATIO_FLOOR = 1024 * 1024


class ImportFileError(ServiceError):
    """The file as a whole cannot be imported: wrong type, unreadable, no header, too large."""


def upload_max_bytes() -> int:
    return int(getattr(settings, "LAERA_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def _too_large(limit: int) -> ImportFileError:
    return ImportFileError(
        _("The file is larger than %(size)s. Split it into smaller files.") % {"size": filesizeformat(limit)}
    )


def unreadable() -> ImportFileError:
    return ImportFileError(
        _("The file could not be read. Save it from Excel as CSV (UTF-8) or as an Excel workbook (.xlsx).")
    )


# Size ---------------------------------------------------------------------------------------------


class OversizedUpload(UploadedFile):
    """What is left of an upload that passed the size limit: its name and size, none of its content."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class UploadLimitHandler(FileUploadHandler):
    """Keeps no more of an uploaded file than `LAERA_UPLOAD_MAX_BYTES`: past that, the rest of the file is
    read from the request and dropped, and the form receives an `OversizedUpload`, which `read_bytes`
    refuses with a message. Listed first in `FILE_UPLOAD_HANDLERS`."""

    received = 0
    limit = DEFAULT_UPLOAD_MAX_BYTES

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = upload_max_bytes()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return None if self.received > self.limit else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > self.limit:
            return OversizedUpload(self.file_name or "", self.content_type or "", self.received, self.charset)
        return None


def read_bytes(fileobj: BinaryIO, *, max_bytes: int | None = None) -> bytes:
    """The whole file, or `ImportFileError` when it is larger than the limit (not read past it)."""
    limit = upload_max_bytes() if max_bytes is None else max_bytes
    declared = getattr(fileobj, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(limit)
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


# Excel workbooks ------------------------------------------------------------------------------------


def _unpacks_too_much(total: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The workbook unpacks to far more data than a spreadsheet of this kind holds "
            "(%(size)s or more), so it is not read. Save only the sheet to import, or split it "
            "into smaller files."
        )
        % {"size": filesizeformat(min(total, XLSX_MAX_UNPACKED_BYTES))}
    )


def check_xlsx_archive(data: bytes, *, max_lines: int = DEFAULT_MAX_LINES) -> None:
    """Refuse a workbook whose zip directory promises more work than a real spreadsheet needs, then
    read every part once, unpacking it piece by piece, for what a spreadsheet library would only find
    after building it in memory: a text longer than any cell may hold, and a sheet of more than
    `max_lines` rows that does not state its size (openpyxl reads such a sheet to its end just to
    open the workbook)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > XLSX_MAX_PARTS:
                raise ImportFileError(
                    ngettext(
                        "The workbook has more than %(max)s part, which no spreadsheet needs. "
                        "Save it again from your spreadsheet program.",
                        "The workbook has more than %(max)s parts, which no spreadsheet needs. "
                        "Save it again from your spreadsheet program.",
                        XLSX_MAX_PARTS,
                    )
                    % {"max": XLSX_MAX_PARTS}
                )
            total = 0
            for part in parts:
                total += part.file_size
                ratio_too_high = part.file_size > XLSX_RATIO_FLOOR and part.file_size > XLSX_MAX_RATIO * max(
                    part.compress_size, 1
                )
                if part.file_size > XLSX_MAX_PART_BYTES or total > XLSX_MAX_UNPACKED_BYTES:
                    raise _unpacks_too_much(total)
                if ratio_too_high:
                    raise ImportFileError(
                        _(
                            "The workbook unpacks to far more than its size suggests, as no real "
                            "spreadsheet does, so it is not read. Save it again from your spreadsheet "
                            "program."
                        )
                    )
            for part in parts:
                with archive.open(part) as stream:
                    _scan_part(stream, max_lines)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise unreadable() from exc


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(dimension|sheetData|row)\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d{1,10})["']""")
# The most bytes a cell's text can take in the XML: four per character, with room for entities.
_LONGEST_TEXT_BYTES = MAX_CELL_LENGTH * 6


def _scan_part(stream: IO[bytes], max_lines: int) -> None:
    """Read one part of the workbook in pieces: no run of text between tags may be longer than a cell
    may hold, and a sheet without its size stated may have at most `max_lines` rows."""
    tail = b""
    state = "head"  # head: before sheetData; rows: counting them; sized: a sheet that states its size
    row = 0
    while True:
        chunk = stream.read(1024 * 1024)
        buffer = tail + chunk
        cut = len(buffer) if not chunk else buffer.rfind(b"<")
        if cut <= 0:
            cut = 0
        done, tail = buffer[:cut], buffer[cut:]
        if len(tail) > _LONGEST_TEXT_BYTES or (
            done and max(map(len, done.split(b"<"))) > _LONGEST_TEXT_BYTES
        ):
            raise ImportFileError(
                ngettext(
                    "The workbook has a cell longer than %(max)s character, more than any field in Læra "
                    "holds.",
                    "The workbook has a cell longer than %(max)s characters, more than any field in Læra "
                    "holds.",
                    MAX_CELL_LENGTH,
                )
                % {"max": MAX_CELL_LENGTH}
            )
        if state != "sized":
            for tag in _TAG.finditer(done):
                name = tag.group(1)
                if state == "head" and name == b"dimension":
                    state = "sized"
                    break
                if name == b"sheetData":
                    state = "rows"
                elif name == b"row" and state == "rows":
                    number = _ROW_NUMBER.search(tag.group(2))
                    row = int(number.group(1)) if number else row + 1
                    if row > max_lines:
                        raise _too_many_lines(max_lines)
        if not chunk:
            return


# Tables -------------------------------------------------------------------------------------------


def _too_many_lines(max_lines: int) -> ImportFileError:
    return ImportFileError(
        ngettext(
            "The file has more than %(max)s row (empty rows count too). Remove the empty rows or split "
            "it into smaller files.",
            "The file has more than %(max)s rows (empty rows count too). Remove the empty rows or split "
            "it into smaller files.",
            max_lines,
        )
        % {"max": max_lines}
    )


def _cell_too_long(line: int) -> ImportFileError:
    return ImportFileError(
        ngettext(
            "Line %(line)s has a cell longer than %(max)s character, more than any field in Læra holds.",
            "Line %(line)s has a cell longer than %(max)s characters, more than any field in Læra holds.",
            MAX_CELL_LENGTH,
        )
        % {"line": line, "max": MAX_CELL_LENGTH}
    )


def _checked(line: int, cells: list[str], max_lines: int) -> list[str]:
    if line > max_lines:
        raise _too_many_lines(max_lines)
    if any(len(cell) > MAX_CELL_LENGTH for cell in cells):
        raise _cell_too_long(line)
    return cells[:MAX_COLUMNS]


def read_table(
    fileobj: BinaryIO, filename: str, *, max_lines: int = DEFAULT_MAX_LINES
) -> Generator[tuple[int, list[str]]]:
    """The rows of a CSV or Excel (.xlsx) file as (line, cells), within the limits above.

    Raises `ImportFileError` at once for other kinds of file, and while reading for files that cannot
    be read or are too large.
    """
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".csv":
        return _csv_records(fileobj, max_lines)
    if suffix == ".xlsx":
        return _xlsx_records(fileobj, max_lines)
    raise ImportFileError(
        _("Only CSV (.csv) and Excel (.xlsx) files can be imported. %(name)s is neither.")
        % {"name": PurePath(filename or "").name}
    )


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise unreadable() from exc
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _sniff_delimiter(text: str) -> str:
    """`;` (Nordic Excel), `,` or tab: whichever occurs most in the first non-blank line."""
    first_line = ""
    for line in io.StringIO(text, newline=None):
        if line.strip():
            first_line = line
            break
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_records(fileobj: BinaryIO, max_lines: int) -> Generator[tuple[int, list[str]]]:
    data = read_bytes(fileobj)
    if data.startswith(b"PK\x03\x04"):  # An Excel workbook with a .csv name.
        raise unreadable()
    text = _decode(data)
    if "\x00" in text:  # Binary content, e.g. an old .xls file.
        raise unreadable()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _cell_too_long(line + 1) from exc
            raise unreadable() from exc
        line += 1
        yield line, _checked(line, cells, max_lines)


def _xlsx_records(fileobj: BinaryIO, max_lines: int) -> Generator[tuple[int, list[str]]]:
    data = read_bytes(fileobj)
    check_xlsx_archive(data, max_lines=max_lines)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for damaged or foreign files.
        raise unreadable() from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # Some exporters declare a wrong size; read every row there is.
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        line = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise unreadable() from exc
            line += 1
            if line > max_lines:
                raise _too_many_lines(max_lines)
            if values.count(None) == len(values):
                yield line, []
                continue
            end = len(values)
            while values[end - 1] is None:
                end -= 1
            yield line, _checked(line, [_cell_text(value) for value in values[:end]], max_lines)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# JSON ---------------------------------------------------------------------------------------------

# A string (to its closing quote, or to the end of an unclosed one) or a bracket. Possessive, so a
# string is scanned once whatever it holds.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.?+)*+(?:"|\Z)|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(text: str, max_depth: int) -> bool:
    """Whether arrays and objects in `text` nest deeper than `max_depth`; brackets in strings don't count."""
    if text.count("[") + text.count("{") <= max_depth:
        return False
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        character = text[token.start()]
        if character in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif character in "]}":
            depth -= 1
    return False


def load_json(
    data: str | bytes, *, max_bytes: int | None = None, max_depth: int = MAX_JSON_DEPTH, **options: Any
) -> Any:
    """`json.loads` after the checks above; `options` go to `json.loads`. Raises `ImportFileError` for a
    file too large, too deep or holding NUL characters, and `ValueError` for text that is not JSON."""
    limit = upload_max_bytes() if max_bytes is None else max_bytes
    if isinstance(data, bytes):
        if len(data) > limit:
            raise _too_large(limit)
        try:
            text = data.decode(json.detect_encoding(data))
        except UnicodeDecodeError as exc:
            raise ValueError(str(exc)) from exc
    else:
        text = data
        if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
            raise _too_large(limit)
    if "\x00" in text:
        raise ImportFileError(
            _("The file contains NUL characters, so it is not a text file. Check that it is the right file.")
        )
    if json_depth_exceeds(text, max_depth):
        raise ImportFileError(
            ngettext(
                "The file nests lists and objects more than %(max)s level deep, deeper than any file Læra "
                "reads.",
                "The file nests lists and objects more than %(max)s levels deep, deeper than any file Læra "
                "reads.",
                max_depth,
            )
            % {"max": max_depth}
        )
    return json.loads(text, **options)
