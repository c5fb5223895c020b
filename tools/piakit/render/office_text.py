"""Text and packaging rules shared by the office renderers (xlsx, docx).

Item text may hold anything an editor pasted: control characters from Word, stray surrogates,
cells longer than Excel accepts. Here such text is made safe for XML 1.0 and for Excel's cell
limit, working on marked segments so that the underlines stay on the same characters. The office
packages are also made byte-for-byte reproducible. This module never raises on odd text and
imports no office library.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from typing import TypeVar

from piakit.model import ComparisonTable, MarkKind

#: A piece of a cell's text and its mark (``None`` for plain text), as ``Cell.segments()`` gives.
Segment = tuple[str, MarkKind | None]

#: How a piece of text is styled: a mark kind, or a renderer's own style name.
Style = TypeVar("Style")

#: Excel refuses a cell longer than this many characters (counted in UTF-16 code units).
EXCEL_CELL_LIMIT = 32_767

#: The font both office files name, for Japanese and Latin text alike: 游ゴシック (Yu Gothic) comes
#: with Windows and macOS. Where it is missing, LibreOffice asks fontconfig for the name in the
#: text's language and gets the system's Japanese Gothic (IPAexGothic in CI, ``fc-match
#: "Yu Gothic:lang=ja"``), so Japanese text never falls back to a font without kanji.
OFFICE_FONT = "游ゴシック"

#: A line of body text is this many times the font size high (LibreOffice prints IPAexGothic
#: at 1.17; a little more keeps the estimate on the safe side of clipping).
LINE_SPACING = 1.25

#: Used when no column of the table has a date, so that output still does not change per run.
FALLBACK_TIMESTAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

# Word writes a manual line break as VT and a page break as FF; both mean "new line" here.
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
# Everything else XML 1.0 forbids: C0 controls except TAB/LF/CR, lone surrogates (a str that
# holds a valid astral character never contains a surrogate code point), U+FFFE and U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids removed and line breaks as ``\\n``."""
    return _ILLEGAL_XML.sub("", _LINE_BREAKS.sub("\n", text))


def utf16_length(text: str) -> int:
    """Length as Excel and Word count it: characters outside the BMP count twice."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def text_columns(line: str) -> int:
    """Width of ``line`` in half-width columns: East Asian wide, fullwidth and ambiguous
    characters (○, ・, ※ in a Japanese font) count two, the others one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in line)


def wrapped_lines(text: str, columns: float) -> int:
    """How many lines ``text`` takes in a cell ``columns`` half-width characters wide.

    Each of its lines wraps at the cell's edge; Japanese breaks between any two characters,
    and Latin words are counted as if they did too (they are short beside the columns).
    """
    columns = max(columns, 2.0)
    return sum(max(1, math.ceil(text_columns(line) / columns)) for line in text.split("\n"))


def row_height(
    texts: Sequence[str], columns: Sequence[float], font_size: float, padding: float
) -> float:
    """Height in points of a table row whose cells hold ``texts`` in cells ``columns``
    half-width characters wide: the cell with the most wrapped lines, at
    :data:`LINE_SPACING` times ``font_size`` a line, plus ``padding`` (top and bottom)."""
    lines = max(
        (wrapped_lines(text, width) for text, width in zip(texts, columns, strict=True)),
        default=1,
    )
    return lines * font_size * LINE_SPACING + padding


def omission_note(omitted: int) -> str:
    """The note that stands where a cut text stops."""
    return f"\n…(以下省略: {omitted}文字)"


def clean_segments(segments: Iterable[tuple[str, Style]]) -> list[tuple[str, Style]]:
    """Segments cleaned piece by piece, so each mark keeps exactly its own characters.

    Pieces that become empty are dropped and neighbours with the same mark are joined.
    """
    out: list[tuple[str, Style]] = []
    for piece, kind in segments:
        piece = clean_text(piece)
        if not piece:
            continue
        if out and out[-1][1] == kind:
            out[-1] = (out[-1][0] + piece, kind)
        else:
            out.append((piece, kind))
    return out


def truncate_segments(
    segments: Sequence[tuple[str, Style]], limit: int, plain: Style
) -> list[tuple[str, Style]]:
    """At most ``limit`` UTF-16 units: cut, then end with :func:`omission_note` styled ``plain``.

    A mark that crosses the cut is shortened, marks after it are dropped.
    """
    total_units = sum(utf16_length(piece) for piece, _ in segments)
    if total_units <= limit:
        return list(segments)
    total_chars = sum(len(piece) for piece, _ in segments)
    # Reserve room for the longest note this text can need (it reports at most every
    # character), so the real note, whose count is no longer, always fits.
    budget = max(0, limit - utf16_length(omission_note(total_chars)))
    kept, kept_chars = _take_units(segments, budget)
    note = omission_note(total_chars - kept_chars)
    return [*kept, (note, plain)]


def _take_units(
    segments: Sequence[tuple[str, Style]], budget: int
) -> tuple[list[tuple[str, Style]], int]:
    """The longest prefix of ``segments`` within ``budget`` UTF-16 units, and its length."""
    kept: list[tuple[str, Style]] = []
    chars = 0
    for piece, kind in segments:
        units = utf16_length(piece)
        if units <= budget:
            kept.append((piece, kind))
            budget -= units
            chars += len(piece)
            continue
        cut = 0
        for char in piece:
            size = 2 if ord(char) > 0xFFFF else 1
            if size > budget:
                break
            budget -= size
            cut += 1
        if cut:
            kept.append((piece[:cut], kind))
            chars += cut
        break
    return kept, chars


def office_text(text: str, *, limit: int | None = None) -> str:
    """Unmarked text (paths, reasons, titles), cleaned, and cut to ``limit`` when given."""
    segments = clean_segments([(text, None)])
    if limit is not None:
        segments = truncate_segments(segments, limit, None)
    return "".join(piece for piece, _ in segments)


def document_timestamp(table: ComparisonTable) -> dt.datetime:
    """The time written into office files: the newest dated column, else a fixed date.

    Taking it from the table (never the clock) keeps regenerated files identical.
    """
    dates = [column.date for column in table.columns if column.date is not None]
    if not dates:
        return FALLBACK_TIMESTAMP
    newest = max(dates)
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)


def stable_zip(package: bytes, timestamp: dt.datetime) -> bytes:
    """``package`` re-zipped with fixed entry times and attributes, entries in the same order.

    The office libraries stamp every zip entry with the current time and the host's system,
    so two renders of the same table would differ; this makes them equal.
    """
    # Zip times cannot go before 1980.
    stamp = max(timestamp.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
