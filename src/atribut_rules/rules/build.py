"""Compile a checked rule document into a :class:`~.model.RuleSet`, collecting every problem.

Compiling is where names are checked against what the set defines: zone categories,
periods, rule ids, dates, the ``crs``, message placeholders, permits, and each
condition (its kind's own checks, :mod:`.conditions`). A problem is added to the
:class:`~.check.Problems` of the file and compiling goes on with the next part; a part
the schema refused is skipped. :func:`build_ruleset` returns None when anything was found.

A set that ``extends`` others is compiled twice: its own document first, against what
its parents define (:class:`Inherited`), so each problem is at its own line; then, when
nothing was found, the merged document, which builds the set.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..categories import with_canonical_categories
from ..errors import AtributRulesError, RuleSetError, Text, quote
from ..model import Severity
from ..read.yamlsafe import position
from .check import Problems
from .conditions import Condition, ConditionError, compile_condition, node_problems, walk
from .conditions.duplicates import compile_duplicates
from .conditions.whole_list import rule_kinds
from .crs import crs_problem
from .model import (
    CATEGORIES,
    MAX_PLACEHOLDERS,
    PLACEHOLDERS,
    Limits,
    Period,
    Rule,
    RuleSet,
)

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Inherited:
    """What the parents of a set that extends others define for it to use."""

    categories: frozenset[str]
    periods: Mapping[str, Period]
    rule_ids: frozenset[str]


@dataclass(frozen=True)
class _Names:
    """The names a rule may use; a vocabulary the schema refused is not checked against."""

    categories: frozenset[str]
    periods: Mapping[str, Period]
    check_categories: bool
    check_periods: bool


def build_ruleset(
    doc: dict, problems: Problems, limits: Limits, inherited: Inherited | None = None
) -> RuleSet | None:
    """The compiled set, or None when a problem was found (added to ``problems``).

    With ``inherited``, ``doc`` is a set's own document checked against its parents'
    names (a rule may name only the keys it changes); nothing is built."""
    if () in problems.broken:
        return None
    doc = with_canonical_categories(doc)
    meta = doc.get("ruleset") if isinstance(doc.get("ruleset"), dict) else {}
    names = _names(doc, problems, inherited)
    effective = None
    if "effective" in meta and problems.usable(("ruleset",)):
        effective = Period(
            "effective",
            _date(meta["effective"].get("from"), ("ruleset", "effective", "from"), problems),
            _date(meta["effective"].get("to"), ("ruleset", "effective", "to"), problems),
        )
    defaults = (doc.get("defaults") or {}) if problems.usable(("defaults",)) else {}
    _check_crs(doc, problems)
    radius = _zone_radius(defaults, names, problems)
    rules = _rules(doc, names, problems, limits, inherited)
    exemptions = _exemptions(doc, problems)
    if problems or inherited is not None:
        return None
    accuracy_by = None
    if "accuracy_by" in defaults:
        spec = defaults["accuracy_by"]
        accuracy_by = (spec["field"], {str(k).casefold(): float(v) for k, v in spec["values"].items()})
    duplicates = None
    if "duplicates" in doc:
        duplicates = compile_duplicates(doc["duplicates"])
    canonical = json.dumps(_json_keys(doc), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return RuleSet(
        id=meta["id"],
        version=meta["version"],
        title=_text(meta.get("title")),
        jurisdiction=meta.get("jurisdiction"),
        effective=effective,
        extends=tuple(meta.get("extends") or ()),
        crs=doc.get("crs"),
        categories=names.categories,
        default_accuracy_m=float(defaults.get("accuracy_m", 0.0)),
        zone_radius_m=radius,
        periods=names.periods,
        rules=tuple(rules),
        sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        source=problems.name,
        document=doc,
        accuracy_by=accuracy_by,
        duplicates=duplicates,
        exemptions=exemptions,
    )


def _names(doc: dict, problems: Problems, inherited: Inherited | None) -> _Names:
    periods: dict[str, Period] = dict(inherited.periods) if inherited else {}
    check_periods = problems.usable(("periods",))
    for pname, span in (doc.get("periods") or {}).items() if check_periods else ():
        start = _date(span.get("from"), ("periods", pname, "from"), problems)
        end = _date(span.get("to"), ("periods", pname, "to"), problems)
        if start and end and start > end:
            problems.add(("periods", pname), Text("rules.period_ends_before_starts", pname=pname))
        periods[pname] = Period(pname, start, end)
    check_categories = problems.usable(("categories",))
    categories = frozenset(CATEGORIES) | (inherited.categories if inherited else frozenset())
    if check_categories:
        categories |= frozenset(doc.get("categories") or ())
    return _Names(categories, periods, check_categories, check_periods)


def _check_crs(doc: dict, problems: Problems) -> None:
    if doc.get("crs") is None or not problems.usable(("crs",)):
        return
    problem = crs_problem(doc["crs"])
    if problem:
        problems.add(
            ("crs",),
            Text("rules.bad_crs", doc=quote(doc["crs"]), problem=problem),
            field="crs",
            hint=Text("rules.give_projected_crs_metres_hint"),
        )


def _zone_radius(defaults: Mapping[str, Any], names: _Names, problems: Problems) -> dict[str, float]:
    radius = dict(defaults.get("zone_radius_m") or {})
    for cat in radius if names.check_categories else ():
        if cat not in names.categories:
            problems.add(
                ("defaults", "zone_radius_m", cat),
                Text("rules.unknown_zone_category_defaults", cat=cat),
                hint=Text("rules.known_categories_hint", names=", ".join(sorted(names.categories))),
            )
    return radius


def _exemptions(doc: dict, problems: Problems) -> tuple[Any, ...]:
    from ..evaluate.permits import permits_from_mappings

    if not problems.usable(("exemptions",)):
        return ()
    try:
        return permits_from_mappings(doc.get("exemptions") or (), file=problems.name)
    except AtributRulesError as exc:
        line, col = position(problems.marks, ("exemptions",))
        problems.found.append(
            RuleSetError(exc.message_text, file=problems.name, line=line, column=col, field=exc.field)
        )
        return ()


def _rules(
    doc: dict, names: _Names, problems: Problems, limits: Limits, inherited: Inherited | None
) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, r in enumerate((doc.get("rules") or []) if problems.usable(("rules",)) else []):
        if not problems.usable(("rules", i)):
            continue
        rid = r["id"]
        if rid in seen:
            problems.add(
                ("rules", i), Text("rules.duplicate_rule_id_first", rid=rid, value=seen[rid] + 1), rule=rid
            )
        seen.setdefault(rid, i)
        enabled = r.get("enabled", True)
        keys = tuple(kind.key for kind in rule_kinds())
        if inherited is None and enabled and not any(k in r for k in ("when", *keys)):
            nor = " or ".join(repr(k) for k in keys)
            problems.add(("rules", i), Text("rules.rule_no_when_condition", nor=nor), rule=rid)
            continue
        rule = _rule(r, i, names, problems, limits)
        if rule is not None:
            rules.append(rule)
    return rules


def _rule(r: dict, i: int, names: _Names, problems: Problems, limits: Limits) -> Rule | None:
    """One rule compiled, or None when a problem was found in it."""
    rid = r["id"]
    before = len(problems.found)
    whole_list = _whole_list(r, i, names, problems)
    compiled = {key: _condition(r, i, key, names, problems, limits) for key in ("applies_to", "when")}
    area = _area(r, i, names, problems)
    effective = None
    if "effective" in r:
        effective = Period(
            "effective",
            _date(r["effective"].get("from"), ("rules", i, "effective", "from"), problems),
            _date(r["effective"].get("to"), ("rules", i, "effective", "to"), problems),
        )
    message = _text(r.get("message")) or _text(r.get("title"))
    _check_placeholders(message, i, rid, problems)
    if len(problems.found) > before:
        return None
    return Rule(
        id=rid,
        title=_text(r.get("title")),
        severity=Severity(r.get("severity", "error")),
        legal_basis=legal_basis_text(r.get("legal_basis")),
        applies_to=compiled["applies_to"],
        when=compiled["when"],
        message=message,
        enabled=r.get("enabled", True),
        line=position(problems.marks, ("rules", i))[0],
        effective=effective,
        area=area,
        whole_list=whole_list,
    )


def _whole_list(r: dict, i: int, names: _Names, problems: Problems) -> tuple[str, Any] | None:
    """The rule's whole-list kind (``quota``, ``spacing`` ...) compiled, or None."""
    found = [kind for kind in rule_kinds() if kind.key in r]
    if len(found) > 1:
        keys = " and ".join(repr(kind.key) for kind in found)
        problems.add(("rules", i, found[1].key), Text("rules.rule_one_whole_list", keys=keys), rule=r["id"])
    if not found:
        return None
    kind = found[0]
    categories = names.categories if names.check_categories else None
    node, found_problems = kind.compile(r[kind.key], categories)
    for path, message in found_problems:
        problems.add(("rules", i, kind.key, *path), message, rule=r["id"])
    return kind.key, node


def _condition(
    r: dict, i: int, key: str, names: _Names, problems: Problems, limits: Limits
) -> Condition | None:
    """``r[key]`` compiled, its names checked by each kind; None when absent or broken."""
    if key not in r:
        return None
    try:
        cond = compile_condition(r[key], ("rules", i, key), limits.max_condition_depth)
    except ConditionError as exc:
        cl, cc = position(problems.marks, exc.path)
        problems.found.append(RuleSetError(exc.text, file=problems.name, line=cl, column=cc, rule=r["id"]))
        return None
    for node in walk(cond):
        for message, hint in node_problems(
            node,
            categories=names.categories if names.check_categories else None,
            periods=names.periods if names.check_periods else None,
        ):
            problems.add(("rules", i, key), message, rule=r["id"], **({"hint": hint} if hint else {}))
    return cond


def _area(r: dict, i: int, names: _Names, problems: Problems) -> Condition | None:
    if "area" not in r:
        return None
    from .conditions import InZone, Near

    if "zone" not in r["area"]:
        return InZone(zone_id=r["area"]["zone_id"])
    if names.check_categories and r["area"]["zone"] not in names.categories:
        problems.add(
            ("rules", i, "area"), Text("rules.unknown_zone_category_area", r=r["area"]["zone"]), rule=r["id"]
        )
    return Near(zone=r["area"]["zone"], within_m=0.0, inside=True)


def _check_placeholders(message: Mapping[str, str], i: int, rid: str, problems: Problems) -> None:
    for lang, text in message.items():
        found = _PLACEHOLDER.findall(text)
        if len(found) > MAX_PLACEHOLDERS:
            problems.add(
                ("rules", i, "message"),
                Text(
                    "rules.message_placeholders_most",
                    lang=lang,
                    length=len(found),
                    max_placeholders=MAX_PLACEHOLDERS,
                ),
                rule=rid,
                hint=Text("rules.message_names_each_value_hint"),
            )
            continue
        for placeholder in found:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", placeholder):
                problems.add(
                    ("rules", i, "message"),
                    Text(
                        "rules.message_placeholder_not_plain", lang=lang, value=quote("{" + placeholder + "}")
                    ),
                    rule=rid,
                    hint=Text("rules.use_names_such_as_hint", names=", ".join(PLACEHOLDERS[:8])),
                )
                break


def _date(text: str | None, where: tuple, problems: Problems) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        problems.add(where, Text("rules.not_calendar_date", text=quote(text)))
        return None


def _text(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"id": value, "en": value}
    return {k: v for k, v in value.items() if v}


def legal_basis_text(value: Any) -> dict[str, str]:
    """A rule's ``legal_basis`` as ``{lang: text}`` (one string serves both languages); what
    is ``unconfirmed`` about it is for the docs page only and left out."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "unconfirmed"}
    return {k: " ".join(str(v).split()) for k, v in _text(value).items()}


def _json_keys(value: Any) -> Any:
    """``value`` with every mapping key as the text JSON would write for it (so keys of mixed
    types sort; the loader refuses two keys that JSON would write alike)."""
    if isinstance(value, dict):
        return {
            (
                k if isinstance(k, str) else json.dumps(k) if isinstance(k, bool) or k is None else str(k)
            ): _json_keys(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    return value
