"""Limits against abusive queries: depth, aliases, tokens, cost, page size, introspection.

Depth, aliases and tokens use strawberry's extensions; the cost is the hub's own rule: every
field counts once per object it is resolved on, and a list multiplies what is selected under
it by its ``first`` (or, without one, by :data:`UNPAGED_LIST_SIZE`; a ``first`` given as a
variable counts as the largest page). A connection's ``first`` sizes its ``edges`` list.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_nullable_type,
)
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from hub.access.api_config import ApiConfig
from schema.context import HubInfo
from schema.errors import ApiError, ErrorCode, PageSizeTooLarge

UNPAGED_LIST_SIZE = 10
"""What a list without ``first`` (a profile's identifiers, source records) is assumed to hold."""


def page_size(info: HubInfo, first: int | None, default: int | None = None) -> int:
    """The page size a list field may return, or a coded error a client can act on."""
    largest = info.context.api.max_page_size
    size = (default or largest) if first is None else first
    if size < 0:
        raise ApiError(f"first must be 0 or more, got {size}")
    if size > largest:
        raise PageSizeTooLarge(f"first is {size}; at most {largest} items per page")
    return size


def cost_rule(max_cost: int, max_page_size: int) -> type[ValidationRule]:
    class QueryCost(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            root = self.context.schema.get_root_type(node.operation)
            if root is None:
                return
            cost = self._cost(node.selection_set, root, 1, frozenset())
            if cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"The operation would resolve about {cost} fields; "
                        f"at most {max_cost} are allowed: select less or use smaller pages",
                        node,
                        extensions={"code": ErrorCode.QUERY_TOO_COSTLY.value},
                    )
                )

        def _cost(
            self,
            selections: SelectionSetNode | None,
            parent: GraphQLNamedType,
            multiplier: int,
            fragments: frozenset[str],
            page: int | None = None,
        ) -> int:
            """``page`` is the ``first`` of a connection above (an object field with a
            ``first``): its ``edges`` list holds that many, not :data:`UNPAGED_LIST_SIZE`."""
            if selections is None or not isinstance(
                parent, GraphQLObjectType | GraphQLInterfaceType
            ):
                return 0
            context: ValidationContext = self.context
            total = 0
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    field = parent.fields.get(selection.name.value)
                    if field is None:
                        continue  # __typename, or unknown (another rule reports it)
                    total += multiplier
                    kind = get_nullable_type(field.type)
                    inner = multiplier
                    size = self._list_size(selection)
                    if isinstance(kind, GraphQLList):
                        inner *= size or page or UNPAGED_LIST_SIZE
                        size = None
                        kind = get_nullable_type(kind.of_type)
                        while isinstance(kind, GraphQLList):
                            kind = get_nullable_type(kind.of_type)
                    total += self._cost(selection.selection_set, kind, inner, fragments, size)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    target = context.schema.get_type(condition.name.value) if condition else parent
                    if target is not None:
                        total += self._cost(
                            selection.selection_set, target, multiplier, fragments, page
                        )
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = context.get_fragment(name)
                    if fragment is None or name in fragments:
                        continue  # unknown or cyclic: other rules report it
                    target = context.schema.get_type(fragment.type_condition.name.value)
                    if target is not None:
                        total += self._cost(
                            fragment.selection_set, target, multiplier, fragments | {name}, page
                        )
            return total

        @staticmethod
        def _list_size(field: FieldNode) -> int | None:
            """The field's ``first`` (or ``last``), None without one."""
            for argument in field.arguments or ():
                if argument.name.value in ("first", "last"):
                    if isinstance(argument.value, IntValueNode):
                        return max(int(argument.value.value), 1)
                    return max_page_size
            return None

    return QueryCost


def _same_rules(extension: AddValidationRules) -> Callable[[], SchemaExtension]:
    """A factory adding ``extension``'s rule classes to every operation. Strawberry's limiters
    make new rule classes each time they are made; the validation cache is keyed by the rule
    classes too, so with fresh ones it would never recognise a document it had validated."""
    return partial(AddValidationRules, list(extension.validation_rules))


def limit_extensions(api: ApiConfig) -> list[Callable[[], SchemaExtension]]:
    """The extensions enforcing ``api``'s limits (their validation rules made once)."""
    extensions: list[Callable[[], SchemaExtension]] = [
        partial(MaxTokensLimiter, max_token_count=api.max_tokens),
        _same_rules(QueryDepthLimiter(max_depth=api.max_depth)),
        _same_rules(MaxAliasesLimiter(max_alias_count=api.max_aliases)),
        partial(AddValidationRules, [cost_rule(api.max_cost, api.max_page_size)]),
    ]
    if not api.introspection:
        extensions.append(DisableIntrospection)
    return extensions
