"""Conditions of a rule: a registry of condition kinds, one module each.

A condition is data, never code. Each kind lives in one module that declares its YAML
key(s), its JSON-schema fragment, how it compiles into a small frozen node, how the
engine evaluates it on whole columns (three-valued: false, unknown, true, so a GPS
error or a missing date can leave a rule in ``review``), what it needs from a run,
what a finding reports for it, and how ``explain`` says it in ``id`` and ``en``
(:class:`~.base.ConditionKind`). The kinds:

- :mod:`.logic`: ``all``, ``any``, ``not``;
- :mod:`.near`: ``near`` and ``inside`` (a zone category);
- :mod:`.during`: ``during`` (a period);
- :mod:`.field`: ``field`` tests (``equals``, ``in``, ``gt``, ``between``, ``matches``...);
- :mod:`.zone`: inside one zone by id (a rule's ``area: {zone_id: ...}``).

The loader, the engine, the trust contract and ``explain`` go through :func:`kind_of`;
the rule schema's ``condition`` is assembled from the kinds (:func:`condition_schema`).
Every module of this package is imported, and each kind module registers its kind: adding
a kind is adding a module here (docs/architecture.md, "Adding a condition kind").
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from typing import Any

from ...errors import Text
from ..patterns import MAX_PATTERN_LENGTH, Pattern, check_pattern, to_re2
from . import duplicates
from .base import (
    FALSE,
    FIELD,
    TRUE,
    UNKNOWN,
    ZONE,
    ZONE_CATEGORY,
    ConditionError,
    ConditionKind,
    EvaluationContext,
    Evidence,
    Explain,
    Need,
    kind_for,
    kind_of,
    kinds,
    register,
    registry_version,
    true_where,
    unregister,
)
from .during import During
from .field import DERIVED_FIELDS, FIELD_OPERATORS, ORDER_OPERATORS, FieldTest
from .logic import All, AnyOf, Not
from .near import Near
from .whole_list import (
    GroupEvidence,
    GroupFindings,
    RuleKind,
    WholeListContext,
    register_rule_kind,
    rule_kind_of,
    rule_kinds,
    unregister_rule_kind,
)
from .zone import InZone

for _module in pkgutil.iter_modules(__path__):  # a kind module added here registers itself
    importlib.import_module(f"{__name__}.{_module.name}")

Condition = Any
"""A compiled condition: a node of a registered kind (:func:`kind_of` gives its kind)."""

__all__ = [
    "DERIVED_FIELDS",
    "FALSE",
    "FIELD",
    "FIELD_OPERATORS",
    "MAX_PATTERN_LENGTH",
    "ORDER_OPERATORS",
    "TRUE",
    "UNKNOWN",
    "ZONE",
    "ZONE_CATEGORY",
    "All",
    "AnyOf",
    "Condition",
    "ConditionError",
    "ConditionKind",
    "During",
    "EvaluationContext",
    "Evidence",
    "Explain",
    "FieldTest",
    "GroupEvidence",
    "GroupFindings",
    "InZone",
    "Near",
    "Need",
    "Not",
    "Pattern",
    "check_pattern",
    "compile_condition",
    "condition_schema",
    "condition_keys",
    "kind_for",
    "kind_of",
    "kinds",
    "leaves",
    "node_problems",
    "register",
    "register_rule_kind",
    "rule_kind_of",
    "rule_kinds",
    "RuleKind",
    "registry_version",
    "ruleset_schema",
    "to_re2",
    "true_where",
    "unregister",
    "unregister_rule_kind",
    "WholeListContext",
    "walk",
]


def compile_condition(
    data: dict[str, Any], path: tuple[Any, ...], max_depth: int, depth: int = 0
) -> Condition:
    """Turn one schema-valid condition mapping into a node of the kind its key selects
    (a mapping with none of the kinds' keys is a field test, which says what is missing)."""
    if depth > max_depth:
        raise ConditionError(Text("rules.conditions_nested_deeper_than", max_depth=max_depth), path)
    kind = kind_for(data) or kind_of(FieldTest("", "", None))

    def item(child: dict[str, Any], child_path: tuple[Any, ...]) -> Condition:
        return compile_condition(child, child_path, max_depth, depth + 1)

    return kind.compile(data, path, item)


def walk(condition: Condition) -> Iterator[Condition]:
    """Yield every condition in ``condition``, depth first, in document order."""
    yield condition
    for child in kind_of(condition).children(condition):
        yield from walk(child)


def leaves(condition: Condition | None, positive: bool = True) -> Iterator[tuple[Condition, bool]]:
    """Every leaf test in document order, with its polarity (False under an odd number of ``not``)."""
    if condition is None:
        return
    kind = kind_of(condition)
    children = kind.children(condition)
    if not children:
        yield condition, positive
    for child in children:
        yield from leaves(child, positive != kind.negates)


def node_problems(
    node: Condition, categories: frozenset[str] | None, periods: Mapping[str, Any] | None
) -> Iterator[tuple[Text, Text | None]]:
    """What is wrong with one compiled condition given the names its set defines (None: not
    checked), as (message, hint) pairs."""
    return kind_of(node).problems(node, categories, periods)


def condition_keys() -> tuple[str, ...]:
    """The keys that select a kind, in the order kinds are matched."""
    return tuple(key for kind in kinds() for key in kind.keys)


def condition_schema() -> dict[str, Any]:
    """The JSON Schema of one condition mapping, assembled from the registered kinds."""
    properties: dict[str, Any] = {}
    depends: dict[str, list[str]] = {}
    for kind in kinds():
        properties.update(copy.deepcopy(dict(kind.schema)))
        depends.update(copy.deepcopy(dict(kind.depends)))
    schema: dict[str, Any] = {
        "type": "object",
        "minProperties": 1,
        "oneOf": [{"required": [key]} for key in condition_keys()],
        "additionalProperties": False,
        "properties": properties,
    }
    if depends:
        schema["dependentRequired"] = depends
    return schema


def ruleset_schema(shipped: Mapping[str, Any]) -> dict[str, Any]:
    """The rule schema ``shipped`` (``schemas/ruleset-1.json``) with its ``condition`` as the
    registered kinds make it, and its rules' whole-list keys (``quota``, ``spacing``) and the
    set's ``duplicates`` as their kinds declare them (the same, unless a kind was added since
    the file was written)."""
    schema = copy.deepcopy(dict(shipped))
    schema["$defs"]["condition"] = condition_schema()
    rule = schema["$defs"]["rule"]
    for kind in rule_kinds():
        rule["properties"][kind.key] = copy.deepcopy(dict(kind.schema))
    # a rule needs `when` or a whole-list kind's key, unless it is switched off
    rule["anyOf"] = [
        {"required": ["when"]},
        *({"required": [kind.key]} for kind in rule_kinds()),
        {"properties": {"enabled": {"const": False}}, "required": ["enabled"]},
    ]
    schema["properties"][duplicates.KEY] = copy.deepcopy(dict(duplicates.SCHEMA))
    return schema
