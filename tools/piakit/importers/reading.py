"""The source file of a comparison table read into records: numbered rows of cells.

Reads a ``.txt`` (tab-separated, no quoting: the seed's form), a ``.tsv`` or ``.csv``
(quoted as Excel and piakit write them) or one sheet of an ``.xlsx`` workbook (``--sheet``,
else the first). Text is decoded as given with ``--encoding``, else detected: UTF-16 with its
byte order mark, UTF-8 (with or without one), failing that cp932 (Shift_JIS), as Japanese
Excel saves it. :class:`TableSource` names a place in the source for every message.

It never interprets a cell (no header, no path, no value: ``importers.table`` does), and
reads only the one file it is given.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from piakit.errors import ImportTableError
from piakit.render.delimited import unescape_formula

__all__ = [
    "FALLBACK_ENCODING",
    "Record",
    "TableSource",
    "check_encoding",
    "decode_table",
    "read_records",
]

#: One record of the source: the line (or the sheet's row) where it starts, and its cells.
Record = tuple[int, list[str]]


@dataclass(frozen=True)
class TableSource:
    """Where the records of a table come from: a text file (in ``encoding``) or one sheet of
    a workbook. Messages name a place in it as ``FILE:LINE``, or ``FILE [SHEET] row N``."""

    path: Path
    sheet: str | None = None  #: the workbook's sheet read (``None``: a text table)
    encoding: str | None = None  #: the text's encoding as read (``None``: a workbook)

    def at(self, line: int | None) -> str:
        if self.sheet is None:
            return f"{self.path}:{line}" if line is not None else str(self.path)
        where = f"{self.path} [{self.sheet}]"
        return f"{where} row {line}" if line is not None else where

    @property
    def unit(self) -> str:
        """What a record's number counts: ``line`` in a text file, ``row`` in a sheet."""
        return "line" if self.sheet is None else "row"

    def error(self, line: int | None, message: str, hint: str) -> ImportTableError:
        """The error to raise for a problem at ``line`` (``None``: the whole source)."""
        return ImportTableError(f"{self.at(line)}: {message}", hint=hint)

    def column_hint(self, cells: Sequence[str]) -> str:
        """What to check when a record of the source has not the header's number of cells."""
        if self.sheet is not None:
            return "give every row the header's columns"
        if self.path.suffix.lower() == ".txt" and any(cell.startswith('"') for cell in cells):
            # Excel's 「テキスト (タブ区切り)」 quotes cells with line breaks; .txt is read as the
            # seed is written, without quoting.
            return (
                "the cells look quoted, as Excel saves tab-separated text: rename the file to "
                ".tsv, which is read with quotes"
            )
        return (
            "separate the cells with one tab each (a .csv or .tsv needs quotes around cells that "
            "hold the delimiter or line breaks)"
        )


#: What Japanese Excel writes for 「CSV (コンマ区切り)」 and 「テキスト (タブ区切り)」: Shift_JIS
#: with Microsoft's extensions (①, ㈱, 髙 …), which Python calls cp932.
FALLBACK_ENCODING = "cp932"
_ENCODING_HINT = (
    "save it as UTF-8 (Excel: 「CSV UTF-8 (コンマ区切り)」), or name its encoding with "
    "--encoding, e.g. --encoding cp932 or --encoding euc_jp"
)


#: What Python's cp932 makes of the single bytes 0x80, 0xa0 and 0xfd-0xff (C1 controls and
#: private-use characters): never in a table Excel saved, often in text of another encoding
#: (Windows-1252, say), so a text holding them is not taken for cp932.
_NOT_FROM_EXCEL = re.compile("[\x80-\x9f\uf8f0-\uf8f3]")


def check_encoding(name: str) -> str:
    """``name`` if Python knows it as a text encoding; a ``LookupError`` saying so if not."""
    # Not b"": Python decodes empty bytes without looking the codec up. LookupError for an
    # unknown name and for a bytes-to-bytes codec (base64, rot13); a real text encoding that
    # cannot read a lone "A" (utf-16) raises UnicodeDecodeError, which is no objection.
    with contextlib.suppress(UnicodeDecodeError):
        b"A".decode(name)
    return name


def decode_table(raw: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """``(text, encoding used)`` of a text table, without a byte order mark.

    With ``encoding``, exactly that one. Otherwise: UTF-16 when the file starts with its byte
    order mark (Excel's 「Unicode テキスト」); UTF-8, with or without a BOM; failing that,
    cp932, what Japanese Excel writes. Strict decoding is a reliable test here: Japanese
    cp932 text is practically never valid UTF-8, and UTF-8 is tried first. A file that is
    neither is an error naming the line of the first byte UTF-8 could not read.
    """
    source = TableSource(path)
    if encoding is not None:
        try:
            text = raw.decode(check_encoding(encoding))
        except LookupError:
            raise source.error(
                None, f"unknown encoding {encoding!r}", "e.g. --encoding cp932"
            ) from None
        except UnicodeDecodeError as exc:
            raise source.error(
                raw[: exc.start].count(b"\n") + 1,
                f"the table is not {encoding}: cannot decode byte 0x{raw[exc.start]:02x} "
                f"at offset {exc.start}",
                "give the encoding the file was saved in, or leave out --encoding to detect "
                "UTF-8 and cp932 (Shift_JIS)",
            ) from None
        return text.removeprefix("\ufeff"), encoding
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16").removeprefix("\ufeff"), "utf-16"
        except UnicodeDecodeError as exc:
            raise source.error(
                None,
                f"the table starts like UTF-16 but byte offset {exc.start} is not UTF-16",
                _ENCODING_HINT,
            ) from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            shift_jis: str | None = raw.decode(FALLBACK_ENCODING)
        except UnicodeDecodeError:
            shift_jis = None
        if shift_jis is not None and _NOT_FROM_EXCEL.search(shift_jis) is None:
            return shift_jis, FALLBACK_ENCODING
        offset = utf8_error.start
        raise source.error(
            raw[:offset].count(b"\n") + 1,
            f"the table is neither UTF-8 nor Shift_JIS (cp932): byte 0x{raw[offset]:02x} "
            f"at offset {offset} is not UTF-8",
            _ENCODING_HINT,
        ) from None


def _xlsx_records(path: Path, sheet: str | None) -> tuple[list[Record], str]:
    """The rows of one sheet of a workbook (``sheet``, or the first), numbered as Excel
    numbers them, and the sheet's name. Cells are read as text (numbers as written, e.g. a
    page ``10``); line breaks inside a cell stay."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TableSource(path).error(
            None,
            f"cannot read the workbook: {exc}",
            "save it again as .xlsx in Excel",
        ) from None
    records: list[Record] = []
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise TableSource(path).error(
                None,
                f"the workbook has no sheet named {sheet!r}",
                f"its sheets are: {', '.join(names)}; give one of them with --sheet",
            )
        name = sheet if sheet is not None else names[0]
        for number, row in enumerate(workbook[name].iter_rows(values_only=True), start=1):
            cells = ["" if v is None else _cell_text(v) for v in row]
            while cells and not cells[-1].strip():
                cells.pop()
            records.append((number, cells))
    finally:
        workbook.close()
    return records, name


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_records(
    path: Path, encoding: str | None = None, sheet: str | None = None
) -> tuple[list[Record], TableSource]:
    """``(first line, cells)`` of every record of the file, and where they come from."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        if encoding is not None:
            raise TableSource(path).error(
                None,
                "--encoding applies to text tables; a workbook has no text encoding",
                "leave out --encoding for .xlsx files",
            )
        records, name = _xlsx_records(path, sheet)
        return records, TableSource(path, sheet=name)
    if sheet is not None:
        raise TableSource(path).error(
            None,
            "--sheet applies to .xlsx workbooks only",
            "leave out --sheet for a text table",
        )
    if suffix not in (".txt", ".tsv", ".csv"):
        raise TableSource(path).error(
            None,
            f"cannot read {suffix or 'a file without extension'} tables",
            "give a .txt or .tsv (tab-separated), a .csv or an .xlsx file",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TableSource(path).error(
            None, f"cannot read the table: {exc.strerror}", "check the path"
        ) from None
    text, used = decode_table(raw, path, encoding)
    source = TableSource(path, encoding=used)
    if suffix == ".txt":
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return [(number, line.split("\t")) for number, line in enumerate(lines, start=1)], source
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if suffix == ".tsv" else ",")
    quoted_records: list[Record] = []
    start = 1
    try:
        for cells in reader:
            quoted_records.append((start, [unescape_formula(cell) for cell in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise source.error(
            reader.line_num,
            f"broken {suffix[1:]}: {exc}",
            "check the quotes of this record",
        ) from None
    return quoted_records, source
