"""The compiled form of a rule set: :class:`RuleSet` of :class:`Rule`, their parts, and the
vocabulary a rule file may use (zone categories, message placeholders)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Text
from ..model import Severity
from ..read.yamlsafe import YamlLimits
from .conditions import Condition
from .conditions.duplicates import Duplicates
from .conditions.quota import Quota
from .conditions.spacing import Spacing

SCHEMA_NAME = "ruleset-1.json"
SCHEMA_VERSION = "atribut-rules/1"

CATEGORIES = (
    "admin_area",
    "bridge",
    "designated_site",
    "government",
    "health",
    "intersection",
    "kecamatan",
    "park",
    "place_of_worship",
    "pole",
    "public_facility",
    "road",
    "school",
    "tree",
)
"""The zone category vocabulary; a rule set may add its own under ``categories``."""

REPORT_PLACEHOLDERS = (
    "id",
    "type",
    "party",
    "candidate",
    "mounted_on",
    "observed_at",
    "width_m",
    "height_m",
    "area_m2",
    "accuracy_m",
)
"""Placeholders filled from the report itself (``area_m2`` is width x height)."""

PLACEHOLDERS = REPORT_PLACEHOLDERS + (
    "distance_m",
    "threshold_m",
    "margin_m",
    "zone_id",
    "zone_name",
    "category",
    "rule",
    "period",
    "group",
    "count",
    "max",
    "rank",
    "other_report",
    "min_m",
    "duplicate_of",
    "permit",
)
"""Names a message may use as ``{name}``; any other name is looked up in the report's extra fields."""

MAX_PLACEHOLDERS = 20
"""Placeholders one message text (one language) may hold, counting repeats."""

MAX_MESSAGE_CHARS = 2000
"""Characters of one rendered message; a longer one is cut, ending in ``…``."""


def clip_message(text: str) -> str:
    """A rendered message cut to :data:`MAX_MESSAGE_CHARS` characters (ending in ``…`` when cut)."""
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "\u2026"


@dataclass(frozen=True)
class Limits:
    """Bounds applied while loading rule files (all configurable)."""

    yaml: YamlLimits = field(default_factory=YamlLimits)
    max_condition_depth: int = 32
    max_extends_depth: int = 8


@dataclass(frozen=True)
class Period:
    """A named span of days; ``start``/``end`` are inclusive, None is open."""

    name: str
    start: _dt.date | None
    end: _dt.date | None


@dataclass(frozen=True)
class Rule:
    """One rule: what it applies to, when it is broken, and how to say so."""

    id: str
    title: Mapping[str, str]
    severity: Severity
    legal_basis: Mapping[str, str]  # {lang: text}, like title and message
    applies_to: Condition | None
    when: Condition | None
    message: Mapping[str, str]
    enabled: bool = True
    line: int | None = None
    effective: Period | None = None
    area: Condition | None = None
    whole_list: tuple[str, Any] | None = None
    """A rule over the whole list: its kind's key and node (``("quota", Quota(...))``); see
    :mod:`~atribut_rules.rules.conditions.whole_list`."""

    @property
    def quota(self) -> Quota | None:
        """The rule's quota, if it is one."""
        return self.whole_list[1] if self.whole_list is not None and self.whole_list[0] == "quota" else None

    @property
    def spacing(self) -> Spacing | None:
        """The rule's spacing, if it is one."""
        return self.whole_list[1] if self.whole_list is not None and self.whole_list[0] == "spacing" else None


@dataclass(frozen=True)
class RuleSet:
    """A validated, resolved rule set.

    ``sha256`` is the digest of the resolved document as canonical JSON, so two
    files that resolve to the same rules share it; ``document`` is that document.
    """

    id: str
    version: str
    title: Mapping[str, str]
    jurisdiction: str | None
    effective: Period | None
    extends: tuple[str, ...]
    crs: str | None
    categories: frozenset[str]
    default_accuracy_m: float
    zone_radius_m: Mapping[str, float]
    periods: Mapping[str, Period]
    rules: tuple[Rule, ...]
    sha256: str
    source: str | None
    document: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    accuracy_by: tuple[str, Mapping[str, float]] | None = None
    duplicates: Duplicates | None = None
    exemptions: tuple[Any, ...] = ()

    @property
    def active_rules(self) -> tuple[Rule, ...]:
        """The rules that are enabled, in file order."""
        return tuple(r for r in self.rules if r.enabled)

    def rule(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``; raises KeyError naming the known ids."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        known = ", ".join(r.id for r in self.rules)
        error = KeyError(f"no such rule: {rule_id!r} (known: {known})")
        error.text = Text("rules.no_such_rule", rule_id=rule_id, known=known)  # type: ignore[attr-defined]
        raise error
