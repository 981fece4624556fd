"""The benchmark's parity check: check, the shapely floor (and GeoPandas) reach the same verdicts.

Small city (2k reports x 1k zones), no timing: speed is the benchmark script's job.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import atribut_rules as ar

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_check.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_check", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_check"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench_check", None)


@pytest.fixture(scope="module")
def city(bench):
    return bench.make_city(2_000, 1_000)


@pytest.fixture(scope="module")
def rules():
    return ar.load_rules()


def test_city_is_deterministic_and_mixed(bench, city):
    again = bench.make_city(2_000, 1_000)
    assert np.array_equal(city.r_lon, again.r_lon) and np.array_equal(city.r_lat, again.r_lat)
    assert set(city.zone_cat.tolist()) == {"tree", "place_of_worship", "school", "government"}
    assert set(city.zone_kind[city.zone_cat == "tree"].tolist()) == {"point"}
    assert set(city.zone_kind[city.zone_cat != "tree"].tolist()) == {"polygon"}


def test_all_pipelines_agree(bench, city, rules):
    result = bench.parity(city, rules, with_geopandas=True)
    assert result["problems"] == []
    assert result["spatial_rules"] == [
        "APK-IBADAH",
        "APK-KESEHATAN",
        "APK-PENDIDIKAN",
        "APK-PEMERINTAH",
        "APK-POHON",
        "BK-TEMPAT-TERLARANG",
        "BK-JALAN-TAMAN",
    ]
    near = result["near_counts"]
    # a realistic mix: every category is hit, and roughly a fifth of reports are near some zone
    assert all(near[c] > 0 for c in ("tree", "place_of_worship", "school", "government"))
    assert 0.1 < sum(near.values()) / city.n_reports < 0.3
    # about ten rules of the national set fire
    assert len(result["rule_counts"]) >= 9


def test_parity_detects_a_wrong_verdict(bench, city, rules):
    """The comparison is not vacuous: one flipped spatial verdict is reported."""
    reach = bench.spatial_reach(rules, sorted(set(city.zone_cat.tolist())))
    near = bench.floor(city, reach)
    srules = bench.spatial_rules(rules)
    run = bench.run_check(city, rules)
    engine = bench.engine_findings(run, [r.id for r in srules])
    assert bench.compare("x", engine, bench.expected_findings(city, near, srules)) == []
    hit = int(np.nonzero(near["tree"] & np.isin(city.r_type, ["baliho", "spanduk"]))[0][0])
    near["tree"][hit] = False
    problems = bench.compare("x", engine, bench.expected_findings(city, near, srules))
    assert any("APK-POHON" in p for p in problems)


def test_reach_follows_the_rule_set(bench, rules):
    reach = bench.spatial_reach(rules, ["tree", "school"])
    # trees: near 1.0 m plus the 0.5 m default trunk radius; polygons: inside (0 m); 1 mm tolerance
    assert reach == pytest.approx({"tree": 1.501, "school": 0.001})


def test_cli_benchmark_gets_one_verdict_per_row_in_order(tmp_path: Path) -> None:
    """bench_cli's list and its nothing-lost check, on 600 rows in chunks of 100 over 2 workers."""
    path = BENCH.with_name("bench_cli.py")
    spec = importlib.util.spec_from_file_location("bench_cli", path)
    bench_cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_cli)
    reports, out = tmp_path / "reports.csv", tmp_path / "verdicts.jsonl"
    bench_cli.make_csv(reports, 600)
    wall, memory, cpu, code = bench_cli.run_cli(reports, out, "jsonl", ["--jobs", "2", "--chunk-rows", "100"])
    assert code == 1 and memory > 0 and wall > 0 and cpu > 0
    counts = bench_cli.check_output(out, "jsonl", 600)
    assert sum(counts.values()) == 600 and counts["violation"] > 0 and counts["invalid"] > 0
    with pytest.raises(SystemExit, match="verdicts for"):
        bench_cli.check_output(out, "jsonl", 601)


def test_the_whole_list_benchmark_finds_the_same_pairs_both_ways(capsys) -> None:
    path = BENCH.with_name("bench_wholelist.py")
    spec = importlib.util.spec_from_file_location("bench_wholelist", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "3000", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("parity ok") == 2 and "FAILED" not in out
    data = module.make_list(3000)
    i, j = module.plain_pairs(data["px"], data["py"], data["party"], 500.0)
    assert len(i) and (data["party"][i] == data["party"][j]).all()  # a case with pairs to compare
