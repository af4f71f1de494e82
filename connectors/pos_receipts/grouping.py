"""Rows of export files gathered into receipts, before any paging.

A till writes one row per line item, and a receipt can be cut by an export boundary (the end of
a file, an export repeated with overlap). Rows are therefore grouped by (store, local business
date, receipt number) over every file of a batch, then the rows of each receipt are put in export
order and repeated lines dropped. The date is part of the key because tills that number tickets
per day reuse numbers: ticket 0042 of 23/11 and ticket 0042 of 25/11 are two receipts. A row
without a readable date (back offices often write it on a receipt's first row only) joins the
receipt of its store and number whose dated rows come last before it in export order (or, with
none before, the first one after). Rows that cannot belong to a receipt (no receipt number, a
broken CSV row, a file without the needed columns) become groups of their own, carrying the
reason they are refused.

Rows are kept packed as one string each: a day of a chain's tills is hundreds of thousands of
rows, and a list of small strings per row would cost several times the memory.
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from connectors.file_import.reading import csv_rows, decode, detect_delimiter
from connectors.pos_receipts.columns import ColumnChoices
from connectors.pos_receipts.formats import date_and_time
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

    @classmethod
    def of(cls, file: FileLayout, line: int, cells: list[str]) -> LineRow:
        return cls(file, line, _PACKED.join(cells))

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

    @property
    def position(self) -> tuple[int, int]:
        return (self.file.rank, self.line)

    def business_day(self) -> str | None:
        """The local date of the row as ``yyyy-mm-dd``; ``None`` when blank or unreadable."""
        try:
            return date_and_time(self.value("date"))[0].isoformat() if self.value("date") else None
        except RecordError:
            return None  # the mapping refuses the receipt naming the cell


@dataclass
class Group:
    """A receipt's rows, or (``problem`` set) something refused before it could be grouped."""

    store: str = ""
    day: str = ""
    """The local business date (``yyyy-mm-dd``); else the date cell as written, or blank."""
    receipt: str = ""
    rows: list[LineRow] = field(default_factory=list)
    problem: str | None = None
    raw: str = ""

    @property
    def source_id(self) -> str | None:
        return f"{self.store}:{self.day}:{self.receipt}" if self.receipt else None

    def in_file_order(self) -> list[LineRow]:
        """Every row read, in file-name then line order."""
        return sorted(self.rows, key=lambda row: row.position)

    def export_order(self) -> list[LineRow]:
        """The rows in file-name then line order, each line once.

        The same line (store, date, receipt, line number) read twice, from an export repeated
        with overlap or a row written twice, counts once. Read twice with other values, it is
        refused: which of two versions of a line (a corrected export) is right must not be
        guessed at.
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
                _check_same_line(first, row, self.source_id)
        return list(kept.values())


def _check_same_line(first: LineRow, again: LineRow, receipt: str | None) -> None:
    values, other = first.fields(), again.fields()
    differing = [name for name in values if name in other and values[name] != other[name]]
    if differing:
        name = differing[0]
        raise RecordError(
            f"{again.where} column {again.header_of(name)!r}: line {again.value('line_no')} "
            f"of receipt {receipt} again, with "
            f"{other[name]!r} where {first.where} has {values[name]!r}"
        )


class Grouper:
    """Reads export files into groups; the files of the batch first, then their neighbours.

    Call :meth:`receipts` once every file is read: it places the rows without a readable date.
    """

    def __init__(self, choices: ColumnChoices, delimiter: str, encoding: str) -> None:
        self.choices = choices
        self.delimiter = delimiter
        self.encoding = encoding
        self.groups: dict[object, Group] = {}
        self._numbered: dict[tuple[str, str], list[Group]] = {}
        """(store, receipt) → its dated groups, one per day."""
        self._undated: list[tuple[LineRow, bool]] = []
        """Rows without a readable date, and whether they come from a neighbour."""

    def read(self, name: str, rank: int, data: bytes, *, neighbour: bool = False) -> None:
        """Add the rows of one file. A ``neighbour`` (an export read before) only completes
        receipts the batch already has, and its problems were reported when it was read."""
        try:
            self.add(self._rows(name, rank, data), neighbour=neighbour)
        except RecordError as exc:
            if not neighbour:
                self._refuse(Group(problem=f"{name}: {exc}", raw=name))

    def layout(self, name: str, rank: int, header: tuple[str, ...]) -> FileLayout:
        """Where each field is in a file with ``header``; raises naming a missing column."""
        return FileLayout.of(name, rank, header, self.choices.locate(header))

    def add(self, rows: Iterable[LineRow | Group], *, neighbour: bool = False) -> None:
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
            day = row.business_day()
            if day is None:
                self._undated.append((row, neighbour))
                continue
            group = self.groups.get((store, day, receipt))
            if group is None and not neighbour:
                group = self.groups[(store, day, receipt)] = Group(store, day, receipt)
                self._numbered.setdefault((store, receipt), []).append(group)
            if group is not None:
                group.rows.append(row)

    def receipts(self) -> list[Group]:
        """Every group, each undated row placed with the receipt it continues."""
        dated = {
            id(group): [row.position for row in group.rows]
            for groups in self._numbered.values()
            for group in groups
        }
        for row, neighbour in self._undated:
            store, receipt = row.value("store"), row.value("receipt")
            candidates = self._numbered.get((store, receipt), [])
            if candidates:
                _continued(candidates, dated, row.position).rows.append(row)
            elif not neighbour:  # no day to read: the mapping refuses it, naming the date cell
                key = (store, None, receipt)
                if key not in self.groups:
                    self.groups[key] = Group(store, row.value("date"), receipt)
                self.groups[key].rows.append(row)
        self._undated.clear()
        return list(self.groups.values())

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
        export = self.layout(name, rank, header)
        for row in csv_rows(text, delimiter):
            if row.values is None or row.raw.count(_PACKED) != len(header) - 1:
                problem = f"{name} line {row.line}: {row.problem or 'unreadable row'}"
                yield Group(problem=problem, raw=row.raw)
                continue
            yield LineRow(export, row.line, row.raw)


def _continued(
    candidates: list[Group], dated: dict[int, list[tuple[int, int]]], at: tuple[int, int]
) -> Group:
    """The group whose dated rows come last before ``at``; with none before, the first after."""
    if len(candidates) == 1:
        return candidates[0]
    before = [
        (max(earlier), index)
        for index, group in enumerate(candidates)
        if (earlier := [p for p in dated[id(group)] if p < at])
    ]
    if before:
        return candidates[max(before)[1]]
    return min(candidates, key=lambda group: min(dated[id(group)]))


def _unusable_row(row: LineRow, store: str) -> Group:
    missing = "receipt" if store else "store"
    what = "receipt number" if store else "store code"
    return Group(rows=[row], problem=f"{row.where} column {row.header_of(missing)!r}: no {what}")
