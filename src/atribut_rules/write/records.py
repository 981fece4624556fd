"""The one record shape every output format is rendered from.

Machine formats (json, jsonl, geojson, sarif) embed :func:`verdict_record`;
sheet formats (csv, xlsx) and the table use :func:`verdict_cells`; every
summary comes from :func:`run_summary_record`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from ..model import STATUS_CODES, Finding, Provenance, Status, Summary, Verdict, ZoneRef
from ..table.fields import CORE_FIELDS
from . import texts
from .areas import area_summary, assign_areas

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
        "legal_basis": dict(finding.legal_basis),
        "zone": None if zone is None else zone_record(zone),
        "distance_m": finding.distance_m,
        "threshold_m": finding.threshold_m,
        "margin_m": finding.margin_m,
        "accuracy_m": finding.accuracy_m,
        "accuracy_source": finding.accuracy_source,
        "reason": finding.reason,
        "permit": finding.permit,
        "details": dict(finding.details),
    }


def zone_record(zone: ZoneRef) -> dict[str, Any]:
    """The zone a finding is about, as plain JSON-ready data."""
    return {
        "id": zone.id,
        "category": zone.category,
        "name": zone.name,
        "geometry_kind": zone.geometry_kind,
        "approximated": zone.approximated,
        "radius_m": zone.radius_m,
        "source_file": zone.source_file,
        "origin": dict(zone.origin) if zone.origin else None,
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
        "group": verdict.group,
        "unchecked": list(verdict.unchecked),
        "ruleset": None
        if verdict.ruleset is None
        else {"id": verdict.ruleset.id, "version": verdict.ruleset.version, "sha256": verdict.ruleset.sha256},
    }


def summary_record(summary: Summary) -> dict[str, Any]:
    """The run summary as plain data."""
    return {
        "reports": summary.reports,
        "by_status": dict(summary.by_status),
        "by_rule": {k: dict(v) for k, v in summary.by_rule.items()},
        "by_party": {k: dict(v) for k, v in summary.by_party.items()},
        "attributes": summary.attributes,
        "coverage": {k: dict(v) for k, v in summary.coverage.items()},
        "gaps": [
            {"kind": g.kind, "name": g.name, "rules": list(g.rules), "suggestions": list(g.suggestions)}
            for g in summary.gaps
        ],
    }


def run_summary_record(run: Any, area_by: str = "auto") -> dict[str, Any]:
    """The summary with denominators: ``checked`` reports per rule, and the area breakdown.

    ``by_rule[rule]`` has ``checked`` (reports that were not invalid), ``violation``
    and ``review``; ``by_party`` and ``by_area`` rows have ``reports`` and one count per
    status. ``area`` says what the areas are (``{"kind": "zone"|"field", "source": ...}``)
    or is None when the run has no area to group by.
    """
    summary = run.summary
    record = summary_record(summary)
    checked = summary.reports - summary.by_status.get("invalid", 0)
    record["by_rule"] = {
        k: {
            "checked": summary.coverage[k]["checked"] if k in summary.coverage else checked,
            "violation": v["violation"],
            "review": v["review"],
            "exempt": v.get("exempt", 0),
        }
        for k, v in summary.by_rule.items()
    }
    assignment = assign_areas(run, area_by)
    record["area"] = None if assignment is None else {"kind": assignment.kind, "source": assignment.source}
    record["by_area"] = {} if assignment is None else area_summary(run, assignment)
    return record


def rule_records(ruleset: Any) -> list[dict[str, Any]]:
    """The active rules of a rule set: id, title, severity, legal basis, message templates."""
    return [
        {
            "id": r.id,
            "title": dict(r.title),
            "severity": r.severity.value,
            "legal_basis": dict(r.legal_basis),
            "message": dict(r.message),
        }
        for r in ruleset.active_rules
    ]


def text_in(texts_by_lang: Any, lang: str) -> str:
    """A ``{lang: text}`` mapping read in ``lang``, else Indonesian, else English, else ``""``."""
    if not texts_by_lang:
        return ""
    return texts_by_lang.get(lang) or texts_by_lang.get("id") or texts_by_lang.get("en") or ""


def verdict_message(verdict: Verdict, lang: str) -> str:
    """Every finding's message (or every problem of an invalid row) in ``lang``, joined by ``; ``."""
    parts = [text_in(f.message, lang) for f in verdict.findings]
    parts += [text_in(p.message, lang) for p in verdict.problems]
    parts.append(texts.unchecked_text(lang, verdict.unchecked))
    return "; ".join(" ".join(p.split()) for p in parts if p)


def lead_finding(verdict: Verdict) -> Finding | None:
    """The finding that speaks for a verdict: the first violation with a zone, else the first."""
    if not verdict.findings:
        return None
    ranked = sorted(
        verdict.findings,
        key=lambda f: (f.status is not Status.VIOLATION, f.zone is None),
    )
    return ranked[0]


def verdict_cells(verdict: Verdict, lang: str) -> tuple[str, str, float | None, str, str]:
    """The five verdict columns of a sheet: status, rules, distance_m, zone, message.

    ``rules`` lists violated rules first, then rules in review, comma separated;
    distance and zone come from :func:`lead_finding`.
    """
    order = sorted(verdict.findings, key=lambda f: f.status is not Status.VIOLATION)
    rules = ",".join(dict.fromkeys(f.rule for f in order))
    lead = lead_finding(verdict)
    distance = None if lead is None else lead.distance_m
    zone = ""
    if lead is not None and lead.zone is not None:
        zone = lead.zone.name or lead.zone.id
    return (
        texts.status_label(lang, verdict.status.value),
        rules,
        distance,
        zone,
        verdict_message(verdict, lang),
    )


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return value


def sheet_header(reports: Any) -> list[str]:
    """The input columns in their original order and spelling (canonical fields for non-CSV input).

    Rows longer than the header get extra columns named ``_column_N``.
    """
    if reports.columns:
        width = max([len(reports.columns)] + [len(r) for r in reports.raw])
        return list(reports.columns) + [f"_column_{k + 1}" for k in range(len(reports.columns), width)]
    return list(CORE_FIELDS) + list(reports.extra)


def sheet_values(reports: Any, i: int, width: int) -> list[Any]:
    """Row ``i`` of the input as it came (texts for CSV input; values for other input)."""
    if reports.columns:
        row = list(reports.raw[i]) if i < len(reports.raw) else []
        return [("" if v is None else v) for v in row] + [""] * (width - len(row))
    r = reports[i]
    values = [getattr(r, name) for name in CORE_FIELDS] + [r.extra.get(k) for k in reports.extra]
    return [_plain(v) for v in values]


def sheet_rows(run: Any, lang: str) -> Iterator[list[Any]]:
    """The officer's sheet back: header, then every input row followed by its verdict cells."""
    header = sheet_header(run.reports)
    verdict_names = list(texts.SHEET_COLUMNS[lang])
    taken = set(header)
    prefix = "hasil_" if lang == "id" else "result_"
    verdict_names = [prefix + n if n in taken else n for n in verdict_names]
    yield header + verdict_names
    for i, verdict in enumerate(run.verdicts):
        cells = [*verdict_cells(verdict, lang), ",".join(verdict.unchecked)]
        yield sheet_values(run.reports, i, len(header)) + cells


def report_fields(run: Any, i: int) -> dict[str, Any]:
    """The canonical fields of report ``i`` (numbers as numbers, missing as None)."""
    r = run.reports[i]
    return {name: _plain(getattr(r, name)) for name in CORE_FIELDS}


STATUSES = tuple(s.value for s in STATUS_CODES)


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
