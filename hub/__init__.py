"""Customer 360 hub: one profile per person, built from every source, served over GraphQL."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("customer360-hub")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
