"""Sandboxes: small aiohttp servers that speak a source's API, for tests, demos and benchmarks.

Every built-in connector ships one beside it (``connectors/<name>/sandbox.py``), built from the
pieces here: :class:`Faults` injected on demand (429 storms, 5xx bursts, slow or truncated
bodies, repeated page tokens), a seedable population of people spelled differently by each
source (:mod:`hub.sandbox.people`), and :func:`serve` to run one on a free local port.
"""

from hub.sandbox.faults import FAULTS, Faults, faults_middleware, install_faults
from hub.sandbox.people import Person, Population, SourceSpelling
from hub.sandbox.server import Sandbox, SandboxConfig, WebhookDelivery, deliver, serve

__all__ = [
    "FAULTS",
    "Faults",
    "Person",
    "Population",
    "Sandbox",
    "SandboxConfig",
    "SourceSpelling",
    "WebhookDelivery",
    "deliver",
    "faults_middleware",
    "install_faults",
    "serve",
]
