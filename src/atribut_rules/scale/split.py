"""Rules over the whole list, found part by part: the pieces :mod:`atribut_rules.scale.dask` moves.

Every partition of the list first becomes a *frame* (:func:`whole_list_frame`): one row
per report, with only what the whole-list rules read (a global index ``g``, the id, the
day, whether it is valid, its projected point, its GPS error, its duplicate key, and per
whole-list rule whether it counts and its group as text). Frames are then cut into
pieces and the pieces of one *bucket* are brought together (a shuffle), so that each
bucket holds everything its reports' findings depend on:

- **duplicate groups**: grid cells of the projected points, each with a halo of the
  grouping distance (a report near a cell's edge is copied into the next cell);
  connected components are found per cell (:func:`duplicates_in_bucket`), then the
  components that share a copied report are glued (:func:`glue`) and named after their
  first report in the fixed order;
- **quotas** (kinds that split ``by="group"``): a shuffle on the group of each
  attribute's first counted report, after a shuffle on the duplicate group finds that
  report (:func:`units_in_bucket`);
- **spacing** (``by="near"``): grid cells with a halo of the rule's reach (its distance
  plus two of the largest GPS error), where only the reports at home in a cell are
  judged and the copies are there to be compared with.

Within a bucket, the rule's own kind evaluates the arrays (:class:`BucketContext`
stands in for the engine), in the same fixed order as in one process (observed_at,
then id, then the report's place in the list), so the findings are the same.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..evaluate import wholelist
from ..evaluate.check import Evaluation
from ..evaluate.permits import Permit
from ..rules.conditions.whole_list import GroupFindings, rule_kind_of
from ..rules.ruleset import RuleSet
from ..spatial.join import TRUE
from ..spatial.projection import local_tm, project
from ..spatial.zones import Zones
from ..table.reports import Reports

PART_BITS = 32
"""A report's global index ``g`` is its partition's number shifted by this, plus its place."""

CELL_M = 5_000.0
"""Side of the grid cells the near rules are cut into (at least twice their reach)."""

NAT = np.iinfo(np.int64).min  # a missing day, as datetime64 stores it


def global_index(part: int, n: int) -> np.ndarray:
    return (np.int64(part) << PART_BITS) + np.arange(n, dtype=np.int64)


def part_of(g: np.ndarray) -> np.ndarray:
    return np.asarray(g, dtype=np.int64) >> PART_BITS


def place_of(g: np.ndarray) -> np.ndarray:
    return np.asarray(g, dtype=np.int64) & ((1 << PART_BITS) - 1)


def stable_hash(values: Any) -> np.ndarray:
    """A hash of each value that every process agrees on (Python's ``hash`` of text does not)."""
    return pd.util.hash_array(np.asarray(values, dtype=object)).astype(np.uint64)


def hashed_buckets(values: Any, buckets: int) -> np.ndarray:
    """Each value's bucket, ``0 <= b < buckets``, from :func:`stable_hash`."""
    return (stable_hash(values) % np.uint64(buckets)).astype(np.int64)


def counted_columns(frame: pd.DataFrame) -> dict[int, str]:
    """The frame's columns saying whether each whole-list rule counts a report, by the
    rule's number (``c0``, ``c1``...)."""
    return {int(name[1:]): name for name in frame.columns if name.startswith("c") and name[1:].isdigit()}


def whole_list_frame(
    reports: Reports,
    zones: Zones,
    whole: RuleSet,
    part: int,
    *,
    permits: Sequence[Permit] = (),
    partial: bool = False,
) -> pd.DataFrame:
    """One partition's frame: what the whole-list rules ``whole`` read of each report."""
    ev = Evaluation(reports, zones, whole, tuple(whole.exemptions) + tuple(permits), threads=1)
    valid = ev.prepare()
    day = reports.observed_day.astype("datetime64[D]").view(np.int64)
    area, px, py = _projected(ev, reports, zones)
    frame = {
        "g": global_index(part, len(reports)),
        "row": np.asarray(reports.rows, dtype=np.int64),
        "id": np.asarray(reports.ids, dtype=object),
        "day": day,
        "valid": valid,
        "area": area,
        "px": px,
        "py": py,
        "acc": np.asarray(ev.acc, dtype=float),
    }
    if whole.duplicates is not None:
        frame["dup"] = ev.group_keys(whole.duplicates.same)
    for k, rule in enumerate(whole.active_rules):
        found = rule_kind_of(rule)
        if found is None:
            continue
        kind, node = found
        counted = ev.rule_value(rule, valid) == TRUE
        frame[f"c{k}"] = counted
        frame[f"k{k}"] = ev.group_keys(kind.groups(node)) if counted.any() else np.full(len(reports), "", object)
    return pd.DataFrame(frame)


def _projected(ev: Evaluation, reports: Reports, zones: Zones) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each report's projection area, named by its CRS ("" for none), and its point there.

    A partition's areas are numbered in its own order, so they go by their CRS. Their CRS
    follow the zones (the same in every partition); without zones a band's CRS is centred
    on the latitude of the reports in it, which differs between partitions, so here every
    band is centred on the equator instead: a transverse Mercator's origin latitude only
    moves northings by a constant, so distances are those of one process (to about 1e-9 m).
    """
    areas, assignment = ev.join.areas, np.asarray(ev.assignment, dtype=np.int64)
    px, py = np.asarray(ev.px, dtype=float).copy(), np.asarray(ev.py, dtype=float).copy()
    if zones.bounds is None and ev.rules.crs is None:
        moved = []
        for k, a in enumerate(areas):
            centre = (a.lon_min + a.lon_max) / 2
            a = dataclasses.replace(a, crs=local_tm(centre, 0.0))
            members = np.nonzero(assignment == k)[0]
            if len(members):
                px[members], py[members] = project(a, reports.lon[members], reports.lat[members])
            moved.append(a)
        areas = moved
    names = np.array([a.crs for a in areas] + [""], dtype=object)
    return names[np.where(assignment >= 0, assignment, len(areas))], px, py


def without_repeated(frame: pd.DataFrame, repeated: set[str]) -> pd.DataFrame:
    """``frame`` with the reports whose id an earlier partition holds made invalid."""
    if not repeated:
        return frame
    hit = frame["id"].isin(repeated).to_numpy()
    if not hit.any():
        return frame
    frame = frame.copy()
    frame.loc[hit, "valid"] = False
    for name in counted_columns(frame).values():
        frame.loc[hit, name] = False
    return frame


# -- the pieces of a shuffle ----------------------------------------------------------


def by_bucket(frame: pd.DataFrame, bucket: np.ndarray, buckets: int) -> list[pd.DataFrame]:
    """``frame`` cut into ``buckets`` pieces by each row's ``bucket``, rows kept in order."""
    order = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[order], np.arange(buckets + 1))
    return [frame.iloc[order[bounds[b] : bounds[b + 1]]].reset_index(drop=True) for b in range(buckets)]


def ids_pieces(frame: pd.DataFrame, buckets: int) -> list[pd.DataFrame]:
    """The ids of a frame with their global index, cut by a hash of the id."""
    ids = frame[["id", "g", "row"]]
    return by_bucket(ids, hashed_buckets(ids["id"], buckets), buckets)


def repeated_in_bucket(pieces: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Ids held by more than one partition: for each later partition, the id and the global
    index of the report that first had it."""
    ids = pd.concat(pieces, ignore_index=True)
    if ids.empty:
        empty = np.zeros(0, np.int64)
        return pd.DataFrame({"part": empty, "id": [], "first": empty, "first_part": empty})
    ids = ids.sort_values(["id", "g"], kind="stable")
    by_id = ids.groupby("id", sort=False)
    first = by_id["g"].transform("first").to_numpy()
    first_row = by_id["row"].transform("first").to_numpy()
    g = ids["g"].to_numpy()
    later = part_of(g) != part_of(first)
    out = pd.DataFrame(
        {
            "part": part_of(g[later]),
            "id": ids["id"].to_numpy()[later],
            "first": first_row[later],
            "first_part": part_of(first[later]),
        }
    )
    return out.drop_duplicates(["part", "id"]).reset_index(drop=True)


def cell_copies(frame: pd.DataFrame, side: float, halo: float) -> pd.DataFrame:
    """Each row in its grid cell (``home``) and copied into every neighbouring cell whose edge
    it lies within ``halo`` of (``side`` >= ``halo``); columns ``cx``, ``cy``, ``home``, ``multi``."""
    px, py = frame["px"].to_numpy(), frame["py"].to_numpy()
    cx, cy = np.floor(px / side), np.floor(py / side)
    fx, fy = px - cx * side, py - cy * side
    near = {-1: (fx <= halo, fy <= halo), 1: (side - fx <= halo, side - fy <= halo)}
    copies = []
    multi = np.zeros(len(frame), dtype=bool)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            take = np.ones(len(frame), dtype=bool)
            if dx:
                take &= near[dx][0]
            if dy:
                take &= near[dy][1]
            if dx or dy:
                multi |= take
            idx = np.nonzero(take)[0]
            copies.append((idx, cx[idx] + dx, cy[idx] + dy, dx == 0 and dy == 0))
    parts = []
    for idx, x, y, home in copies:
        piece = frame.iloc[idx].copy()
        piece["cx"] = x.astype(np.int64)
        piece["cy"] = y.astype(np.int64)
        piece["home"] = home
        piece["multi"] = multi[idx]
        parts.append(piece)
    return pd.concat(parts, ignore_index=True)


def cell_bucket(copies: pd.DataFrame, buckets: int) -> np.ndarray:
    keys = (
        copies["area"].astype(str) + ":" + copies["cx"].astype(str) + ":" + copies["cy"].astype(str)
    ).to_numpy()
    return hashed_buckets(keys, buckets)


def _codes(*columns: Any) -> np.ndarray:
    """One integer per distinct combination of the columns' values."""
    if len(columns) == 1:
        return pd.factorize(np.asarray(columns[0], dtype=object), sort=True)[0].astype(np.int64)
    frame = pd.DataFrame({str(k): np.asarray(c) for k, c in enumerate(columns)})
    return frame.groupby(list(frame.columns), sort=True).ngroup().to_numpy().astype(np.int64)


def _rank(frame: pd.DataFrame) -> np.ndarray:
    day = frame["day"].to_numpy().astype(np.int64).view("datetime64[D]")
    return wholelist.decision_order(day, frame["id"].tolist(), frame["g"].to_numpy())


# -- duplicate groups ------------------------------------------------------------------


def duplicates_in_bucket(pieces: Sequence[pd.DataFrame], within_m: float, within_days: int | None) -> pd.DataFrame:
    """Duplicate groups within each cell of a bucket: every row (copies too) with the global
    index ``rep`` of its group's first report in the cell, that report's id and day."""
    rows = pd.concat(pieces, ignore_index=True)
    if rows.empty:
        return rows.assign(rep=np.zeros(0, np.int64), rep_id=[], rep_day=np.zeros(0, np.int64))
    cell = _codes(rows["area"], rows["cx"], rows["cy"])
    key = _codes(rows["dup"], cell)
    day = rows["day"].to_numpy().astype(np.int64).view("datetime64[D]")
    rank = _rank(rows)
    first = wholelist.duplicate_groups(
        rows["px"].to_numpy(),
        rows["py"].to_numpy(),
        _codes(rows["area"].to_numpy()),
        np.ones(len(rows), dtype=bool),
        key,
        day,
        within_m,
        within_days,
        rank,
    )
    g = rows["g"].to_numpy()
    return pd.DataFrame(
        {
            "g": g,
            "home": rows["home"].to_numpy(),
            "multi": rows["multi"].to_numpy(),
            "rep": g[first],
            "rep_id": rows["id"].to_numpy()[first],
            "rep_day": rows["day"].to_numpy()[first],
        }
    )


def glue(found: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The groups of cells glued where a copied report belongs to two: for each group's
    first report (``rep``) that was glued, the first report of the whole (``final``).

    Only rows of reports with copies come here (reports near a cell's edge that have a
    duplicate); union-find over them, in this one task, is cheap.
    """
    links = pd.concat([f[f["multi"]] for f in found], ignore_index=True)
    if links.empty:
        return pd.DataFrame({"rep": np.zeros(0, np.int64), "final": [], "final_id": []})
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for g, rep in zip(links["g"].tolist(), links["rep"].tolist()):
        a, b = root(g), root(rep)
        if a != b:
            parent[max(a, b)] = min(a, b)
    reps = links.drop_duplicates("rep")[["rep", "rep_id", "rep_day"]].copy()
    reps["root"] = [root(r) for r in reps["rep"].tolist()]
    reps["order_day"] = _order_day(reps["rep_day"].to_numpy())
    best = reps.sort_values(["root", "order_day", "rep_id", "rep"], kind="stable").drop_duplicates("root")
    named = reps.merge(best[["root", "rep", "rep_id"]].rename(columns={"rep": "final", "rep_id": "final_id"}), on="root")
    return named[named["final"] != named["rep"]][["rep", "final", "final_id"]].reset_index(drop=True)


def settle(found: pd.DataFrame, glued: pd.DataFrame) -> pd.DataFrame:
    """The reports at home in a bucket with their group's first report over the whole list."""
    home = found[found["home"]][["g", "rep", "rep_id"]]
    if not glued.empty:
        home = home.merge(glued, on="rep", how="left")
        moved = home["final"].notna().to_numpy()
        home.loc[moved, "rep"] = home.loc[moved, "final"].astype(np.int64)
        home.loc[moved, "rep_id"] = home.loc[moved, "final_id"]
        home = home[["g", "rep", "rep_id"]]
    return home.reset_index(drop=True)


def with_groups(frame: pd.DataFrame, groups: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """``frame`` with each report's duplicate group (``rep``, ``rep_id``; itself when alone)."""
    found = pd.concat(groups, ignore_index=True) if groups else pd.DataFrame({"g": [], "rep": [], "rep_id": []})
    out = frame.merge(found, on="g", how="left", sort=False)
    alone = out["rep"].isna().to_numpy()
    out["rep"] = np.where(alone, out["g"].to_numpy(), out["rep"].fillna(-1).to_numpy()).astype(np.int64)
    out["rep_id"] = np.where(alone, out["id"].to_numpy(), out["rep_id"].to_numpy())
    return out


# -- one whole-list rule in a bucket -----------------------------------------------------


class BucketContext:
    """What a whole-list kind's ``evaluate`` reads (see
    :class:`~atribut_rules.rules.conditions.whole_list.WholeListContext`), for one bucket."""

    def __init__(self, rows: pd.DataFrame, groups: np.ndarray):
        self.n = len(rows)
        self.acc = rows["acc"].to_numpy()
        self.px = rows["px"].to_numpy()
        self.py = rows["py"].to_numpy()
        self.assignment = _codes(rows["area"].to_numpy())
        self.rep = _codes(rows["rep"].to_numpy())
        self.rank = _rank(rows)
        self._groups = groups

    def group_codes(self, fields: Sequence[Any]) -> tuple[np.ndarray, list[Callable[[int], str]]]:
        return self._groups, []


def units_in_bucket(pieces: Sequence[pd.DataFrame], key: str) -> pd.DataFrame:
    """Each counted report with ``unit``: the group of its duplicate group's first counted
    report (the attribute counts there once)."""
    rows = pd.concat(pieces, ignore_index=True)
    if rows.empty:
        return rows.assign(unit=[])
    order_day, id_codes = _rank_key(rows)
    order = np.lexsort((rows["g"].to_numpy(), id_codes, order_day, rows["rep"].to_numpy()))
    ranked = rows.iloc[order]
    first = ranked.groupby("rep", sort=False)[key].transform("first")
    rows = ranked.assign(unit=first.to_numpy())
    return rows.sort_values("g", kind="stable").reset_index(drop=True)


def _order_day(day: np.ndarray) -> np.ndarray:
    """Days as the decision order sorts them: undated last."""
    return np.where(day == NAT, np.iinfo(np.int64).max, day)


def _rank_key(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return _order_day(rows["day"].to_numpy()), _codes(rows["id"].to_numpy())


def rule_in_bucket(pieces: Sequence[pd.DataFrame], whole: RuleSet, k: int, group_column: str) -> pd.DataFrame:
    """The findings of whole-list rule number ``k`` among the reports of a bucket (those at
    home in it, when the bucket holds copies): ``g``, ``value`` and the kind's extra arrays
    (an index to another report as that report's ``g``)."""
    rows = pd.concat(pieces, ignore_index=True)
    rule = whole.active_rules[k]
    kind, node = rule_kind_of(rule)  # type: ignore[misc]
    empty = pd.DataFrame({"g": np.zeros(0, np.int64), "value": np.zeros(0, np.int8)})
    if rows.empty:
        return empty
    columns = [rows[group_column].to_numpy()]
    if "cx" in rows:
        columns += [rows["area"].to_numpy(), rows["cx"].to_numpy(), rows["cy"].to_numpy()]
    ctx = BucketContext(rows, _codes(*columns))
    found: GroupFindings = kind.evaluate(node, ctx, np.ones(len(rows), dtype=bool))
    g = rows["g"].to_numpy()
    keep = rows["home"].to_numpy()[found.index] if "home" in rows else np.ones(len(found.index), dtype=bool)
    out = {"g": g[found.index[keep]], "value": np.asarray(found.value)[keep].astype(np.int8)}
    for name, column in found.extra.items():
        values = np.asarray(column)[keep]
        if name in kind.report_extras:
            out[name] = g[values]
            out[f"{name}_id"] = rows["id"].to_numpy()[values]
        else:
            out[name] = values
    return pd.DataFrame(out)


def by_part(frame: pd.DataFrame, parts: int) -> list[pd.DataFrame]:
    """``frame`` (with ``g``) cut by partition."""
    return by_bucket(frame, part_of(frame["g"].to_numpy()), parts)
