"""Errors a client sees: each carries a stable ``extensions.code``; nothing else leaks.

Resolvers raise a :class:`ApiError` subclass for what the client should know (its message is
shown). Parse and validation errors are classified by the rule that reported them. Anything
else is a bug: the client gets ``INTERNAL_SERVER_ERROR`` and a generic message, the log gets
the traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from enum import StrEnum

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult

log = logging.getLogger("hub.graphql")


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BAD_REQUEST = "BAD_REQUEST"
    """The HTTP request itself is wrong: not JSON, no query, unsupported content type."""
    BATCH_NOT_ALLOWED = "BATCH_NOT_ALLOWED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
    """More lexical tokens than ``max_tokens``."""
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    PAGE_SIZE_TOO_LARGE = "PAGE_SIZE_TOO_LARGE"
    INVALID_CURSOR = "INVALID_CURSOR"
    """An ``after`` that is not a cursor this list gave out."""
    NOT_FOUND = "NOT_FOUND"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ApiError(Exception):
    """An error whose message is meant for the client."""

    code: ErrorCode = ErrorCode.BAD_USER_INPUT


class Forbidden(ApiError):
    code = ErrorCode.FORBIDDEN


class NotFound(ApiError):
    code = ErrorCode.NOT_FOUND


class PageSizeTooLarge(ApiError):
    code = ErrorCode.PAGE_SIZE_TOO_LARGE


class InvalidCursor(ApiError):
    code = ErrorCode.INVALID_CURSOR


# Errors reported without an exception (parser, validation rules, variable coercion), told
# apart by their message; the first pattern that matches wins.
_REPORTED: tuple[tuple[re.Pattern[str], ErrorCode], ...] = (
    (re.compile(r"Document contains more than \d+ tokens"), ErrorCode.QUERY_TOO_LARGE),
    (re.compile(r"^Syntax Error"), ErrorCode.GRAPHQL_PARSE_FAILED),
    (re.compile(r"exceeds maximum operation depth"), ErrorCode.QUERY_TOO_DEEP),
    (re.compile(r"aliases found\. Allowed"), ErrorCode.TOO_MANY_ALIASES),
    (re.compile(r"introspection has been disabled"), ErrorCode.INTROSPECTION_DISABLED),
    (re.compile(r"^Variable '\$"), ErrorCode.BAD_USER_INPUT),
)
MASKED_MESSAGE = "Internal server error."


def classify(error: GraphQLError) -> GraphQLError:
    """The error with its code set, or a masked copy when it is not meant for the client."""
    existing = (error.extensions or {}).get("code")
    original = error.original_error
    if isinstance(original, ApiError):
        code: ErrorCode | str = original.code
    elif original is None or isinstance(original, GraphQLError):
        code = existing or next(
            (code for pattern, code in _REPORTED if pattern.search(error.message)),
            ErrorCode.GRAPHQL_VALIDATION_FAILED,
        )
    else:
        # The message of an unexpected exception may hold SQL, paths or values: never shown.
        log.error(
            "unexpected error in %s: %s",
            ".".join(map(str, error.path or ())) or "operation",
            type(original).__name__,
            exc_info=(type(original), original, original.__traceback__),
        )
        return GraphQLError(
            MASKED_MESSAGE,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR.value},
        )
    error.extensions = {**(error.extensions or {}), "code": str(code)}
    return error


class ErrorCodes(SchemaExtension):
    """Sets every error's code and masks unexpected ones, over HTTP and WebSocket alike."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | ExecutionResult) and result.errors:
            result.errors = [classify(error) for error in result.errors]
