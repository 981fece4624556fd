"""Rules over the whole list: duplicate reports, quotas and spacing, on whole arrays.

All functions take projected coordinates (metres, per projection area) and
integer group codes, and return arrays; none loops over report pairs in Python.
The order that decides which attribute is "beyond the quota" or "the later one"
is fixed: observed_at (undated last), then report id, then input row.
"""

from __future__ import annotations

import numpy as np
import shapely

TOLERANCE_M = 0.001


def combine_codes(columns: list[np.ndarray], n: int) -> np.ndarray:
    """One integer code per distinct combination of the given code columns."""
    if not columns:
        return np.zeros(n, dtype=np.int64)
    stacked = np.stack(columns, axis=1)
    _, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64)


def decision_order(day: np.ndarray, ids: list[str], rows: np.ndarray) -> np.ndarray:
    """Rank of each report in the fixed order: observed_at (undated last), id, input row."""
    days = day.astype("datetime64[D]").astype(np.int64)
    undated = np.isnat(day)
    days = np.where(undated, np.iinfo(np.int64).max, days)
    id_codes = np.unique(np.array(ids, dtype=object).astype(str), return_inverse=True)[1].reshape(-1)
    order = np.lexsort((rows, id_codes, days))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _pairs(px, py, area_of, eligible, distance: np.ndarray | float, group: np.ndarray):
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


def duplicate_groups(
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
    i, j = _pairs(px, py, area_of, eligible, within_m + TOLERANCE_M, group=key)  # same key only
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


def over_quota(
    counted: np.ndarray, group: np.ndarray, rep: np.ndarray, rank: np.ndarray, maximum: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which reports are beyond the quota; also each report's place and its group's count.

    ``counted`` marks reports the quota applies to. A duplicate group (same ``rep``)
    counts once, through its first counted report in the fixed order, and its counted
    reports share that report's place. Returns (over, place (1-based), count) arrays;
    place and count are 0 where not counted.
    """
    n = len(counted)
    place = np.zeros(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    members = np.nonzero(counted)[0]
    if not len(members):
        return np.zeros(n, dtype=bool), place, count
    # the unit standing for each duplicate group: its first counted member
    by_group = members[np.lexsort((rank[members], rep[members]))]
    first_of_group = np.ones(len(by_group), dtype=bool)
    first_of_group[1:] = rep[by_group][1:] != rep[by_group][:-1]
    units = by_group[first_of_group]
    unit_of = np.empty(n, dtype=np.int64)
    unit_of[by_group] = np.repeat(units, np.diff(np.append(np.nonzero(first_of_group)[0], len(by_group))))
    order = units[np.lexsort((rank[units], group[units]))]
    g = group[order]
    start = np.ones(len(order), dtype=bool)
    start[1:] = g[1:] != g[:-1]
    first = np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))
    place[order] = np.arange(len(order)) - first + 1
    _, inverse, sizes = np.unique(g, return_inverse=True, return_counts=True)
    count[order] = sizes[inverse.reshape(-1)]
    place[members] = place[unit_of[members]]
    count[members] = count[unit_of[members]]
    over = counted & (place > maximum)
    return over, place, count


def too_close(
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
    i, j = _pairs(px, py, area_of, eligible, min_m + accuracy + max_acc, group=group)  # same group only
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
