"""Customers: profiles with their golden fields, identifiers and source records."""
