"""Long raw text (a quarantined payload, a stream's cursor) shown short, the whole of it behind
a "show all" disclosure. Templates escape both; nothing here is trusted as HTML."""

from __future__ import annotations

import json
from dataclasses import dataclass

PREVIEW_CHARACTERS = 160
"""About two lines of a laptop-wide table cell: enough to recognise a record."""


@dataclass(frozen=True)
class Preview:
    short: str
    full: str
    """The whole text; JSON indented so that a long payload reads field by field."""

    @property
    def truncated(self) -> bool:
        return self.short != self.full


def preview(text: str, limit: int = PREVIEW_CHARACTERS) -> Preview:
    """``text`` cut to ``limit`` characters (with an ellipsis), and whole."""
    short = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return Preview(short=short, full=_readable(text) if short != text else text)


def _readable(text: str) -> str:
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    if not isinstance(parsed, dict | list):
        return text
    return json.dumps(parsed, indent=2, ensure_ascii=False)
