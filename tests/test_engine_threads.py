"""The spatial work in a thread pool, in many small chunks, gives the verdicts of one thread."""

from __future__ import annotations

import csv

import pytest

import atribut_rules as ar
from atribut_rules import engine, resources
from atribut_rules.writers import run_summary_record, verdict_record

EXAMPLE = resources.example_dir()


def _records() -> list[dict[str, str]]:
    """The example list, plus a copy of every fifth row moved 1 degree east (a second
    projection area, with no zone in it) and one without a position."""
    with open(EXAMPLE / "laporan.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    far = []
    for row in rows[::5]:
        try:
            lon = float(row["bujur"].replace(",", "."))
        except ValueError:  # the example's invalid rows
            continue
        far.append(dict(row, no=row["no"] + "-far", bujur=f"{lon + 1.0:.7f}".replace(".", ",")))
    return rows + far + [dict(rows[0], no="no-position", lintang="", bujur="")]


@pytest.fixture(scope="module")
def example() -> tuple:
    zones = ar.load_zones(*sorted(EXAMPLE.glob("*.geojson")))
    permits = ar.load_permits(EXAMPLE / "izin.csv")
    return ar.Reports.from_records(_records(), file="laporan.csv"), zones, permits


@pytest.mark.parametrize("ruleset", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"])
def test_threads_and_chunks_do_not_change_verdicts(example: tuple, ruleset: str, monkeypatch) -> None:
    reports, zones, permits = example
    rules = ar.load_rules(ruleset)
    one = ar.check(reports, zones, rules, permits=permits, threads=1)
    monkeypatch.setattr(engine, "CHUNK", 17)
    monkeypatch.setattr(engine, "PREPARE_SPLIT", 5)  # the zones projected in 3 parts too
    calls: list[tuple[int, int]] = []
    many = ar.check(
        reports,
        ar.load_zones(*sorted(EXAMPLE.glob("*.geojson"))),  # zones prepared inside the pool
        rules,
        permits=permits,
        threads=3,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert [verdict_record(v) for v in many.verdicts] == [verdict_record(v) for v in one.verdicts]
    assert run_summary_record(many) == run_summary_record(one)
    assert many.provenance == one.provenance
    # progress counts every valid report once, in order, up to the total
    total = sum(v.status is not ar.Status.INVALID for v in one.verdicts)
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) > 2
