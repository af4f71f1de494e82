"""The viewer of a request: a role, the brands it may see, and what it may do.

Every GraphQL resolver (and the console, which reads through the same schema) asks the viewer
before it shows a personal field, another brand's activity, or changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    """Everything, including raw source payloads, keys, syncs and quarantine."""
    AGENT = "agent"
    """Sales and support: reads whole profiles and fixes identity mistakes."""
    APP = "app"
    """A front-office application: reads profiles and records consents."""
    ANALYST = "analyst"
    """Reads profiles and activities without personal fields, changes nothing."""


class Permission(StrEnum):
    READ_PROFILES = "read_profiles"
    READ_PERSONAL_DATA = "read_personal_data"
    """E-mail, phone, postal address and birth date in clear."""
    READ_RAW_PAYLOADS = "read_raw_payloads"
    DECIDE_IDENTITY = "decide_identity"
    """Merge, split, never-merge and review decisions."""
    RECORD_CONSENT = "record_consent"
    RUN_SYNCS = "run_syncs"
    """Trigger syncs, replay the quarantine, read sync runs."""
    MANAGE_KEYS = "manage_keys"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.AGENT: frozenset(
        {
            Permission.READ_PROFILES,
            Permission.READ_PERSONAL_DATA,
            Permission.DECIDE_IDENTITY,
            Permission.RECORD_CONSENT,
        }
    ),
    Role.APP: frozenset(
        {Permission.READ_PROFILES, Permission.READ_PERSONAL_DATA, Permission.RECORD_CONSENT}
    ),
    Role.ANALYST: frozenset({Permission.READ_PROFILES}),
}


@dataclass(frozen=True)
class Viewer:
    name: str
    """Who, as audit entries and identity decisions record it (e.g. ``key:support-desk``)."""
    role: Role
    brands: frozenset[str] | None = None
    """The brands this viewer may see; ``None`` means every brand."""
    permissions: frozenset[Permission] | None = None
    """Overrides the role's permissions (a key created without personal-data access)."""
    key_id: str | None = None

    @classmethod
    def local_admin(cls, name: str = "local") -> Viewer:
        """The viewer of the hub's own commands (CLI, demo), which run with full rights."""
        return cls(name=name, role=Role.ADMIN)

    @property
    def granted(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[self.role] if self.permissions is None else self.permissions

    def may(self, permission: Permission) -> bool:
        return permission in self.granted

    def sees_brand(self, brand: str | None) -> bool:
        """Whether data of ``brand`` is visible; data with no brand is visible to every scope."""
        return self.brands is None or brand is None or brand in self.brands
