"""hub.plugins and hub.hookspecs: finding connector types in built-in, installed and listed
plugins, and refusing plugins that break the hook contract."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from connectors.file_import.connector import FileImportConnector
from hub import hookspecs
from hub.config import build_connectors, load_config
from hub.connector import Connector
from hub.errors import ConfigError, PluginError
from hub.plugins import build_plugin_manager, connector_types
from tests.conftest import WriteConfig

FAKE_PLUGIN = '''
"""A third-party connector package, as installed from an index."""
from dataclasses import dataclass

from hub.connector import Connector
from hub.hookspecs import hookimpl


@dataclass(frozen=True)
class FakeSettings:
    url: str = ""


class FakeConnector(Connector[FakeSettings]):
    type_name = "{type_name}"
    settings_class = FakeSettings
    description = "A fake source"

    def streams(self, runtime):
        return []


@hookimpl
def hub_connector_types():
    return [FakeConnector]
'''


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """tmp_path on sys.path; the plugin modules written there are forgotten afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith(("fakehub_", "acme_")):
            del sys.modules[name]


def write_module(directory: Path, name: str, type_name: str) -> None:
    (directory / f"{name}.py").write_text(FAKE_PLUGIN.format(type_name=type_name), "utf-8")


@pytest.fixture
def installed_fake(plugin_dir: Path) -> Path:
    """A fake installed distribution 'fakehub-plugin' 1.2.3 exposing a hub.connectors plugin."""
    write_module(plugin_dir, "fakehub_plugin", "fake_source")
    dist_info = plugin_dir / "fakehub_plugin-1.2.3.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: fakehub-plugin\nVersion: 1.2.3\n", "utf-8"
    )
    (dist_info / "entry_points.txt").write_text(
        "[hub.connectors]\nfake = fakehub_plugin\n", "utf-8"
    )
    return plugin_dir


def make_plugin(name: str, *classes: type[Connector[Any]]) -> types.ModuleType:
    module = types.ModuleType(name)

    @hookspecs.hookimpl
    def hub_connector_types() -> Sequence[type[Connector[Any]]]:
        return classes

    module.hub_connector_types = hub_connector_types  # type: ignore[attr-defined]
    return module


def test_hookspec_is_declared() -> None:
    manager = build_plugin_manager()
    assert manager.project_name == hookspecs.PROJECT_NAME
    assert hasattr(manager.hook, "hub_connector_types")
    assert hookspecs.hookimpl.project_name == hookspecs.PROJECT_NAME


def test_builtin_file_import_with_package_and_version() -> None:
    found = connector_types(build_plugin_manager())
    file_import = found["file_import"]
    assert file_import.cls is FileImportConnector
    assert file_import.plugin == "connectors.file_import"
    assert file_import.package == "customer360-hub"
    assert file_import.version == importlib.metadata.version("customer360-hub")


def test_misspelled_hook_is_an_error() -> None:
    class Typo:
        @hookspecs.hookimpl
        def hub_connector_typos(self) -> list[type[Connector[Any]]]:
            return []

    with pytest.raises(PluginError, match="hub_connector_typos"):
        build_plugin_manager(extra=[Typo()])


def test_hook_with_unknown_argument_is_a_plugin_error() -> None:
    class WrongArguments:
        @hookspecs.hookimpl
        def hub_connector_types(self, config: object) -> list[type[Connector[Any]]]:
            return []

    with pytest.raises(PluginError, match="config"):
        build_plugin_manager(extra=[WrongArguments()])


def test_duplicate_type_name_names_both_plugins() -> None:
    class Copy(FileImportConnector):
        pass

    manager = build_plugin_manager(extra=[make_plugin("copycat_plugin", Copy)])
    with pytest.raises(PluginError) as info:
        connector_types(manager)
    message = str(info.value)
    assert "'file_import'" in message
    assert "connectors.file_import" in message
    assert "copycat_plugin" in message


def test_type_without_type_name_is_refused() -> None:
    class Nameless(Connector[Any]):
        settings_class = dict

        def streams(self, runtime: Any) -> list[Any]:
            return []

    manager = build_plugin_manager(extra=[make_plugin("nameless_plugin", Nameless)])
    with pytest.raises(PluginError, match=r"nameless_plugin.*type_name"):
        connector_types(manager)


def test_entry_point_plugin_is_discovered(
    installed_fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUB_NO_ENTRY_POINTS")
    found = connector_types(build_plugin_manager())
    fake = found["fake_source"]
    assert fake.plugin == "fake"
    assert fake.package == "fakehub-plugin"
    assert fake.version == "1.2.3"
    assert fake.cls.__module__ == "fakehub_plugin"
    assert "file_import" in found


def test_entry_points_skipped_with_hub_no_entry_points(installed_fake: Path) -> None:
    found = connector_types(build_plugin_manager())
    assert "fake_source" not in found
    assert "fakehub_plugin" not in sys.modules


def test_entry_point_plugin_can_be_blocked(
    installed_fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUB_NO_ENTRY_POINTS")
    assert "fake_source" not in connector_types(build_plugin_manager(block=["fake"]))


def test_broken_entry_point_names_the_group(
    installed_fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (installed_fake / "fakehub_plugin.py").write_text("raise RuntimeError('boom')\n", "utf-8")
    monkeypatch.delenv("HUB_NO_ENTRY_POINTS")
    with pytest.raises(PluginError, match=r"'hub\.connectors'.*RuntimeError: boom"):
        build_plugin_manager()


def test_plugins_load_from_config(plugin_dir: Path, write_config: WriteConfig) -> None:
    write_module(plugin_dir, "acme_plugin", "acme_source")
    config = load_config(write_config('[plugins]\nload = ["acme_plugin"]\n'))
    found = connector_types(build_plugin_manager(load=config.plugin_modules))
    assert found["acme_source"].plugin == "acme_plugin"
    assert found["acme_source"].package == "(not installed)"
    assert "file_import" in found


def test_unimportable_module_is_named(write_config: WriteConfig) -> None:
    config = load_config(write_config('[plugins]\nload = ["acme_missing.plugin"]\n'))
    with pytest.raises(PluginError, match=r"'acme_missing\.plugin'"):
        build_plugin_manager(load=config.plugin_modules)


def test_module_failing_on_import_is_named(plugin_dir: Path) -> None:
    (plugin_dir / "acme_broken.py").write_text("def oops(:\n", "utf-8")
    with pytest.raises(PluginError, match="'acme_broken'"):
        build_plugin_manager(load=["acme_broken"])


def test_block_from_config(write_config: WriteConfig) -> None:
    text = (
        '[plugins]\nblock = ["connectors.file_import"]\n\n[connectors.crm]\ntype = "file_import"\n'
    )
    config = load_config(write_config(text))
    found = connector_types(
        build_plugin_manager(load=config.plugin_modules, block=config.blocked_plugins)
    )
    assert "file_import" not in found
    with pytest.raises(ConfigError, match="unknown connector type 'file_import'"):
        build_connectors(config, found)


def test_the_example_package_loads_through_its_entry_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """examples/acme-hub-connector is pip-installed by `make install`, like any plugin."""
    monkeypatch.delenv("HUB_NO_ENTRY_POINTS")
    acme = connector_types(build_plugin_manager())["acme_loyalty"]
    assert (acme.plugin, acme.package, acme.version) == ("acme", "acme-hub-connector", "0.1.0")
    assert acme.cls.__module__ == "acme_hub_connector.connector"
