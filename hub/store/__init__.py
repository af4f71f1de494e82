"""Persistence: SQLAlchemy models, migrations and repositories. Knows no vendor and no GraphQL."""
