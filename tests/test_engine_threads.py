"""The spatial work in a thread pool, in many small chunks, gives the verdicts of one thread."""

from __future__ import annotations

import csv
import dataclasses

import numpy as np
import pytest
import shapely
from helpers import EXAMPLE_REPORTS, EXAMPLE_ZONES, assert_same_verdicts, examples, load_example
from hypothesis import given, settings
from hypothesis import strategies as st

import atribut_rules as ar
from atribut_rules.evaluate.check import Evaluation
from atribut_rules.spatial import candidates, join
from atribut_rules.write import run_summary_record


def _records() -> list[dict[str, str]]:
    """The example list, plus a copy of every fifth row moved 1 degree east (a second
    projection area, with no zone in it) and one without a position."""
    with open(EXAMPLE_REPORTS, encoding="utf-8-sig", newline="") as f:
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
    _, zones, permits = load_example()
    return ar.Reports.from_records(_records(), file="laporan.csv"), zones, permits


@pytest.mark.parametrize("ruleset", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"])
def test_threads_and_chunks_do_not_change_verdicts(example: tuple, ruleset: str, monkeypatch) -> None:
    reports, zones, permits = example
    rules = ar.load_rules(ruleset)
    one = ar.check(reports, zones, rules, permits=permits, threads=1, partial=True)
    monkeypatch.setattr(join, "CHUNK", 17)
    monkeypatch.setattr(join, "PREPARE_SPLIT", 5)  # the zones projected in 3 parts too
    calls: list[tuple[int, int]] = []
    many = ar.check(
        reports,
        ar.load_zones(*EXAMPLE_ZONES),  # zones prepared inside the pool
        rules,
        permits=permits,
        threads=3,
        partial=True,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert_same_verdicts(many, one)
    assert run_summary_record(many) == run_summary_record(one)
    assert many.provenance == one.provenance
    # progress counts every valid report once, in order, up to the total
    total = sum(v.status is not ar.Status.INVALID for v in one.verdicts)
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) > 2


@pytest.mark.parametrize("ruleset", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"])
def test_lines_measured_in_pieces_give_the_verdicts_of_whole_lines(
    example: tuple, ruleset: str, monkeypatch
) -> None:
    """The example's roads (about 90 vertices each) cut into pieces of 2 vertices (every
    segment on its own) or kept whole: the same distances, nearest zones and verdicts."""
    reports, _, permits = example
    rules = ar.load_rules(ruleset)
    runs = {}
    for piece in (2, 10**9):
        monkeypatch.setattr(join, "LINE_PIECE", piece)
        zones = ar.load_zones(*EXAMPLE_ZONES)  # prepared anew for each
        evaluation = Evaluation(reports, zones, rules, tuple(rules.exemptions) + tuple(permits), threads=1)
        runs[piece] = (evaluation.run(), evaluation)
    (pieces, cut), (whole, evaluation) = runs[2], runs[10**9]
    assert_same_verdicts(pieces, whole)
    # within reach (the category's largest threshold, plus the report's accuracy), the same
    # nearest zone at the same distance; beyond it a whole line's envelope may still have
    # made a far road a candidate, where a piece does not
    a, b = cut.spatial, evaluation.spatial
    need = evaluation.join.thresholds()
    reach = np.array([[need[c]] for c in b.categories]) + evaluation.acc
    in_reach = (a.signed <= reach) | (b.signed <= reach)
    np.testing.assert_array_equal(a.signed[in_reach], b.signed[in_reach])
    np.testing.assert_array_equal(a.zone[in_reach], b.zone[in_reach])
    assert (a.signed[~in_reach] > reach[~in_reach]).all()
    road = b.categories.index("road")
    assert in_reach[road].sum() > 10  # reports within reach of a road were compared


@settings(max_examples=examples(150), deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=2, max_size=40),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
    st.integers(2, 9),
)
def test_line_pieces_measure_as_the_whole_line(lines, multi, most) -> None:

    geoms = [shapely.linestrings(line) for line in lines]
    if multi:
        geoms = [shapely.multilinestrings(geoms)]
    geoms = np.array([*geoms, shapely.box(0, 0, 3, 3), shapely.points(1, 1)], dtype=object)
    pieces, owner = join.line_pieces(geoms, most)
    lines_out = pieces[np.isin(shapely.get_type_id(pieces), (1, 5))]
    assert (shapely.get_num_coordinates(lines_out) <= most).all()
    assert owner.tolist() == sorted(owner.tolist()) and set(owner.tolist()) == set(range(len(geoms)))
    grid = np.arange(-60, 61, 7.5)
    points = shapely.points(np.array(np.meshgrid(grid, grid)).reshape(2, -1).T)
    for k, geom in enumerate(geoms):
        own = pieces[owner == k]
        nearest = np.min([shapely.distance(points, piece) for piece in own], axis=0)
        np.testing.assert_array_equal(nearest, shapely.distance(points, geom))


@pytest.mark.parametrize("ruleset", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"])
@pytest.mark.parametrize("wide_error", [False, True])
def test_candidates_by_cells_match_asking_the_tree_per_report(
    example: tuple, ruleset: str, wide_error: bool, monkeypatch
) -> None:
    """Candidates found cell by cell (the default) or by asking the zones' tree about each
    report (its point, or its box where it has a GPS error): the same distances, nearest
    zones and verdicts. With ``wide_error``, every other report has a GPS error of 150 m
    (the others none), so many boxes reach zones their points do not."""
    reports, _, permits = example
    if wide_error:
        accuracy = np.zeros(len(reports))
        accuracy[1::2] = 150.0
        reports = dataclasses.replace(reports, accuracy_m=accuracy)
    rules = ar.load_rules(ruleset)
    asked = []
    real = join.query_each
    monkeypatch.setattr(join, "query_each", lambda *a: asked.append(1) or real(*a))
    runs = []
    for most in (candidates.MAX_TESTS_PER_BOX, -1):  # -1: the cells always decline
        monkeypatch.setattr(candidates, "MAX_TESTS_PER_BOX", most)
        zones = ar.load_zones(*EXAMPLE_ZONES)
        evaluation = Evaluation(reports, zones, rules, tuple(rules.exemptions) + tuple(permits), threads=1)
        runs.append((evaluation.run(), evaluation))
        assert bool(asked) == (most == -1)
    (cells, by_cells), (each, by_each) = runs
    assert_same_verdicts(cells, each)
    a, b = by_cells.spatial, by_each.spatial
    np.testing.assert_array_equal(a.signed, b.signed)
    np.testing.assert_array_equal(a.zone, b.zone)
    assert np.isfinite(a.signed).sum() > 100  # many reports had a zone within reach
    acc = by_each.acc
    assert (acc > 0).any() and (acc == 0).any()  # reports asked about as boxes and as points
