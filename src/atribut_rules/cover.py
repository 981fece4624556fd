"""A coarse grid of where a set of boxes lies, to skip reports no zone can reach.

Most reports of a list are far from every zone. Asking the zones' STRtree about each of
them costs a point geometry and a tree walk; looking up the grid costs a few array
operations. The grid is conservative: a box that touches one of the grid's boxes always
passes (:meth:`CoverGrid.may_touch`), so the tree still decides every candidate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_CELLS = 1 << 20
"""At most this many cells (a summed-area table of 4 MiB per projection area)."""


@dataclass(frozen=True)
class CoverGrid:
    """Cells of ``cell`` metres from (``x0``, ``y0``) over the boxes' extent, which ends at
    (``x1``, ``y1``); ``table`` is the summed-area table of the cells some box covers
    (``table[j, i]``: covered cells in rows < j and columns < i)."""

    x0: float
    y0: float
    x1: float
    y1: float
    cell: float
    nx: int
    ny: int
    table: np.ndarray

    @classmethod
    def of_boxes(
        cls,
        xmin: np.ndarray,
        ymin: np.ndarray,
        xmax: np.ndarray,
        ymax: np.ndarray,
        max_cells: int = MAX_CELLS,
    ) -> CoverGrid | None:
        """The grid over these boxes' extent, as fine as ``max_cells`` allows; None without
        finite boxes."""
        finite = np.isfinite(xmin) & np.isfinite(ymin) & np.isfinite(xmax) & np.isfinite(ymax)
        if not finite.any():
            return None
        xmin, ymin, xmax, ymax = xmin[finite], ymin[finite], xmax[finite], ymax[finite]
        x0, y0, x1, y1 = float(xmin.min()), float(ymin.min()), float(xmax.max()), float(ymax.max())
        width, height = x1 - x0, y1 - y0
        cell = max(float(np.sqrt(width * height / max_cells)), width / max_cells, height / max_cells, 1e-3)
        nx, ny = int(width / cell) + 1, int(height / cell) + 1  # at most about 2 * max_cells
        grid = cls(x0, y0, x1, y1, cell, nx, ny, np.zeros((0, 0), dtype=np.int32))
        i0, i1 = grid._cells(xmin, xmax, x0, nx)
        j0, j1 = grid._cells(ymin, ymax, y0, ny)
        # each box adds 1 to its cells through a difference array: +1 at its first cell,
        # -1 past its last column and row, +1 past both; two running sums give the counts
        stride = nx + 1
        corners = np.concatenate(
            [j0 * stride + i0, j0 * stride + i1 + 1, (j1 + 1) * stride + i0, (j1 + 1) * stride + i1 + 1]
        )
        signs = np.repeat(np.array([1, -1, -1, 1], dtype=np.int64), len(i0))
        diff = np.bincount(corners, weights=signs, minlength=(ny + 1) * stride).reshape(ny + 1, stride)
        covered = diff.cumsum(axis=0).cumsum(axis=1)[:ny, :nx] > 0.5
        table = np.zeros((ny + 1, nx + 1), dtype=np.int32)
        table[1:, 1:] = covered.cumsum(axis=0, dtype=np.int32).cumsum(axis=1, dtype=np.int32)
        return cls(x0, y0, x1, y1, cell, nx, ny, table)

    def _cells(self, lo: np.ndarray, hi: np.ndarray, origin: float, n: int) -> tuple[np.ndarray, np.ndarray]:
        """First and last cell index of the spans [lo, hi], clipped to the grid. The index,
        ``floor((v - origin) / cell)`` clipped, never decreases as v grows (each float step
        rounds monotonically), so a value inside a span lands in a cell of the span's range,
        and two spans that overlap have cell ranges that overlap."""
        first = np.floor((lo - origin) / self.cell)
        last = np.floor((hi - origin) / self.cell)
        return (
            np.clip(first, 0, n - 1).astype(np.int64),
            np.clip(last, 0, n - 1).astype(np.int64),
        )

    def may_touch(self, xmin: np.ndarray, ymin: np.ndarray, xmax: np.ndarray, ymax: np.ndarray) -> np.ndarray:
        """Per box: False only where it touches none of the grid's boxes (points: lo == hi).
        Boxes with a coordinate that is not finite pass."""
        with np.errstate(invalid="ignore"):
            outside = (xmax < self.x0) | (ymax < self.y0) | (xmin > self.x1) | (ymin > self.y1)
            i0, i1 = self._cells(np.nan_to_num(xmin), np.nan_to_num(xmax), self.x0, self.nx)
            j0, j1 = self._cells(np.nan_to_num(ymin), np.nan_to_num(ymax), self.y0, self.ny)
        t = self.table
        covered = t[j1 + 1, i1 + 1] - t[j0, i1 + 1] - t[j1 + 1, i0] + t[j0, i0]
        finite = np.isfinite(xmin) & np.isfinite(ymin) & np.isfinite(xmax) & np.isfinite(ymax)
        return ((covered > 0) & ~outside) | ~finite
