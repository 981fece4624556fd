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


PAIR_BUDGET = 1 << 20
"""Pairs held at once by the whole-list rules (a few arrays of this length): the pair
queries run over slices of the reports cut so that no slice yields more."""


def _collapse(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Reports equal in every column as one node: each report's node, and each node's first report.

    Nodes are numbered in the sorted order of the columns; a node's first report is its
    first in input order (the sort is stable). Values that are not equal to themselves
    (NaN) make nodes of their own.
    """
    order = np.lexsort(columns[::-1])
    new = np.zeros(len(order), dtype=bool)
    new[:1] = True
    for c in columns:
        s = c[order]
        new[1:] |= s[1:] != s[:-1]
    node_of = np.empty(len(order), dtype=np.int64)
    node_of[order] = np.cumsum(new) - 1
    return node_of, order[new]


def _neighbour_bound(x: np.ndarray, y: np.ndarray, code: np.ndarray, side: float) -> np.ndarray:
    """For each point, how many points of its ``code`` lie in the 3 x 3 grid cells of side
    ``side`` around its own: a bound on its pairs within ``side`` (used to size slices)."""
    x = x - x.min()
    y = y - y.min()
    ncode = int(code.max()) + 1
    side = max(side, 1e-9)
    while True:
        cx, cy = np.floor(x / side), np.floor(y / side)
        nx, ny = int(cx.max()) + 3, int(cy.max()) + 3
        if ncode * nx * ny < 2**62:
            break
        side *= 2.0  # coarser cells keep the bound and fit the key in 64 bits
    cell = (code.astype(np.int64) * nx + cx.astype(np.int64) + 1) * ny + cy.astype(np.int64) + 1
    cells, inverse, counts = np.unique(cell, return_inverse=True, return_counts=True)
    total = np.zeros(len(cells), dtype=np.int64)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            near = cells + dx * ny + dy
            at = np.minimum(np.searchsorted(cells, near), len(cells) - 1)
            total += np.where(cells[at] == near, counts[at], 0)
    return total[inverse.reshape(-1)]


def _pair_slices(
    px: np.ndarray,
    py: np.ndarray,
    area_of: np.ndarray,
    reach: np.ndarray,
    group: np.ndarray,
    query: np.ndarray,
    budget: int = PAIR_BUDGET,
):
    """Pairs (q, j): ``query[q]`` and ``j`` in the same area (>= 0) and ``group``, with
    ``dwithin(point query[q], point j, reach[query[q]])``; ``q`` may pair with itself.

    ``query`` lists point indices, repeats allowed (several reports standing on one point).
    The pairs come in slices of the query, each with all pairs of its queries and, unless
    one query alone has more, at most about ``budget`` pairs. Groups are moved along x,
    beyond the reach of the others, before one tree per area is built, so that dense lists
    do not pay for pairs across groups; the candidates are then tested again on the
    coordinates as given.
    """
    reach = np.broadcast_to(np.asarray(reach, dtype=float), px.shape)
    query_area = area_of[query]
    for a in np.unique(query_area[query_area >= 0]):
        members = np.nonzero(area_of == a)[0]
        qpos = np.nonzero(query_area == a)[0]
        local = np.full(len(px), -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        points = shapely.points(px[members], py[members])
        r = reach[members]
        codes = np.unique(group[members], return_inverse=True)[1].reshape(-1)
        x = px[members] - px[members].min()
        span = float(x.max()) + 2 * float(r.max()) + 1.0
        apart = shapely.points(x + codes * span, py[members])
        tree = shapely.STRtree(apart)
        ql = local[query[qpos]]
        cost = _neighbour_bound(x, py[members], codes, float(r.max()) + 0.002)[ql]
        ends = np.cumsum(cost)
        start = 0
        while start < len(ql):
            stop = max(
                int(np.searchsorted(ends, ends[start] - cost[start] + budget, side="right")), start + 1
            )
            part = ql[start:stop]
            # the shift rounds coordinates by far less than 1 mm: candidates, then the exact test
            q = tree.query(apart[part], predicate="dwithin", distance=r[part] + 0.001)
            q = q[:, shapely.dwithin(points[part[q[0]]], points[q[1]], r[part[q[0]]])]
            yield qpos[start + q[0]], members[q[1]]
            start = stop


def _pairs(px, py, area_of, eligible, distance: np.ndarray | float, group: np.ndarray):
    """All (i, j), i != j, of eligible reports in the same area and ``group`` within ``distance``.

    ``distance`` is per report i (``dwithin(i, j, distance[i])``). Every pair at once:
    the rules use :func:`_pair_slices` over collapsed points instead; this stays for tests
    and benchmarks.
    """
    members = np.nonzero(eligible & (area_of >= 0))[0]
    dist = np.broadcast_to(np.asarray(distance, dtype=float), px.shape)
    out_i, out_j = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for q, j in _pair_slices(
        px[members], py[members], area_of[members], dist[members], group[members], np.arange(len(members))
    ):
        keep = q != j
        out_i.append(members[q[keep]])
        out_j.append(members[j[keep]])
    return np.concatenate(out_i), np.concatenate(out_j)


def _link(labels: np.ndarray, node_by_label: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``labels`` (each node's root, named by its label) with the nodes ``i`` and ``j`` joined.

    Every root is hooked under the smallest root it is paired with, then every node points
    at its root again (pointer jumping), until each pair shares a root: a component's root
    is its smallest label. Only this slice's pairs are needed.
    """
    li, lj = labels[i], labels[j]
    while True:
        differ = li != lj
        if not differ.any():
            return labels
        i, j, li, lj = i[differ], j[differ], li[differ], lj[differ]
        np.minimum.at(labels, node_by_label[np.maximum(li, lj)], np.minimum(li, lj))
        while True:
            jumped = labels[node_by_label[labels]]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        li, lj = labels[i], labels[j]


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

    Reports on the same point with the same key (and day, with ``within_days``) are
    always one attribute, so they are one node before any pair is looked for: a cluster
    of identical reports costs one point. The pairs between nodes come in slices of at
    most :data:`PAIR_BUDGET`, each joined into the components and dropped.
    """
    n = len(px)
    index_of_rank = np.empty(n, dtype=np.int64)
    index_of_rank[rank] = np.arange(n)
    chosen = eligible & (area_of >= 0)
    if within_days is not None:
        chosen &= ~np.isnat(day)  # an undated report is paired with none
    idx = np.nonzero(chosen)[0]
    out = np.arange(n)
    if not len(idx):
        return out
    days = (
        day[idx].astype("datetime64[D]").astype(np.int64) if within_days is not None else np.zeros(len(idx))
    )
    node_of, heads = _collapse([area_of[idx], key[idx], px[idx], py[idx], days])
    nodes = idx[heads]
    # labels are ranks in the fixed order, so a group is named after its first report in
    # that order (not in input order): the result does not depend on the order of the rows
    labels = np.full(len(nodes), n, dtype=np.int64)
    np.minimum.at(labels, node_of, rank[idx])
    node_by_label = np.zeros(n + 1, dtype=np.int64)
    node_by_label[labels] = np.arange(len(nodes))
    node_days = days[heads]
    for q, j in _pair_slices(
        px[nodes], py[nodes], area_of[nodes], within_m + TOLERANCE_M, key[nodes], np.arange(len(nodes))
    ):
        keep = q != j
        if within_days is not None:
            keep &= np.abs(node_days[q] - node_days[j]) <= within_days
        labels = _link(labels, node_by_label, q[keep], j[keep])
    out[idx] = index_of_rank[labels[node_of]]
    return out


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

    Of the earlier reports it is too close to, a report names the one with the surer
    value, then the nearest, then the first in the fixed order. Reports of one group on
    the same point with the same accuracy are one node: to every report, a node offers
    only its first report in the fixed order, or when that one is of the report's own
    duplicate group, its first of another one; the other reports of the node are at the
    same distance with the same value and come later. So a cluster of identical reports
    costs one pair per report, and the pairs come in slices of at most :data:`PAIR_BUDGET`.
    """
    n = len(px)
    value = np.zeros(n, dtype=np.int8)
    other = np.full(n, -1, dtype=np.int64)
    distance = np.full(n, np.nan)
    max_acc = float(accuracy[eligible].max()) if eligible.any() else 0.0
    idx = np.nonzero(eligible & (area_of >= 0))[0]
    if not len(idx):
        return value, other, distance
    node_of, heads = _collapse([area_of[idx], group[idx], px[idx], py[idx], accuracy[idx]])
    nodes = idx[heads]
    by_node = np.lexsort((rank[idx], node_of))
    starts = np.nonzero(np.r_[True, node_of[by_node][1:] != node_of[by_node][:-1]])[0]
    first = idx[by_node][starts]  # each node's first report in the fixed order
    second = np.full(len(nodes), -1, dtype=np.int64)  # its first of another duplicate group
    another = rep[idx[by_node]] != rep[first[node_of[by_node]]]
    found, at = np.unique(node_of[by_node][another], return_index=True)
    second[found] = idx[by_node][another][at]
    for q, w in _pair_slices(
        px[nodes], py[nodes], area_of[nodes], min_m + accuracy[nodes] + max_acc, group[nodes], node_of
    ):
        i = idx[q]
        j = np.where(rep[first[w]] != rep[i], first[w], second[w])
        ok = j >= 0
        ok[ok] = rank[j[ok]] < rank[i[ok]]
        i, j = i[ok], j[ok]
        if not len(i):
            continue
        d = np.hypot(px[i] - px[j], py[i] - py[j])
        a = accuracy[i] + accuracy[j]
        v = np.where(d + a < min_m - TOLERANCE_M, 2, np.where(d - a < min_m - TOLERANCE_M, 1, 0)).astype(
            np.int8
        )
        sel = v > 0
        i, j, d, v = i[sel], j[sel], d[sel], v[sel]
        order = np.lexsort((rank[j], d, -v, i))
        pick = order[np.r_[True, i[order][1:] != i[order][:-1]]] if len(order) else order
        value[i[pick]] = v[pick]
        other[i[pick]] = j[pick]
        distance[i[pick]] = d[pick]
    return value, other, distance
