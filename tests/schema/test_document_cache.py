"""Documents sent again are neither parsed nor validated again, and stay refused if invalid."""

from __future__ import annotations

from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from hub.runtime import Hub
from schema import schema
from schema.context import HubContext
from schema.document_cache import DOCUMENT_CACHE_SIZE
from tests.schema.conftest import execute

QUERY = "query ($v: String!) { customerByIdentifier(kind: EMAIL, value: $v) { id } }"


async def test_a_repeated_document_hits_the_parse_and_validation_caches(resolved: Hub) -> None:
    parsed = _get_parse_cache(DOCUMENT_CACHE_SIZE)
    validated = _get_validate_cache(DOCUMENT_CACHE_SIZE)
    await execute(resolved, QUERY, {"v": "first@example.com"})
    parse_hits, validate_hits = parsed.cache_info().hits, validated.cache_info().hits
    await execute(resolved, QUERY, {"v": "second@example.com"})
    assert parsed.cache_info().hits == parse_hits + 1
    assert validated.cache_info().hits == validate_hits + 1


async def test_a_cached_invalid_document_is_refused_every_time(resolved: Hub) -> None:
    missing_argument = "{ customerByIdentifier(kind: EMAIL) { id } }"
    for _ in range(2):
        result = await schema.execute(
            missing_argument, context_value=HubContext(sessions=resolved.sessions)
        )
        assert result.data is None
        assert result.errors and "(value:)" in result.errors[0].message, result.errors
