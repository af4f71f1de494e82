"""Identities: agents' merges, splits, never-merges, undos and review answers; the live feed."""
