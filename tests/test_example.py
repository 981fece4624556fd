"""End to end: the bundled Pangkalpinang example against its golden JSON and its ``expect`` column."""

from __future__ import annotations

import csv
import difflib
import io
import json
from pathlib import Path

import pytest
from helpers import EXAMPLE_ZONES, run_cli

import atribut_rules as ar

GOLDEN = "example.json"


@pytest.fixture(scope="module")
def example_output() -> dict:
    code, out, err = run_cli("check", "--example", "--format", "json")
    assert err == ""
    assert code == 1  # the example holds error violations
    doc = json.loads(out)
    doc["provenance"]["engine_version"] = "<engine_version>"
    return doc


def _dump(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def test_example_matches_the_golden_file(example_output: dict, golden_dir: Path, update_golden: bool) -> None:
    path = golden_dir / GOLDEN
    actual = _dump(example_output)
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: run pytest --update-golden to create it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"golden/{GOLDEN}",
                tofile="atribut-rules check --example --format json",
                n=2,
            )
        )
        lines = diff.splitlines()
        shown = "\n".join(lines[:200]) + (
            f"\n... {len(lines) - 200} more diff lines" if len(lines) > 200 else ""
        )
        pytest.fail(
            "the example output differs from the golden file; if the change is intended, "
            f"run pytest --update-golden and review the diff in git\n{shown}",
            pytrace=False,
        )


def _expectations(example_dir: Path) -> list[tuple[str, str, list[str]]]:
    text = (example_dir / "laporan.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    out = []
    for row in rows:
        status, _, rules = row["expect"].strip().partition(" ")
        out.append((row["no"], status, sorted(r for r in rules.split(",") if r)))
    return out


def test_every_row_matches_its_expect_column(example_output: dict, example_dir: Path) -> None:
    expected = _expectations(example_dir)
    verdicts = example_output["verdicts"]
    assert len(verdicts) == len(expected) == example_output["summary"]["reports"]
    mismatches = []
    for (rid, status, rules), v in zip(expected, verdicts):
        got_rules = sorted({f["rule"] for f in v["findings"]})
        if (v["report"], v["status"], got_rules) != (rid, status, rules):
            mismatches.append(
                f"{rid}: expected {status} {rules}, got {v['report']} {v['status']} {got_rules}"
            )
    assert mismatches == []


def test_example_covers_every_status_and_every_rule(example_output: dict) -> None:
    verdicts = example_output["verdicts"]
    # every status but unchecked, which only a partial run gives
    assert {v["status"] for v in verdicts} == {s.value for s in ar.Status} - {"unchecked"}
    fired = {f["rule"] for v in verdicts for f in v["findings"]}
    assert fired == {r.id for r in ar.load_rules().rules}
    assert {f["status"] for v in verdicts for f in v["findings"]} == {"violation", "review", "exempt"}


def test_example_invalid_rows_say_why(example_output: dict) -> None:
    for v in example_output["verdicts"]:
        if v["status"] == "invalid":
            assert v["findings"] == [] and v["problems"], v["report"]
            for p in v["problems"]:
                assert p["message"]["id"] and p["message"]["en"]
        else:
            assert v["problems"] == []


def test_example_rows_and_names_are_machine_independent(example_output: dict) -> None:
    sources = [v["source"] for v in example_output["verdicts"]]
    assert {s["file"] for s in sources} == {"laporan.csv"}
    assert [s["row"] for s in sources] == list(range(2, 2 + len(sources)))
    assert sorted(example_output["provenance"]["inputs"]) == sorted(
        ["laporan.csv", "izin.csv"] + [p.name for p in EXAMPLE_ZONES]
    )
