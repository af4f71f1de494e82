"""plugins.toml: which plugins load and which connector instances run, with their settings.

::

    [plugins]
    load = ["my_company.hub_plugin"]      # optional extra plugin modules
    block = []                            # plugin names not to load

    [resolution]                          # optional: see hub.identity.config

    [api]                                 # optional: see hub.access.api_config
    sources_by_trust = ["legacy_crm"]

    [connectors.legacy_crm]               # one connector instance, named "legacy_crm"
    type = "file_import"                  # a connector type (see `hub connectors`)
    every_minutes = 60                    # optional: `hub serve` syncs it on this schedule
    path = "demo/data/crm.csv"            # settings checked against the type's settings class
    token = "${CRM_TOKEN}"                # secrets only as environment references

Every error names the file, the instance and the key. Values taken from the environment are
never printed.
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.access.api_config import ApiConfig, parse_api
from hub.connector import Connector
from hub.errors import ConfigError
from hub.identity.config import ResolutionConfig, parse_resolution
from hub.plugins import ConnectorType
from hub.settings import build_settings

DEFAULT_CONFIG = "plugins.toml"
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_INSTANCE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class InstanceConfig:
    """One ``[connectors.<name>]`` table, with environment references already substituted."""

    name: str
    type_name: str
    settings: Mapping[str, Any]
    secret_sources: Mapping[str, str]
    where: str
    every_minutes: float | None = None
    """``every_minutes``: how often ``hub serve`` syncs this instance (``None``: the type's
    default, see ``Connector.schedule_minutes``; ``0``: never on a schedule)."""


@dataclass(frozen=True)
class HubConfig:
    path: Path | None
    plugin_modules: tuple[str, ...] = ()
    blocked_plugins: tuple[str, ...] = ()
    instances: Mapping[str, InstanceConfig] = field(default_factory=dict)
    resolution: ResolutionConfig = field(default_factory=ResolutionConfig)
    api: ApiConfig = field(default_factory=ApiConfig)

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def _substitute(value: Any, where: str, env: Mapping[str, str]) -> tuple[Any, str | None]:
    """Replace ``${VAR}`` in strings; return the new value and the reference it came from."""
    if not isinstance(value, str) or "${" not in value:
        return value, None
    references = _ENV_REFERENCE.findall(value)
    if not references:
        raise ConfigError(f"{where}: malformed environment reference; write it as ${{VAR_NAME}}")
    for name in references:
        if name not in env:
            raise ConfigError(f"{where}: environment variable {name} is not set")
    substituted = _ENV_REFERENCE.sub(lambda m: env[m.group(1)], value)
    return substituted, value


RESERVED_KEYS = frozenset({"type", "every_minutes"})
"""Keys of a [connectors.<name>] table that belong to the hub, not to the connector's settings."""


def _every_minutes(value: Any, where: str) -> float | None:
    if value is None:
        return None
    # TOML has nan and inf: a nan interval would make `hub serve` sync without pause.
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
        raise ConfigError(f"{where}: expected a number of minutes (0 turns the schedule off)")
    return float(value)


def _string_list(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} key {key!r}: expected an array of strings")
    return tuple(value)


def parse_config(text: str, path: Path | None, env: Mapping[str, str] | None = None) -> HubConfig:
    """Parse plugins.toml text; ``path`` is used in messages and to resolve relative paths."""
    label = str(path) if path else "plugins.toml"
    environment = os.environ if env is None else env
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: not valid TOML: {exc}") from exc
    unknown = sorted(set(document) - {"plugins", "connectors", "resolution", "api"})
    if unknown:
        raise ConfigError(
            f"{label}: unknown table [{unknown[0]}]; "
            "expected [plugins], [connectors], [resolution], [api]"
        )
    plugins = document.get("plugins", {})
    if not isinstance(plugins, dict):
        raise ConfigError(f"{label}: [plugins] must be a table")
    connectors = document.get("connectors", {})
    if not isinstance(connectors, dict):
        raise ConfigError(f"{label}: [connectors] must be a table of [connectors.<name>] tables")
    instances: dict[str, InstanceConfig] = {}
    for name, table in connectors.items():
        where = f"{label} [connectors.{name}]"
        if not _INSTANCE_NAME.match(name):
            raise ConfigError(
                f"{where}: instance names are lower-case letters, digits, '_' and '-', "
                "starting with a letter"
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: must be a table")
        type_name = table.get("type")
        if not isinstance(type_name, str):
            raise ConfigError(f"{where}: missing setting 'type' (the connector type, a string)")
        settings: dict[str, Any] = {}
        sources: dict[str, str] = {}
        every = _every_minutes(table.get("every_minutes"), f"{where} key 'every_minutes'")
        for key, raw in table.items():
            if key in RESERVED_KEYS:
                continue
            value, source = _substitute(raw, f"{where} key {key!r}", environment)
            settings[key] = value
            if source is not None:
                sources[key] = source
        instances[name] = InstanceConfig(name, type_name, settings, sources, where, every)
    return HubConfig(
        path=path,
        plugin_modules=_string_list(plugins, "load", f"{label} [plugins]"),
        blocked_plugins=_string_list(plugins, "block", f"{label} [plugins]"),
        instances=instances,
        resolution=parse_resolution(
            document.get("resolution"), f"{label} [resolution]", set(instances)
        ),
        api=parse_api(document.get("api"), f"{label} [api]"),
    )


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> HubConfig:
    """Read plugins.toml from ``path``, ``$HUB_CONFIG`` or the working directory.

    A missing default file means no connectors; a missing file named explicitly is an error.
    """
    explicit = path is not None or "HUB_CONFIG" in os.environ
    chosen = path or Path(os.environ.get("HUB_CONFIG", DEFAULT_CONFIG))
    if not chosen.exists():
        if explicit:
            raise ConfigError(f"{chosen}: configuration file not found")
        return HubConfig(path=None)
    try:
        text = chosen.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{chosen}: cannot read: {exc}") from exc
    return parse_config(text, chosen.resolve(), env)


def build_connectors(
    config: HubConfig, types: Mapping[str, ConnectorType]
) -> dict[str, Connector[Any]]:
    """Instantiate every configured connector, checking its settings against its type."""
    built: dict[str, Connector[Any]] = {}
    for name, instance in config.instances.items():
        connector_type = types.get(instance.type_name)
        if connector_type is None:
            known = ", ".join(sorted(types)) or "(none loaded)"
            raise ConfigError(
                f"{instance.where} key 'type': unknown connector type {instance.type_name!r}; "
                f"known types: {known}"
            )
        settings = build_settings(
            connector_type.cls.settings_class,
            instance.settings,
            where=instance.where,
            base_dir=config.base_dir,
            secret_sources=instance.secret_sources,
        )
        try:
            built[name] = connector_type.cls(name, settings)
        except ConfigError as exc:  # the connector's own checks name the key; we add where
            raise ConfigError(f"{instance.where} {exc}") from exc
    return built


def render_instance(name: str, table: Mapping[str, Any]) -> str:
    """A ``[connectors.<name>]`` table as TOML text (the demo and the test kit write these).

    Strings are written as JSON strings, which TOML reads as basic strings. TOML has no null: a
    ``None`` value leaves its key out, as if it was never set.
    """
    lines = [f"[connectors.{name}]"]
    nested: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            nested.append((key, value))
        elif value is not None:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in nested:
        lines.append(f"[connectors.{name}.{key}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in value.items() if v is not None)
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    """Booleans, numbers, strings and arrays of them, as TOML reads them."""
    return json.dumps(value, ensure_ascii=False)
