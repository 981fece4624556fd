"""Reports as a columnar table: one array per field, one entry per input data row.

Readers turn files into raw rows (a mapping of column name to text or value)
and hand them to :func:`build_reports`, which maps header aliases to the
canonical fields, parses numbers (decimal commas too) and dates, and records a
:class:`~atribut_rules.model.Problem` for every unusable value. A row with a
problem stays in the table, in its place, and later becomes an ``invalid``
verdict: nothing is dropped.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import i18n
from .model import Problem, Report, Source

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


def _number(value: Any, name: str, problems: list[Problem]) -> float:
    if type(value) is str and "_" not in value:  # fast path: a plain number, decimal point or comma
        text = (
            value.replace(",", ".") if "," in value and "." not in value and value.count(",") == 1 else value
        )
        try:
            f = float(text)
        except ValueError:
            pass
        else:
            if math.isfinite(f):
                return f
    if _is_blank(value):
        return math.nan
    if isinstance(value, bool):
        problems.append(_problem("not_number", name, value))
        return math.nan
    if isinstance(value, (int, float)):
        f = float(value)
    else:
        text = str(value)
        if name in ("lat", "lon") and _DMS.search(text):
            problems.append(_problem("dms", name, text, expected="-2.1291" if name == "lat" else "106.1133"))
            return math.nan
        try:
            f = parse_number(text)
        except ValueError:
            problems.append(_problem("not_number", name, text))
            return math.nan
    if not math.isfinite(f):
        problems.append(_problem("not_finite", name, value))
        return math.nan
    return f


def _text(value: Any, fold: bool = False) -> str | None:
    if _is_blank(value):
        return None
    s = str(value).strip()
    return s.casefold() if fold else s


def build_reports(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    file: str,
    columns: Sequence[str] | None = None,
    raw: list[Sequence[Any]] | None = None,
    row_problems: Mapping[int, list[Problem]] | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> Reports:
    """Normalise raw rows ``(row_number, {column: value})`` into a :class:`Reports` table.

    ``row_problems`` maps a position in ``rows`` to problems the reader already
    found (a ragged row, a line that is not JSON); those rows are kept as invalid.
    """
    ids: list[str] = []
    lon: list[float] = []
    lat: list[float] = []
    acc: list[float] = []
    width: list[float] = []
    height: list[float] = []
    typ: list[str | None] = []
    party: list[str | None] = []
    cand: list[str | None] = []
    mount: list[str | None] = []
    obs: list[str | None] = []
    day: list[Any] = []
    row_numbers: list[int] = []
    extra: dict[str, list[Any]] = {}
    problems: dict[int, list[Problem]] = {}
    seen_ids: dict[str, int] = {}
    row_problems = {} if row_problems is None else row_problems  # may fill while rows stream

    names: dict[Any, str | None] = {}  # header -> canonical field, computed once per header
    dates: dict[str, Any] = {}  # date text -> day (or None when unreadable), computed once per text
    for index, (row_number, record) in enumerate(rows):
        probs: list[Problem] = list(row_problems.get(index, ()))
        canon: dict[str, Any] = {}
        for key, value in record.items():
            try:
                name = names[key]
            except KeyError:
                name = names[key] = canonical_field(key) if isinstance(key, str) else None
            except TypeError:  # an unhashable key cannot name a field
                name = None
            if isinstance(value, str) and len(value) > max_field_chars:
                probs.append(
                    _problem("too_long", name or key, None, found=len(value), expected=max_field_chars)
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

        rid = _text(canon.get("id"))
        if rid is None:
            rid = f"row-{row_number}"
        if rid in seen_ids:
            probs.append(_problem("duplicate_id", "id", rid, first=seen_ids[rid]))
        else:
            seen_ids[rid] = row_number

        y_value, x_value = canon.get("lat"), canon.get("lon")
        coord_probs: list[Problem] = []
        y = _number(y_value, "lat", coord_probs)
        x = _number(x_value, "lon", coord_probs)
        if _is_blank(y_value):
            coord_probs.append(
                _problem(
                    "missing",
                    "lat",
                    None,
                    expected={"id": "lintang dalam derajat desimal", "en": "latitude in decimal degrees"},
                )
            )
        if _is_blank(x_value):
            coord_probs.append(
                _problem(
                    "missing",
                    "lon",
                    None,
                    expected={"id": "bujur dalam derajat desimal", "en": "longitude in decimal degrees"},
                )
            )
        if not coord_probs:
            lat_bad, lon_bad = not -90 <= y <= 90, not -180 <= x <= 180
            if (lat_bad or lon_bad) and -90 <= x <= 90 and -180 <= y <= 180:
                coord_probs.append(_problem("swapped", "lat", y, lat=y, lon=x))
            else:
                if lat_bad:
                    coord_probs.append(_problem("out_of_range", "lat", y, expected="-90..90"))
                if lon_bad:
                    coord_probs.append(_problem("out_of_range", "lon", x, expected="-180..180"))
        if coord_probs:
            x = y = math.nan
            probs.extend(coord_probs)

        nums = []
        for name in ("accuracy_m", "width_m", "height_m"):
            v = _number(canon.get(name), name, probs)
            if v < 0:
                probs.append(_problem("negative", name, canon.get(name)))
                v = math.nan
            nums.append(v)

        observed = _text(canon.get("observed_at"))
        d: Any = np.datetime64("NaT")
        if observed is not None:
            if observed not in dates:
                try:
                    dates[observed] = np.datetime64(parse_date(observed), "D")
                except ValueError:
                    dates[observed] = None
            d = dates[observed]
            if d is None:
                d = np.datetime64("NaT")
                probs.append(_problem("bad_date", "observed_at", observed))
        ids.append(rid)
        lon.append(x)
        lat.append(y)
        acc.append(nums[0])
        width.append(nums[1])
        height.append(nums[2])
        typ.append(_text(canon.get("type"), fold=True))
        party.append(_text(canon.get("party")))
        cand.append(_text(canon.get("candidate")))
        mount.append(_text(canon.get("mounted_on"), fold=True))
        obs.append(observed)
        day.append(d)
        row_numbers.append(row_number)
        if probs:
            problems[index] = probs

    def objects(values: list[Any]) -> np.ndarray:
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return arr

    return Reports(
        ids=ids,
        lon=np.asarray(lon, dtype=float),
        lat=np.asarray(lat, dtype=float),
        accuracy_m=np.asarray(acc, dtype=float),
        width_m=np.asarray(width, dtype=float),
        height_m=np.asarray(height, dtype=float),
        type=objects(typ),
        party=objects(party),
        candidate=objects(cand),
        mounted_on=objects(mount),
        observed_at=obs,
        observed_day=np.array(day, dtype="datetime64[D]") if day else np.array([], dtype="datetime64[D]"),
        extra=extra,
        rows=np.asarray(row_numbers, dtype=np.int64),
        file=file,
        problems=problems,
        columns=list(columns) if columns is not None else [],
        raw=raw if raw is not None else [],
    )
