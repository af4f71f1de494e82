"""The ``[api]`` table of plugins.toml: who may call /graphql without a key, and the limits.

::

    [api]
    anonymous = false        # true: requests without a key run as admin (local/demo use only)
    introspection = false    # true: clients may read the schema (GraphiQL needs it)
    max_depth = 10           # nesting of selections
    max_aliases = 15         # aliased fields per operation
    max_tokens = 2000        # lexical tokens per document
    max_cost = 5000          # fields to resolve, lists counted at their page size
    max_page_size = 100      # largest `first` of a list
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from hub.errors import ConfigError


@dataclass(frozen=True)
class ApiConfig:
    anonymous: bool = False
    introspection: bool = False
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_cost: int = 5000
    max_page_size: int = 100


def parse_api(table: Any, where: str) -> ApiConfig:
    if table is None:
        return ApiConfig()
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    fields = {field.name: field.type for field in dataclasses.fields(ApiConfig)}
    unknown = sorted(set(table) - set(fields))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(fields))}"
        )
    for key, value in table.items():
        if fields[key] == "bool" and not isinstance(value, bool):
            raise ConfigError(f"{where} key {key!r}: expected true or false")
        if fields[key] == "int" and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise ConfigError(f"{where} key {key!r}: expected a positive integer")
    return ApiConfig(**table)
