"""BoxCells finds exactly the pairs an STRtree query of every box finds."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from atribut_rules.spatial import candidates
from atribut_rules.spatial.candidates import BoxCells, envelopes

# coordinates on a coarse grid, so that boxes often share an edge or a corner exactly
coord = st.integers(-20, 20).map(lambda v: v * 0.5)
size = st.sampled_from([0.0, 0.0, 0.5, 1.0, 3.5, 30.0])


@st.composite
def boxes(draw, most: int, odd: bool = False) -> np.ndarray:
    n = draw(st.integers(0, most))
    rows = []
    for _ in range(n):
        x, y, w, h = draw(coord), draw(coord), draw(size), draw(size)
        rows.append([x, y, x + w, y + h])
    out = np.array(rows, dtype=float).reshape(-1, 4)
    if odd and n:  # a few coordinates that are not finite: such boxes touch nothing
        for i in draw(st.lists(st.integers(0, n - 1), max_size=3)):
            out[i, draw(st.integers(0, 3))] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return out


def _tree_pairs(items: np.ndarray, query: np.ndarray) -> set[tuple[int, int]]:
    tree = shapely.STRtree(envelopes(*items.T))
    geoms = np.array(
        [
            shapely.Point(b[0], b[1]) if b[0] == b[2] and b[1] == b[3] else shapely.box(*b)
            for b in query.tolist()
        ],
        dtype=object,
    )
    if not len(geoms):
        return set()
    finite = np.isfinite(query).all(axis=1)
    r, i = tree.query(geoms[finite])
    return set(zip(np.nonzero(finite)[0][r].tolist(), i.tolist()))


@settings(max_examples=examples(300), deadline=None)
@given(
    items=boxes(40),
    query=boxes(60, odd=True),
    cell=st.sampled_from([None, None, 1e-6, 0.25, 1.0, 7.0, 1e6]),
)
def test_cells_find_the_pairs_of_a_tree_query(items: np.ndarray, query: np.ndarray, cell) -> None:
    tree = shapely.STRtree(envelopes(*items.T))
    cells = BoxCells.group(*query.T, cell=cell)
    found = cells.touching(tree, np.ascontiguousarray(items.T))
    # a cell tests its boxes against its items: declining needs more items than the bound
    assert found is not None or len(items) > candidates.MAX_TESTS_PER_BOX
    if found is None:
        return
    box, item = found
    pairs = list(zip(box.tolist(), item.tolist()))
    assert len(pairs) == len(set(pairs))  # each pair once
    assert set(pairs) == _tree_pairs(items, query)


def test_points_on_an_envelope_edge_and_corner_touch_it() -> None:
    items = np.array([[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 20.0, 20.0]])
    pts = np.array([[10.0, 5.0], [0.0, 0.0], [10.0, 10.000000000000002], [20.0, 20.0], [np.nan, 1.0]])
    x, y = pts.T
    cells = BoxCells.group(x, y, x, y)
    box, item = cells.touching(shapely.STRtree(envelopes(*items.T)), items.T)
    assert sorted(zip(box.tolist(), item.tolist())) == [(0, 0), (1, 0), (3, 1)]


def test_crowded_boxes_are_declined(monkeypatch) -> None:
    """Many boxes on one spot among many items: more tests than asking the tree per box."""
    items = np.array([[i, 0.0, i + 100.0, 100.0] for i in range(20)])
    x = np.full(10, 50.0)
    cells = BoxCells.group(x, x, x, x)
    assert cells.touching(shapely.STRtree(envelopes(*items.T)), items.T) is not None
    monkeypatch.setattr(candidates, "MAX_TESTS_PER_BOX", 4)
    assert cells.touching(shapely.STRtree(envelopes(*items.T)), items.T) is None


@pytest.mark.parametrize("n_items, n_boxes", [(0, 3), (3, 0), (0, 0)])
def test_nothing_to_pair(n_items: int, n_boxes: int) -> None:
    items = np.arange(4 * n_items, dtype=float).reshape(n_items, 4)
    items[:, 2:] += 10
    q = np.zeros(n_boxes)
    box, item = BoxCells.group(q, q, q, q).touching(shapely.STRtree(envelopes(*items.T)), items.T)
    assert len(box) == len(item) == 0


def test_towns_far_apart_get_cells_of_their_own_size() -> None:
    """Reports in five towns 300 km apart along a band, zones dense in each: cells sized for
    the towns, not for the band's extent, so the cells are used (not declined)."""
    rng = np.random.default_rng(7)
    towns = np.array([[0.0, 300_000.0 * k] for k in range(5)])
    pts = np.concatenate([t + rng.uniform(0, 10_000, (4_000, 2)) for t in towns])
    zones = np.concatenate([t + rng.uniform(0, 10_000, (3_000, 2)) for t in towns])
    items = np.column_stack([zones - 15.0, zones + 15.0])
    x, y = pts.T
    cells = BoxCells.group(x, y, x, y)
    assert len(cells.counts) > len(pts) / (4 * candidates.CELL_BOXES)
    found = cells.touching(shapely.STRtree(envelopes(*items.T)), np.ascontiguousarray(items.T))
    assert found is not None
    assert set(zip(*(a.tolist() for a in found))) == _tree_pairs(items, np.column_stack([pts, pts]))


def test_boxes_on_two_far_spots_keep_finite_keys() -> None:
    """Identical points far apart: the cells shrink once and stay usable."""
    x = np.repeat([0.0, 1e7], 500)
    cells = BoxCells.group(x, x, x, x)
    assert len(cells.counts) == 2
    items = np.array([[-1.0, -1.0, 1.0, 1.0], [1e7, 1e7, 1e7, 1e7]])
    box, item = cells.touching(shapely.STRtree(envelopes(*items.T)), items.T)
    assert sorted(set(item.tolist())) == [0, 1] and len(box) == 1000


def test_envelopes_with_a_coordinate_that_is_not_finite_touch_nothing() -> None:
    """As box polygons with NaN did: a line with NaN would have an envelope touching every
    query, in the tree and as a query."""
    bad = np.array([np.nan, 0.0, np.inf, 0.0])
    lo, hi = np.array([0.0, np.nan, 0.0, -np.inf]), np.array([1.0, 1.0, 1.0, 1.0])
    items = envelopes(np.append(bad, -10.0), np.append(lo, -10.0), np.append(bad, 10.0), np.append(hi, 10.0))
    assert [g is None for g in items] == [True, True, True, True, False]
    tree = shapely.STRtree(items)
    assert tree.query(shapely.points([0.5, 100.0], [0.5, 100.0])).tolist() == [[0], [4]]
    queries = envelopes(bad, lo, bad, hi)
    assert len(shapely.STRtree(envelopes(*np.array([[-1e9, -1e9, 1e9, 1e9]]).T)).query(queries)[0]) == 0
