"""Who is asking: API keys, roles, brand scopes and what each may see or do."""

from hub.access.viewer import Permission, Role, Viewer

__all__ = ["Permission", "Role", "Viewer"]
