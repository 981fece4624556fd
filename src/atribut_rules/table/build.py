"""Building a :class:`~.reports.Reports` table from raw rows or a chunk of CSV records.

:func:`build_reports` takes rows as mappings (JSON, XLSX, records); the CSV reader hands
its records over as :class:`TableParts`, which are made into a table column by column
(in a worker process too). Both end in the same normalisation: header aliases, numbers
(decimal commas too), dates, and a :class:`~atribut_rules.model.Problem` for every
unusable value. A row with a problem stays in the table, in its place.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import Problem
from .fields import FIELD, MEASURE_FIELDS, TEXT_FIELDS, canonical_field, id_column
from .ids import SeenIds, add_duplicate_problems, find_duplicate_ids, mark_duplicate_ids
from .parse import (
    is_blank,
    make_problem,
    parse_date,
    read_coordinates,
    read_measures,
    read_number,
    read_text,
    read_texts,
)
from .reports import DEFAULT_MAX_FIELD_CHARS, Reports


class TableBuilder:
    """Accumulates normalised rows, one list per field; :meth:`finish` makes the table.

    :meth:`add` is the reference normalisation of one raw row; the columnar fast
    path of :func:`build_table` uses it for every row it cannot prove simple.
    """

    def __init__(self, max_field_chars: int) -> None:
        self.max_field_chars = max_field_chars
        self.ids: list[str] = []
        self.lon: list[float] = []
        self.lat: list[float] = []
        self.acc: list[float] = []
        self.width: list[float] = []
        self.height: list[float] = []
        self.type: list[str | None] = []
        self.party: list[str | None] = []
        self.candidate: list[str | None] = []
        self.mounted_on: list[str | None] = []
        self.observed: list[str | None] = []
        self.day: list[Any] = []
        self.rows: list[int] = []
        self.extra: dict[str, list[Any]] = {}
        self.problems: dict[int, list[Problem]] = {}
        self.id_slot: dict[int, int] = {}  # where a duplicate-id problem goes in a row's list
        self.names: dict[Any, str | None] = {}  # header -> canonical field, computed once per header
        self.dates: dict[str, Any] = {}  # date text -> day (or None when unreadable), once per text
        self.made: dict[Any, Problem] = {}  # problems made so far, by their arguments (see problem)

    def problem(self, code: str, field_name: str | None, value: Any, **params: Any) -> Problem:
        """``make_problem(...)``; rows of one table with the same problem share one object.

        Blank coordinates, say, are one problem however many rows lack them, so its
        message is rendered once. Arguments are told apart by type and ``repr`` (so
        ``1``, ``1.0`` and ``True``, or ``0.0`` and ``-0.0``, stay different problems).
        """
        key = (
            code,
            field_name,
            type(value),
            repr(value),
            *((k, type(v), repr(v)) for k, v in params.items()),
        )
        made = self.made.get(key)
        if made is None:
            if len(self.made) >= 10_000:  # values that all differ: keep the cache small
                self.made.clear()
            made = self.made[key] = make_problem(code, field_name, value, **params)
        return made

    def add(self, index: int, row_number: int, record: Mapping[str, Any], pre: Sequence[Problem]) -> None:
        """Normalise one raw row (``pre``: problems its reader already found) and append it."""
        probs: list[Problem] = list(pre)
        canon: dict[str, Any] = {}
        names, extra = self.names, self.extra
        for key, value in record.items():
            try:
                name = names[key]
            except KeyError:
                name = names[key] = canonical_field(key) if isinstance(key, str) else None
            except TypeError:  # an unhashable key cannot name a field
                name = None
            if isinstance(value, str) and len(value) > self.max_field_chars:
                probs.append(
                    self.problem(
                        "too_long", name or key, None, found=len(value), expected=self.max_field_chars
                    )
                )
                value = value[:0]
            if name is None:
                if key not in extra:
                    extra[key] = [None] * index
                extra[key].append(value)
            elif name not in canon or is_blank(canon[name]):
                canon[name] = value
        for values in extra.values():
            if len(values) < index + 1:
                values.append(None)
        if probs:
            self.id_slot[index] = len(probs)

        rid = read_text(canon.get("id"))
        if rid is None:
            rid = f"row-{row_number}"

        y_value, x_value = canon.get("lat"), canon.get("lon")
        coord_probs: list[Problem] = []
        y = read_number(y_value, "lat", coord_probs, self.problem)
        x = read_number(x_value, "lon", coord_probs, self.problem)
        if is_blank(y_value):
            coord_probs.append(
                self.problem(
                    "missing",
                    "lat",
                    None,
                    expected={"id": "lintang dalam derajat desimal", "en": "latitude in decimal degrees"},
                )
            )
        if is_blank(x_value):
            coord_probs.append(
                self.problem(
                    "missing",
                    "lon",
                    None,
                    expected={"id": "bujur dalam derajat desimal", "en": "longitude in decimal degrees"},
                )
            )
        if not coord_probs:
            lat_bad, lon_bad = not -90 <= y <= 90, not -180 <= x <= 180
            if (lat_bad or lon_bad) and -90 <= x <= 90 and -180 <= y <= 180:
                coord_probs.append(self.problem("swapped", "lat", y, lat=y, lon=x))
            else:
                if lat_bad:
                    coord_probs.append(self.problem("out_of_range", "lat", y, expected="-90..90"))
                if lon_bad:
                    coord_probs.append(self.problem("out_of_range", "lon", x, expected="-180..180"))
        if coord_probs:
            x = y = math.nan
            probs.extend(coord_probs)

        nums = []
        for name in MEASURE_FIELDS:
            v = read_number(canon.get(name), name, probs, self.problem)
            if v < 0:
                probs.append(self.problem("negative", name, canon.get(name)))
                v = math.nan
            nums.append(v)

        observed = read_text(canon.get("observed_at"))
        d: Any = np.datetime64("NaT")
        if observed is not None:
            d = self.day_of(observed)
            if d is None:
                d = np.datetime64("NaT")
                probs.append(self.problem("bad_date", "observed_at", observed))
        self.ids.append(rid)
        self.lon.append(x)
        self.lat.append(y)
        self.acc.append(nums[0])
        self.width.append(nums[1])
        self.height.append(nums[2])
        self.type.append(read_text(canon.get("type"), fold=True))
        self.party.append(read_text(canon.get("party")))
        self.candidate.append(read_text(canon.get("candidate")))
        self.mounted_on.append(read_text(canon.get("mounted_on"), fold=True))
        self.observed.append(observed)
        self.day.append(d)
        self.rows.append(row_number)
        if probs:
            self.problems[index] = probs

    def day_of(self, observed: str) -> Any:
        """The day of a (stripped) date text, or None when it is not a date; cached per text."""
        try:
            return self.dates[observed]
        except KeyError:
            pass
        try:
            day: Any = np.datetime64(parse_date(observed), "D")
        except ValueError:
            day = None
        self.dates[observed] = day
        return day

    def finish(
        self,
        file: str,
        columns: Sequence[str] | None,
        raw: list[Sequence[Any]] | None,
        seen_ids: SeenIds | None = None,
    ) -> Reports:
        """The table; later rows repeating an earlier id (also one in ``seen_ids``) become invalid."""
        mark_duplicate_ids(self.ids, self.rows, self.problems, self.id_slot, seen_ids)
        return Reports(
            ids=self.ids,
            lon=np.asarray(self.lon, dtype=float),
            lat=np.asarray(self.lat, dtype=float),
            accuracy_m=np.asarray(self.acc, dtype=float),
            width_m=np.asarray(self.width, dtype=float),
            height_m=np.asarray(self.height, dtype=float),
            type=_objects(self.type),
            party=_objects(self.party),
            candidate=_objects(self.candidate),
            mounted_on=_objects(self.mounted_on),
            observed_at=self.observed,
            observed_day=np.array(self.day, dtype="datetime64[D]")
            if self.day
            else np.array([], dtype="datetime64[D]"),
            extra=self.extra,
            rows=np.asarray(self.rows, dtype=np.int64),
            file=file,
            problems=dict(sorted(self.problems.items())),
            columns=list(columns) if columns is not None else [],
            raw=raw if raw is not None else [],
        )


def _objects(values: Sequence[Any]) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def build_reports(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    file: str,
    columns: Sequence[str] | None = None,
    raw: list[Sequence[Any]] | None = None,
    row_problems: Mapping[int, list[Problem]] | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    seen_ids: SeenIds | None = None,
) -> Reports:
    """Normalise raw rows ``(row_number, {column: value})`` into a :class:`Reports` table.

    ``row_problems`` maps a position in ``rows`` to problems the reader already
    found (a ragged row, a line that is not JSON); those rows are kept as invalid.
    ``seen_ids`` carries ids over from earlier chunks of one list.
    """
    builder = TableBuilder(max_field_chars)
    row_problems = {} if row_problems is None else row_problems  # may fill while rows stream
    for index, (row_number, record) in enumerate(rows):
        builder.add(index, row_number, record, row_problems.get(index, ()))
    return builder.finish(file, columns, raw, seen_ids)


def build_table(
    header: Sequence[str], records: Sequence[Sequence[str]], row_numbers: Sequence[int], **options: Any
) -> Reports:
    """Normalise text records (one list of cells per row, as a CSV reader gives) column by column.

    The same table :func:`build_reports` makes from ``zip(header, record)`` mappings, but
    each column is parsed once per distinct text, and only rows that are not plainly
    valid (ragged, over-long, unreadable or out-of-range values, bad dates) go through the
    per-row normalisation. ``options`` are those of :func:`table_parts` (``file`` is
    required): ``seen_ids`` carries ids over from earlier chunks of one list;
    ``longest_cell``, when the reader knows it, bounds the length of every cell (the
    longest line of one-line records): at or under ``max_field_chars`` the cells need
    not be measured.
    """
    return table_parts(header, records, row_numbers, **options).build()


def table_parts(
    header: Sequence[str],
    records: Sequence[Sequence[str]],
    row_numbers: Sequence[int],
    *,
    file: str,
    row_problems: Mapping[int, list[Problem]] | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    seen_ids: SeenIds | None = None,
    keep_raw: bool = True,
    longest_cell: int | None = None,
) -> TableParts:
    """What :func:`build_table` needs, with ids repeated (here or in ``seen_ids``) found.

    The ids are the work that must follow file order; :meth:`TableParts.build` does
    the rest, in any process (:meth:`TableParts.pack` makes the parts cheap to send).
    """
    row_problems = {} if row_problems is None else row_problems
    n, width = len(records), len(header)
    names = [canonical_field(h) for h in header]
    named = [name for name in names if name is not None]
    if (
        len(set(header)) != width or len(set(named)) != len(named) or n == 0
    ):  # repeated column names: a mapping keeps the last one
        built = build_reports(
            ((row_numbers[i], dict(zip(header, records[i]))) for i in range(n)),
            file=file,
            columns=header,
            raw=list(records) if keep_raw else None,
            row_problems=row_problems,
            max_field_chars=max_field_chars,
            seen_ids=seen_ids,
        )
        return TableParts(
            list(header), [], [], n, built.rows, {}, {}, {}, file, max_field_chars, None, None, built
        )
    ragged = {i: list(records[i]) for i in row_problems if len(records[i]) != width}
    regular = records
    if row_problems:
        filler = [""] * width
        regular = [filler if len(r) != width else r for r in records]
    columns: list[Sequence[str]] = list(zip(*regular))
    rows = np.asarray(row_numbers, dtype=np.int64)
    k = id_column(header)
    ids = _final_ids(k, None if k is None else columns[k], ragged, rows, max_field_chars, longest_cell)
    duplicates = find_duplicate_ids(ids, rows, seen_ids)
    return TableParts(
        list(header),
        columns,
        ids,
        n,
        rows,
        dict(row_problems),
        ragged,
        duplicates,
        file,
        max_field_chars,
        longest_cell,
        list(records) if keep_raw else None,
    )


def plain_table_parts(
    header: Sequence[str],
    text: str,
    delimiter: str,
    id_cells: Sequence[str] | None,
    row_numbers: Sequence[int],
    *,
    file: str,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    seen_ids: SeenIds | None = None,
    longest_cell: int | None = None,
) -> TableParts:
    """:func:`table_parts` for records given as the text of their lines, one line each.

    Every line of ``text`` holds exactly ``len(header)`` cells split by ``delimiter``, no
    quote and no blank record (what the CSV reader's plain path checks); ``id_cells`` are
    the cells of the id column (None without one). The cells are split out of the text
    by :meth:`TableParts.build`, in the process that builds the table.
    """
    rows = np.asarray(row_numbers, dtype=np.int64)
    ids = _final_ids(id_column(header), id_cells, {}, rows, max_field_chars, longest_cell)
    duplicates = find_duplicate_ids(ids, rows, seen_ids)
    return TableParts(
        list(header), [], ids, len(rows), rows, {}, {}, duplicates, file, max_field_chars, longest_cell, None,
        text=text, delimiter=delimiter,
    )  # fmt: skip


def _plain_columns(text: str, delimiter: str, width: int, n: int) -> list[list[str]]:
    """The cells of ``n`` lines of ``width`` cells each (see :func:`plain_table_parts`), by column."""
    if "\r" in text:  # a line may end in \r\n or \r (the file is read with newline="")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):  # the file's last line, without a line end
        text += "\n"
    cells = text.replace("\n", delimiter).split(delimiter)
    size = n * width
    if len(cells) != size + 1:
        raise ValueError(f"expected {n} lines of {width} cells, found {len(cells) - 1} cells")
    # each column's cells made anew, one after another: the table reads a column at a time,
    # and cells of one line next to each other in memory made that 2 s (9 %) slower per million rows
    return [("\0".join(cells[k:size:width])).split("\0") for k in range(width)]


def _final_ids(
    k: int | None,
    cells: Sequence[str] | None,
    ragged: Mapping[int, list[str]],
    rows: np.ndarray,
    max_field_chars: int,
    longest_cell: int | None,
) -> list[str]:
    """Every row's id as :meth:`TableParts.build` will give it (blank or over-long: ``row-N``),
    from the cells of the id column, the ``k``-th (None without one)."""
    if k is None or cells is None:
        return [f"row-{number}" for number in rows.tolist()]
    ids = list(map(str.strip, cells))
    if longest_cell is None or longest_cell > max_field_chars:
        for i in [i for i, cell in enumerate(cells) if len(cell) > max_field_chars]:
            ids[i] = ""
    for i, record in ragged.items():
        cell = record[k] if k < len(record) else ""
        ids[i] = cell.strip() if len(cell) <= max_field_chars else ""
    if "" in ids:
        ids = [rid if rid else f"row-{rows[i]}" for i, rid in enumerate(ids)]
    return ids


@dataclass
class TableParts:
    """One chunk of CSV records, its repeated ids found, not yet normalised into a table.

    Made by :func:`table_parts` in the reading process (in file order, since an id is
    repeated with respect to every earlier row); :meth:`build` makes the table, in a
    worker process as well. Packed (:meth:`pack`), each column travels as one text.
    """

    header: list[str]
    columns: list[Any]  # cells per column; one NUL-joined text per column once packed
    ids: Any  # the ids repeats were looked for among (NUL-joined once packed)
    n: int
    rows: np.ndarray
    row_problems: dict[int, list[Problem]]
    ragged: dict[int, list[str]]  # records whose length is not the header's
    duplicates: dict[int, int]  # index -> the row number that first had its id
    file: str
    max_field_chars: int
    longest_cell: int | None
    raw: list[Sequence[str]] | None
    built: Reports | None = None  # a table made whole already (repeated column names)
    packed: bool = False
    sha256: str | None = None
    text: str | None = None  # the records' lines, when they are plain (see plain_table_parts)
    delimiter: str = ","

    def __len__(self) -> int:
        return self.n

    def pack(self) -> TableParts:
        """These parts with each column as one NUL-joined text (the readers refuse NUL in cells)."""
        if self.packed or self.built is not None:
            return self
        if self.text is not None:  # the lines are one text already
            return dataclasses.replace(self, ids="\0".join(self.ids), packed=True)
        joined = ["\0".join(column) for column in self.columns]
        return dataclasses.replace(self, columns=joined, ids="\0".join(self.ids), packed=True)

    def build(self) -> Reports:
        """The table :func:`build_table` makes from the same records."""
        if self.built is not None:
            if self.sha256 is not None:
                self.built.sha256 = self.sha256
            return self.built
        ids = self.ids.split("\0") if self.packed else list(self.ids)
        if self.text is not None:
            columns = _plain_columns(self.text, self.delimiter, len(self.header), self.n)
            return _table_from_columns(self, columns, ids)
        if not self.packed:
            return _table_from_columns(self, self.columns, ids)
        return _table_from_columns(self, [c.split("\0") for c in self.columns], ids)


def _table_from_columns(parts: TableParts, columns: list[Sequence[str]], ids: list[str]) -> Reports:
    header, n, width = parts.header, parts.n, len(parts.header)
    max_field_chars, longest_cell, ragged = parts.max_field_chars, parts.longest_cell, parts.ragged
    row_problems = parts.row_problems
    row_numbers = parts.rows.tolist()
    names = [canonical_field(h) for h in header]
    slow = np.zeros(n, dtype=bool)
    if row_problems:
        slow[list(row_problems)] = True
    for col in columns if longest_cell is None or longest_cell > max_field_chars else ():
        if max(map(len, col)) > max_field_chars:
            slow |= np.fromiter(map(len, col), dtype=np.int64, count=n) > max_field_chars
    field_column = {name: columns[k] for k, name in enumerate(names) if name is not None}
    none_column = (None,) * n

    def col(name: str) -> Sequence[Any]:
        return field_column.get(name, none_column)

    lat, bad_lat = read_coordinates(col("lat"))
    lon, bad_lon = read_coordinates(col("lon"))
    slow |= bad_lat | bad_lon | ~(np.abs(lat) <= 90) | ~(np.abs(lon) <= 180)
    numbers = {}
    for name in MEASURE_FIELDS:
        values, bad = read_measures(col(name))
        numbers[name] = values
        slow |= bad
    texts = {name: read_texts(col(name), fold=FIELD[name].folded) for name in TEXT_FIELDS}
    builder = TableBuilder(max_field_chars)
    observed, days = [None] * n, np.full(n, _NAT, dtype="datetime64[D]")
    if "observed_at" in field_column:
        observed = read_texts(col("observed_at"), fold=False)
        distinct = {t: builder.day_of(t) for t in set(observed) if t is not None}
        if distinct:
            # each distinct text once: its day (NaT for none and for text that is no date)
            keys = list(distinct)
            lookup: dict[str | None, int] = {t: k for k, t in enumerate(keys)}
            lookup[None] = len(keys)
            table = np.array(
                [distinct[t] if distinct[t] is not None else _NAT for t in keys] + [_NAT],
                dtype="datetime64[D]",
            )
            codes = np.fromiter(map(lookup.__getitem__, observed), dtype=np.int64, count=n)
            days = table[codes]
            unreadable = np.array([distinct[t] is None for t in keys] + [False])
            if unreadable.any():
                slow |= unreadable[codes]
    regular_width = [width] if len(ragged) < n else []  # every row not ragged has the header's
    reached = max([*regular_width, *map(len, ragged.values())])  # columns some row has a cell in
    extra = {h: list(columns[k]) for k, h in enumerate(header) if names[k] is None and k < reached}

    problems: dict[int, list[Problem]] = {}
    id_slot: dict[int, int] = {}
    slow_rows = np.nonzero(slow)[0]
    if len(slow_rows):
        builder.extra = {h: [] for h in extra}
        for k, i in enumerate(slow_rows.tolist()):
            record = ragged[i] if i in ragged else [c[i] for c in columns]
            builder.add(k, row_numbers[i], dict(zip(header, record)), row_problems.get(i, ()))
            lon[i], lat[i] = builder.lon[k], builder.lat[k]  # the id is _final_ids' already
            numbers["accuracy_m"][i], numbers["width_m"][i] = builder.acc[k], builder.width[k]
            numbers["height_m"][i] = builder.height[k]
            texts["type"][i], texts["party"][i] = builder.type[k], builder.party[k]
            texts["candidate"][i], texts["mounted_on"][i] = builder.candidate[k], builder.mounted_on[k]
            observed[i], days[i] = builder.observed[k], np.datetime64(builder.day[k], "D")
            for h, values in builder.extra.items():
                extra[h][i] = values[k]
            if k in builder.problems:
                problems[i] = builder.problems[k]
            if k in builder.id_slot:
                id_slot[i] = builder.id_slot[k]
    add_duplicate_problems(ids, parts.duplicates, problems, id_slot)
    return Reports(
        ids=ids,
        lon=lon,
        lat=lat,
        accuracy_m=numbers["accuracy_m"],
        width_m=numbers["width_m"],
        height_m=numbers["height_m"],
        type=_objects(texts["type"]),
        party=_objects(texts["party"]),
        candidate=_objects(texts["candidate"]),
        mounted_on=_objects(texts["mounted_on"]),
        observed_at=observed,
        observed_day=days,
        extra=extra,
        rows=parts.rows,
        file=parts.file,
        problems=dict(sorted(problems.items())),
        columns=list(header),
        raw=parts.raw if parts.raw is not None else [],
        sha256=parts.sha256,
    )


_NAT = np.datetime64("NaT", "D")
