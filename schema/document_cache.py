"""Parsed and validated documents kept between requests.

Front-office apps send the same few documents again and again, and parsing plus validating one
costs more than resolving a profile; strawberry's caches keep both, keyed by the document text
(and, for validation, by the rule classes, which :mod:`schema.limits` therefore makes once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from graphql import GraphQLError
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache

from schema.errors import classify

DOCUMENT_CACHE_SIZE = 1024
"""Distinct documents whose parse and validation are kept."""


class CodedParserCache(ParserCache):
    """Strawberry's parser cache, with the code set on a syntax or size error.

    Through the cache a parse error leaves the operation before its result exists, so
    :class:`schema.errors.ErrorCodes` never sees it; it is coded here instead."""

    def on_parse(self) -> Iterator[None]:
        try:
            yield from super().on_parse()
        except GraphQLError as error:
            raise classify(error) from None


def document_caches() -> list[Callable[[], SchemaExtension]]:
    return [
        partial(CodedParserCache, maxsize=DOCUMENT_CACHE_SIZE),
        partial(ValidationCache, maxsize=DOCUMENT_CACHE_SIZE),
    ]
