"""The [resolution] table of plugins.toml: defaults, every key checked, errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config import parse_config
from hub.errors import ConfigError
from hub.identity.survivorship import DEFAULT_RULES

CONNECTORS = """
[connectors.crm]
type = "file_import"
path = "crm.csv"

[connectors.shop]
type = "file_import"
path = "shop.csv"
"""


def parsed(resolution: str) -> object:
    return parse_config(resolution + "\n" + CONNECTORS, Path("/etc/hub/plugins.toml")).resolution


def test_defaults_without_a_resolution_table() -> None:
    config = parse_config(CONNECTORS, None).resolution
    assert config.merge_threshold is None
    assert dict(config.survivorship) == dict(DEFAULT_RULES)
    assert config.trust_rank("crm") == config.trust_rank("anything") == 0


def test_a_full_table_is_read() -> None:
    config = parse_config(
        CONNECTORS
        + """
[resolution]
merge_threshold = 15
review_threshold = 5.5
max_cluster_size = 20
sources_by_trust = ["shop", "crm"]

[resolution.survivorship]
address = "source_trust"
""",
        None,
    ).resolution
    assert (config.merge_threshold, config.review_threshold, config.max_cluster_size) == (
        15.0,
        5.5,
        20,
    )
    assert config.trust_rank("shop") < config.trust_rank("crm") < config.trust_rank("till")
    assert config.survivorship["address"] == "source_trust"
    assert config.survivorship["first_name"] == DEFAULT_RULES["first_name"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[resolution]\nmerge_treshold = 3", "unknown key 'merge_treshold'"),
        ("[resolution]\nmerge_threshold = 'high'", "key 'merge_threshold': expected a number"),
        ("[resolution]\nmerge_threshold = nan", "key 'merge_threshold': expected a number"),
        ("[resolution]\nmerge_threshold = 4\nreview_threshold = 9", "above merge_threshold"),
        ("[resolution]\nmax_cluster_size = 1", "key 'max_cluster_size'"),
        ("[resolution]\nsources_by_trust = ['shop', 'tills']", "'tills' is not a configured"),
        ("[resolution]\nsources_by_trust = ['shop', 'shop']", "'shop' is listed twice"),
        ("[resolution.survivorship]\nnickname = 'most_recent'", "key 'nickname': unknown field"),
        ("[resolution.survivorship]\nemail = 'newest'", "unknown rule 'newest'"),
        ("resolution = 3", "[resolution]: must be a table"),
    ],
)
def test_mistakes_name_the_file_table_and_key(table: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parsed(table)
    assert "/etc/hub/plugins.toml [resolution]" in str(error.value)
    assert message in str(error.value)
