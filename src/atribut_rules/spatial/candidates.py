"""Candidate pairs: which reports' query boxes touch which zone envelopes of an STRtree.

Asking the tree about each report costs a geometry per report (a Python object the
garbage collector then walks) and a tree walk, and most reports of a list are near no
zone. :class:`BoxCells` instead groups the reports' boxes into square cells, asks the
tree about each cell's extent once, and tests the boxes of a cell against that cell's
items with array comparisons. The pairs are exactly those ``tree.query`` of the boxes
gives (envelopes that touch, edges included), in another order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

CELL_BOXES = 4
"""Cells are sized so that boxes spread evenly over their extent put about this many in
each (4 and 8 were fastest on the benchmark city; 1 and 16 about 40 % slower)."""

MAX_TESTS_PER_BOX = 32
"""When the cells' items would need more box-item tests than this per box (boxes crowded
where items are dense), :meth:`BoxCells.touching` declines and the tree is asked per box."""


def envelopes(xmin: np.ndarray, ymin: np.ndarray, xmax: np.ndarray, ymax: np.ndarray) -> np.ndarray:
    """Geometries with these envelopes, for an STRtree queried without a predicate (which
    tests envelopes only): a diagonal line is made in about half the time of a box polygon.

    A box with a coordinate that is not finite is None, which touches nothing (as a box
    polygon with NaN did; a line's envelope with NaN would touch everything).
    """
    corners = np.empty((len(xmin), 2, 2))
    corners[:, 0, 0], corners[:, 0, 1], corners[:, 1, 0], corners[:, 1, 1] = xmin, ymin, xmax, ymax
    finite = np.isfinite(corners).all(axis=(1, 2))
    if finite.all():
        return shapely.linestrings(corners)
    out = np.full(len(corners), None, dtype=object)
    out[finite] = shapely.linestrings(corners[finite])
    return out


@dataclass(frozen=True)
class BoxCells:
    """Boxes (xmin, ymin, xmax, ymax; a point has min == max) grouped into square cells.

    ``members`` lists the finite boxes cell by cell; cell k holds
    ``members[starts[k]:starts[k] + counts[k]]`` and ``extent[:, k]`` is the smallest
    envelope holding them (so rounding never puts a box outside its cell's extent).
    """

    bounds: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    members: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    extent: np.ndarray

    @classmethod
    def group(
        cls,
        xmin: np.ndarray,
        ymin: np.ndarray,
        xmax: np.ndarray,
        ymax: np.ndarray,
        cell: float | None = None,
    ) -> BoxCells:
        """Group the boxes by the cell of their centre; ``cell`` (metres) overrides the size
        chosen from :data:`CELL_BOXES`. Boxes with a coordinate that is not finite are left
        out: they touch nothing."""
        finite = np.isfinite(xmin) & np.isfinite(ymin) & np.isfinite(xmax) & np.isfinite(ymax)
        boxes = np.arange(len(xmin)) if finite.all() else np.nonzero(finite)[0]
        bounds = (xmin, ymin, xmax, ymax)
        if not len(boxes):
            none = np.zeros(0, dtype=np.int64)
            return cls(bounds, none, none, none, np.zeros((4, 0)))
        cx, cy = (xmin[boxes] + xmax[boxes]) / 2, (ymin[boxes] + ymax[boxes]) / 2
        x0, y0 = cx.min(), cy.min()
        width, height = cx.max() - x0, cy.max() - y0
        refine = cell is None
        if cell is None:
            per = CELL_BOXES / len(boxes)
            cell = max(float(np.sqrt(width * height * per)), (width + height) * per, 1e-6)
        for refined in (False, True):
            cell = max(cell, max(width, height) / 2**24)  # keys stay below 2**50
            rows = int(height / cell) + 1
            key = np.floor((cx - x0) / cell).astype(np.int64) * rows + np.floor((cy - y0) / cell).astype(
                np.int64
            )
            order = np.argsort(key)  # the order within a cell does not matter: quicksort is 2.5x faster
            sorted_key = key[order]
            starts = np.flatnonzero(np.concatenate(([True], sorted_key[1:] != sorted_key[:-1])))
            crowded = len(boxes) / len(starts) / CELL_BOXES
            if refined or not refine or crowded <= 2:
                break
            # boxes in clusters (towns along a long band): smaller cells, once, for as many
            # boxes per occupied cell as an even spread would give (boxes piled on a few
            # spots stay crowded however small the cells; another pass would not help them)
            cell /= float(np.sqrt(crowded))
        counts = np.diff(np.append(starts, len(order)))
        members = boxes[order]
        extent = np.stack(
            [
                np.minimum.reduceat(xmin[members], starts),
                np.minimum.reduceat(ymin[members], starts),
                np.maximum.reduceat(xmax[members], starts),
                np.maximum.reduceat(ymax[members], starts),
            ]
        )
        return cls(bounds, members, starts, counts, extent)

    def touching(
        self, tree: shapely.STRtree, item_bounds: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Pairs (box index, tree item index) whose envelopes touch, edges included: the
        pairs of ``tree.query`` of the boxes, in another order.

        ``item_bounds`` holds the tree items' envelopes as GEOS computes them, one row each
        of xmin, ymin, xmax and ymax (e.g. ``shapely.bounds(tree.geometries).T``). Returns
        None when testing the cells' items would cost more than asking per box (see
        :data:`MAX_TESTS_PER_BOX`).
        """
        empty = np.zeros(0, dtype=np.int64)
        if not len(self.members) or not len(item_bounds[0]):
            return empty, empty
        cell_of, item_of = tree.query(envelopes(*self.extent))
        tests = self.counts[cell_of]
        total = int(tests.sum())
        if total > MAX_TESTS_PER_BOX * len(self.members):
            return None
        # one test per (box of a cell, item of that cell); ``at``: the box's place in members
        first = np.cumsum(tests) - tests
        at = np.repeat(self.starts[cell_of] - first, tests) + np.arange(total)
        box = self.members[at]
        item = np.repeat(item_of, tests)
        xmin, ymin, xmax, ymax = self.bounds
        bx0, by0, bx1, by1 = item_bounds
        touch = (xmin[box] <= bx1[item]) & (xmax[box] >= bx0[item])
        touch &= (ymin[box] <= by1[item]) & (ymax[box] >= by0[item])
        return box[touch], item[touch]
