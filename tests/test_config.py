"""hub.config: plugins.toml parsing, environment references and connector building."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from connectors.file_import.connector import FileImportConnector
from hub.config import build_connectors, load_config, parse_config
from hub.connector import Connector, ConnectorRuntime, Stream
from hub.errors import ConfigError
from hub.plugins import ConnectorType, build_plugin_manager, connector_types
from hub.settings import Secret
from tests.conftest import CSV_CONNECTOR, WriteConfig

SECRET_VALUE = "s3cr3t-value-xyz"


@dataclass(frozen=True)
class TokenSettings:
    token: Secret
    retries: int = 3


class TokenConnector(Connector[TokenSettings]):
    type_name = "token_api"
    settings_class = TokenSettings

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return []


TOKEN_TYPES = {"token_api": ConnectorType("token_api", TokenConnector, "tests", "-", "-")}


def file_import_types() -> dict[str, ConnectorType]:
    return connector_types(build_plugin_manager())


def build_error(path: Path, types: dict[str, ConnectorType] | None = None, **env: str) -> str:
    """Load ``path`` and build its connectors; return the ConfigError message."""
    with pytest.raises(ConfigError) as info:
        build_connectors(load_config(path, env=env), types or file_import_types())
    return str(info.value)


def test_valid_config_builds_file_import(write_config: WriteConfig, tmp_path: Path) -> None:
    built = build_connectors(load_config(write_config(CSV_CONNECTOR)), file_import_types())
    connector = built["crm"]
    assert isinstance(connector, FileImportConnector)
    assert connector.settings.path == tmp_path / "crm.csv"
    assert connector.settings.columns["email"] == "E-mail"
    assert connector.settings.brand == "maison"


def test_unknown_type_lists_known_types(write_config: WriteConfig) -> None:
    path = write_config('[connectors.crm]\ntype = "file_imprt"\n')
    message = build_error(path)
    assert str(path) in message
    assert "[connectors.crm]" in message
    assert "'type'" in message
    assert "'file_imprt'" in message
    assert "file_import" in message.split("known types")[1]


@pytest.mark.parametrize("missing", ["path", "id_column"])
def test_missing_required_setting(write_config: WriteConfig, missing: str) -> None:
    settings = {"path": 'path = "crm.csv"', "id_column": 'id_column = "Code"'}
    del settings[missing]
    path = write_config('[connectors.crm]\ntype = "file_import"\n' + "\n".join(settings.values()))
    message = build_error(path)
    assert str(path) in message
    assert "[connectors.crm]" in message
    assert f"missing setting {missing!r}" in message


def test_missing_type(write_config: WriteConfig) -> None:
    path = write_config('[connectors.crm]\npath = "crm.csv"\n')
    with pytest.raises(ConfigError, match=r"\[connectors\.crm\].*missing setting 'type'"):
        load_config(path)


def test_unknown_setting_lists_known(write_config: WriteConfig) -> None:
    path = write_config(CSV_CONNECTOR.replace('brand = "maison"', 'brnd = "maison"'))
    message = build_error(path)
    assert str(path) in message
    assert "[connectors.crm]" in message
    assert "'brnd'" in message
    assert "brand" in message and "id_column" in message and "page_size" in message


@pytest.mark.parametrize("value", ['"ten"', "true", "2.5"])
def test_page_size_must_be_an_integer(write_config: WriteConfig, value: str) -> None:
    path = write_config(CSV_CONNECTOR.replace('brand = "maison"', f"page_size = {value}"))
    message = build_error(path)
    assert str(path) in message
    assert "[connectors.crm]" in message
    assert "'page_size'" in message
    assert "integer" in message


def test_connector_own_check_names_the_file(write_config: WriteConfig) -> None:
    path = write_config(CSV_CONNECTOR.replace('city = "Ville"', 'town = "Ville"'))
    message = build_error(path)
    assert str(path) in message
    assert "[connectors.crm]" in message
    assert "'columns'" in message
    assert "'town'" in message


def test_invalid_toml_names_the_file(write_config: WriteConfig) -> None:
    path = write_config("[connectors.crm\ntype = 'file_import'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert "TOML" in str(info.value)


def test_unknown_top_level_table(write_config: WriteConfig) -> None:
    path = write_config('[connector.crm]\ntype = "file_import"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert "[connector]" in str(info.value)
    assert "[connectors]" in str(info.value)


@pytest.mark.parametrize("name", ["CRM", "1crm", "crm.eu"])
def test_bad_instance_name(name: str) -> None:
    text = f'[connectors."{name}"]\ntype = "file_import"\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, Path("/conf/plugins.toml"))
    assert "/conf/plugins.toml" in str(info.value)
    assert f"[connectors.{name}]" in str(info.value)


def test_plugins_lists_must_be_strings() -> None:
    with pytest.raises(ConfigError, match=r"\[plugins\] key 'load'"):
        parse_config('[plugins]\nload = "one.module"\n', None)


def test_environment_reference_is_substituted(write_config: WriteConfig) -> None:
    text = CSV_CONNECTOR.replace('"maison"', '"${BRAND}-eu"')
    config = load_config(write_config(text), env={"BRAND": "maison"})
    assert config.instances["crm"].settings["brand"] == "maison-eu"
    assert config.instances["crm"].secret_sources == {"brand": "${BRAND}-eu"}


def test_environment_defaults_to_os_environ(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRM_BRAND", "maison")
    config = load_config(write_config(CSV_CONNECTOR.replace('"maison"', '"${CRM_BRAND}"')))
    assert config.instances["crm"].settings["brand"] == "maison"


def test_missing_variable_is_named(write_config: WriteConfig) -> None:
    path = write_config('[connectors.api]\ntype = "token_api"\ntoken = "${API_TOKEN}${NOPE}"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, env={"API_TOKEN": SECRET_VALUE})
    message = str(info.value)
    assert "NOPE" in message
    assert "[connectors.api]" in message and "'token'" in message
    assert SECRET_VALUE not in message


def test_malformed_reference(write_config: WriteConfig) -> None:
    path = write_config('[connectors.api]\ntype = "token_api"\ntoken = "${api-token}"\n')
    with pytest.raises(ConfigError, match=r"\[connectors\.api\] key 'token'.*\$\{VAR_NAME\}"):
        load_config(path, env={})


def test_secret_from_environment(write_config: WriteConfig) -> None:
    path = write_config('[connectors.api]\ntype = "token_api"\ntoken = "${API_TOKEN}"\n')
    built = build_connectors(load_config(path, env={"API_TOKEN": SECRET_VALUE}), TOKEN_TYPES)
    settings = built["api"].settings
    assert settings.token.reveal() == SECRET_VALUE
    assert SECRET_VALUE not in repr(settings)
    assert "${API_TOKEN}" in repr(settings.token)


def test_literal_secret_asks_for_env_reference(write_config: WriteConfig) -> None:
    path = write_config(f'[connectors.api]\ntype = "token_api"\ntoken = "{SECRET_VALUE}"\n')
    message = build_error(path, TOKEN_TYPES)
    assert str(path) in message
    assert "[connectors.api]" in message and "'token'" in message
    assert "${ENV_VAR}" in message
    assert SECRET_VALUE not in message


def test_wrong_type_from_environment_hides_value(write_config: WriteConfig) -> None:
    text = '[connectors.api]\ntype = "token_api"\ntoken = "${T}"\nretries = "${T}"\n'
    message = build_error(write_config(text), TOKEN_TYPES, T=SECRET_VALUE)
    assert "'retries'" in message
    assert SECRET_VALUE not in message


def test_paths_resolve_against_config_directory(tmp_path: Path) -> None:
    config_dir = tmp_path / "conf"
    config_dir.mkdir()
    path = config_dir / "plugins.toml"
    path.write_text(CSV_CONNECTOR.replace('"crm.csv"', '"data/crm.csv"'), encoding="utf-8")
    built = build_connectors(load_config(path), file_import_types())
    assert Path.cwd() == tmp_path
    assert built["crm"].settings.path == config_dir / "data" / "crm.csv"


def test_without_file_paths_resolve_against_cwd(tmp_path: Path) -> None:
    built = build_connectors(parse_config(CSV_CONNECTOR, None), file_import_types())
    assert built["crm"].settings.path == tmp_path / "crm.csv"


def test_default_file_missing_means_no_connectors() -> None:
    config = load_config()
    assert config.path is None
    assert config.instances == {}


def test_explicit_file_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found") as info:
        load_config(tmp_path / "nowhere.toml")
    assert "nowhere.toml" in str(info.value)


def test_hub_config_variable_chooses_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.toml"
    other.write_text('[plugins]\nload = ["x.y"]\nblock = ["z"]\n', encoding="utf-8")
    monkeypatch.setenv("HUB_CONFIG", str(other))
    config = load_config()
    assert config.path == other.resolve()
    assert config.plugin_modules == ("x.y",)
    assert config.blocked_plugins == ("z",)
    monkeypatch.setenv("HUB_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(ConfigError, match=r"gone\.toml"):
        load_config()


def test_api_table_defaults_are_closed() -> None:
    api = parse_config("", None).api
    assert api.anonymous is False and api.introspection is False
    assert parse_config("[api]\nanonymous = true\nmax_depth = 4\n", None).api.max_depth == 4


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("anonymous = 1", "key 'anonymous': expected true or false"),
        ("max_depth = 0", "key 'max_depth': expected a positive integer"),
        ("max_cost = true", "key 'max_cost': expected a positive integer"),
        ("max_dept = 3", "unknown key 'max_dept'; known keys: anonymous, introspection"),
    ],
)
def test_api_table_errors_name_the_key(table: str, message: str) -> None:
    with pytest.raises(ConfigError, match=r"plugins\.toml \[api\]") as raised:
        parse_config(f"[api]\n{table}\n", None)
    assert message in str(raised.value)
