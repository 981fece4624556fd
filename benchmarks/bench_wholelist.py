"""Benchmark the rules over the whole list (duplicate groups, spacing) against the plain pipeline.

Reports are spread evenly over a square (fixed seed), with a type-and-party key of 56
values and GPS accuracies of 3-30 m, as `atribut_rules.wholelist` receives them
(projected metres, one area). For each size it times, in this process:

- ``pairs_by_group``: `wholelist._pairs` with the group, as the engine calls it
  (duplicates: 10 m within the same key; spacing: 50 m plus both accuracies within the
  same party);
- ``plain``: one bulk ``dwithin`` STRtree query over all reports, then the pairs of
  different groups dropped (what `_pairs` did before groups were kept apart);

checks that both give the same pairs, and prints median/min/max and the ratio.
``duplicate_groups`` and ``too_close`` are timed on top (their own array work).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from atribut_rules import wholelist  # noqa: E402

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
            lambda g=group, r=reach: wholelist._pairs(px, py, area, everyone, r, group=g), repeat
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
    print(line("duplicate_groups", dup_t))
    close_t, _ = timed(
        lambda: wholelist.too_close(px, py, area, everyone, data["party"], rep, acc, rank, 50.0), repeat
    )
    print(line("too_close", close_t))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000", help="comma-separated list lengths")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"# Python {platform.python_version()}, numpy {np.__version__}, shapely {shapely.__version__}")
    failures = sum(run_size(int(n), args.repeat) for n in args.sizes.split(","))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
