"""What each enabled rule needs, and whether a run has it: the trust contract.

A rule can only say ``ok`` about a report if it could look: every zone category,
zone id and report column its conditions name must have been loaded. The needs
are derived from the rule's conditions (never written by hand), each condition's
kind saying what it needs (:meth:`~.conditions.ConditionKind.needs`), and compared with what was loaded before the
engine evaluates anything. A run without ``partial`` refuses gaps
(:class:`CoverageError`); a partial run marks the rules it could not evaluate as
``unchecked`` on each verdict they apply to.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import AtributRulesError, Text, clip, quote
from ..model import Gap
from ..table.fields import CORE_FIELDS, canonical_field, normalise_header
from ..table.reports import Reports
from .conditions import DERIVED_FIELDS as DERIVED_FIELDS  # where it was, for those who import it
from .conditions import FIELD, ZONE, ZONE_CATEGORY, Condition, Need, kind_of, walk
from .conditions.whole_list import rule_kind_of

# fields every list has, whatever its columns: the canonical fields (a value a row lacks is
# missing for that row, as the three-valued logic handles it) and the derived ones
_RULES_SHOWN = 12  # rules named in one line of a gap; the rest are counted

ALWAYS_PRESENT = frozenset({"id", "lat", "lon", "area_m2"})


def leaf_needs(cond: Condition) -> tuple[Need, ...]:
    """What one condition needs itself, as its kind says (nothing for ``all``/``any``/``not``)."""
    return tuple(kind_of(cond).needs(cond))


def rule_needs(rule: Any) -> tuple[Need, ...]:
    """Every need of ``rule`` in document order, without repeats: its conditions' leaves,
    and what the groups of a whole-list rule (quota, spacing) read."""
    needs: list[Need] = []
    for cond in (rule.applies_to, rule.when, rule.area):
        for node in walk(cond) if cond is not None else ():
            needs += leaf_needs(node)
    whole = rule_kind_of(rule)
    if whole is not None:
        kind, node = whole
        needs += kind.needs(node)
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
            suggestions = tuple(
                difflib.get_close_matches(need.name, sorted(have.categories), n=3, cutoff=0.6)
            )
        gaps.append(Gap(need.kind, need.name, tuple(rule_ids), suggestions))
    order = {ZONE_CATEGORY: 0, ZONE: 1, FIELD: 2}
    return tuple(sorted(gaps, key=lambda g: (order[g.kind], g.name)))


def gap_message(gap: Gap, partial: bool = False) -> Text:
    """What is missing, who needs it and how to fix it (``partial``: what a partial run does
    about it instead), as a catalogue text."""
    shown: list[Text | str] = [clip(r, 80) for r in gap.rules[:_RULES_SHOWN]]
    if len(gap.rules) > _RULES_SHOWN:
        shown.append(Text("coverage.more_rules", count=len(gap.rules) - _RULES_SHOWN))
    rules = tuple(shown)
    name = quote(gap.name)
    if partial:
        return Text(f"coverage.partial_{gap.kind}", name=name, rules=rules)
    also: Text | str = (
        Text("coverage.closest", names=", ".join(quote(s) for s in gap.suggestions))
        if gap.suggestions
        else ""
    )
    return Text(f"coverage.{gap.kind}", name=name, also=also, rules=rules, category=gap.name)


def gap_text(gap: Gap, partial: bool = False, lang: str = "en") -> str:
    """One line saying what is missing, who needs it and how to fix it (``partial``: what a
    partial run does about it instead), in ``lang``."""
    return gap_message(gap, partial).render(lang)


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

    def message_in(self, lang: str) -> str:
        """The gaps in ``lang``, one after another."""
        return clip("; ".join(gap_text(g, lang=lang) for g in self.gaps), 600)

    def lines(self, lang: str = "en") -> list[str]:
        """One line per gap, for a command line's stderr, in ``lang``."""
        return [gap_text(g, lang=lang) for g in self.gaps]


def missing_needs(rule: Any, have: Loaded) -> frozenset[Need]:
    """The needs of ``rule`` that ``have`` lacks."""
    return frozenset(n for n in rule_needs(rule) if not have.has(n))


def leaf_is_missing(cond: Condition, have: Loaded) -> bool:
    """True when the leaf ``cond`` needs something ``have`` lacks."""
    return any(not have.has(n) for n in leaf_needs(cond))
