"""Benchmark tables: one column per header, figures right-aligned, missing values as a dash."""

from __future__ import annotations

from bench.identity.report import table


def test_text_is_left_aligned_and_figures_right_aligned() -> None:
    text = table(
        ["data set", "records", "F1"],
        [["FEBRL3", 5000, 0.99123], ["synthetic", 1_000_000, None]],
    )
    assert text.splitlines() == [
        "data set     records      F1",
        "---------  ---------  ------",
        "FEBRL3         5,000  0.9912",
        "synthetic  1,000,000       -",
    ]


def test_shares_keep_four_decimals_and_other_figures_one() -> None:
    lines = table(["seconds", "F1"], [[26.04, 1.0], [3.25, "pending"]]).splitlines()
    assert lines[-2:] == ["   26.0   1.0000", "    3.2  pending"]
