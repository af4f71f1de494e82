"""Which export files a run reads, and the cursor that remembers what was stored.

Files are known by the SHA-256 of their content (its first 128 bits: enough to tell files
apart, and the cursor is saved with every page), so a renamed file is not read again and a
re-exported day with other content is. The files not stored yet form a *batch*, grouped into
receipts as a whole; the cursor says how many receipts of the batch are committed, so a killed
run resumes with the same batch after them. A batch also reads the already-stored files next to
its own in name order (*neighbours*), to complete a receipt an export boundary cut in two.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from hub.errors import ConnectorError


@dataclass(frozen=True)
class ExportCursor:
    done: tuple[str, ...] = ()
    """Digests of the files whose receipts are all stored."""
    batch: tuple[str, ...] = ()
    """Digests of the files being read, in reading order; empty between batches."""
    groups: int = 0
    """Receipts (and refused rows) of the batch already committed."""

    @classmethod
    def parse(cls, text: str | None) -> ExportCursor:
        """The saved cursor; one this connector cannot read starts over (records are upserted,
        so reading a file again changes nothing)."""
        if not text:
            return cls()
        try:
            data = json.loads(text)
            return cls(tuple(data["done"]), tuple(data["batch"]), int(data["groups"]))
        except (ValueError, KeyError, TypeError):
            return cls()

    def dump(self) -> str:
        state = {"done": list(self.done), "batch": list(self.batch), "groups": self.groups}
        return json.dumps(state, separators=(",", ":"))


@dataclass
class ExportFile:
    name: str
    path: Path
    rank: int
    """Position in name order: a receipt's rows are put in this order."""
    digest: str
    data: bytes | None
    """The content, read once; dropped for stored files that are not needed."""

    def content(self) -> bytes:
        assert self.data is not None, f"{self.name} was not kept"
        return self.data


@dataclass(frozen=True)
class Batch:
    files: list[ExportFile]
    neighbours: list[ExportFile]
    skip: int
    """Receipts already committed by an earlier, interrupted run."""
    done_before: tuple[str, ...]

    def cursor_after(self, committed: int, total: int) -> ExportCursor:
        digests = tuple(export.digest for export in self.files)
        if committed >= total:
            return ExportCursor(self.done_before + digests)
        return ExportCursor(self.done_before, digests, committed)


class ExportFolder:
    def __init__(self, instance: str, path: Path, pattern: str) -> None:
        self.instance = instance
        self.path = path
        self.pattern = pattern

    def plan(self, cursor: ExportCursor) -> list[Batch]:
        """The batches to read: an interrupted one first, then every file not stored yet."""
        exports = self._list()
        present = {export.digest: export for export in exports}
        done = tuple(digest for digest in cursor.done if digest in present)
        pending = [export for export in exports if export.digest not in done]
        for export in exports:
            if export.digest in done:
                export.data = None  # read again only if it is a neighbour
        runs: list[tuple[list[ExportFile], int]] = []
        if cursor.batch and all(d in present and d not in done for d in cursor.batch):
            runs.append(([present[digest] for digest in cursor.batch], cursor.groups))
            pending = [export for export in pending if export.digest not in cursor.batch]
        if pending:
            runs.append((pending, 0))
        batches = []
        for files, skip in runs:
            neighbours = _neighbours(exports, files, set(done))
            for export in neighbours:
                if export.data is None:
                    export.data = _read(export.path, self.instance)
            batches.append(Batch(files, neighbours, skip, done))
            done += tuple(export.digest for export in files)
        return batches

    def _list(self) -> list[ExportFile]:
        if self.path.is_file():
            paths = [(self.path.name, self.path)]
        elif self.path.is_dir():
            found = (p for p in self.path.glob(self.pattern) if p.is_file())
            paths = sorted((p.relative_to(self.path).as_posix(), p) for p in found)
        else:
            raise ConnectorError(f"{self.instance}: {self.path} does not exist")
        exports: list[ExportFile] = []
        seen: set[str] = set()
        for name, path in paths:
            data = _read(path, self.instance)
            digest = hashlib.sha256(data).hexdigest()[:32]
            if digest not in seen:  # the same export saved twice is read once
                seen.add(digest)
                exports.append(ExportFile(name, path, len(exports), digest, data))
        return exports


def _neighbours(
    exports: list[ExportFile], batch: list[ExportFile], done: set[str]
) -> list[ExportFile]:
    """Stored files just before or after a file of the batch, in name order."""
    chosen: dict[int, ExportFile] = {}
    for export in batch:
        for rank in (export.rank - 1, export.rank + 1):
            if 0 <= rank < len(exports) and exports[rank].digest in done:
                chosen[rank] = exports[rank]
    return [chosen[rank] for rank in sorted(chosen)]


def _read(path: Path, instance: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConnectorError(f"{instance}: cannot read {path}: {exc.strerror}") from None
