"""Admin: the audit log (and, later, keys, sync runs, quarantine)."""
