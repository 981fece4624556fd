"""Reports as a columnar table: one array per field, one entry per input data row.

Readers turn files into raw rows (a mapping of column name to text or value)
and hand them to :func:`build_reports`, which maps header aliases to the
canonical fields, parses numbers (decimal commas too) and dates, and records a
:class:`~atribut_rules.model.Problem` for every unusable value. A row with a
problem stays in the table, in its place, and later becomes an ``invalid``
verdict: nothing is dropped.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import i18n
from ..model import Problem, Report, Source
from .ids import SeenIds

CORE_FIELDS = (
    "id",
    "lon",
    "lat",
    "accuracy_m",
    "type",
    "width_m",
    "height_m",
    "party",
    "candidate",
    "observed_at",
    "mounted_on",
)

# Header aliases, after normalising a header (trim, lower case, spaces and
# hyphens to underscores). Documented in README.md ("Header aliases").
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "no", "nomor", "no_laporan", "kode", "report_id"),
    "lat": ("lat", "latitude", "lintang", "y"),
    "lon": ("lon", "lng", "long", "longitude", "bujur", "x"),
    "accuracy_m": ("accuracy_m", "accuracy", "akurasi_m", "akurasi", "gps_accuracy_m"),
    "type": ("type", "jenis", "jenis_apk", "jenis_atribut"),
    "width_m": ("width_m", "width", "lebar_m", "lebar"),
    "height_m": ("height_m", "height", "tinggi_m", "tinggi"),
    "party": ("party", "partai", "parpol"),
    "candidate": ("candidate", "caleg", "calon", "kandidat", "paslon"),
    "observed_at": ("observed_at", "tanggal", "waktu", "date", "datetime", "tanggal_temuan"),
    "mounted_on": ("mounted_on", "dipasang_di", "media", "media_pemasangan", "mounted"),
}

_ALIAS_TO_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}

DEFAULT_MAX_FIELD_CHARS = 10_000

_DMS = re.compile(r"[°º'′\"″]|\d\s*[NSEWUTBLnsewutbl]\s*$|^\s*[NSEWUTBLnsewutbl]\s*\d")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")
_FIELD_LABELS = {
    "lat": "lat (lintang)",
    "lon": "lon (bujur)",
    "accuracy_m": "accuracy_m (akurasi_m)",
    "width_m": "width_m (lebar_m)",
    "height_m": "height_m (tinggi_m)",
    "observed_at": "observed_at (tanggal)",
}
_EXPECTED = {
    "lat": {"id": "derajat desimal, misalnya -2,1291", "en": "decimal degrees such as -2.1291"},
    "lon": {"id": "derajat desimal, misalnya 106,1133", "en": "decimal degrees such as 106.1133"},
    "accuracy_m": {"id": "angka meter, misalnya 5 atau 2,5", "en": "a number of metres such as 5 or 2.5"},
    "width_m": {"id": "angka meter, misalnya 4 atau 1,5", "en": "a number of metres such as 4 or 1.5"},
    "height_m": {"id": "angka meter, misalnya 7 atau 0,6", "en": "a number of metres such as 7 or 0.6"},
}


def normalise_header(name: str) -> str:
    """Lower-case ``name``, trim it and turn spaces, dots and hyphens into underscores."""
    return re.sub(r"[\s\-.]+", "_", name.strip().lstrip("\ufeff").casefold())


def canonical_field(header: str) -> str | None:
    """The canonical field a header names, or None when it is an extra column."""
    return _ALIAS_TO_FIELD.get(normalise_header(header))


def id_column(header: Sequence[str]) -> int | None:
    """The place of the first column naming the ``id`` field, or None when none does."""
    return next((k for k, h in enumerate(header) if canonical_field(h) == "id"), None)


def parse_number(text: str) -> float:
    """Parse a decimal number written with a point or a comma (``-2,129`` or ``1.234,5``).

    Raises ValueError when ``text`` is not a number.
    """
    s = text.strip().replace("\u2212", "-").replace(" ", "")
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(nan|inf|infinity)", s, re.I):
        raise ValueError(text)
    return float(s)


def parse_date(text: str) -> _dt.date:
    """Parse the date of ``observed_at``: ISO date or date-time, or DD/MM/YYYY.

    The date is taken as written (local time); a time or zone is not converted.
    """
    s = text.strip()
    iso = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$", s)
    if iso:
        return _dt.date.fromisoformat(iso.group(1))
    for fmt in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class Reports:
    """A list of reports as columns; ``reports[i]`` gives one :class:`Report`.

    Floats are NaN where a value is missing or unusable; text columns hold None.
    ``problems`` maps a row index to why that row is invalid. ``columns`` and
    ``raw`` keep the input header and cell texts in their original spelling
    and order, so writers can hand an officer's sheet back as it came.
    """

    ids: list[str]
    lon: np.ndarray
    lat: np.ndarray
    accuracy_m: np.ndarray
    width_m: np.ndarray
    height_m: np.ndarray
    type: np.ndarray
    party: np.ndarray
    candidate: np.ndarray
    mounted_on: np.ndarray
    observed_at: list[str | None]
    observed_day: np.ndarray
    extra: dict[str, list[Any]]
    rows: np.ndarray
    file: str
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    raw: list[Sequence[Any]] = field(default_factory=list)
    sha256: str | None = None
    delimiter: str | None = None  # a CSV list's separator, so its sheet comes back in its style
    column_formats: dict[str, str] | None = None  # an XLSX list's number and date columns: their format
    thumbnails: dict[int, str] | None = None  # row index -> a photo's small JPEG as a data: URI

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: int) -> Report:
        def num(a: np.ndarray) -> float | None:
            v = float(a[i])
            return None if math.isnan(v) else v

        lon, lat = num(self.lon), num(self.lat)
        return Report(
            id=self.ids[i],
            lon=lon,
            lat=lat,
            accuracy_m=num(self.accuracy_m),
            type=self.type[i],
            width_m=num(self.width_m),
            height_m=num(self.height_m),
            party=self.party[i],
            candidate=self.candidate[i],
            observed_at=self.observed_at[i],
            mounted_on=self.mounted_on[i],
            extra={k: v[i] for k, v in self.extra.items()},
            source=Source(self.file, int(self.rows[i])),
        )

    def __iter__(self) -> Iterator[Report]:
        return (self[i] for i in range(len(self)))

    @property
    def valid(self) -> np.ndarray:
        """Boolean mask of rows without problems."""
        mask = np.ones(len(self), dtype=bool)
        if self.problems:
            mask[list(self.problems)] = False
        return mask

    def field_values(self, name: str) -> np.ndarray:
        """The column called ``name`` (canonical or extra) as an array; missing -> None/NaN."""
        if name in ("accuracy_m", "width_m", "height_m", "lon", "lat"):
            return getattr(self, name)
        if name == "area_m2":
            return self.width_m * self.height_m
        if name in ("type", "party", "candidate", "mounted_on"):
            return getattr(self, name)
        if name == "id":
            return np.array(self.ids, dtype=object)
        if name == "observed_at":
            return np.array(self.observed_at, dtype=object)
        if name in self.extra:
            return np.array(self.extra[name], dtype=object)
        canonical = canonical_field(name)
        if canonical is not None and canonical != name:
            return self.field_values(canonical)
        key = normalise_header(name)
        for column in self.extra:  # headers match ignoring case, spaces, dots and hyphens
            if isinstance(column, str) and normalise_header(column) == key:
                return np.array(self.extra[column], dtype=object)
        return np.full(len(self), None, dtype=object)

    def slice(self, start: int, stop: int) -> Reports:
        """Rows ``start:stop`` as a table of their own (rows and problems kept, re-indexed)."""
        s = slice(start, stop)
        return Reports(
            ids=self.ids[s],
            lon=self.lon[s],
            lat=self.lat[s],
            accuracy_m=self.accuracy_m[s],
            width_m=self.width_m[s],
            height_m=self.height_m[s],
            type=self.type[s],
            party=self.party[s],
            candidate=self.candidate[s],
            mounted_on=self.mounted_on[s],
            observed_at=self.observed_at[s],
            observed_day=self.observed_day[s],
            extra={k: v[s] for k, v in self.extra.items()},
            rows=self.rows[s],
            file=self.file,
            problems={i - start: p for i, p in self.problems.items() if start <= i < stop},
            columns=list(self.columns),
            raw=self.raw[s],
            sha256=self.sha256,
        )

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any] | Report], *, file: str = "<records>"
    ) -> Reports:
        """Build a table from mappings (any header alias as key) or :class:`Report` objects."""
        rows: list[tuple[int, Mapping[str, Any]]] = []
        for n, rec in enumerate(records, start=1):
            if isinstance(rec, Report):
                d = {k: getattr(rec, k) for k in CORE_FIELDS}
                d.update(rec.extra)
                rec = d
            rows.append((n, rec))
        return build_reports(rows, file=file)


def _problem(code: str, field_name: str | None, value: Any, **params: Any) -> Problem:
    label = _FIELD_LABELS.get(field_name or "", field_name or "")
    params.setdefault("expected", _EXPECTED.get(field_name or "", ""))
    text_value = None if value is None else str(value)
    message = i18n.render(code, field=label, value=text_value, **params)
    return Problem(code=code, field=field_name, value=text_value, message=message)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(
    value: Any, name: str, problems: list[Problem], problem: Callable[..., Problem] = _problem
) -> float:
    if type(value) is str:  # fast path: a plain number, decimal point or comma
        f = _plain_float(value)
        if not math.isnan(f):
            return f
    if _is_blank(value):
        return math.nan
    if isinstance(value, bool):
        problems.append(problem("not_number", name, value))
        return math.nan
    if isinstance(value, (int, float)):
        f = float(value)
    else:
        text = str(value)
        if name in ("lat", "lon") and _DMS.search(text):
            problems.append(problem("dms", name, text, expected="-2.1291" if name == "lat" else "106.1133"))
            return math.nan
        try:
            f = parse_number(text)
        except ValueError:
            problems.append(problem("not_number", name, text))
            return math.nan
    if not math.isfinite(f):
        problems.append(problem("not_finite", name, value))
        return math.nan
    return f


def _text(value: Any, fold: bool = False) -> str | None:
    if _is_blank(value):
        return None
    s = str(value).strip()
    return s.casefold() if fold else s


class _TableBuilder:
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
        """``_problem(...)``; rows of one table with the same problem share one object.

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
            made = self.made[key] = _problem(code, field_name, value, **params)
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
            elif name not in canon or _is_blank(canon[name]):
                canon[name] = value
        for values in extra.values():
            if len(values) < index + 1:
                values.append(None)
        if probs:
            self.id_slot[index] = len(probs)

        rid = _text(canon.get("id"))
        if rid is None:
            rid = f"row-{row_number}"

        y_value, x_value = canon.get("lat"), canon.get("lon")
        coord_probs: list[Problem] = []
        y = _number(y_value, "lat", coord_probs, self.problem)
        x = _number(x_value, "lon", coord_probs, self.problem)
        if _is_blank(y_value):
            coord_probs.append(
                self.problem(
                    "missing",
                    "lat",
                    None,
                    expected={"id": "lintang dalam derajat desimal", "en": "latitude in decimal degrees"},
                )
            )
        if _is_blank(x_value):
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
        for name in ("accuracy_m", "width_m", "height_m"):
            v = _number(canon.get(name), name, probs, self.problem)
            if v < 0:
                probs.append(self.problem("negative", name, canon.get(name)))
                v = math.nan
            nums.append(v)

        observed = _text(canon.get("observed_at"))
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
        self.type.append(_text(canon.get("type"), fold=True))
        self.party.append(_text(canon.get("party")))
        self.candidate.append(_text(canon.get("candidate")))
        self.mounted_on.append(_text(canon.get("mounted_on"), fold=True))
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


def mark_duplicate_ids(
    ids: Sequence[str],
    rows: Sequence[int],
    problems: dict[int, list[Problem]],
    slots: Mapping[int, int] | None = None,
    seen_ids: SeenIds | None = None,
) -> None:
    """Give every row whose id an earlier row already has a ``duplicate_id`` problem.

    The first row with an id keeps it. ``slots`` says where in a row's problem list the
    problem goes (after the reader's own problems; default first). ``seen_ids`` holds the
    ids of earlier chunks of the same list, and learns this chunk's.
    """
    add_duplicate_problems(ids, find_duplicate_ids(ids, rows, seen_ids), problems, slots)


def find_duplicate_ids(
    ids: Sequence[str], rows: Sequence[int], seen_ids: SeenIds | None = None
) -> dict[int, int]:
    """``{index: row number that first had the id}`` for every row repeating an earlier row's id.

    ``seen_ids`` holds the ids of earlier chunks of the same list, and learns this chunk's.
    """
    earlier: dict[int, int] = {}
    if seen_ids is not None:
        earlier, digests, buckets = seen_ids.lookup(ids)
    if not earlier and len(set(ids)) == len(ids):
        if seen_ids is not None:
            seen_ids.add_digests(digests, buckets, rows)
        return {}
    seen: dict[str, int] = {}
    firsts: list[int] = []
    duplicates: dict[int, int] = {}
    for index, rid in enumerate(ids):
        first = earlier.get(index)
        if first is None:
            first = seen.get(rid)
        if first is None:
            seen[rid] = int(rows[index])
            firsts.append(index)
        else:
            duplicates[index] = first
    if seen_ids is not None:
        keep = np.asarray(firsts, dtype=np.int64)
        seen_ids.add_digests(digests[keep], buckets[keep], np.asarray(rows)[keep])
    return duplicates


def add_duplicate_problems(
    ids: Sequence[str],
    duplicates: Mapping[int, int],
    problems: dict[int, list[Problem]],
    slots: Mapping[int, int] | None = None,
) -> None:
    """Add the ``duplicate_id`` problem of each row in ``duplicates`` (see :func:`mark_duplicate_ids`)."""
    slots = slots or {}
    for index, first in duplicates.items():
        problems.setdefault(index, []).insert(
            slots.get(index, 0), _problem("duplicate_id", "id", ids[index], first=first)
        )


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
    builder = _TableBuilder(max_field_chars)
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

    lat, bad_lat = _coordinates(col("lat"))
    lon, bad_lon = _coordinates(col("lon"))
    slow |= bad_lat | bad_lon | ~(np.abs(lat) <= 90) | ~(np.abs(lon) <= 180)
    numbers = {}
    for name in ("accuracy_m", "width_m", "height_m"):
        values, bad = _measures(col(name))
        numbers[name] = values
        slow |= bad
    texts = {name: _texts(col(name), fold=name in ("type", "mounted_on")) for name in _TEXT_FIELDS}
    builder = _TableBuilder(max_field_chars)
    observed, days = [None] * n, np.full(n, _NAT, dtype="datetime64[D]")
    if "observed_at" in field_column:
        observed = _texts(col("observed_at"), fold=False)
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
_TEXT_FIELDS = ("type", "party", "candidate", "mounted_on")


def _texts(column: Sequence[Any], fold: bool) -> list[str | None]:
    """``_text`` of every cell, computed once per distinct cell (equal texts share one object)."""
    distinct = {s: _text(s, fold) for s in set(column)}
    return list(map(distinct.__getitem__, column))


def _plain_float(text: str) -> float:
    """``text`` as a finite float when ``_number``'s fast path accepts it, else NaN."""
    if "_" in text:
        return math.nan
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def _coordinates(column: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """A coordinate column as floats, and which cells need the per-row path (blank ones too).

    The values are ``_plain_float``'s, read by the built-in ``float`` a column at a time:
    with every comma made a point, a cell ``_plain_float`` refuses for its commas (two
    of them, or a comma and a point) has two points, which ``float`` refuses too.
    Underscores, which ``float`` accepts, send the column the cell-by-cell way.
    """
    n = len(column)
    if n and column[0] is None:
        return np.full(n, np.nan), np.ones(n, dtype=bool)
    text = "\0".join(column)
    cells = text.replace(",", ".").split("\0") if "_" not in text else []
    if n and len(cells) == n:  # (a NUL in a cell, which the readers refuse, would split it)
        values = np.array(_floats(cells), dtype=float)
        values[~np.isfinite(values)] = np.nan
    else:
        values = np.fromiter(map(_plain_float, column), dtype=float, count=n)
    return values, np.isnan(values)


def _floats(cells: Iterable[str]) -> list[float]:
    """``float`` of each cell, NaN for a cell it cannot read (one exception per such cell)."""
    out: list[float] = []
    rest = iter(cells)
    while True:
        try:
            out.extend(map(float, rest))  # what is read before a failure stays in ``out``
            return out
        except ValueError:  # the cell that failed has been taken from ``rest``
            out.append(math.nan)


def _measures(column: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """A measure column (blank allowed: NaN) as floats, and which cells need the per-row path."""
    n = len(column)
    if not n or column[0] is None:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    value_of: dict[Any, float] = {}
    bad_of: dict[Any, bool] = {}
    for s in set(column):
        if not s.strip():
            value_of[s], bad_of[s] = math.nan, False
        else:
            v = value_of[s] = _plain_float(s)
            bad_of[s] = math.isnan(v) or v < 0
    values = np.fromiter(map(value_of.__getitem__, column), dtype=float, count=n)
    bad = np.fromiter(map(bad_of.__getitem__, column), dtype=bool, count=n)
    return values, bad
