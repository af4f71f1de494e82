"""Reading customer files: encoding and delimiter detection, CSV, JSON Lines and Excel rows."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import openpyxl

_DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class Row:
    """One row of a file: its 1-based line number, and its values or why it could not be read."""

    line: int
    values: dict[str, Any] | None
    raw: str
    problem: str | None = None


def decode(data: bytes, encoding: str) -> str:
    """Decode with the declared encoding, or for ``auto``: UTF-8 (with or without BOM), then
    Windows-1252, which is what French and German Excel exports are when they are not UTF-8."""
    if encoding != "auto":
        return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header and the first rows into the same number of fields,
    the most fields winning: "Nom, Prénom;E-mail;Ville" is a semicolon file with a comma inside
    a column name, which csv.Sniffer takes for a comma file."""
    sample = text.splitlines()[:20]
    best, best_fields = ",", 1
    for candidate in _DELIMITERS:
        widths = {len(fields) for fields in csv.reader(sample, delimiter=candidate)}
        if len(widths) == 1 and (fields := widths.pop()) > best_fields:
            best, best_fields = candidate, fields
    if best_fields == 1 and sample:  # ragged file: the header decides
        best = max(_DELIMITERS, key=sample[0].count)
    return best


def csv_rows(text: str, delimiter: str | None) -> Iterator[Row]:
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or detect_delimiter(text)
    )
    header: list[str] | None = None
    for fields in reader:
        line = reader.line_num
        if header is None:
            header = [name.strip() for name in fields]
            continue
        if not any(field.strip() for field in fields):
            continue
        raw = "\u241f".join(fields)  # unit separator symbol: shows the cells as received
        if len(fields) != len(header):
            yield Row(line, None, raw, f"expected {len(header)} columns, found {len(fields)}")
            continue
        yield Row(line, dict(zip(header, fields, strict=True)), raw)


def jsonl_rows(text: str) -> Iterator[Row]:
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Row(line_number, None, line, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(value, dict):
            yield Row(line_number, None, line, "expected a JSON object")
            continue
        yield Row(line_number, value, line)


def excel_rows(data: bytes, sheet: str | None) -> Iterator[Row]:
    """Rows of an .xlsx workbook: the first row of the sheet (the first one by default) holds
    the column names. Dates become ISO 8601 text; whole numbers lose Excel's ``.0``."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValueError(f"not a readable .xlsx workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise ValueError(f"no sheet {sheet!r}; sheets: {', '.join(workbook.sheetnames)}")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        header: list[str] | None = None
        for line, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
            texts = [_cell_text(cell) for cell in cells]
            if header is None:
                header = [text.strip() for text in texts]
                continue
            if not any(text.strip() for text in texts):
                continue
            texts = (texts + [""] * len(header))[: len(header)]
            yield Row(line, dict(zip(header, texts, strict=True)), "\u241f".join(texts))
    finally:
        workbook.close()


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
