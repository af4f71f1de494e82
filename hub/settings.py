"""Typed connector settings: a dataclass per connector type, filled from plugins.toml.

A connector declares its settings as a frozen dataclass. :func:`build_settings` checks a TOML
table against it and says exactly what is wrong: unknown key, missing setting, wrong type, a
secret written as a literal. Paths are resolved against the directory of the config file.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from hub.errors import ConfigError

SettingsT = TypeVar("SettingsT")


class Secret:
    """A secret value (token, signing key). Its repr and str never show the value."""

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str) -> None:
        self._value = value
        self.source = source  # where it came from, e.g. "${SHOPIFY_TOKEN}": safe to print

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret(from {self.source})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _describe(value: object) -> str:
    kind = {
        str: "string",
        int: "integer",
        float: "number",
        bool: "boolean",
        list: "array",
        dict: "table",
    }.get(type(value), type(value).__name__)
    shown = repr(value) if isinstance(value, int | float | bool) else kind
    return f"{kind} {shown}" if shown != kind else kind


def _expected(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is Path:
        return "a path (string)"
    if tp is Secret:
        return "a ${ENV_VAR} reference"
    if origin is dict:
        return "a table of strings"
    if origin is list:
        return "an array of strings"
    return _TYPE_NAMES.get(tp, getattr(tp, "__name__", str(tp)))


def _coerce(tp: Any, value: Any, where: str, base_dir: Path, secret_source: str | None) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(tp) if m is not type(None)]
        if len(members) != 1:
            raise TypeError(f"unsupported settings type {tp!r}")
        return _coerce(members[0], value, where, base_dir, secret_source)
    if tp is Secret:
        if secret_source is None:
            raise ConfigError(
                f"{where}: a secret must be written as a ${{ENV_VAR}} reference, "
                "not as a literal value in the file"
            )
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected {_expected(tp)}, got {_describe(value)}")
        return Secret(value, secret_source)
    if tp is Path:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected {_expected(tp)}, got {_describe(value)}")
        path = Path(value).expanduser()
        return path if path.is_absolute() else (base_dir / path)
    if origin is dict:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ConfigError(f"{where}: expected {_expected(tp)}, got {_describe(value)}")
        return dict(value)
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected {_expected(tp)}, got {_describe(value)}")
        return list(value)
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    # bool is a subclass of int: `retries = true` must not pass as an integer.
    if type(value) is not tp:
        raise ConfigError(f"{where}: expected {_expected(tp)}, got {_describe(value)}")
    return value


def build_settings(
    settings_class: type[SettingsT],
    table: Mapping[str, Any],
    *,
    where: str,
    base_dir: Path,
    secret_sources: Mapping[str, str] | None = None,
) -> SettingsT:
    """Check ``table`` against ``settings_class`` and build it.

    ``where`` prefixes every message (e.g. ``plugins.toml [connectors.crm]``);
    ``secret_sources`` maps keys whose value came from ``${ENV_VAR}`` to that reference.
    """
    if not dataclasses.is_dataclass(settings_class):
        raise TypeError(f"{settings_class!r} is not a dataclass")
    hints = typing.get_type_hints(settings_class)
    fields = {f.name: f for f in dataclasses.fields(settings_class)}
    unknown = sorted(set(table) - set(fields))
    if unknown:
        known = ", ".join(sorted(fields)) or "(none)"
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r}; known settings: {known}")
    values: dict[str, Any] = {}
    sources = secret_sources or {}
    for name, spec in fields.items():
        if name not in table:
            no_default = (
                spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
            )
            if no_default:
                raise ConfigError(f"{where}: missing setting {name!r} ({_expected(hints[name])})")
            continue
        values[name] = _coerce(
            hints[name], table[name], f"{where} key {name!r}", base_dir, sources.get(name)
        )
    return settings_class(**values)
