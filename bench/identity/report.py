"""Plain-text tables for the benchmarks' output: text left-aligned, figures right-aligned."""

from __future__ import annotations

from collections.abc import Sequence

Cell = str | int | float | None


def _text(cell: Cell) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, float):
        # Shares (precision, recall, F1) keep four decimals; other figures (seconds) one.
        return f"{cell:.4f}" if 0.0 <= cell <= 1.0 else f"{cell:,.1f}"
    if isinstance(cell, int):
        return f"{cell:,}"
    return cell


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    texts = [[_text(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in texts)) for i, h in enumerate(headers)]
    # A column of figures is right-aligned, even where a cell says why it has none.
    numeric = [any(isinstance(row[i], int | float) for row in rows) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, texts)])
