"""hub.settings: settings dataclasses filled from a TOML table, with secrets kept hidden."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from hub.errors import ConfigError
from hub.settings import Secret, build_settings

SECRET_VALUE = "s3cr3t-value-xyz"
WHERE = "conf/plugins.toml [connectors.api]"


@dataclass(frozen=True)
class ApiSettings:
    token: Secret
    retries: int = 3
    timeout: float = 10.0
    verbose: bool = False
    label: str | None = None
    cache: Path | None = None
    tags: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def build(table: dict[str, Any], sources: dict[str, str] | None = None) -> ApiSettings:
    """Build ApiSettings; the token comes from ${API_TOKEN} unless ``sources`` says otherwise."""
    chosen = {"token": "${API_TOKEN}"} if sources is None else sources
    return build_settings(
        ApiSettings, table, where=WHERE, base_dir=Path("/base"), secret_sources=chosen
    )


def config_error(table: dict[str, Any], sources: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        build(table, sources)
    return str(info.value)


def test_builds_values_and_defaults() -> None:
    settings = build({"token": SECRET_VALUE, "retries": 5, "tags": ["a"], "headers": {"k": "v"}})
    assert settings.token.reveal() == SECRET_VALUE
    assert settings.retries == 5
    assert settings.tags == ["a"]
    assert settings.headers == {"k": "v"}
    assert (settings.timeout, settings.verbose, settings.label) == (10.0, False, None)


def test_secret_repr_and_str_hide_the_value() -> None:
    secret = Secret(SECRET_VALUE, "${API_TOKEN}")
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}"):
        assert SECRET_VALUE not in shown
        assert "${API_TOKEN}" in shown
    assert secret.reveal() == SECRET_VALUE


def test_settings_repr_hides_the_secret() -> None:
    settings = build({"token": SECRET_VALUE})
    assert SECRET_VALUE not in repr(settings)
    assert SECRET_VALUE not in str(settings)


def test_secrets_compare_by_value() -> None:
    assert Secret("a", "${X}") == Secret("a", "${Y}")
    assert Secret("a", "${X}") != Secret("b", "${X}")
    assert hash(Secret("a", "${X}")) == hash(Secret("a", "${Y}"))


def test_literal_secret_is_rejected() -> None:
    message = config_error({"token": SECRET_VALUE}, sources={})
    assert WHERE in message
    assert "'token'" in message
    assert "${ENV_VAR}" in message
    assert SECRET_VALUE not in message


def test_unknown_setting_lists_known_ones() -> None:
    message = config_error({"token": "x", "retrys": 2})
    assert WHERE in message
    assert "'retrys'" in message
    for known in ("retries", "timeout", "token", "verbose"):
        assert known in message


def test_missing_setting_is_named() -> None:
    message = config_error({"retries": 1})
    assert WHERE in message
    assert "missing setting 'token'" in message


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("retries", "ten", "integer"),
        ("retries", True, "integer"),
        ("retries", 2.5, "integer"),
        ("timeout", "slow", "number"),
        ("verbose", 1, "true or false"),
        ("label", 3, "string"),
        ("cache", 3, "path"),
        ("tags", "a", "array of strings"),
        ("tags", ["a", 1], "array of strings"),
        ("headers", {"k": 1}, "table of strings"),
    ],
)
def test_wrong_type_names_key_and_expected_type(key: str, value: Any, expected: str) -> None:
    message = config_error({"token": "x", key: value})
    assert WHERE in message
    assert f"key {key!r}" in message
    assert expected in message


def test_bool_is_not_accepted_as_integer() -> None:
    message = config_error({"token": "x", "retries": True})
    assert "boolean" in message


def test_integer_is_accepted_as_float() -> None:
    settings = build({"token": "x", "timeout": 3})
    assert settings.timeout == 3.0
    assert isinstance(settings.timeout, float)


def test_wrong_type_from_environment_does_not_show_value() -> None:
    sources = {"token": "${API_TOKEN}", "retries": "${RETRIES}"}
    message = config_error({"token": "x", "retries": SECRET_VALUE}, sources)
    assert "key 'retries'" in message
    assert SECRET_VALUE not in message


def test_relative_path_resolves_against_base_dir() -> None:
    assert build({"token": "x", "cache": "data/cache"}).cache == Path("/base/data/cache")


def test_absolute_and_home_paths_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    assert build({"token": "x", "cache": "/abs/cache"}).cache == Path("/abs/cache")
    monkeypatch.setenv("HOME", "/home/someone")
    assert build({"token": "x", "cache": "~/cache"}).cache == Path("/home/someone/cache")


def test_non_dataclass_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        build_settings(dict, {}, where=WHERE, base_dir=Path("/base"))
