"""The report fields: one registry that names each canonical field, its kind and its aliases.

Everything that lists the report columns reads :data:`FIELDS`: the header aliases, the
:class:`~.reports.Reports` columns (slicing, joining chunks, one :class:`Report`), the
values a rule or message reads, the writers' columns and what coverage counts as always
present.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """A canonical report field.

    ``kind``: ``id``; ``coordinate`` (decimal degrees, required); ``measure`` (metres,
    blank allowed, never negative); ``text`` (``folded`` ones compared case-folded);
    ``date``. ``aliases`` are the headers that name it, normalised
    (:func:`normalise_header`); ``label`` and ``expected`` are what a problem with its
    value says.
    """

    name: str
    kind: str
    aliases: tuple[str, ...]
    label: str | None = None
    expected: dict[str, str] = field(default_factory=dict)
    folded: bool = False


FIELDS: tuple[Field, ...] = (
    Field("id", "id", ("id", "no", "nomor", "no_laporan", "kode", "report_id")),
    Field(
        "lon",
        "coordinate",
        ("lon", "lng", "long", "longitude", "bujur", "x"),
        "lon (bujur)",
        {"id": "derajat desimal, misalnya 106,1133", "en": "decimal degrees such as 106.1133"},
    ),
    Field(
        "lat",
        "coordinate",
        ("lat", "latitude", "lintang", "y"),
        "lat (lintang)",
        {"id": "derajat desimal, misalnya -2,1291", "en": "decimal degrees such as -2.1291"},
    ),
    Field(
        "accuracy_m",
        "measure",
        ("accuracy_m", "accuracy", "akurasi_m", "akurasi", "gps_accuracy_m"),
        "accuracy_m (akurasi_m)",
        {"id": "angka meter, misalnya 5 atau 2,5", "en": "a number of metres such as 5 or 2.5"},
    ),
    Field("type", "text", ("type", "jenis", "jenis_apk", "jenis_atribut"), folded=True),
    Field(
        "width_m",
        "measure",
        ("width_m", "width", "lebar_m", "lebar"),
        "width_m (lebar_m)",
        {"id": "angka meter, misalnya 4 atau 1,5", "en": "a number of metres such as 4 or 1.5"},
    ),
    Field(
        "height_m",
        "measure",
        ("height_m", "height", "tinggi_m", "tinggi"),
        "height_m (tinggi_m)",
        {"id": "angka meter, misalnya 7 atau 0,6", "en": "a number of metres such as 7 or 0.6"},
    ),
    Field("party", "text", ("party", "partai", "parpol")),
    Field("candidate", "text", ("candidate", "caleg", "calon", "kandidat", "paslon")),
    Field(
        "observed_at",
        "date",
        ("observed_at", "tanggal", "waktu", "date", "datetime", "tanggal_temuan"),
        "observed_at (tanggal)",
    ),
    Field(
        "mounted_on",
        "text",
        ("mounted_on", "dipasang_di", "media", "media_pemasangan", "mounted"),
        folded=True,
    ),
)
"""The canonical fields, with their header aliases (after :func:`normalise_header`: trimmed,
lower case, spaces, dots and hyphens as underscores), as README.md's "Header aliases" lists them."""
FIELD = {f.name: f for f in FIELDS}
CORE_FIELDS = tuple(f.name for f in FIELDS)
"""The canonical fields, in the order writers put them."""
HEADER_ALIASES: dict[str, tuple[str, ...]] = {f.name: f.aliases for f in FIELDS}
"""Per canonical field, the headers that name it (normalised): documented in the README."""
NUMBER_FIELDS = tuple(f.name for f in FIELDS if f.kind in ("coordinate", "measure"))
"""Fields held as float arrays (NaN where missing)."""
MEASURE_FIELDS = tuple(f.name for f in FIELDS if f.kind == "measure")
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.kind == "text")
"""Fields held as object arrays of text (None where missing)."""
ROW_COLUMNS = ("ids", *NUMBER_FIELDS, *TEXT_FIELDS, "observed_at", "observed_day", "rows")
"""The :class:`~.reports.Reports` attributes that hold one entry per row."""
DERIVED_FIELDS = {"area_m2": ("width_m", "height_m")}
"""Values computed from fields, which rules and messages may name like a field."""

_ALIAS_TO_FIELD = {alias: f.name for f in FIELDS for alias in f.aliases}


def normalise_header(name: str) -> str:
    """Lower-case ``name``, trim it and turn spaces, dots and hyphens into underscores."""
    return re.sub(r"[\s\-.]+", "_", name.strip().lstrip("\ufeff").casefold())


def canonical_field(header: str) -> str | None:
    """The canonical field a header names, or None when it is an extra column."""
    return _ALIAS_TO_FIELD.get(normalise_header(header))


def id_column(header: Sequence[str]) -> int | None:
    """The place of the first column naming the ``id`` field, or None when none does."""
    return next((k for k, h in enumerate(header) if canonical_field(h) == "id"), None)
