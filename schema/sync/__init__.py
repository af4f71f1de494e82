"""Sync: syncs started on request and the quarantine replay."""
