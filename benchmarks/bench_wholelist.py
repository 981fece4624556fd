"""Benchmark the rules over the whole list (duplicate groups, spacing) against the plain pipeline.

Reports are spread evenly over a square (fixed seed), with a type-and-party key of 56
values and GPS accuracies of 3-30 m, as `atribut_rules.evaluate.wholelist` receives them
(projected metres, one area). For each size it times, in this process:

- ``pairs_by_group``: `wholelist.pairs_within` with the group, as the engine calls it
  (duplicates: 10 m within the same key; spacing: 50 m plus both accuracies within the
  same party);
- ``plain``: one bulk ``dwithin`` STRtree query over all reports, then the pairs of
  different groups dropped (what `pairs_within` did before groups were kept apart);

checks that both give the same pairs, and prints median/min/max and the ratio.
``duplicate_groups`` and ``too_close`` are timed on top (their own array work), against
``old_duplicate_groups`` and ``old_too_close``: the functions as they were before dense
clusters were collapsed (every pair within reach at once, kept below), with parity.

``--dense 2000,5000,100000`` times the dense clusters (one area, one group): ``identical`` (every report
on one point, three days) and ``disc`` (distinct points spread over a 10 m disc), with a
duplicates rule (10 m, 3 days) and a spacing rule (50 m, 5 m accuracy). For each it prints
the time and the peak of memory allocated through Python and numpy (tracemalloc: the pair
arrays; GEOS' own allocations are not counted), and at the sizes in ``--dense-old``, the
old functions' time and peak, the ratios and parity. The old functions hold every pair of
the cluster: 10,000 identical reports took 1.6 GB, so keep those sizes small.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from atribut_rules.evaluate import wholelist  # noqa: E402
from atribut_rules.evaluate.wholelist import TOLERANCE_M  # noqa: E402

SEED = 20241114
SIDE_M = 10_000.0


def make_list(n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    return {
        "px": rng.uniform(0, SIDE_M, n),
        "py": rng.uniform(0, SIDE_M, n),
        "key": rng.integers(0, 56, n),  # type x party
        "party": rng.integers(0, 8, n),
        "acc": rng.uniform(3, 30, n),
        "day": np.datetime64("2024-01-01") + rng.integers(0, 60, n).astype("timedelta64[D]"),
    }


# -- the functions before dense clusters were collapsed (for ratios and parity) -------------------


def old_pairs(px, py, area_of, eligible, distance: np.ndarray | float, group: np.ndarray):
    """All (i, j), i != j, of eligible reports in the same area and ``group`` within ``distance``.

    ``distance`` is per report i (``dwithin(i, j, distance[i])``). Reports of different
    groups are never paired: each group is moved along x, beyond the reach of the others,
    before the one bulk query, so that dense lists do not pay for pairs across groups.
    The candidates are then tested again on the coordinates as given.
    """
    out_i, out_j = [], []
    dist = np.broadcast_to(np.asarray(distance, dtype=float), px.shape)
    for a in np.unique(area_of[eligible & (area_of >= 0)]):
        members = np.nonzero(eligible & (area_of == a))[0]
        if len(members) < 2:
            continue
        points = shapely.points(px[members], py[members])
        reach = dist[members]
        codes = np.unique(group[members], return_inverse=True)[1].reshape(-1)
        x = px[members] - px[members].min()
        span = float(x.max()) + 2 * float(reach.max()) + 1.0
        apart = shapely.points(x + codes * span, py[members])
        # the shift rounds coordinates by far less than 1 mm: candidates, then the exact test
        q = shapely.STRtree(apart).query(apart, predicate="dwithin", distance=reach + 0.001)
        q = q[:, shapely.dwithin(points[q[0]], points[q[1]], reach[q[0]])]
        keep = q[0] != q[1]
        out_i.append(members[q[0][keep]])
        out_j.append(members[q[1][keep]])
    if not out_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(out_i), np.concatenate(out_j)


def old_duplicate_groups(
    px: np.ndarray,
    py: np.ndarray,
    area_of: np.ndarray,
    eligible: np.ndarray,
    key: np.ndarray,
    day: np.ndarray,
    within_m: float,
    within_days: int | None,
    rank: np.ndarray,
) -> np.ndarray:
    """For each report, the index of the first report (in the fixed order ``rank``) of its physical attribute.

    Two reports are the same attribute when their ``key`` is equal, they lie within
    ``within_m`` metres and (when given) ``within_days`` days of each other; groups
    are the connected components of that relation. Ineligible reports are their own group.
    """
    n = len(px)
    # labels are ranks in the fixed order, so a group is named after its first report in
    # that order (not in input order): the result does not depend on the order of the rows
    labels = rank.copy()
    index_of_rank = np.empty(n, dtype=np.int64)
    index_of_rank[rank] = np.arange(n)
    i, j = old_pairs(px, py, area_of, eligible, within_m + TOLERANCE_M, group=key)  # same key only
    if within_days is not None:
        di, dj = day[i], day[j]
        dated = ~np.isnat(di) & ~np.isnat(dj)
        gap = np.abs(
            (di - dj).astype("timedelta64[D]").astype(np.int64), where=dated, out=np.zeros(len(i), np.int64)
        )
        same = dated & (gap <= within_days)
        i, j = i[same], j[same]
    while len(i):
        low = np.minimum(labels[i], labels[j])
        new = labels.copy()
        np.minimum.at(new, i, low)
        np.minimum.at(new, j, low)
        new = new[index_of_rank[new]]  # pointer jumping, through the report holding that rank
        if np.array_equal(new, labels):
            break
        labels = new
    while True:  # point every member at its group's root
        jumped = labels[index_of_rank[labels]]
        if np.array_equal(jumped, labels):
            return index_of_rank[labels]
        labels = jumped


def old_too_close(
    px: np.ndarray,
    py: np.ndarray,
    area_of: np.ndarray,
    eligible: np.ndarray,
    group: np.ndarray,
    rep: np.ndarray,
    accuracy: np.ndarray,
    rank: np.ndarray,
    min_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spacing: for each report, 2 (surely closer than ``min_m`` to an earlier attribute
    of its group), 1 (the GPS accuracies straddle ``min_m``) or 0; the other report and
    the distance. Only the later report of a pair (in the fixed order) is flagged.
    """
    n = len(px)
    value = np.zeros(n, dtype=np.int8)
    other = np.full(n, -1, dtype=np.int64)
    distance = np.full(n, np.nan)
    max_acc = float(accuracy[eligible].max()) if eligible.any() else 0.0
    i, j = old_pairs(px, py, area_of, eligible, min_m + accuracy + max_acc, group=group)  # same group only
    keep = (rep[i] != rep[j]) & (rank[i] > rank[j])
    i, j = i[keep], j[keep]
    if not len(i):
        return value, other, distance
    d = np.hypot(px[i] - px[j], py[i] - py[j])
    a = accuracy[i] + accuracy[j]
    v = np.where(d + a < min_m - TOLERANCE_M, 2, np.where(d - a < min_m - TOLERANCE_M, 1, 0)).astype(np.int8)
    sel = v > 0
    i, j, d, v = i[sel], j[sel], d[sel], v[sel]
    order = np.lexsort((rank[j], d, -v, i))
    first = np.ones(len(order), dtype=bool)
    first[1:] = i[order][1:] != i[order][:-1]
    pick = order[first]
    value[i[pick]] = v[pick]
    other[i[pick]] = j[pick]
    distance[i[pick]] = d[pick]
    return value, other, distance


def plain_pairs(px, py, group, distance) -> tuple[np.ndarray, np.ndarray]:
    points = shapely.points(px, py)
    reach = np.broadcast_to(np.asarray(distance, dtype=float), px.shape)
    i, j = shapely.STRtree(points).query(points, predicate="dwithin", distance=reach)
    keep = (i != j) & (group[i] == group[j])
    return i[keep], j[keep]


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def line(name: str, times: list[float]) -> str:
    return (
        f"{name:<28} median {statistics.median(times):8.3f} s  min {min(times):8.3f}  max {max(times):8.3f}"
    )


def run_size(n: int, repeat: int) -> int:
    data = make_list(n)
    px, py, acc = data["px"], data["py"], data["acc"]
    area, everyone = np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
    spacing_reach = 50 + acc + acc.max()
    cases = {
        "duplicates (10 m, key)": (data["key"], wholelist.TOLERANCE_M + 10.0),
        "spacing (50 m + acc, party)": (data["party"], spacing_reach),
    }
    failures = 0
    print(f"\n== {n:,} reports over {SIDE_M / 1000:.0f} km x {SIDE_M / 1000:.0f} km ==")
    for label, (group, reach) in cases.items():
        new_t, (i, j) = timed(
            lambda g=group, r=reach: wholelist.pairs_within(px, py, area, everyone, r, group=g), repeat
        )
        old_t, (oi, oj) = timed(lambda g=group, r=reach: plain_pairs(px, py, g, r), repeat)
        same = np.array_equal(np.sort(i * n + j), np.sort(oi * n + oj))
        failures += not same
        print(f"{label}: {len(i):,} pairs; parity {'ok' if same else 'FAILED'}")
        print(line("  pairs_by_group", new_t))
        print(line("  plain", old_t))
        print(f"  ratio plain / pairs_by_group {statistics.median(old_t) / statistics.median(new_t):.2f}")
    rank = np.argsort(np.argsort(data["day"], kind="stable"), kind="stable")
    dup_t, rep = timed(
        lambda: wholelist.duplicate_groups(px, py, area, everyone, data["key"], data["day"], 10.0, 3, rank),
        repeat,
    )
    old_dup_t, old_rep = timed(
        lambda: old_duplicate_groups(px, py, area, everyone, data["key"], data["day"], 10.0, 3, rank), repeat
    )
    same = np.array_equal(rep, old_rep)
    failures += not same
    print(f"duplicate_groups: old and new {'agree' if same else 'DISAGREE'}")
    print(line("  duplicate_groups", dup_t))
    print(line("  old_duplicate_groups", old_dup_t))
    print(f"  ratio old / new {statistics.median(old_dup_t) / statistics.median(dup_t):.2f}")
    close_t, got = timed(
        lambda: wholelist.too_close(px, py, area, everyone, data["party"], rep, acc, rank, 50.0), repeat
    )
    old_close_t, old = timed(
        lambda: old_too_close(px, py, area, everyone, data["party"], rep, acc, rank, 50.0), repeat
    )
    same = all(np.array_equal(a, b, equal_nan=True) for a, b in zip(got, old))
    failures += not same
    print(f"too_close: old and new {'agree' if same else 'DISAGREE'}")
    print(line("  too_close", close_t))
    print(line("  old_too_close", old_close_t))
    print(f"  ratio old / new {statistics.median(old_close_t) / statistics.median(close_t):.2f}")
    return failures


def make_cluster(kind: str, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    if kind == "identical":
        px, py = np.full(n, 512_345.678), np.full(n, 9_764_321.123)
    else:
        r, t = 10 * np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0, 2 * np.pi, n)
        px, py = 512_345.678 + r * np.cos(t), 9_764_321.123 + r * np.sin(t)
    return {
        "px": px,
        "py": py,
        "day": np.datetime64("2024-01-01") + (np.arange(n) % 3).astype("timedelta64[D]"),
        "rank": rng.permutation(n),
        "acc": np.full(n, 5.0),
    }


def measured(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    took = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return took, peak, result


def run_dense(n: int, with_old: bool) -> int:
    failures = 0
    area, everyone, group = np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool), np.zeros(n, dtype=np.int64)
    for kind in ("identical", "disc"):
        c = make_cluster(kind, n)
        calls = {
            "duplicates 10 m 3 days": (
                lambda f, c=c: f(c["px"], c["py"], area, everyone, group, c["day"], 10.0, 3, c["rank"]),
                wholelist.duplicate_groups,
                old_duplicate_groups,
            ),
            "spacing 50 m": (
                lambda f, c=c: f(
                    c["px"], c["py"], area, everyone, group, np.arange(n), c["acc"], c["rank"], 50.0
                ),
                wholelist.too_close,
                old_too_close,
            ),
        }
        for label, (call, new, old) in calls.items():
            took, peak, got = measured(lambda call=call, new=new: call(new))
            text = f"{kind:<9} {n:>9,} {label:<24} {took:8.3f} s  peak {peak / 2**20:9.1f} MiB"
            if with_old:
                old_took, old_peak, expected = measured(lambda call=call, old=old: call(old))
                got_t = got if isinstance(got, tuple) else (got,)
                exp_t = expected if isinstance(expected, tuple) else (expected,)
                same = all(np.array_equal(a, b, equal_nan=True) for a, b in zip(got_t, exp_t))
                failures += not same
                text += (
                    f"  | old {old_took:8.3f} s  peak {old_peak / 2**20:9.1f} MiB"
                    f"  | ratio old/new time {old_took / took:7.1f}  memory {old_peak / max(peak, 1):7.1f}"
                    f"  old and new {'agree' if same else 'DISAGREE'}"
                )
            print(text, flush=True)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000", help="comma-separated list lengths")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--dense", default="", help="dense cluster sizes, e.g. 2000,5000,100000 (none by default)"
    )
    parser.add_argument("--dense-old", default="2000,5000", help="dense sizes the old functions also run at")
    args = parser.parse_args(argv)
    print(f"# Python {platform.python_version()}, numpy {np.__version__}, shapely {shapely.__version__}")
    failures = sum(run_size(int(n), args.repeat) for n in args.sizes.split(",") if n)
    if args.dense:
        old_sizes = {int(n) for n in args.dense_old.split(",") if n}
        print("\n== dense clusters (time, tracemalloc peak; old = every pair at once) ==")
        failures += sum(run_dense(int(n), int(n) in old_sizes) for n in args.dense.split(",") if n)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
