"""Opening curators' CSV files as they really come: UTF-8 (with or without BOM) or Windows-1251,
comma, semicolon or tab delimited. Detected from the start of the file, overridable, streamed."""

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

SAMPLE_BYTES = 64 * 1024
ENCODINGS = {"utf-8", "utf-8-sig", "cp1251"}
ENCODING_ALIASES = {"utf8": "utf-8", "windows-1251": "cp1251", "win1251": "cp1251", "utf-8-bom": "utf-8-sig"}
DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
# Two bytes of UTF-8 Cyrillic: in a real Windows-1251 file this pair almost never occurs.
UTF8_CYRILLIC = re.compile(rb"[\xd0\xd1][\x80-\xbf]")


class FileError(Exception):
    """The file as a whole cannot be read; reported as line 0 or the line where reading failed, and the
    column when the failure is inside a known cell. `before` is the failing line's text up to the fault."""

    def __init__(self, message: str, line: int = 0, *, column: str = "", before: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.before = before


@dataclass
class CsvFile:
    header: list[str]
    encoding: str
    delimiter: str
    rows: Iterator[tuple[int, list[str]]] = field(repr=False)


def normalise_encoding(name: str | None) -> str | None:
    if not name:
        return None
    name = ENCODING_ALIASES.get(name.strip().lower(), name.strip().lower())
    if name not in ENCODINGS:
        raise FileError(f"Unsupported encoding “{name}”: use utf-8, utf-8-sig or cp1251.")
    return name


def normalise_delimiter(value: str | None) -> str | None:
    if not value:
        return None
    if value not in DELIMITERS and value.lower() not in DELIMITERS:
        raise FileError(f"Unsupported delimiter “{value}”: use comma, semicolon or tab.")
    return DELIMITERS.get(value, DELIMITERS.get(value.lower()))


def looks_binary(sample: bytes) -> bool:
    """UTF-16 or binary rather than text: a UTF-16 byte order mark, a NUL byte in the first line, or NUL bytes
    making up more than a tenth of the sample. A stray NUL in a text file is a fault of one cell: the import names
    its line and column (curation.transfer.validation)."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return b"\x00" in sample.split(b"\n", 1)[0] or sample.count(b"\x00") * 10 > len(sample)


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if looks_binary(sample):
        raise FileError("The file is UTF-16 or binary; save it as CSV UTF-8 (or Windows-1251).")
    try:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        non_ascii = sum(1 for byte in sample if byte > 0x7F)
        if non_ascii and len(UTF8_CYRILLIC.findall(sample)) * 2 > non_ascii / 2:
            line = sample[: exc.start].count(b"\n") + 1
            raise FileError(
                "The file is mostly UTF-8 but has bytes that are not (mixed encodings?): "
                "re-save it as CSV UTF-8 or pass the encoding explicitly.",
                line,
            ) from exc
        return "cp1251"


def detect_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


BLOCK_BYTES = 256 * 1024
MAX_LINE_BYTES = 16 * 2**20  # a "line" longer than this is not CSV; reading on would hold it all in memory


def _decoded_lines(stream: BinaryIO, encoding: str, newline: bytes) -> Iterator[str]:
    """The file's lines, decoded one by one: a decoding failure names its line, and only `newline` ends a
    line (Unicode's other line breaks, U+2028 and the like, are text inside a cell). Splitting bytes is
    safe: neither UTF-8 nor Windows-1251 has a newline byte inside a character."""
    first_encoding, encoding = encoding, "utf-8" if encoding == "utf-8-sig" else encoding
    pending, number = b"", 0
    while block := stream.read(BLOCK_BYTES):
        lines = (pending + block).split(newline)
        pending = lines.pop()
        if len(pending) > MAX_LINE_BYTES:
            long_line = number + len(lines) + 1
            raise FileError(f"Line {long_line} is longer than 16 MB: is this a CSV file?", long_line)
        for raw in lines:
            number += 1
            yield _decode(raw + newline, first_encoding if number == 1 else encoding, number)
    if pending:
        yield _decode(pending, first_encoding if number == 0 else encoding, number + 1)


def _decode(raw: bytes, encoding: str, number: int) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(encoding, errors="replace")
        message = f"Line {number} is not valid {exc.encoding}: check the file's encoding."
        raise FileError(message, number, before=before) from exc


def open_csv(stream: BinaryIO, *, encoding: str | None = None, delimiter: str | None = None) -> CsvFile:
    """Reads the header; the rows are an iterator of (line number, cells), read as they are consumed."""
    encoding = normalise_encoding(encoding)
    delimiter = normalise_delimiter(delimiter)
    sample = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    if not sample.strip(codecs.BOM_UTF8 + b" \r\n\t"):
        raise FileError("The file is empty: it needs a header row and at least one data row.")
    encoding = encoding or detect_encoding(sample)
    # Lines end in LF or CR LF; a file with CRs and no LF at all is from a classic Mac.
    newline = b"\r" if b"\r" in sample and b"\n" not in sample else b"\n"
    lines = _decoded_lines(stream, encoding, newline)
    first = next(lines, "")
    delimiter = delimiter or detect_delimiter(first)
    reader = csv.reader(_chain(first, lines), delimiter=delimiter)
    header = [name.strip().lstrip("\ufeff").lower() for name in next(reader)]
    return CsvFile(header=header, encoding=encoding, delimiter=delimiter, rows=_rows(reader, header, delimiter))


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _rows(reader, header: list[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    # The line a record starts on: a quoted cell may span several lines.
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                yield line, cells
    except csv.Error as exc:
        raise FileError(f"Line {reader.line_num}: the CSV is malformed ({exc}).", reader.line_num) from exc
    except FileError as exc:
        if exc.before is not None and exc.line == start:  # the bad byte's record starts on its line
            exc.column = _column_at(exc.before, header, delimiter)
        raise


def _column_at(before: str, header: list[str], delimiter: str) -> str:
    """The column a line's text up to a fault ends in; "" when it lies beyond the header."""
    try:
        cells = next(csv.reader([before], delimiter=delimiter), [""])
    except csv.Error:
        return ""
    index = max(len(cells) - 1, 0)
    return header[index] if index < len(header) else ""


def count_rows(stream: BinaryIO) -> int:
    """The data rows of a file, counted cheaply as its lines after the header (no decoding, no parsing), and the
    stream put back where it was. An upper bound: a quoted cell may span lines, and blank lines are skipped."""
    start = stream.tell()
    newlines = carriage_returns = 0
    last = b""
    while block := stream.read(BLOCK_BYTES):
        newlines += block.count(b"\n")
        carriage_returns += block.count(b"\r")
        last = block[-1:]
    stream.seek(start)
    lines = newlines or carriage_returns  # a file with no LF at all ends its lines in CR (a classic Mac)
    if last and last not in b"\r\n":
        lines += 1  # the last line has no line break
    return max(lines - 1, 0)
