"""Formats for CI pipelines: SARIF 2.1.0, JUnit XML and GitHub workflow annotations.

All are deterministic (no timestamps): the same run gives the same bytes.
Exempt findings stay visible: in SARIF as results with an accepted external
suppression that names the permit, in JUnit in ``system-out``, as notices on GitHub.
A report's source row maps to a line for CSV and JSON Lines input; GeoJSON
reports are located by feature number instead.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from typing import IO, Any
from urllib.parse import quote

from ..model import Finding, Status, Verdict
from . import texts
from .escape import terminal_text, text_output
from .records import rule_records, text_in, verdict_message

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/atribut-rules/atribut-rules"
INVALID_RULE = "atribut-rules/invalid-row"
_INVALID_TEXT = {
    "title": {"id": "Baris laporan tidak dapat diperiksa", "en": "Report row cannot be checked"},
    "help": {
        "id": "Baris ini tidak dapat dipakai (koordinat, angka atau tanggal rusak, id ganda...). "
        "Perbaiki baris sesuai pesan lalu periksa lagi.",
        "en": "The row cannot be used (broken coordinates, numbers or dates, duplicate id...). "
        "Fix the row as the message says and check again.",
    },
}
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _line_based(file: str | None) -> bool:
    return bool(file) and not str(file).lower().endswith((".geojson", ".json"))


def artifact_uri(file: str) -> str:
    """A file name as a URI reference: relative paths stay relative, others become ``file:`` URIs."""
    path = str(file).replace("\\", "/")
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    if re.match(r"^[A-Za-z]:/", path):
        return "file:///" + quote(path, safe="/:")
    return quote(str(PurePosixPath(path)), safe="/")


def _location(verdict: Verdict) -> dict[str, Any]:
    loc: dict[str, Any] = {}
    src = verdict.source
    if src is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(src.file)}}
        if _line_based(src.file) and src.row >= 1:
            physical["region"] = {"startLine": src.row}
        loc["physicalLocation"] = physical
    kind = "feature" if src is not None and not _line_based(src.file) else "row"
    name = verdict.report if src is None else f"{verdict.report}"
    logical = {"name": name, "kind": "object"}
    if src is not None and kind == "feature":
        logical["fullyQualifiedName"] = f"features[{src.row - 1}]"
    loc["logicalLocations"] = [logical]
    return loc


def sarif_document(run: Any, lang: str = "id") -> dict[str, Any]:
    """The run as a SARIF 2.1.0 log: rules with help and legal basis, one result per finding."""
    rules = rule_records(run.ruleset)
    driver_rules = []
    for r in rules:
        title = text_in(r["title"], lang) or r["id"]
        legal = text_in(r["legal_basis"], lang) or "-"
        basis_label = "Dasar hukum" if lang == "id" else "Legal basis"
        driver_rules.append(
            {
                "id": r["id"],
                "name": r["id"],
                "shortDescription": {"text": title},
                "fullDescription": {"text": f"{title}. {basis_label}: {legal}"},
                "help": {
                    "text": f"{title}\n{basis_label}: {legal}",
                    "markdown": f"**{_md(title)}**\n\n{basis_label}: {_md(legal)}",
                },
                "defaultConfiguration": {"level": _LEVEL[r["severity"]]},
                "properties": {
                    "severity": r["severity"],
                    "legal_basis": r["legal_basis"],
                    "title": r["title"],
                    "tags": ["atribut-rules", run.ruleset.id],
                },
            }
        )
    invalid_title = _INVALID_TEXT["title"][lang]
    driver_rules.append(
        {
            "id": INVALID_RULE,
            "name": "InvalidRow",
            "shortDescription": {"text": invalid_title},
            "help": {"text": _INVALID_TEXT["help"][lang]},
            "defaultConfiguration": {"level": "warning"},
        }
    )
    index = {r["id"]: n for n, r in enumerate(driver_rules)}
    results = []
    for verdict in run.verdicts:
        location = _location(verdict)
        if verdict.status is Status.INVALID:
            results.append(
                {
                    "ruleId": INVALID_RULE,
                    "ruleIndex": index[INVALID_RULE],
                    "kind": "fail",
                    "level": "warning",
                    "message": {"text": verdict_message(verdict, lang) or invalid_title},
                    "locations": [location],
                    "partialFingerprints": {"reportRule/v1": f"{verdict.report}:{INVALID_RULE}"},
                    "properties": {"report": verdict.report, "status": "invalid"},
                }
            )
            continue
        for f in verdict.findings:
            result: dict[str, Any] = {"ruleId": f.rule, "ruleIndex": index.get(f.rule, -1)}
            if f.status in (Status.VIOLATION, Status.EXEMPT):
                result.update(kind="fail", level=_LEVEL[f.severity.value])
            else:
                result.update(kind="review", level="none")
            props: dict[str, Any] = {"report": verdict.report, "status": f.status.value}
            if f.permit is not None:
                props["permit"] = f.permit
            if f.zone is not None:
                props["zone"] = {"id": f.zone.id, "category": f.zone.category, "name": f.zone.name}
            for key in ("distance_m", "threshold_m", "margin_m", "accuracy_m"):
                if getattr(f, key) is not None:
                    props[key] = getattr(f, key)
            if f.reason:
                props["reason"] = f.reason
            result.update(
                message={"text": text_in(f.message, lang) or f.rule},
                locations=[location],
                partialFingerprints={"reportRule/v1": f"{verdict.report}:{f.rule}"},
                properties=props,
            )
            if f.status is Status.EXEMPT:
                result["suppressions"] = [_suppression(f, lang)]
            if result["ruleIndex"] < 0:
                del result["ruleIndex"]
            results.append(result)
        for rule_id in verdict.unchecked:  # "open": the tool could not decide pass or fail
            result = {"ruleId": rule_id, "ruleIndex": index.get(rule_id, -1), "kind": "open", "level": "none"}
            if result["ruleIndex"] < 0:
                del result["ruleIndex"]
            result.update(
                message={"text": texts.unchecked_text(lang, [rule_id])},
                locations=[location],
                partialFingerprints={"reportRule/v1": f"{verdict.report}:{rule_id}"},
                properties={"report": verdict.report, "status": "unchecked"},
            )
            results.append(result)
    artifacts = []
    for name, digest in sorted(run.provenance.inputs.items()):
        artifacts.append({"location": {"uri": artifact_uri(name)}, "hashes": {"sha-256": digest}})
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "atribut-rules",
                "version": run.provenance.engine_version,
                "informationUri": INFORMATION_URI,
                "rules": driver_rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "ruleset": {
                "id": run.provenance.ruleset_id,
                "version": run.provenance.ruleset_version,
                "sha256": run.provenance.ruleset_sha256,
            }
        },
    }
    if run.summary.gaps:  # a partial run: what was missing, and each rule's coverage
        sarif_run["properties"]["partial"] = {
            "gaps": [
                {
                    "kind": g.kind,
                    "name": g.name,
                    "rules": list(g.rules),
                    "text": texts.gap_text(lang, _gap(g)),
                }
                for g in run.summary.gaps
            ],
            "coverage": {k: dict(v) for k, v in run.summary.coverage.items()},
        }
    if artifacts:
        sarif_run["artifacts"] = artifacts
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [sarif_run]}


def _gap(gap: Any) -> dict[str, Any]:
    return {"kind": gap.kind, "name": gap.name, "rules": list(gap.rules)}


def _suppression(finding: Finding, lang: str) -> dict[str, Any]:
    """An exempt finding as a SARIF suppression: kept outside the source, accepted by its permit.

    The justification is the permit's sentence of the message (permit id, validity and
    reason), which the engine appends last; a finding whose permit was not valid on the
    day is never exempt and gets no suppression.
    """
    text = text_in(finding.message, lang) or ""
    _, sep, tail = text.rpartition(" — ")
    justification = tail if sep and finding.permit and finding.permit in tail else f"{finding.permit}"
    return {
        "kind": "external",
        "status": "accepted",
        "justification": justification,
        "properties": {"permit": finding.permit},
    }


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+!<>|])", r"\\\1", text)


@text_output
def write_sarif(run: Any, out: IO[str], *, lang: str = "id", **_: Any) -> None:
    """Write the run as SARIF 2.1.0 JSON."""
    out.write(json.dumps(sarif_document(run, lang), ensure_ascii=False, indent=1) + "\n")


# -- JUnit ----------------------------------------------------------------------------
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: Any) -> str:
    s = _XML_BAD.sub("\ufffd", "" if text is None else str(text))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xa(text: Any) -> str:
    return '"' + _x(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;") + '"'


@text_output
def write_junit(run: Any, out: IO[str], *, lang: str = "id", **_: Any) -> None:
    """JUnit XML: one testcase per report; one failure listing its violations, an error per invalid row.

    Findings in review and exempt findings do not fail: they are listed in the
    testcase's ``system-out`` (an exempt one with its permit in the message). A report
    whose status is ``unchecked`` (a partial run) is ``skipped``, naming the rules that
    could not be evaluated; on other reports those rules are listed in ``system-out``.
    """
    verdicts = list(run.verdicts)
    failures = sum(1 for v in verdicts if v.status is Status.VIOLATION)
    errors = sum(1 for v in verdicts if v.status is Status.INVALID)
    skipped = sum(1 for v in verdicts if v.status is Status.UNCHECKED)
    name = f"{run.provenance.ruleset_id} {run.provenance.ruleset_version}"
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    counts = f"tests={_xa(len(verdicts))} failures={_xa(failures)} errors={_xa(errors)}"
    out.write(f"<testsuites name={_xa('atribut-rules')} {counts} skipped={_xa(skipped)}>\n")
    out.write(f" <testsuite name={_xa(name)} {counts} skipped={_xa(skipped)}>\n")
    for v in verdicts:
        file = v.source.file if v.source else ""
        line = v.source.row if v.source else 0
        attrs = f"classname={_xa(file or 'reports')} name={_xa(v.report)} file={_xa(file)}"
        if line and _line_based(file):
            attrs += f" line={_xa(line)}"
        body = []
        broken = [f for f in v.findings if f.status is Status.VIOLATION]
        if broken:  # one failure per report (JUnit readers expect at most one), listing every rule
            rules = ",".join(f.rule for f in broken)
            msg = "; ".join(text_in(f.message, lang) for f in broken)
            detail = "\n".join(
                f"{f.rule} ({f.severity.value}): {text_in(f.message, lang)}\n{text_in(f.legal_basis, lang)}"
                for f in broken
            )
            body.append(f"  <failure type={_xa(rules)} message={_xa(msg)}>{_x(detail)}</failure>")
        if v.status is Status.INVALID:
            msg = verdict_message(v, lang)
            body.append(f"  <error type={_xa('invalid')} message={_xa(msg)}>{_x(msg)}</error>")
        if v.status is Status.UNCHECKED:
            msg = texts.unchecked_text(lang, v.unchecked)
            body.append(f"  <skipped message={_xa(msg)}/>")
        quiet = [
            f"{f.status.value} {f.rule}: {text_in(f.message, lang)}"
            for f in v.findings
            if f.status in (Status.REVIEW, Status.EXEMPT)
        ]
        if v.unchecked and v.status is not Status.UNCHECKED:
            quiet.append(f"unchecked: {texts.unchecked_text(lang, v.unchecked)}")
        if quiet:
            body.append(f"  <system-out>{_x(chr(10).join(quiet))}</system-out>")
        if body:
            out.write(f"  <testcase {attrs}>\n" + "\n".join(body) + "\n  </testcase>\n")
        else:
            out.write(f"  <testcase {attrs}/>\n")
    out.write(" </testsuite>\n</testsuites>\n")


# -- GitHub workflow annotations ----------------------------------------------------------
_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _gh_data(text: str) -> str:
    # the log is shown as a terminal: controls (but line ends, encoded below) written visibly
    return terminal_text(text, keep="\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


@text_output
def write_github(run: Any, out: IO[str], *, lang: str = "id", **_: Any) -> None:
    """GitHub Actions workflow commands: ``::error file=F,line=N,title=RULE::message``.

    Violations use their rule's severity (info -> notice), findings in review are
    notices, rules a partial run could not check one notice per report, and invalid rows
    warnings; ``ok`` reports print nothing.
    """
    for v in run.verdicts:
        props = []
        if v.source is not None:
            props.append(f"file={_gh_prop(v.source.file)}")
            if _line_based(v.source.file):
                props.append(f"line={v.source.row}")
        if v.status is Status.INVALID:
            title = _gh_prop(f"{v.report}: {_INVALID_TEXT['title'][lang]}")
            msg = _gh_data(verdict_message(v, lang))
            out.write(f"::warning {','.join([*props, f'title={title}'])}::{msg}\n")
            continue
        for f in v.findings:
            level = _GH_LEVEL[f.severity.value] if f.status is Status.VIOLATION else "notice"
            title = _gh_prop(f"{v.report}: {f.rule}")
            msg = _gh_data(text_in(f.message, lang) or f.rule)
            out.write(f"::{level} {','.join([*props, f'title={title}'])}::{msg}\n")
        if v.unchecked:  # a partial run: not a pass
            title = _gh_prop(f"{v.report}: {texts.status_label(lang, 'unchecked')}")
            msg = _gh_data(texts.unchecked_text(lang, v.unchecked))
            out.write(f"::notice {','.join([*props, f'title={title}'])}::{msg}\n")
