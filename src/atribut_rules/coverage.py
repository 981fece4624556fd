"""What each enabled rule needs, and whether a run has it: the trust contract.

A rule can only say ``ok`` about a report if it could look: every zone category,
zone id and report column its conditions name must have been loaded. The needs
are derived from the rule's conditions (never written by hand), one function per
condition kind in ``_LEAF_NEEDS``, and compared with what was loaded before the
engine evaluates anything. A run without ``partial`` refuses gaps
(:class:`CoverageError`); a partial run marks the rules it could not evaluate as
``unchecked`` on each verdict they apply to.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .conditions import All, AnyOf, Condition, During, FieldTest, InZone, Near, Not, walk
from .errors import AtributRulesError, clip, quote
from .model import Gap
from .reports import CORE_FIELDS, Reports, canonical_field, normalise_header

ZONE_CATEGORY = "zone_category"
ZONE = "zone"
FIELD = "field"

# fields the engine derives from others: a rule naming one needs those
DERIVED_FIELDS: Mapping[str, tuple[str, ...]] = {"area_m2": ("width_m", "height_m")}
# fields every list has, whatever its columns: the canonical fields (a value a row lacks is
# missing for that row, as the three-valued logic handles it) and the derived ones
_RULES_SHOWN = 12  # rules named in one line of a gap; the rest are counted

ALWAYS_PRESENT = frozenset({"id", "lat", "lon", "area_m2"})


@dataclass(frozen=True)
class Need:
    """One thing a rule needs: a zone category, a zone id or a report field."""

    kind: str
    name: str


def _near(cond: Near) -> Iterable[Need]:
    return (Need(ZONE_CATEGORY, cond.zone),)


def _in_zone(cond: InZone) -> Iterable[Need]:
    return (Need(ZONE, cond.zone_id),)


def _during(cond: During) -> Iterable[Need]:
    return (Need(FIELD, "observed_at"),)


def _field(cond: FieldTest) -> Iterable[Need]:
    return tuple(Need(FIELD, name) for name in DERIVED_FIELDS.get(cond.field, (cond.field,)))


# the needs of each leaf kind; combinators (all, any, not) need what their items need
_LEAF_NEEDS: dict[type, Any] = {Near: _near, InZone: _in_zone, During: _during, FieldTest: _field}


def leaf_needs(cond: Condition) -> tuple[Need, ...]:
    """What one leaf condition needs (nothing for ``all``/``any``/``not`` themselves)."""
    if isinstance(cond, (All, AnyOf, Not)):
        return ()
    return tuple(_LEAF_NEEDS[type(cond)](cond))


def rule_needs(rule: Any) -> tuple[Need, ...]:
    """Every need of ``rule`` in document order, without repeats: its conditions' leaves,
    its quota's fields and zone categories, and its spacing's fields."""
    needs: list[Need] = []
    for cond in (rule.applies_to, rule.when, rule.area):
        for node in walk(cond) if cond is not None else ():
            needs += leaf_needs(node)
    if rule.quota is not None:
        for item in rule.quota.per:
            needs.append(Need(ZONE_CATEGORY, item[1]) if isinstance(item, tuple) else Need(FIELD, item))
    if rule.spacing is not None:
        needs += [Need(FIELD, name) for name in rule.spacing.among]
    return tuple(dict.fromkeys(needs))


@dataclass(frozen=True)
class Loaded:
    """What a run has: zone categories and ids with at least one zone, and report fields."""

    categories: frozenset[str]
    zone_ids: frozenset[str]
    fields: frozenset[str]
    columns: tuple[str, ...] = ()

    def has(self, need: Need) -> bool:
        if need.kind == ZONE_CATEGORY:
            return need.name in self.categories
        if need.kind == ZONE:
            return need.name in self.zone_ids
        key = field_key(need.name)
        return key in CORE_FIELDS or key in ALWAYS_PRESENT or key in self.fields


def field_key(name: str) -> str:
    """How a rule's field name and a column header are compared: the canonical field an
    alias names (``partai`` is ``party``), else the header normalised (``Keterangan `` is
    ``keterangan``)."""
    return canonical_field(name) or normalise_header(name)


def report_fields(reports: Reports) -> tuple[frozenset[str], tuple[str, ...]]:
    """The fields a list provides (canonical names and normalised extra columns) and its
    column names as written.

    When the list has a header (CSV, XLSX), its columns decide; otherwise (GeoJSON, JSON
    Lines, records) a canonical field is provided when some report has a value for it.
    """
    fields: set[str] = set()
    if reports.columns:
        names = tuple(str(c) for c in reports.columns)
        for name in names:
            fields.add(field_key(name))
    else:
        names = tuple(str(c) for c in reports.extra)
        for name in CORE_FIELDS:
            values = reports.field_values(name)
            present = np.isfinite(values) if values.dtype != object else values != None  # noqa: E711
            if len(values) and bool(np.any(present)):
                fields.add(name)
        fields.update(normalise_header(name) for name in names)
        names = tuple(sorted(fields))
    fields.update(normalise_header(name) for name in reports.extra)
    return frozenset(fields), names


def loaded(zones: Any, reports: Reports) -> Loaded:
    """What ``zones`` and ``reports`` provide."""
    fields, columns = report_fields(reports)
    return Loaded(
        categories=frozenset(str(c) for c in zones.categories),
        zone_ids=frozenset(zones.ids),
        fields=fields,
        columns=columns,
    )


def find_gaps(rules: Any, have: Loaded) -> tuple[Gap, ...]:
    """Every need of an enabled rule that ``have`` lacks, with the rules that need it."""
    missing: dict[Need, list[str]] = {}
    for rule in rules.active_rules:
        for need in rule_needs(rule):
            if not have.has(need):
                missing.setdefault(need, []).append(rule.id)
    gaps = []
    for need, rule_ids in missing.items():
        suggestions: tuple[str, ...] = ()
        if need.kind == FIELD:
            suggestions = tuple(difflib.get_close_matches(need.name, have.columns, n=3, cutoff=0.6))
        elif need.kind == ZONE_CATEGORY:
            suggestions = tuple(difflib.get_close_matches(need.name, sorted(have.categories), n=3, cutoff=0.6))
        gaps.append(Gap(need.kind, need.name, tuple(rule_ids), suggestions))
    order = {ZONE_CATEGORY: 0, ZONE: 1, FIELD: 2}
    return tuple(sorted(gaps, key=lambda g: (order[g.kind], g.name)))


def gap_text(gap: Gap, partial: bool = False) -> str:
    """One line saying what is missing, who needs it and how to fix it (``partial``: what a
    partial run does about it instead)."""
    shown = [clip(r, 80) for r in gap.rules[:_RULES_SHOWN]]
    if len(gap.rules) > _RULES_SHOWN:
        shown.append(f"and {len(gap.rules) - _RULES_SHOWN} more")
    rules = ", ".join(shown)
    name = quote(gap.name)
    if partial:
        what = {ZONE_CATEGORY: "zone layer of category", ZONE: "zone with id", FIELD: "report column"}[gap.kind]
        return f"no {what} {name}: rule(s) {rules} are unchecked wherever they apply"
    also = f" (closest loaded: {', '.join(quote(s) for s in gap.suggestions)})" if gap.suggestions else ""
    if gap.kind == ZONE_CATEGORY:
        return (
            f"no zone layer provides the category {name}{also}, which rule(s) {rules} need; "
            f"add it with --zones {gap.name}=FILE, switch the rule(s) off in a child rule set, "
            "or run with --partial to mark them unchecked"
        )
    if gap.kind == ZONE:
        return (
            f"no loaded zone has the id {name}, which rule(s) {rules} need; load the layer "
            "that holds it, switch the rule(s) off, or run with --partial to mark them unchecked"
        )
    return (
        f"the reports have no column {name}{also}, which rule(s) {rules} need; add the column "
        "(headers are matched ignoring case, spaces, dots and hyphens), fix the rule's field, "
        "or run with --partial to mark them unchecked"
    )


class CoverageError(AtributRulesError):
    """Enabled rules need zone layers or report columns that were not loaded.

    ``gaps`` holds one :class:`~atribut_rules.model.Gap` per missing thing; ``str()`` is
    one line per gap.
    """

    def __init__(self, gaps: tuple[Gap, ...], *, file: str | None = None):
        self.gaps = gaps
        super().__init__(
            "; ".join(gap_text(g) for g in gaps),
            file=file,
            hint=None,
        )

    def lines(self) -> list[str]:
        """One line per gap, for a command line's stderr."""
        return [gap_text(g) for g in self.gaps]


def missing_needs(rule: Any, have: Loaded) -> frozenset[Need]:
    """The needs of ``rule`` that ``have`` lacks."""
    return frozenset(n for n in rule_needs(rule) if not have.has(n))


def leaf_is_missing(cond: Condition, have: Loaded) -> bool:
    """True when the leaf ``cond`` needs something ``have`` lacks."""
    return any(not have.has(n) for n in leaf_needs(cond))
