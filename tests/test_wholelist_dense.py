"""Whole-list rules on dense clusters: the same results as a plain reference over every
pair, whichever way the pairs are looked for, and bounded memory on 30,000 identical reports.

The reference below is the definition written out one pair at a time (what
`wholelist.pairs_within` with every pair at once computed before clusters were collapsed).
The fast functions are run in several modes (``MODES``): as a normal list, with the
dense-cluster path forced (``DENSE_PER_POINT = -1``), with slices of one pair
(``PAIR_BUDGET = 1``, so that every slice boundary is crossed), and with every duplicate
group looked at apart by spacing and nearly every two units of the dense duplicates path
tested by nearest neighbours (``BIG_GROUP`` and ``SMALL_UNITS`` 0 or 1).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shapely
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atribut_rules.evaluate import wholelist
from atribut_rules.evaluate.wholelist import TOLERANCE_M

SETTINGS = settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODES = [(None, None, None), (-1, None, None), (-1, 1, 1), (-1, None, 0), (None, 1, 0), (None, None, 1)]


@contextlib.contextmanager
def mode(dense: int | None, budget: int | None, big: int | None) -> Iterator[None]:
    saved = wholelist.DENSE_PER_POINT, wholelist.PAIR_BUDGET, wholelist.BIG_GROUP, wholelist.SMALL_UNITS
    if dense is not None:
        wholelist.DENSE_PER_POINT = dense
    if budget is not None:
        wholelist.PAIR_BUDGET = budget
    if big is not None:
        wholelist.BIG_GROUP = wholelist.SMALL_UNITS = big
    try:
        yield
    finally:
        wholelist.DENSE_PER_POINT, wholelist.PAIR_BUDGET, wholelist.BIG_GROUP, wholelist.SMALL_UNITS = saved


def reference_duplicates(px, py, area, eligible, key, day, within_m, within_days, rank) -> list[int]:
    n = len(px)
    points = shapely.points(px, py)
    parent = list(range(n))

    def root(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    for a in range(n):
        for b in range(n):
            if a == b or not (eligible[a] and eligible[b]) or area[a] < 0 or area[a] != area[b]:
                continue
            if key[a] != key[b] or not shapely.dwithin(points[a], points[b], within_m + TOLERANCE_M):
                continue
            if within_days is not None:
                if np.isnat(day[a]) or np.isnat(day[b]):
                    continue
                if abs(int((day[a] - day[b]).astype("timedelta64[D]").astype(np.int64))) > within_days:
                    continue
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb, key=lambda r: rank[r])] = min(ra, rb, key=lambda r: rank[r])
    out = []
    for a in range(n):
        members = [b for b in range(n) if root(b) == root(a)]
        out.append(min(members, key=lambda b: rank[b]))
    return out


def reference_too_close(px, py, area, eligible, group, rep, acc, rank, min_m):
    n = len(px)
    points = shapely.points(px, py)
    max_acc = float(acc[eligible].max()) if eligible.any() else 0.0
    value, other, distance = [0] * n, [-1] * n, [None] * n
    for i in range(n):
        best = None
        for j in range(n):
            if i == j or not (eligible[i] and eligible[j]) or area[i] < 0 or area[i] != area[j]:
                continue
            if group[i] != group[j] or rep[i] == rep[j] or rank[j] >= rank[i]:
                continue
            if not shapely.dwithin(points[i], points[j], min_m + acc[i] + max_acc):
                continue
            d = float(np.hypot(px[i] - px[j], py[i] - py[j]))
            a = acc[i] + acc[j]
            v = 2 if d + a < min_m - TOLERANCE_M else 1 if d - a < min_m - TOLERANCE_M else 0
            if v and (best is None or (-v, d, rank[j]) < best[0]):
                best = ((-v, d, rank[j]), j, v, d)
        if best is not None:
            value[i], other[i], distance[i] = best[2], best[1], best[3]
    return value, other, distance


@st.composite
def lists(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """Small lists on a half-metre grid, so that many points coincide and many pairs lie
    exactly at a reach; far from the origin as projected coordinates are."""
    n = draw(st.integers(1, 30))
    cells = st.integers(-12, 12)
    spot = st.tuples(cells, cells)
    spots = draw(st.lists(spot, min_size=1, max_size=6))
    where = [draw(st.sampled_from(spots)) if draw(st.booleans()) else draw(spot) for _ in range(n)]
    far = draw(st.sampled_from([0.0, 512_345.25, -3e6]))
    days = [draw(st.sampled_from([None, 0, 1, 2, 3, 5, 9])) for _ in range(n)]
    return {
        "px": np.array([w[0] * 0.5 for w in where]) + far,
        "py": np.array([w[1] * 0.5 for w in where]) + 9_700_000.0,
        "area": np.array([draw(st.sampled_from([0, 0, 0, 1, -1])) for _ in range(n)]),
        "eligible": np.array([draw(st.sampled_from([True, True, True, False])) for _ in range(n)]),
        "key": np.array([draw(st.integers(0, 2)) for _ in range(n)]),
        "rep": np.array([draw(st.integers(0, n)) for _ in range(n)]),
        "acc": np.array([draw(st.sampled_from([0.0, 0.5, 1.0, 2.5])) for _ in range(n)]),
        "day": np.array(
            [np.datetime64("NaT") if d is None else np.datetime64("2024-01-01") + d for d in days],
            dtype="datetime64[D]",
        ),
        "rank": np.array(draw(st.permutations(range(n)))),
    }


@SETTINGS
@given(
    lists(),
    st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5, 10.0]),
    st.sampled_from([None, 0, 1, 3]),
)
def test_duplicate_groups_are_the_components_of_every_pair(data, within_m, within_days) -> None:
    expected = reference_duplicates(
        data["px"], data["py"], data["area"], data["eligible"], data["key"], data["day"], within_m, within_days,
        data["rank"],
    )  # fmt: skip
    for dense, budget, big in MODES:
        with mode(dense, budget, big):
            got = wholelist.duplicate_groups(
                data["px"], data["py"], data["area"], data["eligible"], data["key"], data["day"], within_m,
                within_days, data["rank"],
            )  # fmt: skip
        assert got.tolist() == expected, (dense, budget, big)


@SETTINGS
@given(lists(), st.sampled_from([0.0, 0.5, 1.0, 3.0, 5.0, 12.0]), st.booleans())
def test_spacing_names_the_same_report_as_every_pair_would(data, min_m, reps_from_duplicates) -> None:
    rep = data["rep"]
    if reps_from_duplicates:  # as the engine passes them: each report's first of its duplicate group
        rep = wholelist.duplicate_groups(
            data["px"], data["py"], data["area"], data["eligible"], data["key"], data["day"], 1.0, None,
            data["rank"],
        )  # fmt: skip
    args = (
        data["px"],
        data["py"],
        data["area"],
        data["eligible"],
        data["key"] % 2,
        rep,
        data["acc"],
        data["rank"],
    )
    value, other, distance = reference_too_close(*args, min_m)
    for dense, budget, big in MODES:
        with mode(dense, budget, big):
            got = wholelist.too_close(*args, min_m)
        assert got[0].tolist() == value, (dense, budget, big)
        assert got[1].tolist() == other, (dense, budget, big)
        assert [None if np.isnan(d) else float(d) for d in got[2]] == distance, (dense, budget, big)


@pytest.mark.parametrize(("dense", "budget", "big"), MODES)
def test_a_dense_disc_keeps_the_nearest_earlier_report(dense, budget, big) -> None:
    """400 distinct points in a 2 m disc, ranks at random: duplicates within 0.3 m (and a
    day) join them into the components of every pair; spacing between those groups names
    what every pair would."""
    rng = np.random.default_rng(7)
    n = 400
    r, t = 2 * np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0, 2 * np.pi, n)
    px, py = 500_000 + r * np.cos(t), 9_700_000 + r * np.sin(t)
    area, eligible, key = np.zeros(n, dtype=int), np.ones(n, dtype=bool), rng.integers(0, 2, n)
    acc, rank = rng.choice([0.0, 1.0, 3.0], n), rng.permutation(n)
    day = np.datetime64("2024-01-01") + rng.integers(0, 4, n).astype("timedelta64[D]")
    expected_dup = reference_duplicates(px, py, area, eligible, key, day, 0.3, 1, rank)
    rep = np.array(expected_dup)  # duplicate groups of up to a few dozen reports
    expected = reference_too_close(px, py, area, eligible, key, rep, acc, rank, 8.0)
    with mode(dense, budget if budget is None else 50, big):
        assert (
            wholelist.duplicate_groups(px, py, area, eligible, key, day, 0.3, 1, rank).tolist()
            == expected_dup
        )
        value, other, distance = wholelist.too_close(px, py, area, eligible, key, rep, acc, rank, 8.0)
    assert (value.tolist(), other.tolist()) == expected[:2]
    assert [None if np.isnan(d) else float(d) for d in distance] == expected[2]


# -- memory: 30,000 identical reports through the whole `check` --------------------------------

RULES = {
    "duplicates": """
        schema: atribut-rules/1
        ruleset: {id: dense-duplicates, version: "1"}
        duplicates: {within_m: 10, within_days: 3, same: [type, party]}
        rules:
          - id: KUOTA
            severity: error
            applies_to: {field: type, equals: baliho}
            quota: {max: 5, per: [party]}
            message: {id: "ke-{rank} dari {count}", en: "{rank} of {count}"}
        """,
    "spacing": """
        schema: atribut-rules/1
        ruleset: {id: dense-spacing, version: "1"}
        rules:
          - id: JARAK
            severity: warning
            applies_to: {field: type, equals: baliho}
            spacing: {min_m: 50, among: [party]}
            message: {id: "dekat {other_report}", en: "near {other_report}"}
        """,
}

CAPPED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
from atribut_rules.cli import main
sys.exit(main(sys.argv[1:]))
"""


IDENTICAL = 30_000  # 3 times the 10,000 that once took 1.6 GB: kept pairs would need 9 times that


@pytest.mark.parametrize("kind", sorted(RULES))
def test_identical_reports_finish_in_bounded_memory(tmp_path: Path, kind: str) -> None:
    """Before, 10,000 such reports took 1.6 GB and crashed: every pair of the cluster was kept.
    Now 30,000 of them run in a process capped at 1.5 GB (about 270 MB used)."""
    reports = tmp_path / "laporan.csv"
    with reports.open("w", encoding="utf-8") as f:
        f.write("no;lintang;bujur;akurasi_m;jenis;partai;tanggal\n")
        for k in range(IDENTICAL):
            f.write(f"R-{k:06d};-2.13;106.11;5;baliho;Partai A;2024-01-{1 + k % 3:02d}\n")
    rules = tmp_path / "rules.yaml"
    rules.write_text(textwrap.dedent(RULES[kind]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", CAPPED, "check", str(reports), "--rules", str(rules), "--jobs", "1",
         "--format", "jsonl", "--output", f"jsonl:{out}", "--fail-on", "never", "--quiet"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    lines = out.read_text(encoding="utf-8").splitlines()
    verdicts = [line for line in lines if '"report"' in line]
    assert len(verdicts) == IDENTICAL
    if kind == "spacing":  # every later report is too close to the first
        assert sum('"violation"' in line for line in verdicts) == IDENTICAL - 1


@pytest.mark.parametrize(("dense", "budget", "big"), MODES)
def test_duplicates_joined_only_by_the_later_reports_of_two_cells(dense, budget, big) -> None:
    """Two 1 m cells (within_m 2), each with a day-0 report (the one each cell first looks
    from) and a day-5 report: only the day-5 ones, 1.15 m apart, are the same attribute."""
    px = 500_000 + np.array([0.0, 0.9, 2.95, 2.05])  # cells of 1.0005 m from the first
    py = np.full(4, 9_700_000.5)
    day = np.datetime64("2024-01-01") + np.array([0, 5, 0, 5]).astype("timedelta64[D]")
    with mode(dense, budget, big):
        got = wholelist.duplicate_groups(
            px,
            py,
            np.zeros(4, dtype=int),
            np.ones(4, dtype=bool),
            np.zeros(4, dtype=int),
            day,
            2.0,
            1,
            np.arange(4),
        )
    assert got.tolist() == [0, 1, 2, 1]
