"""Rows of export files gathered into receipts, before any paging.

A till writes one row per line item, and a receipt can be cut by an export boundary (the end of
a file, an export repeated with overlap). Rows are therefore grouped by (store, receipt number)
over every file of a batch, then the rows of each receipt are put in export order and repeated
lines dropped. Rows that cannot belong to a receipt (no receipt number, a broken CSV row, a file
without the needed columns) become groups of their own, carrying the reason they are refused.

Rows are kept packed as one string each: a day of a chain's tills is hundreds of thousands of
rows, and a list of small strings per row would cost several times the memory.
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from connectors.file_import.reading import csv_rows, decode, detect_delimiter
from connectors.pos_receipts.columns import ColumnChoices
from hub.connector.mapping import RecordError

_PACKED = "\u241f"  # reading.csv_rows joins a row's cells with it in Row.raw


@dataclass(frozen=True)
class FileLayout:
    """One export file's header, where each field is in it, and its place in name order."""

    name: str
    rank: int
    header: tuple[str, ...]
    columns: dict[str, int]
    pick: Callable[[list[str]], tuple[str, ...]]
    """The cells of the mapped columns, in ``columns`` order, in one C call."""

    @classmethod
    def of(
        cls, name: str, rank: int, header: tuple[str, ...], columns: dict[str, int]
    ) -> FileLayout:
        getter = operator.itemgetter(*columns.values())  # the required fields make it 3 or more
        return cls(name, rank, header, columns, getter)


@dataclass(frozen=True, slots=True)
class LineRow:
    file: FileLayout
    line: int
    packed: str

    @property
    def cells(self) -> list[str]:
        return self.packed.split(_PACKED)

    def value(self, name: str) -> str:
        """The stripped text of one field ("" when the file has no such column)."""
        index = self.file.columns.get(name)
        return "" if index is None else self.packed.split(_PACKED, index + 1)[index].strip()

    def fields(self) -> dict[str, str]:
        """Field → stripped text, for the fields whose column the file has."""
        picked = self.file.pick(self.cells)
        return dict(zip(self.file.columns, map(str.strip, picked), strict=True))

    def header_of(self, name: str) -> str:
        """The column header of field ``name`` in this row's file, for messages."""
        return self.file.header[self.file.columns[name]]

    def as_received(self) -> dict[str, str]:
        return dict(zip(self.file.header, self.cells, strict=True))

    @property
    def where(self) -> str:
        return f"{self.file.name} line {self.line}"


@dataclass
class Group:
    """A receipt's rows, or (``problem`` set) something refused before it could be grouped."""

    store: str = ""
    receipt: str = ""
    rows: list[LineRow] = field(default_factory=list)
    problem: str | None = None
    raw: str = ""

    @property
    def source_id(self) -> str | None:
        return f"{self.store}:{self.receipt}" if self.receipt else None

    def in_file_order(self) -> list[LineRow]:
        """Every row read, in file-name then line order."""
        return sorted(self.rows, key=lambda row: (row.file.rank, row.line))

    def export_order(self) -> list[LineRow]:
        """The rows in file-name then line order, each line once.

        The same line (store, receipt, line number) read twice, from an export repeated with
        overlap or a row written twice, counts once. Read twice with other values, it is refused:
        a till that numbers tickets per day, or a corrected export, must not be guessed at.
        Without a line number column, the n-th copy of an identical row in one file is the same
        line as the n-th copy in another, since two identical articles on one receipt are
        legitimate.
        """
        kept: dict[object, LineRow] = {}
        copies: dict[tuple[str, str], int] = {}
        for row in self.in_file_order():
            key: object
            if line_no := row.value("line_no"):
                key = ("line", line_no)
            else:
                content = repr(sorted(row.as_received().items()))
                nth = copies[(row.file.name, content)] = copies.get((row.file.name, content), 0) + 1
                key = ("row", content, nth)
            first = kept.setdefault(key, row)
            if first is not row:
                _check_same_line(first, row)
        return list(kept.values())


def _check_same_line(first: LineRow, again: LineRow) -> None:
    values, other = first.fields(), again.fields()
    differing = [name for name in values if name in other and values[name] != other[name]]
    if differing:
        name = differing[0]
        raise RecordError(
            f"{again.where} column {again.header_of(name)!r}: line {again.value('line_no')} "
            f"of receipt {again.value('store')}:{again.value('receipt')} again, with "
            f"{other[name]!r} where {first.where} has {values[name]!r}"
        )


class Grouper:
    """Reads export files into groups; the files of the batch first, then their neighbours."""

    def __init__(self, choices: ColumnChoices, delimiter: str, encoding: str) -> None:
        self.choices = choices
        self.delimiter = delimiter
        self.encoding = encoding
        self.groups: dict[object, Group] = {}

    def read(self, name: str, rank: int, data: bytes, *, neighbour: bool = False) -> None:
        """Add the rows of one file. A ``neighbour`` (an export read before) only completes
        receipts the batch already has, and its problems were reported when it was read."""
        try:
            rows = self._rows(name, rank, data)
            for row in rows:
                if isinstance(row, Group):
                    if not neighbour:
                        self._refuse(row)
                    continue
                store, receipt = row.value("store"), row.value("receipt")
                if not (store and receipt):
                    if not neighbour:
                        self._refuse(_unusable_row(row, store))
                    continue
                group = self.groups.get((store, receipt))
                if group is None and not neighbour:
                    group = self.groups[(store, receipt)] = Group(store, receipt)
                if group is not None:
                    group.rows.append(row)
        except RecordError as exc:
            if not neighbour:
                self._refuse(Group(problem=f"{name}: {exc}", raw=name))

    def _refuse(self, group: Group) -> None:
        self.groups[("refused", len(self.groups))] = group

    def _rows(self, name: str, rank: int, data: bytes) -> Iterator[LineRow | Group]:
        try:
            text = decode(data, self.encoding)
        except UnicodeDecodeError as exc:
            raise RecordError(f"not {self.encoding}: {exc}") from None
        delimiter = detect_delimiter(text) if self.delimiter == "auto" else self.delimiter
        header_cells = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), None)
        if header_cells is None:
            return
        header = tuple(cell.replace("\ufeff", "").strip() for cell in header_cells)
        export = FileLayout.of(name, rank, header, self.choices.locate(header))
        for row in csv_rows(text, delimiter):
            if row.values is None or row.raw.count(_PACKED) != len(header) - 1:
                problem = f"{name} line {row.line}: {row.problem or 'unreadable row'}"
                yield Group(problem=problem, raw=row.raw)
                continue
            yield LineRow(export, row.line, row.raw)


def _unusable_row(row: LineRow, store: str) -> Group:
    missing = "receipt" if store else "store"
    what = "receipt number" if store else "store code"
    return Group(rows=[row], problem=f"{row.where} column {row.header_of(missing)!r}: no {what}")
