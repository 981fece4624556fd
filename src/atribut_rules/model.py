"""The vocabulary of atribut-rules: reports, zones, findings, verdicts and runs.

Every type here is a frozen dataclass or an enum, so a value handed to an
application can be shared, hashed and compared without surprises.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

_T = TypeVar("_T")


class Status(str, enum.Enum):
    """The outcome of a rule for one report, or of all rules for one report.

    ``violation``: the data show a rule is broken. ``review``: the data cannot
    decide (for example the GPS error straddles a threshold). ``unchecked``: no
    checked rule is broken or in doubt, but a rule that applies could not be
    evaluated because a zone layer or column it needs was not loaded (only in a
    partial run). ``exempt``: a rule is broken but a permit valid on the day covers
    it. ``ok``: every rule that applies was checked and none is broken.
    ``invalid``: the input row itself is unusable, and the message says why.
    """

    VIOLATION = "violation"
    REVIEW = "review"
    UNCHECKED = "unchecked"
    EXEMPT = "exempt"
    OK = "ok"
    INVALID = "invalid"

    def __str__(self) -> str:
        return self.value


STATUS_CODES = (Status.VIOLATION, Status.REVIEW, Status.UNCHECKED, Status.EXEMPT, Status.OK, Status.INVALID)
"""Every status in the order that counts and status arrays use (``Run.status_codes`` holds
indexes into it): a report's status is the first of these that holds for it, but for
``invalid``, which overrides them all (see :mod:`atribut_rules.results.status`)."""


class Severity(str, enum.Enum):
    """How much a broken rule matters; ``error`` findings fail a CI run by default."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info: larger is more severe."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True)
class Source:
    """Where a report came from: the file name and the 1-based row or line in it.

    For a CSV file ``row`` is the physical line of the record (the header is line 1);
    for JSON Lines it is the line; for GeoJSON it is the 1-based feature number.
    """

    file: str
    row: int


@dataclass(frozen=True)
class Report:
    """One reported campaign attribute, as read and normalised.

    ``lon``/``lat`` are WGS84 degrees (None when the row had no usable
    coordinates); sizes are metres; ``extra`` keeps every other input column.
    """

    id: str
    lon: float | None
    lat: float | None
    accuracy_m: float | None = None
    type: str | None = None
    width_m: float | None = None
    height_m: float | None = None
    party: str | None = None
    candidate: str | None = None
    observed_at: str | None = None
    mounted_on: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    source: Source | None = None


@dataclass(frozen=True)
class ZoneRef:
    """The zone feature a finding is about, with where the zone came from.

    ``geometry_kind`` is ``polygon``, ``line`` or ``point``; ``approximated`` is
    True when a point or line stood for an area through a radius. ``origin`` is
    where a built zone came from (``source_file``, ``source_sha256``, ``source_id``,
    ``geometry_kind`` as written by ``atribut-rules zones build``), when known.
    """

    id: str
    category: str
    name: str | None
    geometry_kind: str
    approximated: bool
    radius_m: float
    source_file: str | None = None
    origin: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Finding:
    """One rule broken (``violation``) or in doubt (``review``) by one report.

    Distances are metres on the ground. For ``near`` evidence ``distance_m`` is
    the distance to the zone (its radius subtracted), ``threshold_m`` the rule's
    ``within_m`` and ``margin_m`` = threshold - distance; for ``inside`` evidence
    ``distance_m`` is 0 inside and the distance to the zone outside, and
    ``margin_m`` is the depth inside the zone (negative outside). ``accuracy_m`` is
    the GPS error used and ``accuracy_source`` says whether the report gave it
    (``reported``) or the rule set assumed it (``assumed``). ``permit`` is the id of
    the permit that exempts the finding (status ``exempt``), or that covers it but
    was not valid on the day (the message says why). ``details`` holds the evidence
    of whole-list rules: quota ``group``, ``count``, ``max``, ``rank``; spacing
    ``other_report``. ``title``, ``message`` and ``legal_basis`` map each language
    (``id``, ``en``) to its text.
    """

    rule: str
    severity: Severity
    status: Status
    message: Mapping[str, str]
    legal_basis: Mapping[str, str]
    title: Mapping[str, str] = field(default_factory=dict)
    zone: ZoneRef | None = None
    distance_m: float | None = None
    threshold_m: float | None = None
    margin_m: float | None = None
    accuracy_m: float | None = None
    accuracy_source: str | None = None
    reason: str | None = None
    permit: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSetRef:
    """Which rule set produced a verdict: id, version and SHA-256 of the resolved document."""

    id: str
    version: str
    sha256: str


@dataclass(frozen=True)
class Problem:
    """Why one input row could not be checked: the field, its value and a message per language."""

    code: str
    field: str | None
    value: str | None
    message: Mapping[str, str]


@dataclass(frozen=True)
class Verdict:
    """The status of one report and the findings behind it.

    ``problems`` lists why an ``invalid`` report could not be checked;
    ``ruleset`` names the rule set version and digest that produced the verdict;
    ``group`` is the id of the first report of the same physical attribute when the
    rule set declares ``duplicates`` (its own id when it has no duplicate).
    ``unchecked`` lists the rules that apply to the report but could not be evaluated
    (a partial run without a zone layer or column they need).
    """

    report: str
    status: Status
    findings: tuple[Finding, ...]
    source: Source | None = None
    problems: tuple[Problem, ...] = ()
    ruleset: RuleSetRef | None = None
    group: str | None = None
    unchecked: tuple[str, ...] = ()

    @property
    def max_severity(self) -> Severity | None:
        """The most severe severity among violation findings, or None."""
        ranks = [f.severity for f in self.findings if f.status is Status.VIOLATION]
        return max(ranks, key=lambda s: s.rank) if ranks else None


@dataclass(frozen=True)
class ProjectionArea:
    """One area of data and the local metric CRS its distances were measured in."""

    name: str
    crs: str
    lon_min: float
    lon_max: float
    reports: int


@dataclass(frozen=True)
class Provenance:
    """What produced a run: engine, rule set (id, version, SHA-256) and the CRS used.

    ``inputs`` maps each input file name to its SHA-256 where files were read.
    """

    engine: str
    engine_version: str
    ruleset_id: str
    ruleset_version: str
    ruleset_sha256: str
    crs: tuple[ProjectionArea, ...]
    inputs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    """Something enabled rules need that the run did not have.

    ``kind`` is ``zone_category``, ``zone`` (a zone id) or ``field`` (a report column);
    ``name`` is what is missing; ``rules`` the enabled rules that need it; ``suggestions``
    the closest names that were loaded (for a misspelt field).
    """

    kind: str
    name: str
    rules: tuple[str, ...]
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """Counts over a run.

    ``by_status`` counts verdicts per status; ``by_rule`` maps a rule id to its
    ``violation`` and ``review`` finding counts; ``by_party`` maps a party label
    to its report count per status, with ``reports`` as the denominator.
    ``attributes`` is the number of distinct physical attributes when the rule set
    groups duplicate reports (each group counted once), else None. ``coverage`` maps
    each enabled rule to the valid reports it ``applicable`` to, how many of them were
    ``checked`` and how many left ``unchecked``; ``gaps`` names what was missing.
    """

    reports: int
    by_status: Mapping[str, int]
    by_rule: Mapping[str, Mapping[str, int]]
    by_party: Mapping[str, Mapping[str, int]]
    attributes: int | None = None
    coverage: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    gaps: tuple[Gap, ...] = ()


def fast_constructor(cls: type[_T]) -> Callable[..., _T]:
    """A constructor of the frozen dataclass ``cls`` taking every field, positionally, in order.

    It makes the same object as ``cls(*values)`` (equal, hashable, still frozen) at a
    fraction of the cost: a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, which is most of the time the engine spends per verdict.
    ``cls`` must have no ``__post_init__`` and keep its fields in ``__dict__`` (no slots).
    """
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__} needs its own __init__")
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    new = object.__new__

    def construct(*values: Any) -> _T:
        obj = new(cls)
        obj.__dict__.update(zip(names, values, strict=True))
        return obj

    construct.__doc__ = f"{cls.__name__}({', '.join(names)}), every field given, without __init__."
    return construct
