"""The one record shape every output format is rendered from."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Provenance, Summary, Verdict

JSON_FORMAT = "atribut-rules/verdicts"
JSON_VERSION = 1


def finding_record(finding: Finding) -> dict[str, Any]:
    """A finding as plain JSON-ready data (keys in a fixed order)."""
    zone = finding.zone
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "title": dict(finding.title),
        "message": dict(finding.message),
        "legal_basis": finding.legal_basis,
        "zone": None
        if zone is None
        else {
            "id": zone.id,
            "category": zone.category,
            "name": zone.name,
            "geometry_kind": zone.geometry_kind,
            "approximated": zone.approximated,
            "radius_m": zone.radius_m,
            "source_file": zone.source_file,
        },
        "distance_m": finding.distance_m,
        "threshold_m": finding.threshold_m,
        "margin_m": finding.margin_m,
        "accuracy_m": finding.accuracy_m,
        "accuracy_source": finding.accuracy_source,
        "reason": finding.reason,
    }


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    """A verdict as plain JSON-ready data: report id, source, status, findings, problems."""
    return {
        "report": verdict.report,
        "source": None
        if verdict.source is None
        else {"file": verdict.source.file, "row": verdict.source.row},
        "status": verdict.status.value,
        "findings": [finding_record(f) for f in verdict.findings],
        "problems": [
            {"code": p.code, "field": p.field, "value": p.value, "message": dict(p.message)}
            for p in verdict.problems
        ],
    }


def summary_record(summary: Summary) -> dict[str, Any]:
    """The run summary as plain data."""
    return {
        "reports": summary.reports,
        "by_status": dict(summary.by_status),
        "by_rule": {k: dict(v) for k, v in summary.by_rule.items()},
        "by_party": {k: dict(v) for k, v in summary.by_party.items()},
    }


def provenance_record(provenance: Provenance) -> dict[str, Any]:
    """Provenance as plain data; input digests sorted by file name."""
    return {
        "engine": provenance.engine,
        "engine_version": provenance.engine_version,
        "ruleset": {
            "id": provenance.ruleset_id,
            "version": provenance.ruleset_version,
            "sha256": provenance.ruleset_sha256,
        },
        "crs": [
            {
                "area": a.name,
                "crs": a.crs,
                "lon_min": round(a.lon_min, 6),
                "lon_max": round(a.lon_max, 6),
                "reports": a.reports,
            }
            for a in provenance.crs
        ],
        "inputs": dict(sorted(provenance.inputs.items())),
    }
