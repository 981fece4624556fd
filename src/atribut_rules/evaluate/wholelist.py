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


def _collapse(columns: list[np.ndarray], lead: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Rows equal in every column as one node: each row's node, and each node's first row.

    Rows are sorted on ``columns[lead]`` first (the column with the most distinct values,
    so that one quick sort settles most rows); only runs of equal values there are sorted
    on the other columns. A node's first row is its first in input order (the sorts are
    stable). Values not equal to themselves (NaN) make nodes of their own.
    """
    order = np.argsort(columns[lead], kind="stable")
    s = columns[lead][order]
    tied = np.zeros(len(order), dtype=bool)
    tied[1:] = s[1:] == s[:-1]
    tied[:-1] |= tied[1:]
    if tied.any():
        run = np.cumsum(np.r_[True, s[1:] != s[:-1]])  # a run of equal values per row, in sorted order
        at = np.nonzero(tied)[0]
        rows = order[at]
        others = [c[rows] for k, c in enumerate(columns) if k != lead]
        order[at] = rows[np.lexsort([*others[::-1], run[at]])]
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
    ``side`` around its own: a bound on its pairs within ``side``, used only to size
    slices. Coordinates are >= 0."""
    ncode = int(code.max()) + 1
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
            near = cells + dx * ny + dy  # sorted, as cells are: a quick search
            at = np.minimum(np.searchsorted(cells, near), len(cells) - 1)
            total += np.where(cells[at] == near, counts[at], 0)
    return total[inverse.reshape(-1)]


def _pair_slices(
    px: np.ndarray,
    py: np.ndarray,
    area_of: np.ndarray,
    group: np.ndarray,
    query: np.ndarray,
    reach: np.ndarray | float,
    cost: np.ndarray | None = None,
    budget: int | None = None,
    in_tree: np.ndarray | None = None,
):
    """Pairs (q, j): ``query[q]`` and ``j`` in the same area (>= 0) and ``group``, with
    ``dwithin(point query[q], point j, reach[q])``; ``q`` may pair with its own point.
    Only points marked in ``in_tree`` (when given) are paired with.

    ``query`` lists point indices, repeats allowed (several reports standing on one point),
    and ``reach`` is per query; ``cost``, when given, bounds each query's pairs (else it is
    bounded from grid cells, :func:`_neighbour_bound`). The pairs come in slices of
    the query, each with all pairs of its queries and, unless one query alone has more, at most about ``budget`` pairs.
    Groups are moved along x, beyond the reach of the others, before one tree per area is
    built, so that dense lists do not pay for pairs across groups; the candidates are then
    tested again on the coordinates as given.
    """
    budget = PAIR_BUDGET if budget is None else budget
    reach = np.broadcast_to(np.asarray(reach, dtype=float), query.shape)
    query_area = area_of[query]
    for a in np.unique(query_area[query_area >= 0]):
        members = np.nonzero(area_of == a)[0]
        qpos = np.nonzero(query_area == a)[0]
        local = np.full(len(px), -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        points = shapely.points(px[members], py[members])
        codes = np.unique(group[members], return_inverse=True)[1].reshape(-1)
        x = px[members] - px[members].min()
        y = py[members] - py[members].min()
        span = float(x.max()) + 2 * float(np.nanmax(reach[qpos], initial=0.0)) + 1.0
        along = x + codes * span
        apart = shapely.points(along, py[members])
        held = np.arange(len(members)) if in_tree is None else np.nonzero(in_tree[members])[0]
        if not len(held):
            continue
        tree = shapely.STRtree(apart[held])
        # queries in the order of the shifted x: neighbouring queries visit the same tree nodes
        qpos = qpos[np.argsort(along[local[query[qpos]]], kind="stable")]
        ql = local[query[qpos]]
        r = reach[qpos]
        if cost is not None:
            bound = cost[qpos]
        else:  # each query's bound on grid cells a little wider than its reach (one grid per power of two)
            level = np.ceil(np.log2(np.nan_to_num(r, nan=0.0) + 0.002)).astype(np.int64)
            bound = np.zeros(len(ql), dtype=np.int64)
            for k in np.unique(level):
                at = np.nonzero(level == k)[0]
                bound[at] = _neighbour_bound(x, y, codes, 2.0 ** float(k))[ql[at]]
        ends = np.cumsum(bound)
        start = 0
        while start < len(ql):
            stop = max(
                int(np.searchsorted(ends, ends[start] - bound[start] + budget, side="right")), start + 1
            )
            part = ql[start:stop]
            # the shift rounds coordinates by far less than 1 mm: candidates, then the exact test
            q = tree.query(apart[part], predicate="dwithin", distance=r[start:stop] + 0.001)
            q[1] = held[q[1]]
            own = part[q[0]] == q[1]  # a point is within any reach >= 0 of itself
            keep = own & (r[start + q[0]] >= 0)
            test = np.nonzero(~own)[0]
            keep[test] = shapely.dwithin(points[part[q[0][test]]], points[q[1][test]], r[start + q[0][test]])
            q = q[:, keep]
            yield qpos[start + q[0]], members[q[1]]
            start = stop


def pairs_within(px, py, area_of, eligible, distance: np.ndarray | float, group: np.ndarray):
    """All (i, j), i != j, of eligible reports in the same area and ``group`` within ``distance``.

    ``distance`` is per report i (``dwithin(i, j, distance[i])``). Every pair at once:
    the rules use :func:`_pair_slices` over collapsed points instead; this stays for tests
    and benchmarks.
    """
    members = np.nonzero(eligible & (area_of >= 0))[0]
    dist = np.broadcast_to(np.asarray(distance, dtype=float), px.shape)
    out_i, out_j = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for q, j in _pair_slices(
        px[members], py[members], area_of[members], group[members], np.arange(len(members)), dist[members]
    ):
        keep = q != j
        out_i.append(members[q[keep]])
        out_j.append(members[j[keep]])
    return np.concatenate(out_i), np.concatenate(out_j)


DENSE_PER_POINT = 32
"""Above this many pairs per point (bounded from grid cells) a whole-list rule first
narrows which pairs it looks for (see :func:`duplicate_groups` and :func:`too_close`)."""


def _reach_bound(px, py, area_of, group, reach: float) -> np.ndarray:
    """For each point, a bound on its pairs within ``reach`` (same area and group), from grid cells."""
    bound = np.zeros(len(px), dtype=np.int64)
    for a in np.unique(area_of[area_of >= 0]):
        m = area_of == a
        x, y = px[m] - px[m].min(), py[m] - py[m].min()
        codes = np.unique(group[m], return_inverse=True)[1].reshape(-1)
        bound[m] = _neighbour_bound(x, y, codes, reach + 0.002)
    return bound


def _dense(bound: np.ndarray) -> bool:
    """Whether the points may have more than :data:`DENSE_PER_POINT` pairs each."""
    return int(bound.sum()) > DENSE_PER_POINT * len(bound)


def _grid(px, py, code, side: float, margin: int) -> tuple[np.ndarray, int] | None:
    """Each point's grid cell (of side ``side``, per ``code``) as one 64-bit key, and the key
    step of one cell along y (one along x is the number of rows), so that neighbours up to
    ``margin`` cells away are key arithmetic; None when the keys would not fit."""
    cx = np.floor((px - px.min()) / side)
    cy = np.floor((py - py.min()) / side)
    nx, ny = float(cx.max()) + 2 * margin + 1, float(cy.max()) + 2 * margin + 1
    if not side > 0 or (float(code.max()) + 1) * nx * ny >= 2.0**62:
        return None
    nxi, nyi = int(nx), int(ny)
    return (code.astype(np.int64) * nxi + cx.astype(np.int64) + margin) * nyi + cy.astype(
        np.int64
    ) + margin, nyi


SMALL_UNITS = 256
"""Two units (see :func:`_join_units`) with at most this many pairs of nodes are tested pair by pair."""


def _join_units(labels, node_by_label, x, y, cell, step, days, gap: int, reach: float, margin: int):
    """``labels`` with every two units in reach joined, where a unit is the nodes of one grid
    cell (side at most ``reach / 2``, keys ``cell``) and one day: all in reach of each other
    and, once joined along the days, of one label.

    Units whose cells are at most ``margin`` cells apart, at most ``gap`` days apart and of
    different components are tested: pair by pair when small, else each node of one looks
    for its nearest node of the other (a tree per unit, one bulk query), enough to know
    whether any pair is in reach. Units of one component are never tested again.
    """
    m = len(x)
    order = np.lexsort((days, cell))
    c, d = cell[order], days[order]
    new = np.r_[True, (c[1:] != c[:-1]) | (d[1:] != d[:-1])]
    starts = np.nonzero(new)[0]
    ends = np.r_[starts[1:], m]
    size = ends - starts
    unit_cell, unit_day, head = c[starts], d[starts], order[starts]
    cells, first = np.unique(unit_cell, return_index=True)
    last = np.r_[first[1:], len(unit_cell)]
    points = shapely.points(x, y)
    trees: dict[int, shapely.STRtree] = {}
    parent: dict[int, int] = {}

    def root(label: int) -> int:
        while parent.get(label, label) != label:
            label = parent[label]
        return label

    for dx in range(0, margin + 1):
        for dy in range(-margin, margin + 1):
            if dx == 0 and dy < 0:
                continue  # each two cells once
            near = cells + dx * step + dy
            at = np.minimum(np.searchsorted(cells, near), len(cells) - 1)
            s = np.nonzero(cells[at] == near)[0]
            t = at[s]
            n_s, n_t = last[s] - first[s], last[t] - first[t]
            count = n_s * n_t
            k = np.repeat(np.arange(len(s)), count)
            offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
            u = first[s][k] + offset // n_t[k]
            v = first[t][k] + offset % n_t[k]
            keep = (np.abs(unit_day[u] - unit_day[v]) <= gap) & (labels[head[u]] != labels[head[v]])
            if dx == 0 and dy == 0:
                keep &= u < v
            u, v = u[keep], v[keep]
            if not len(u):
                continue
            # small units: every pair of nodes, in slices of at most PAIR_BUDGET pairs
            small = size[u] * size[v] <= SMALL_UNITS
            su, sv = u[small], v[small]
            ends_at = np.cumsum(size[su] * size[sv])
            lo = 0
            while lo < len(su):
                hi = max(int(np.searchsorted(ends_at, ends_at[lo] + PAIR_BUDGET, side="right")), lo + 1)
                pu, pv = su[lo:hi], sv[lo:hi]
                cnt = size[pu] * size[pv]
                k = np.repeat(np.arange(len(pu)), cnt)
                offset = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
                a = order[starts[pu][k] + offset // size[pv][k]]
                b = order[starts[pv][k] + offset % size[pv][k]]
                inside = shapely.dwithin(points[a], points[b], reach)
                labels = _link(labels, node_by_label, a[inside], b[inside])
                lo = hi
            # large units: one bulk nearest query per pair of units still apart
            found_a, found_b = [], []
            for p, q in zip(u[~small].tolist(), v[~small].tolist()):
                la, lb = root(int(labels[head[p]])), root(int(labels[head[q]]))
                if la == lb:
                    continue
                mine = order[starts[p] : ends[p]]
                theirs = order[starts[q] : ends[q]]
                if q not in trees:
                    trees[q] = shapely.STRtree(points[theirs])
                hit = trees[q].query_nearest(
                    points[mine], max_distance=reach * (1 + 1e-9) + 1e-9, all_matches=False
                )
                ok = shapely.dwithin(points[mine[hit[0]]], points[theirs[hit[1]]], reach)
                if ok.any():
                    w = int(np.argmax(ok))
                    a, b = mine[hit[0][w]], theirs[hit[1][w]]
                elif len(ok):  # nearest by distance yet not in reach: every pair of those, to be exact
                    cand = mine[hit[0]]
                    h = trees[q].query(points[cand], predicate="dwithin", distance=reach)
                    if not h.shape[1]:
                        continue
                    a, b = cand[h[0][0]], theirs[h[1][0]]
                else:
                    continue
                found_a.append(a)
                found_b.append(b)
                parent[max(la, lb)] = min(la, lb)
            if found_a:
                labels = _link(labels, node_by_label, np.array(found_a), np.array(found_b))
    return labels


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
    most :data:`PAIR_BUDGET`, each joined into the components and dropped. When the
    nodes may have many pairs each (:func:`_dense`), the components need not see
    them all: nodes in one grid cell of side ``within_m / 2`` are all within reach, so
    each cell is joined along its days at once; then one node per cell looks for its
    pairs; then only nodes with a cell of another component within reach do.
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
    days = np.zeros(len(idx), dtype=np.int64)
    if within_days is not None:
        days = day[idx].astype("datetime64[D]").astype(np.int64)
    node_of, heads = _collapse([area_of[idx], key[idx], px[idx], py[idx], days], lead=2)
    nodes = idx[heads]
    m = len(nodes)
    # labels are ranks in the fixed order, so a group is named after its first report in
    # that order (not in input order): the result does not depend on the order of the rows
    labels = np.full(m, n, dtype=np.int64)
    np.minimum.at(labels, node_of, rank[idx])
    node_by_label = np.zeros(n + 1, dtype=np.int64)
    node_by_label[labels] = np.arange(m)
    x, y, area, code, node_days = px[nodes], py[nodes], area_of[nodes], key[nodes], days[heads]
    reach = within_m + TOLERANCE_M
    gap = within_days if within_days is not None else 0

    def join(labels: np.ndarray, query: np.ndarray, cost: np.ndarray | None = None) -> np.ndarray:
        for q, j in _pair_slices(x, y, area, code, query, reach, cost):
            i = query[q]
            keep = (i != j) & (np.abs(node_days[i] - node_days[j]) <= gap)
            labels = _link(labels, node_by_label, i[keep], j[keep])
        return labels

    grid = None
    bound = _reach_bound(x, y, area, code, reach)
    if reach > 0 and _dense(bound):
        grid = _grid(x, y, combine_codes([area, code], m), reach / 2, margin=3)
    if grid is None:
        labels = join(labels, np.arange(m), bound)
    else:
        cell, step = grid
        # within a cell all are in reach: consecutive days no more than within_days apart join
        order = np.lexsort((node_days, cell))
        c, d = cell[order], node_days[order]
        along = (c[1:] == c[:-1]) & (d[1:] - d[:-1] <= gap)
        labels = _link(labels, node_by_label, order[:-1][along], order[1:][along])
        firsts = order[np.r_[True, c[1:] != c[:-1]]]
        labels = join(labels, firsts)
        # cells within reach: up to 2 cells away (3 against rounding)
        labels = _join_units(labels, node_by_label, x, y, cell, step, node_days, gap, reach, margin=3)
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


BIG_GROUP = 64
"""Spacing looks apart at the reports of duplicate groups larger than this (see :func:`too_close`)."""


def _spacing_value(d: np.ndarray, a: np.ndarray, min_m: float) -> np.ndarray:
    """2 when ``d`` plus the summed accuracies ``a`` is surely below ``min_m``, 1 when within them, else 0."""
    return np.where(d + a < min_m - TOLERANCE_M, 2, np.where(d - a < min_m - TOLERANCE_M, 1, 0)).astype(
        np.int8
    )


def _offered(i: np.ndarray, first: np.ndarray, second: np.ndarray, rep: np.ndarray, rank: np.ndarray):
    """The report a set of reports offers to report ``i``: its first in the fixed order, or
    when that one is of ``i``'s duplicate group its first of another; kept when earlier than ``i``."""
    j = np.where(rep[first] != rep[i], first, second)
    ok = j >= 0
    ok[ok] = rank[j[ok]] < rank[i[ok]]
    return j, ok


def _narrowed_reach(px, py, area_of, group, rep, rank, accuracy, idx, full, min_m: float) -> np.ndarray:
    """For each report in ``idx``, a reach that holds the report :func:`too_close` names for it.

    Grid cells from the widest reach, halved until no cell holds two points: in each, every
    report is offered an earlier one (:func:`_offered`) and the best offer so far is kept.
    When that one is surely too close, the report to name is at most as far; when it only
    may be, the one to name is at most as far or near enough to be surely too close.
    """
    m = len(idx)
    i = idx
    code = combine_codes([area_of[i], group[i]], m)
    x, y = px[i] - px[i].min(), py[i] - py[i].min()
    where, _ = _collapse([code, px[i], py[i]], lead=1)
    best_v = np.zeros(m, dtype=np.int8)
    best_d = np.full(m, np.inf)
    best_rank = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    side = float(np.nanmax(full))
    extent = max(float(x.max()), float(y.max()))
    while side > 0 and extent / side < 2.0**52:
        improved = 0
        for shift in (0.0, 0.5):  # a second grid, half a cell along: fewer points sit near a corner
            cx = np.floor(x / side + shift).astype(np.int64)
            cy = np.floor(y / side + shift).astype(np.int64)
            order = np.lexsort((rank[i], cy, cx, code))
            c, gx, gy = code[order], cx[order], cy[order]
            same = (c[1:] == c[:-1]) & (gx[1:] == gx[:-1]) & (gy[1:] == gy[:-1])
            cell = np.cumsum(np.r_[True, ~same]) - 1
            members = i[order]
            first = members[np.r_[True, ~same]]
            second = np.full(len(first), -1, dtype=np.int64)
            another = rep[members] != rep[first[cell]]
            found, at = np.unique(cell[another], return_index=True)
            second[found] = members[another][at]
            j, ok = _offered(members, first[cell], second[cell], rep, rank)
            p, a, j = order[ok], members[ok], j[ok]
            d = np.hypot(px[a] - px[j], py[a] - py[j])
            v = _spacing_value(d, accuracy[a] + accuracy[j], min_m)
            bv, bd = best_v[p], best_d[p]
            better = (v > 0) & ((v > bv) | ((v == bv) & ((d < bd) | ((d == bd) & (rank[j] < best_rank[p])))))
            best_v[p[better]], best_d[p[better]], best_rank[p[better]] = v[better], d[better], rank[j[better]]
            improved += int(better.sum())
            w = where[order]
            if shift == 0.0 and not (same & (w[1:] != w[:-1])).any():
                break  # every cell holds one point: smaller cells offer the same
        else:
            if improved > m // 1000:  # else smaller cells would narrow too few reaches to pay
                side /= 2.0
                continue
        break
    return _reach_from(best_v, best_d, full, accuracy[i], float(accuracy[i].min()), min_m)


def _reach_from(best_v, best_d, full, acc, min_acc: float, min_m: float) -> np.ndarray:
    """Reaches that hold the report to name, given an earlier report at ``best_d`` with value ``best_v``.

    When that one is surely too close, the report to name is at most as far; when it only
    may be, the one to name is at most as far or near enough to be surely too close
    (``d`` + accuracies < ``min_m`` - tolerance); else nothing is known (``full``).
    """
    reach = np.array(full, dtype=float)
    sure = best_v == 2
    reach[sure] = np.minimum(best_d[sure] * (1 + 1e-12) + 1e-9, reach[sure])
    maybe = best_v == 1
    surest = (min_m - TOLERANCE_M) - (acc + min_acc)
    wider = np.maximum(best_d, surest) * (1 + 1e-12) + 1e-9
    reach[maybe] = np.minimum(wider[maybe], reach[maybe])
    return reach


NEAREST_BITS = 8
"""Rank bits :func:`_nearest_earlier` looks at, from the top."""


def _nearest_earlier(qx, qy, qcode, qrank, tx, ty, tcode, trank, max_distance: float) -> np.ndarray:
    """For each query point, a tree point of its ``code`` earlier in rank (index, or -1):
    the nearest of the earlier ones, up to rounding (``max_distance``: the widest reach).

    Ranks are split in halves of blocks, one bit at a time: at each bit, the queries in the
    upper half of a block look for the nearest tree point in its lower half (blocks and
    codes moved apart along x, one tree, one bulk nearest query). Every earlier point is in
    one such lower half, so the nearest of the answers is the nearest earlier point. Only
    the top :data:`NEAREST_BITS` bits are taken (each costs a nearest query per point): the
    answer leaves out at most the last few thousand earlier points. The moves round
    coordinates, so the answer only narrows a reach; distances are measured again.
    """
    found = np.full(len(qx), -1, dtype=np.int64)
    if not len(qx) or not len(tx) or not max_distance >= 0:
        return found
    best = np.full(len(qx), np.inf)
    x0 = min(float(qx.min()), float(tx.min()))
    span = max(float(qx.max()), float(tx.max())) - x0 + 2 * max_distance + 1.0
    ncode = int(max(qcode.max(), tcode.max())) + 1
    bits = int(max(qrank.max(), trank.max(), 1)).bit_length()
    for bit in range(max(bits - NEAREST_BITS, 0), bits):
        upper = np.nonzero((qrank >> bit) & 1 == 1)[0]
        lower = np.nonzero((trank >> bit) & 1 == 0)[0]
        if not len(upper) or not len(lower):
            continue
        universe = np.r_[
            (qrank[upper] >> (bit + 1)) * ncode + qcode[upper],
            (trank[lower] >> (bit + 1)) * ncode + tcode[lower],
        ]
        same = np.unique(universe, return_inverse=True)[1].reshape(-1)
        shift = same * span
        tree = shapely.STRtree(shapely.points(tx[lower] - x0 + shift[len(upper) :], ty[lower]))
        # no max_distance: shapely would first gather every point within it (thousands in a
        # dense cluster); an answer from another universe is dropped instead
        hit = tree.query_nearest(
            shapely.points(qx[upper] - x0 + shift[: len(upper)], qy[upper]), all_matches=False
        )
        hit = hit[:, same[hit[0]] == same[len(upper) + hit[1]]]
        q, t = upper[hit[0]], lower[hit[1]]
        d = np.hypot(qx[q] - tx[t], qy[q] - ty[t])
        closer = d < best[q]
        best[q[closer]], found[q[closer]] = d[closer], t[closer]
    return found


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
    duplicate group, its first of another one (the others are as near, as sure, and
    later). So a cluster of identical reports costs one pair per report, and the pairs
    come in slices of at most :data:`PAIR_BUDGET`. When the nodes may have many pairs
    each (:func:`_dense`), each report first narrows its reach to what can hold the
    report it will name (:func:`_narrowed_reach`).
    """
    n = len(px)
    value = np.zeros(n, dtype=np.int8)
    other = np.full(n, -1, dtype=np.int64)
    distance = np.full(n, np.nan)
    max_acc = float(accuracy[eligible].max()) if eligible.any() else 0.0
    idx = np.nonzero(eligible & (area_of >= 0))[0]
    if not len(idx):
        return value, other, distance
    node_of, heads = _collapse([area_of[idx], group[idx], px[idx], py[idx], accuracy[idx]], lead=2)
    nodes = idx[heads]
    by_node = np.lexsort((rank[idx], node_of))
    in_order = idx[by_node]
    start = np.r_[True, node_of[by_node][1:] != node_of[by_node][:-1]]
    first = in_order[start]  # each node's first report in the fixed order
    second = np.full(len(nodes), -1, dtype=np.int64)  # and its first of another duplicate group
    another = rep[in_order] != rep[first[node_of[by_node]]]
    found, at = np.unique(node_of[by_node][another], return_index=True)
    second[found] = in_order[another][at]
    reach = min_m + accuracy[idx] + max_acc
    x, y, area, code = px[nodes], py[nodes], area_of[nodes], group[nodes]
    cost = _reach_bound(x, y, area, code, float(np.nanmax(reach)))[node_of]  # per report
    if _dense(cost):
        reach, cost = _narrowed_reach(px, py, area_of, group, rep, rank, accuracy, idx, reach, min_m), None

    def name(i: np.ndarray, w: np.ndarray) -> None:
        """Reports ``i`` paired with nodes ``w``: each report's best offer (all of its pairs are here)."""
        j, ok = _offered(i, first[w], second[w], rep, rank)
        i, j = i[ok], j[ok]
        d = np.hypot(px[i] - px[j], py[i] - py[j])
        v = _spacing_value(d, accuracy[i] + accuracy[j], min_m)
        sel = v > 0
        i, j, d, v = i[sel], j[sel], d[sel], v[sel]
        order = np.lexsort((rank[j], d, -v, i))
        pick = order[np.r_[True, i[order][1:] != i[order][:-1]]] if len(order) else order
        value[i[pick]] = v[pick]
        other[i[pick]] = j[pick]
        distance[i[pick]] = d[pick]

    # the reports of a large duplicate group look only at the nodes holding other reports
    _, rep_of, rep_size = np.unique(rep[idx], return_inverse=True, return_counts=True)
    rep_of = rep_of.reshape(-1)
    big = rep_size[rep_of] > BIG_GROUP
    small = np.nonzero(~big)[0]
    for q, w in _pair_slices(
        x, y, area, code, node_of[small], reach[small], None if cost is None else cost[small]
    ):
        name(idx[small[q]], w)
    if not big.any():
        return value, other, distance
    everywhere = shapely.STRtree(shapely.points(x, y))
    size = np.bincount(node_of, minlength=len(nodes))
    in_big = np.nonzero(big)[0]
    in_big = in_big[np.argsort(rep_of[in_big], kind="stable")]
    bounds = np.r_[0, np.nonzero(np.diff(rep_of[in_big]))[0] + 1, len(in_big)]
    for start, stop in zip(bounds[:-1], bounds[1:]):
        mine = in_big[start:stop]
        own_nodes, held = np.unique(node_of[mine], return_counts=True)
        only_mine = own_nodes[held == size[own_nodes]]
        far = float(np.nanmax(reach[mine])) + 1.0
        near = everywhere.query(
            shapely.box(x[own_nodes].min() - far, y[own_nodes].min() - far,
                        x[own_nodes].max() + far, y[own_nodes].max() + far)
        )  # fmt: skip
        sub = np.union1d(near, own_nodes)
        in_tree = ~np.isin(sub, only_mine)
        if not in_tree.any():
            continue
        query = np.searchsorted(sub, node_of[mine])
        # narrowed to the nearest earlier report of another group, when that one is near
        i = idx[mine]
        held = sub[in_tree]
        offered = np.where(rep[first[held]] != rep[i[0]], first[held], second[held])
        held, offered = held[offered >= 0], offered[offered >= 0]
        zone = combine_codes(
            [np.r_[area[node_of[mine]], area[held]], np.r_[code[node_of[mine]], code[held]]],
            len(i) + len(held),
        )
        j = _nearest_earlier(
            px[i], py[i], zone[: len(i)], rank[i], px[offered], py[offered], zone[len(i) :], rank[offered],
            float(np.nanmax(reach[mine])),
        )  # fmt: skip
        near_one = np.nonzero(j >= 0)[0]
        best_v, best_d = np.zeros(len(i), dtype=np.int8), np.full(len(i), np.inf)
        a, b = i[near_one], offered[j[near_one]]
        best_d[near_one] = np.hypot(px[a] - px[b], py[a] - py[b])
        best_v[near_one] = _spacing_value(best_d[near_one], accuracy[a] + accuracy[b], min_m)
        narrowed = _reach_from(best_v, best_d, reach[mine], accuracy[i], float(accuracy[idx].min()), min_m)
        for q, w in _pair_slices(x[sub], y[sub], area[sub], code[sub], query, narrowed, in_tree=in_tree):
            name(idx[mine[q]], sub[w])
    return value, other, distance
