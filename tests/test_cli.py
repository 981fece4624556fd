"""cli.py: exit codes, one-line errors, the JSON shape, ``rules list``, ``--version``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli as cli
from helpers import run_cli_process
from support import PKP, collection, csv_bytes, feature, fwd, point

import atribut_rules as ar


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A tree layer and a report list with one violation (on the tree) and one ok row."""
    trees = tmp_path / "trees.geojson"
    trees.write_text(
        json.dumps(collection(feature("t1", point(*PKP), "tree", "Pohon angsana", radius_m=0.5)))
    )
    near, far = fwd(PKP, 10.0, 0.8), fwd(PKP, 10.0, 300.0)
    reports = tmp_path / "laporan.csv"
    reports.write_bytes(
        csv_bytes(
            ["no", "lintang", "bujur", "jenis", "tanggal"],
            [
                ["A", near[1], near[0], "spanduk", "2024-01-05"],
                ["B", far[1], far[0], "spanduk", "2024-01-05"],
            ],
            sep=";",
        )
    )
    ok_only = tmp_path / "ok.csv"
    ok_only.write_bytes(csv_bytes(["no", "lintang", "bujur", "jenis"], [["B", far[1], far[0], "spanduk"]]))
    # the national rules with the ones that need other layers switched off: trees are all there is
    rules = tmp_path / "pohon.yaml"
    rules.write_text(TREES_ONLY, encoding="utf-8")
    return {"trees": trees, "reports": reports, "ok": ok_only, "dir": tmp_path, "rules": rules}


def check_trees(files: dict[str, Path], *extra: str, reports: str = "reports") -> tuple[int, str, str]:
    """``check`` of a list of ``files`` against the tree layer with the tree-only rule set."""
    return cli(
        "check", str(files[reports]), "--zones", str(files["trees"]), "--rules", str(files["rules"]), *extra
    )


OTHER_LAYERS = (
    "APK-IBADAH",
    "APK-KESEHATAN",
    "APK-PENDIDIKAN",
    "APK-PEMERINTAH",
    "BK-TEMPAT-TERLARANG",
    "BK-JALAN-TAMAN",
)
TREES_ONLY = (
    'schema: atribut-rules/1\nruleset: {id: pohon-saja, version: "1", extends: ["builtin:id-pemilu-2024"]}\nrules:\n'
    + "".join(f"  - {{id: {r}, enabled: false}}\n" for r in OTHER_LAYERS)
)


def test_exit_1_when_an_error_violation_is_found(files: dict[str, Path]) -> None:
    code, out, err = check_trees(files)
    assert (code, err) == (1, "")
    assert "A" in out and "APK-POHON" in out


def test_exit_0_when_nothing_is_broken(files: dict[str, Path]) -> None:
    code, _, err = check_trees(files, reports="ok")
    assert (code, err) == (0, "")


def test_fail_on_never_exits_0(files: dict[str, Path]) -> None:
    code, _, _ = check_trees(files, "--fail-on", "never")
    assert code == 0


def test_category_prefix_on_zones(files: dict[str, Path], tmp_path: Path) -> None:
    layer = tmp_path / "pohon.geojson"
    layer.write_text(json.dumps(collection(feature("t9", point(*PKP), radius_m=0.5))))
    code, out, _ = cli(
        "check",
        str(files["reports"]),
        "--zones",
        f"tree={layer}",
        "--rules",
        str(files["rules"]),
        "--format",
        "json",
    )
    assert code == 1
    first = json.loads(out)["verdicts"][0]
    assert first["findings"][0]["zone"]["id"] == "t9"


def test_json_format_shape(files: dict[str, Path]) -> None:
    code, out, _ = check_trees(files, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert isinstance(doc, dict)
    assert doc["format"] == "atribut-rules/verdicts" and doc["version"] == 1
    assert {"provenance", "summary", "verdicts"} <= set(doc)
    verdicts = doc["verdicts"]
    assert [v["report"] for v in verdicts] == ["A", "B"]
    for v in verdicts:
        assert {"report", "status", "findings", "source"} <= set(v)
        assert v["status"] in ("violation", "review", "ok", "invalid")
        for f in v["findings"]:
            assert {"rule", "status"} <= set(f)
    a, b = verdicts
    assert a["status"] == "violation" and b["status"] == "ok" and b["findings"] == []
    assert a["source"] == {"file": str(files["reports"]), "row": 2}
    (finding,) = a["findings"]
    assert finding["rule"] == "APK-POHON" and finding["status"] == "violation"
    assert finding["zone"]["id"] == "t1" and finding["threshold_m"] == 1.0
    assert finding["distance_m"] == pytest.approx(0.3, abs=0.002)
    assert doc["summary"]["by_status"] == {
        "violation": 1,
        "review": 0,
        "unchecked": 0,
        "exempt": 0,
        "ok": 1,
        "invalid": 0,
    }
    assert doc["provenance"]["ruleset"]["id"] == "pohon-saja"
    assert doc["provenance"]["engine_version"] == ar.__version__


def test_json_output_is_deterministic(files: dict[str, Path]) -> None:
    args = (
        "check",
        str(files["reports"]),
        "--zones",
        str(files["trees"]),
        "--rules",
        str(files["rules"]),
        "--format",
        "json",
    )
    assert cli(*args)[1] == cli(*args)[1]


def _assert_one_line_error(err: str, *needles: str) -> None:
    assert err.startswith("atribut-rules: error: ")
    assert err.endswith("\n") and err.count("\n") == 1
    assert "Traceback" not in err
    for n in needles:
        assert n in err


def test_missing_reports_file(files: dict[str, Path]) -> None:
    missing = files["dir"] / "tidak-ada.csv"
    code, out, err = cli(
        "check", str(missing), "--zones", str(files["trees"]), "--rules", str(files["rules"]), "--lang", "en"
    )
    assert (code, out) == (2, "")
    _assert_one_line_error(err, "tidak-ada.csv")


def test_missing_zone_file(files: dict[str, Path]) -> None:
    code, _, err = cli("check", str(files["reports"]), "--zones", str(files["dir"] / "hilang.geojson"), "--lang", "en")
    assert code == 2
    _assert_one_line_error(err, "hilang.geojson")


def test_bad_rule_file(files: dict[str, Path]) -> None:
    bad = files["dir"] / "aturan.yaml"
    bad.write_text(
        "schema: atribut-rules/1\nruleset: {id: x, version: '1'}\nrules:\n  - id: R1\n    when: {during: tidak_ada}\n",
        encoding="utf-8",
    )
    code, out, err = cli("check", str(files["reports"]), "--zones", str(files["trees"]), "--rules", str(bad), "--lang", "en")
    assert (code, out) == (2, "")
    _assert_one_line_error(err, f"{bad}:5:", "tidak_ada", "rule R1")


def test_rule_file_that_is_not_yaml(files: dict[str, Path]) -> None:
    bad = files["dir"] / "aturan.yaml"
    bad.write_text("schema: [\n", encoding="utf-8")
    code, _, err = cli("check", str(files["reports"]), "--zones", str(files["trees"]), "--rules", str(bad), "--lang", "en")
    assert code == 2
    _assert_one_line_error(err, "aturan.yaml")


def test_no_reports_given() -> None:
    code, _, err = cli("check", "--lang", "en")
    assert code == 2
    _assert_one_line_error(err, "no reports file")


def test_usage_errors_exit_2() -> None:
    assert cli("check", "--format", "xml")[0] == 2
    assert cli("tidak-ada")[0] == 2
    code, out, _ = cli()
    assert code == 2 and "usage" in out.lower()


def test_rules_list() -> None:
    code, out, err = cli("rules", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert (
        "builtin:id-pemilu-2024\t2024.1\tPlacement of campaign attributes and materials, 2024 general election"
        "\tIndonesia (nasional)\t2023-07-17..2024-02-14" in lines
    )
    ulang = next(line for line in lines if line.startswith("builtin:pangkalpinang-pilkada-ulang-2025\t"))
    assert ulang.endswith(
        "\tKota Pangkalpinang, Kepulauan Bangka Belitung (Pilkada ulang Wali Kota 2025)\t2025-07-22..2025-08-27"
    )
    assert all(line.startswith("builtin:") for line in lines)


def test_rules_show_resolves_to_json() -> None:
    code, out, _ = cli("rules", "show", "builtin:id-pemilu-2024")
    assert code == 0
    doc = json.loads(out)
    assert doc["ruleset"]["id"] == "id-pemilu-2024"
    assert "APK-POHON" in [r["id"] for r in doc["rules"]]


def test_table_in_english(files: dict[str, Path]) -> None:
    code, out, _ = check_trees(files, "--lang", "en")
    assert code == 1 and "tree" in out


def test_version_via_python_m() -> None:
    proc = run_cli_process("--version", timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"atribut-rules {ar.__version__}"
    assert proc.stderr == ""


def test_a_required_zone_layer_that_is_missing_is_an_error_unless_partial(tmp_path: Path) -> None:
    reports = tmp_path / "r.csv"
    reports.write_text("id;lat;lon;jenis;tanggal\nA;-2,13;106,12;baliho;2024-01-05\n", encoding="utf-8")
    code, out, err = cli("check", reports, "--rules", "builtin:pangkalpinang-2024", "-q", "--lang", "en")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert all(line.startswith("atribut-rules: error: ") for line in lines)
    (line,) = [x for x in lines if "'road'" in x]
    assert "APK-JALAN-PROTOKOL" in line and "--zones road=FILE" in line
    # with --partial the run goes on: the report is unchecked, and stderr says which rules
    code, out, err = cli(
        "check", reports, "--rules", "builtin:pangkalpinang-2024", "--partial", "-q", "--format", "json", "--lang", "en"
    )
    assert code == 0
    verdict = json.loads(out)["verdicts"][0]
    assert verdict["status"] == "unchecked" and "APK-JALAN-PROTOKOL" in verdict["unchecked"]
    assert "warning: partial run" in err and "APK-JALAN-PROTOKOL" in err
