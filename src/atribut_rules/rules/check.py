"""Checks of one rule file that need no compiling: its values, its schema, and its new rules.

Every check returns (or adds to a :class:`Problems`) every problem it finds, each a
:class:`~atribut_rules.errors.RuleSetError` at its own file, line and column; nothing stops
at the first. :mod:`.build` adds the problems found while compiling, and :mod:`.load`
runs both on each file of an ``extends`` chain.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from typing import Any

import jsonschema

from .. import resources
from ..errors import MAX_QUOTE, RuleSetError, Text, clip, quote
from ..read.yamlsafe import MAX_NUMBER_CHARS, position
from .conditions import condition_keys, registry_version, ruleset_schema
from .conditions.whole_list import rule_kinds
from .model import SCHEMA_NAME


class Problems:
    """The problems found in one rule file (``name``, positions in ``marks``), in the order found.

    ``broken`` holds the parts of the document the schema refused (see :func:`part_of`):
    compiling skips them, so a schema problem is not reported a second time as something else.
    """

    def __init__(self, marks: dict, name: str) -> None:
        self.marks = marks
        self.name = name
        self.found: list[RuleSetError] = []
        self.broken: set[tuple] = set()

    def add(self, path: tuple, message: str | Text, **fields: Any) -> None:
        """A problem at the line and column of the value at ``path``."""
        self.found.append(located(self.marks, path, self.name, message, **fields))

    def extend(self, problems: list[RuleSetError]) -> None:
        self.found.extend(problems)

    def usable(self, path: tuple) -> bool:
        """Whether the part at ``path`` passed the schema (and may be compiled)."""
        return (
            () not in self.broken
            and part_of(path) not in self.broken
            and (not path or path[0] != "rules" or ("rules",) not in self.broken)
        )

    def __bool__(self) -> bool:
        return bool(self.found)


def part_of(path: tuple) -> tuple:
    """The part of a rule document a path lies in: one rule (``("rules", i)``) or one top key."""
    return tuple(path[:2]) if len(path) >= 2 and path[0] == "rules" else tuple(path[:1])


def raise_all(problems: list[RuleSetError]) -> None:
    """Raise the first problem carrying all of them (:attr:`RuleSetError.problems`), if any."""
    if problems:
        first = problems[0]
        first.problems = tuple(problems)
        raise first


def located(marks: dict, path: tuple, name: str, message: str | Text, **fields: Any) -> RuleSetError:
    """A rule-file error at the line and column of the value at ``path``."""
    line, column = position(marks, path)
    return RuleSetError(message, file=name, line=line, column=column, **fields)


# -- values -----------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
_LARGEST = 10**MAX_NUMBER_CHARS


def value_problems(doc: Any, marks: dict, name: str) -> list[RuleSetError]:
    """What no schema can refuse: NaN or infinity anywhere (a NaN threshold would make a rule
    silently never fire), a number too large to be a float, and text that is not valid
    Unicode (a lone surrogate cannot be written to any output)."""
    return list(_bad_values(doc, marks, name, ()))


def _bad_values(value: Any, marks: dict, name: str, path: tuple) -> Iterator[RuleSetError]:
    dotted = clip(".".join(str(p) for p in path), MAX_QUOTE)
    where = f"{dotted}: " if dotted else ""
    field = {"field": dotted or None}
    if isinstance(value, float) and not math.isfinite(value):
        yield located(marks, path, name, Text("rules.not_finite_number", where=where, value=value), **field)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _LARGEST:
        yield located(
            marks, path, name, Text("rules.too_large_number", where=where, value=quote(value)), **field
        )
    elif isinstance(value, str) and _SURROGATE.search(value):
        message = Text("rules.lone_surrogate", where=where, value=quote(value))
        yield located(marks, path, name, message, **field)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _bad_values(k, marks, name, path + (k,))
            yield from _bad_values(v, marks, name, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _bad_values(v, marks, name, path + (i,))


# -- schema -----------------------------------------------------------------------------------


def _validator(extending: bool) -> jsonschema.protocols.Validator:
    return _validator_for(extending, registry_version())


@functools.lru_cache(maxsize=4)
def _validator_for(extending: bool, version: int) -> jsonschema.protocols.Validator:
    """The rule schema's validator, its conditions as the registered kinds make them
    (``version``: the registry's); for a set that extends others, without what a parent
    supplies: ``schema`` and ``rules`` may be left out, and a rule may name only the keys
    it changes."""
    schema = ruleset_schema(resources.schema(SCHEMA_NAME))
    if extending:
        schema["required"] = [k for k in schema["required"] if k not in ("schema", "rules")]
        schema["$defs"]["rule"].pop("anyOf", None)
    return jsonschema.Draft202012Validator(schema)


def _schema_errors(doc: dict, extending: bool) -> list[jsonschema.ValidationError]:
    return sorted(
        _validator(extending).iter_errors(doc),
        key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))),
    )


def extends_others(doc: Any) -> bool:
    """Whether a rule document names parents in ``ruleset.extends``."""
    meta = doc.get("ruleset") if isinstance(doc, dict) else None
    return bool(meta.get("extends")) if isinstance(meta, dict) else False


def check_schema(doc: dict, problems: Problems, extending: bool | None = None) -> None:
    """Add every schema problem of ``doc`` (the most telling one first, then in file order) and
    mark the parts they lie in as broken. ``extending`` defaults to whether ``doc`` extends."""
    extending = extends_others(doc) if extending is None else extending
    errors = _schema_errors(doc, extending)
    if not errors:
        return
    first = describe(jsonschema.exceptions.best_match(errors), doc, problems.marks, problems.name)
    others = [describe(e, doc, problems.marks, problems.name) for e in errors]
    # the most telling problem stands for the others at its own place
    others = [e for e in others if (e.line, e.column) != (first.line, first.column)]
    problems.extend([first, *sorted(others, key=lambda e: (e.line or 0, e.column or 0))])
    problems.broken |= {part_of(tuple(e.absolute_path)) for e in errors}


def schema_problems(doc: dict, marks: dict, name: str) -> list[RuleSetError]:
    """Every schema problem of one rule file on its own (as for a set that extends others,
    when it does), each at its line and column, in file order."""
    problems = Problems(marks, name)
    check_schema(doc, problems)
    return sorted(problems.found, key=lambda e: (e.line or 0, e.column or 0))


def describe(error: jsonschema.ValidationError, doc: dict, marks: dict, name: str) -> RuleSetError:
    """A schema error as a rule-file error at its line and column, quoting at most a short value."""
    path = tuple(error.absolute_path)
    line, col = position(marks, path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra and path + (extra[0],) in marks:
            line, col = marks[path + (extra[0],)]
    dotted = clip(".".join(str(p) for p in path) or "(top)", MAX_QUOTE)
    schema_message = error.message
    try:
        shown = repr(error.instance)
    except ValueError:
        shown = ""
    if len(shown) > MAX_QUOTE and shown in schema_message:
        schema_message = schema_message.replace(shown, quote(error.instance))
    message: Text | str = schema_message
    hint: Text | None = None
    if "propertyNames" in error.schema_path:
        if path + (error.instance,) in marks:
            line, col = marks[path + (error.instance,)]
        message = Text("rules.key_not_usable", key=quote(error.instance), message=message)
        if not isinstance(error.instance, str):
            hint = Text("rules.quote_key_hint")
    if error.validator == "additionalProperties":
        message = Text("rules.check_spelling", message=message)
    if error.validator == "oneOf" and path and "rules" in path:
        message = Text("rules.one_condition_key", names=", ".join(condition_keys()))
    return RuleSetError(
        Text("rules.schema", dotted=dotted, message=message),
        file=name,
        line=line,
        column=col,
        rule=_rule_id(doc, path),
        hint=hint,
    )


def _rule_id(doc: dict, path: tuple) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = doc.get("rules")
        if isinstance(rules, list) and path[1] < len(rules) and isinstance(rules[path[1]], dict):
            rid = rules[path[1]].get("id")
            if isinstance(rid, str):
                return clip(rid, 100)
            return f"#{path[1] + 1}"
    return None


# -- rules a child adds -----------------------------------------------------------------------


def new_rule_problems(doc: dict, marks: dict, name: str, inherited: set[Any]) -> list[RuleSetError]:
    """The rules of a set that extends others which are new (not in ``inherited``), enabled,
    and have nothing to test: only a parent's rule may be named with just the keys that change."""
    problems = []
    rules = doc.get("rules")
    for j, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict) or not isinstance(rule.get("id"), str) or rule["id"] in inherited:
            continue
        keys = tuple(kind.key for kind in rule_kinds())
        if rule.get("enabled", True) is not False and not any(k in rule for k in ("when", *keys)):
            alternatives = " or ".join(repr(k) for k in keys)
            problems.append(
                located(
                    marks,
                    ("rules", j),
                    name,
                    Text("rules.rules_new_rule_needs", j=j, alternatives=alternatives),
                    rule=clip(rule["id"], 100),
                )
            )
    return problems
