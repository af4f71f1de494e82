"""The connector SDK: what a plugin author subclasses to add a source.

A connector type is a :class:`Connector` subclass with a ``type_name``, a settings dataclass and
one or more :class:`Stream` classes. Each stream reads one entity (customers, orders, …) page by
page and yields :class:`hub.records.Page` objects; the sync engine stores each page together with
its cursor, so a connector never touches the database.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

import aiohttp

from hub.records import Page

SettingsT = TypeVar("SettingsT")


@dataclass(frozen=True)
class ConnectorRuntime:
    """What the hub lends a connector while it runs: one shared HTTP session."""

    http: aiohttp.ClientSession


class Stream(ABC):
    """One entity of a source, read in pages from a saved cursor."""

    name: ClassVar[str]

    def __init__(self, connector: Connector[Any], runtime: ConnectorRuntime) -> None:
        self.connector = connector
        self.runtime = runtime

    @abstractmethod
    def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        """Yield pages after ``cursor`` (``None``: from the beginning), oldest first."""


class Connector(ABC, Generic[SettingsT]):
    """A configured instance of a source (``[connectors.<name>]`` in plugins.toml)."""

    type_name: ClassVar[str]
    """The ``type = "…"`` value that selects this connector in plugins.toml."""
    settings_class: ClassVar[type[Any]]
    """A frozen dataclass; plugins.toml tables are checked against its fields and types."""
    description: ClassVar[str] = ""

    def __init__(self, instance: str, settings: SettingsT) -> None:
        """Checks beyond the settings' types raise ``ConfigError("key 'x': what is wrong")``;
        the hub puts the file and the instance in front of the message."""
        self.instance = instance
        self.settings = settings

    @abstractmethod
    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        """The streams this instance reads, in the order they should be synced."""
