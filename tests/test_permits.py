"""Permits and exemptions: validity days, scope parts, CSV/YAML files, exit codes and SARIF."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import check_example
from support import PKP, collection, feature, fwd, make_rules, point, polygon, square

import atribut_rules as ar
from atribut_rules import check, load_zones
from atribut_rules.errors import InputError
from atribut_rules.evaluate.permits import Permit, load_permits, permits_from_mappings
from atribut_rules.write import write

HERE = Path(__file__).resolve().parent
SCHOOL = collection(feature("s1", polygon(square(PKP, 50)), "school", "SD Negeri 1"))
INSIDE_SCHOOL = {
    "id": "SEKOLAH",
    "severity": "error",
    "when": {"inside": {"zone": "school"}},
    "message": {"id": "{type} di {zone_name}", "en": "{type} at {zone_name}"},
}
OTHER = {
    "id": "LAIN",
    "severity": "warning",
    "when": {"field": "type", "equals": "baliho"},
    "message": {"id": "baliho", "en": "baliho"},
}
RULES = make_rules(INSIDE_SCHOOL)


def report(rid: str = "R1", where: tuple[float, float] = PKP, **fields: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "lon": where[0],
        "lat": where[1],
        "type": "baliho",
        "party": "Partai A",
        "observed_at": "2024-01-15",
        **fields,
    }


def permit(**fields: Any) -> Permit:
    (p,) = permits_from_mappings([{"id": "IZ-1", "rules": ["SEKOLAH"], **fields}], file="<test>")
    return p


def checked(records: list[dict[str, Any]], permits: list[Permit], rules: ar.RuleSet = RULES) -> ar.Run:
    zones = load_zones(SCHOOL, categories=rules.categories)
    return check(ar.Reports.from_records(records, file="<records>"), zones, rules, permits=permits)


def only(run: ar.Run) -> ar.Verdict:
    (verdict,) = run.verdicts
    return verdict


# -- validity days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "status", "reason"),
    [
        ("2024-01-15", "2024-01-31", "exempt", "permit_exempts"),  # first day
        ("2024-01-01", "2024-01-15", "exempt", "permit_exempts"),  # last day
        ("2024-01-01", "2024-01-14", "violation", "permit_not_valid"),  # expired the day before
        ("2024-01-16", "2024-02-01", "violation", "permit_not_valid"),  # not yet valid
    ],
)
def test_permit_validity_days_are_inclusive(valid_from: str, valid_to: str, status: str, reason: str) -> None:
    verdict = only(checked([report()], [permit(valid_from=valid_from, valid_to=valid_to)]))
    assert verdict.status.value == status
    (finding,) = verdict.findings
    assert (finding.status.value, finding.permit, finding.reason) == (status, "IZ-1", reason)
    span = f"{valid_from}..{valid_to}"
    assert span in finding.message["en"] and span in finding.message["id"]
    if status == "violation":
        assert "not on the observation date 2024-01-15" in finding.message["en"]
        assert "tidak mengecualikan" in finding.message["id"]


def test_an_undated_report_is_not_exempt_and_says_why() -> None:
    verdict = only(
        checked([report(observed_at=None)], [permit(valid_from="2024-01-01", valid_to="2024-12-31")])
    )
    assert verdict.status is ar.Status.VIOLATION
    (finding,) = verdict.findings
    assert (finding.permit, finding.reason) == ("IZ-1", "permit_undated")
    assert "observation date is missing" in finding.message["en"]


def test_open_ended_permit_and_all_rules() -> None:
    both = make_rules(INSIDE_SCHOOL, OTHER)
    (p,) = permits_from_mappings(
        [{"id": "IZ-ALL", "reports": ["R1"], "valid_from": "2024-01-01"}], file="<t>"
    )
    verdict = only(checked([report()], [p], both))
    assert verdict.status is ar.Status.EXEMPT
    assert {f.rule: f.status.value for f in verdict.findings} == {"SEKOLAH": "exempt", "LAIN": "exempt"}


@pytest.mark.parametrize(
    "item",
    [
        {"id": "IZ-ALL"},
        {"id": "IZ-ALL", "rules": ["*"], "valid_from": "2024-01-01"},
        {"id": "IZ-ALL", "rules": [], "reports": []},
    ],
)
def test_a_permit_with_no_scope_at_all_is_refused(item: dict[str, Any]) -> None:
    """Every rule, every report, anywhere: it would exempt every finding of every report."""
    with pytest.raises(InputError, match="names no scope: it would exempt every finding") as info:
        permits_from_mappings([item], file="izin.yaml")
    assert info.value.field == "rules" and "name the rules it covers" in info.value.hint


@pytest.mark.parametrize(
    "scope",
    [
        {"rules": ["SEKOLAH"]},
        {"reports": ["R1"]},
        {"zone": "z:1"},
        {"party": "Partai A"},
        {"location": {"lon": 106.1, "lat": -2.1, "radius_m": 50}},
    ],
)
def test_one_scope_part_is_enough(scope: dict[str, Any]) -> None:
    (p,) = permits_from_mappings([{"id": "IZ-1", **scope}], file="izin.yaml")
    assert p.id == "IZ-1"


def test_a_partly_exempt_report_keeps_its_other_findings() -> None:
    both = make_rules(INSIDE_SCHOOL, OTHER)
    verdict = only(checked([report()], [permit()], both))
    assert verdict.status is ar.Status.VIOLATION  # LAIN is a violation (warning) not covered
    assert {f.rule: f.status.value for f in verdict.findings} == {"SEKOLAH": "exempt", "LAIN": "violation"}


def test_a_permit_for_another_rule_does_not_exempt() -> None:
    (p,) = permits_from_mappings([{"id": "IZ-X", "rules": ["LAIN"]}], file="<t>")
    verdict = only(checked([report()], [p]))
    assert verdict.status is ar.Status.VIOLATION
    assert verdict.findings[0].permit is None


# -- scope ---------------------------------------------------------------------------------------


def test_scope_by_report_id() -> None:
    result = checked([report("R1"), report("R2", fwd(PKP, 0, 5))], [permit(reports=["R2", 7])])
    assert [v.status.value for v in result.verdicts] == ["violation", "exempt"]


@pytest.mark.parametrize(("distance", "status"), [(0.0, "exempt"), (20.0, "exempt"), (20.01, "violation")])
def test_scope_by_location_radius_is_geodesic_and_inclusive(distance: float, status: str) -> None:
    where = fwd(PKP, 200.0, 5.0)
    centre = fwd(where, 70.0, distance)
    p = permit(location={"lon": centre[0], "lat": centre[1], "radius_m": 20})
    assert only(checked([report(where=where)], [p])).status.value == status


def test_scope_by_zone_id() -> None:
    inside, outside = permit(zone="s1"), permit(zone="s2")
    assert only(checked([report()], [inside])).status is ar.Status.EXEMPT
    assert only(checked([report()], [outside])).status is ar.Status.VIOLATION


def test_scope_by_party_is_case_insensitive_and_all_parts_must_match() -> None:
    assert only(checked([report()], [permit(party="partai a")])).status is ar.Status.EXEMPT
    assert only(checked([report()], [permit(party="Partai B")])).status is ar.Status.VIOLATION
    both = permit(party="Partai A", reports=["R9"])  # party matches, report does not
    assert only(checked([report()], [both])).status is ar.Status.VIOLATION


def test_rule_set_exemptions_apply_like_a_permits_file() -> None:
    from support import rules_doc

    doc = rules_doc(INSIDE_SCHOOL)
    doc["exemptions"] = [{"id": "IZ-RS", "rules": ["SEKOLAH"], "reports": ["R1"]}]
    verdict = only(checked([report()], [], ar.load_rules(doc)))
    assert (verdict.status, verdict.findings[0].permit) == (ar.Status.EXEMPT, "IZ-RS")


# -- files ---------------------------------------------------------------------------------------

CSV_ID = (
    "\ufeffizin;aturan;laporan;alasan;penerbit;berlaku_dari;berlaku_sampai;lintang;bujur;radius;partai\r\n"
    "IZ-1;SEKOLAH, LAIN;R1 R2;acara sekolah;Bawaslu;2024-01-01;2024-01-31;;;;\r\n"
    "IZ-2;SEKOLAH;;bazar;Panwascam;2024-02-01;2024-02-03;-2,13;106,11;25,5;Partai A\r\n"
)


def test_permits_from_csv_with_indonesian_headers(tmp_path: Path) -> None:
    path = tmp_path / "izin.csv"
    path.write_text(CSV_ID, encoding="utf-8")
    p1, p2 = load_permits(path)
    assert (p1.id, p1.rules, p1.reports, p1.reason, p1.issuer) == (
        "IZ-1",
        frozenset({"SEKOLAH", "LAIN"}),
        frozenset({"R1", "R2"}),
        "acara sekolah",
        "Bawaslu",
    )
    assert (str(p1.valid_from), str(p1.valid_to), p1.radius_m) == ("2024-01-01", "2024-01-31", None)
    assert (p2.lon, p2.lat, p2.radius_m, p2.party, p2.reports) == (106.11, -2.13, 25.5, "Partai A", None)


def test_permits_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "izin.yaml"
    path.write_text(
        "permits:\n"
        "  - id: IZ-9\n"
        "    rules: ['*']\n"
        "    location: {lon: 106.11, lat: -2.13, radius_m: 30}\n"
        "    valid: {from: '2024-01-01', to: '2024-01-31'}\n"
        "    reason: pawai budaya\n",
        encoding="utf-8",
    )
    (p,) = load_permits(path)
    assert (p.id, p.rules, p.radius_m, str(p.valid_to), p.reason) == (
        "IZ-9",
        None,
        30,
        "2024-01-31",
        "pawai budaya",
    )
    bare = tmp_path / "list.yml"
    bare.write_text("- id: A\n  rules: [R-1]\n- id: B\n  party: Partai C\n", encoding="utf-8")
    assert [q.id for q in load_permits(bare)] == ["A", "B"]


@pytest.mark.parametrize(
    ("name", "text", "field"),
    [
        ("izin.csv", "izin;berlaku_dari\nIZ-1;15/01/2024\n", "valid_from"),
        ("izin.csv", "izin;radius;lintang;bujur\nIZ-1;dua puluh;-2,1;106,1\n", "radius"),
        ("izin.csv", "izin;berlaku_dari;berlaku_sampai\nIZ-1;2024-02-01;2024-01-01\n", "valid_to"),
        ("izin.csv", "izin;aturan;alasan\nIZ-1;R-1;a\nIZ-1;R-1;b\n", "id"),
        ("izin.yaml", "- id: IZ-1\n  location: {lon: 106.1, lat: -2.1}\n", "location"),
        ("izin.yaml", "- id: IZ-1\n  colour: red\n", None),
    ],
)
def test_a_bad_permits_file_names_the_file_and_field(
    tmp_path: Path, name: str, text: str, field: str | None
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_permits(path)
    assert info.value.file == str(path)
    if field is not None:
        assert info.value.field == field
    else:
        assert "colour" in str(info.value)


def test_a_missing_permits_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_permits(tmp_path / "nope.csv")
    assert info.value.file == str(tmp_path / "nope.csv")


# -- exit code and outputs -----------------------------------------------------------------------


def test_exempt_findings_do_not_fail_the_run() -> None:
    run = checked([report()], [permit()])
    assert run.verdicts[0].status is ar.Status.EXEMPT
    assert run.exit_code() == 0
    assert run.summary.by_status["exempt"] == 1
    assert run.summary.by_rule["SEKOLAH"] == {"violation": 0, "review": 0, "exempt": 1}
    assert checked([report()], [permit(valid_to="2024-01-14")]).exit_code() == 1
    assert checked([report()], []).exit_code() == 1


@pytest.fixture(scope="module")
def example_run() -> ar.Run:
    return check_example(relative=True)


def test_sarif_suppresses_exempt_findings_only(example_run: ar.Run) -> None:
    buf = io.StringIO()
    write(example_run, "sarif", buf, lang="en")
    doc = json.loads(buf.getvalue())
    schema = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)
    results = doc["runs"][0]["results"]
    suppressed = {(r["properties"]["report"], r["ruleId"]): r for r in results if "suppressions" in r}
    exempt = {
        (v.report, f.rule): f
        for v in example_run.verdicts
        for f in v.findings
        if f.status is ar.Status.EXEMPT
    }
    assert set(suppressed) == set(exempt) and len(exempt) == 3
    for key, result in suppressed.items():
        (s,) = result["suppressions"]
        assert (s["kind"], s["status"]) == ("external", "accepted")
        assert s["justification"].startswith(f"exempted by permit {exempt[key].permit} (valid ")
        assert result["properties"]["permit"] == exempt[key].permit
    not_valid = [r for r in results if r["properties"].get("reason") == "permit_not_valid"]
    assert len(not_valid) == 2
    assert all("suppressions" not in r and r["kind"] == "fail" for r in not_valid)


def test_every_output_format_shows_the_permit(example_run: ar.Run) -> None:
    exempt = next(v for v in example_run.verdicts if v.status is ar.Status.EXEMPT)
    for fmt in ("json", "csv", "table", "github", "junit"):
        buf = io.StringIO()
        write(example_run, fmt, buf, lang="en")
        assert exempt.findings[0].permit in buf.getvalue(), fmt


def test_point_zone_permit_scope_uses_the_findings_zone() -> None:
    zones = collection(feature("p1", point(*PKP), "school", "TK", radius_m=30))
    rules = make_rules(INSIDE_SCHOOL)
    z = load_zones(zones, categories=rules.categories)
    records = ar.Reports.from_records([report(where=fwd(PKP, 10, 10))], file="<r>")
    run = check(records, z, rules, permits=[permit(zone="p1")])
    assert run.verdicts[0].status is ar.Status.EXEMPT
