"""Exemptions: a finding a permit covers, on the report's day and in its scope, is ``exempt``.

A permit (:mod:`.permits`) names the rules it covers and a scope (report ids, a party, a
radius around a point, a zone); every finding in scope on a day the permit is valid is
exempted, and a finding in scope on another day notes the permit in its message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyproj

from ..rules.ruleset import Rule
from ..spatial.join import TOLERANCE_M, TRUE

if TYPE_CHECKING:
    from .check import Evaluation, RuleResult


def _fold(value: object) -> str:
    return str(value).strip().casefold()


def apply_permits(evaluation: Evaluation) -> None:
    """Mark each finding a permit (or the rule set's own exemption) covers on the report's day as
    exempt, and note a permit whose scope matched but not its dates."""
    if not evaluation.permits:
        return
    ids = np.array(evaluation.reports.ids, dtype=object)
    day = evaluation.reports.observed_day
    party = np.asarray(evaluation.reports.party, dtype=object)
    geod = pyproj.Geod(ellps="WGS84")
    for rule in evaluation.active:
        res = evaluation.results[rule.id]
        res.exempt = np.full(len(res.index), -1, dtype=np.int64)
        res.permit_note = np.full(len(res.index), -1, dtype=np.int64)
        if not len(res.index):
            continue
        idx = res.index
        folded: np.ndarray | None = None  # the findings' parties, case-folded once per rule
        evidence_zones: np.ndarray | None = None  # the zone ids the findings name, once per rule
        for p, permit in enumerate(evaluation.permits):
            if not permit.covers_rule(rule.id):
                continue
            scope = np.ones(len(idx), dtype=bool)
            if permit.reports is not None:
                scope &= np.isin(ids[idx], list(permit.reports))
            if permit.party is not None:
                if folded is None:
                    folded = np.array([_fold(v) if v is not None else None for v in party[idx]], dtype=object)
                scope &= folded == _fold(permit.party)
            if permit.radius_m is not None:
                _, _, dist = geod.inv(
                    np.full(len(idx), permit.lon),
                    np.full(len(idx), permit.lat),
                    evaluation.reports.lon[idx],
                    evaluation.reports.lat[idx],
                )
                scope &= dist <= permit.radius_m + TOLERANCE_M
            if permit.zone is not None:
                in_zone = evaluation.inside_zone(permit.zone, idx)[idx] == TRUE
                if evidence_zones is None:
                    evidence_zones = _evidence_zone_ids(evaluation, rule, res)
                scope &= in_zone | (evidence_zones == permit.zone)
            dated = ~np.isnat(day[idx])
            inside = dated.copy()
            if permit.valid_from is not None:
                inside &= day[idx] >= np.datetime64(permit.valid_from, "D")
            if permit.valid_to is not None:
                inside &= day[idx] <= np.datetime64(permit.valid_to, "D")
            res.exempt[scope & inside & (res.exempt < 0)] = p
            res.permit_note[scope & ~inside & (res.permit_note < 0)] = p


def _evidence_zone_ids(evaluation: Evaluation, rule: Rule, res: RuleResult) -> np.ndarray:
    """Per finding of ``rule``, the id of the zone its evidence names (None when none)."""
    zone, _ = evaluation.near_evidence(rule, res)
    out = np.full(len(res.index), None, dtype=object)
    found = zone >= 0
    out[found] = np.asarray(evaluation.zones.ids, dtype=object)[zone[found]]
    return out
