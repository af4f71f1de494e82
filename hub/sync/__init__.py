"""Runs connectors: pages and cursors, run history, quarantine."""
