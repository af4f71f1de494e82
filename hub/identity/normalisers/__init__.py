"""Per-field normalisers behind :func:`hub.identity.normalise.normalise_person`.

Each module turns one kind of raw value into its matching key, or into an :class:`Unusable`
that says why the value cannot be a key; none of them raises on any text. Results are cached
(bounded): a base of a million records repeats first names, cities, streets and domains.
"""
