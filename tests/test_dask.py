"""The Dask runner gives the single-process verdicts, row for row, on a local 2-worker cluster."""

from __future__ import annotations

import pytest
from helpers import EXAMPLE_REPORTS, assert_same_verdicts, load_example, verdict_records

import atribut_rules as ar
from atribut_rules.write import run_summary_record

dd = pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")
distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
pd = pytest.importorskip("pandas", reason="the dask extra is not installed")

from atribut_rules.scale.dask import check_dask, records_from_frame  # noqa: E402


@pytest.fixture(scope="module")
def example() -> tuple:
    frame = pd.read_csv(EXAMPLE_REPORTS, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    _, zones, permits = load_example()
    return frame, zones, permits


@pytest.fixture(scope="module")
def client():
    """One local cluster of two worker processes for the module (starting one takes seconds)."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.mark.parametrize("ruleset", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"])
def test_local_cluster_matches_single_process_row_for_row(example: tuple, ruleset: str, client) -> None:
    frame, zones, permits = example
    rules = ar.load_rules(ruleset)
    single = ar.check(
        ar.Reports.from_records(records_from_frame(frame), file="<dask>"),
        zones,
        rules,
        permits=permits,
        partial=True,
    )
    ddf = dd.from_pandas(frame, npartitions=3)
    run = check_dask(ddf, zones, rules, permits=permits, client=client, slice_size=70, partial=True)
    assert_same_verdicts(run, single)
    assert run.summary == single.summary
    assert run_summary_record(run) == run_summary_record(single)
    assert run.provenance == single.provenance
    assert run.exit_code() == single.exit_code()


def test_whole_list_rules_are_combined_across_slices() -> None:
    # a quota of 2 per party whose reports land in different slices
    rules = ar.load_rules(
        {
            "schema": "atribut-rules/1",
            "ruleset": {"id": "t", "version": "1"},
            "rules": [{"id": "Q", "quota": {"max": 2, "per": ["party"]}}],
        }
    )
    records = [
        {"id": f"R{i}", "lon": 106.12 + i * 0.001, "lat": -2.13, "party": "A", "date": f"2024-01-{i + 1:02d}"}
        for i in range(5)
    ]
    bag = [records[:2], records[2:]]
    run = check_dask(bag, ar.load_zones(), rules, slice_size=2)
    assert [v.status.value for v in run.verdicts] == ["ok", "ok", "violation", "violation", "violation"]
    assert verdict_records(run) == verdict_records(
        ar.check(ar.Reports.from_records(records, file="<dask>"), ar.load_zones(), rules)
    )
