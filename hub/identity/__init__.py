"""Identity resolution: which source records are the same person. Knows no vendor, no GraphQL."""
