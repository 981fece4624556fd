"""Reports as a columnar table: one array per field, one entry per input data row.

Readers turn files into raw rows and hand them to :mod:`.build`, which normalises them;
the fields are those of :mod:`.fields`. A row with a problem stays in the table, in its
place, and later becomes an ``invalid`` verdict: nothing is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..model import Problem, Report, Source
from .fields import CORE_FIELDS, NUMBER_FIELDS, ROW_COLUMNS, TEXT_FIELDS, canonical_field, normalise_header

DEFAULT_MAX_FIELD_CHARS = 10_000


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
        values: dict[str, Any] = {name: float(getattr(self, name)[i]) for name in NUMBER_FIELDS}
        values = {name: None if math.isnan(v) else v for name, v in values.items()}
        values.update({name: getattr(self, name)[i] for name in TEXT_FIELDS})
        return Report(
            id=self.ids[i],
            observed_at=self.observed_at[i],
            extra={k: v[i] for k, v in self.extra.items()},
            source=Source(self.file, int(self.rows[i])),
            **values,
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
        if name in NUMBER_FIELDS or name in TEXT_FIELDS:
            return getattr(self, name)
        if name == "area_m2":
            return self.width_m * self.height_m
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
            **{name: getattr(self, name)[s] for name in ROW_COLUMNS},
            extra={k: v[s] for k, v in self.extra.items()},
            file=self.file,
            problems={i - start: p for i, p in self.problems.items() if start <= i < stop},
            columns=list(self.columns),
            raw=self.raw[s],
            sha256=self.sha256,
        )

    @classmethod
    def concat(cls, parts: Sequence[Reports]) -> Reports:
        """One table from consecutive chunks of the same list (problems re-indexed)."""
        if len(parts) == 1:
            return parts[0]
        offsets = np.cumsum([0] + [len(p) for p in parts])
        extra_names = list(dict.fromkeys(k for p in parts for k in p.extra))
        problems = {int(offsets[j]) + i: v for j, p in enumerate(parts) for i, v in p.problems.items()}

        def joined(name: str) -> Any:
            columns = [getattr(p, name) for p in parts]
            if isinstance(columns[0], list):
                return [x for column in columns for x in column]
            return np.concatenate(columns)

        first = parts[0]
        return Reports(
            **{name: joined(name) for name in ROW_COLUMNS},
            extra={k: [x for p in parts for x in p.extra.get(k, [None] * len(p))] for k in extra_names},
            file=first.file,
            problems=problems,
            columns=list(first.columns),
            raw=[r for p in parts for r in p.raw],
            sha256=first.sha256,
        )

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any] | Report], *, file: str = "<records>", first_row: int = 1
    ) -> Reports:
        """Build a table from mappings (any header alias as key) or :class:`Report` objects,
        their rows numbered from ``first_row``."""
        rows: list[tuple[int, Mapping[str, Any]]] = []
        for n, rec in enumerate(records, start=first_row):
            if isinstance(rec, Report):
                d = {k: getattr(rec, k) for k in CORE_FIELDS}
                d.update(rec.extra)
                rec = d
            rows.append((n, rec))
        from .build import build_reports  # (build makes Reports)

        return build_reports(rows, file=file)
