"""The hub's own exception tree.

Every error a user can cause or meet (bad configuration, an unreachable database, a connector
that fails) is raised as a subclass of :class:`HubError`, whose message says what is wrong and
where. The CLI prints the message without a traceback; secrets never appear in one.
"""


class HubError(Exception):
    """Base class of every error the hub raises on purpose."""


class ConfigError(HubError):
    """plugins.toml or the environment is wrong; the message names the file, instance and key."""


class PluginError(HubError):
    """A plugin could not be loaded or breaks the hook contract."""


class ConnectorError(HubError):
    """A connector could not read its source."""
