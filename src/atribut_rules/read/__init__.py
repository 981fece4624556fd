"""Readers turn report files into a :class:`~atribut_rules.table.reports.Reports` table.

One module per format; :func:`read_reports` picks one by file extension. A file
that cannot be read at all raises :class:`~atribut_rules.errors.InputError`; a
row that can be read but not used becomes an invalid row in the table.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError, Text
from ..table.build import TableParts
from ..table.reports import DEFAULT_MAX_FIELD_CHARS, Reports
from .csv_reader import read_csv, read_csv_file
from .digest import file_sha256
from .geojson_reader import read_geojson_reports
from .gis_reader import read_gpx_reports, read_kml_reports
from .inputfiles import check_regular_file, read_input
from .jsonl_reader import read_jsonl
from .photo_reader import read_photo_reports
from .xlsx_reader import read_xlsx

READERS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".kml": "kml",
    ".kmz": "kmz",
    ".gpx": "gpx",
    ".zip": "photos",
}
"""Report formats by extension; a folder is read as photos."""

DEFAULT_MAX_FILE_BYTES = 2 * 1024**3


def display_name(path: str | os.PathLike[str], relative_to: str | os.PathLike[str] | None) -> str:
    """``path`` as given, or relative to ``relative_to`` when it lies under it (POSIX slashes)."""
    if relative_to is not None:
        try:
            return Path(path).resolve().relative_to(Path(relative_to).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def read_reports(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    encoding: str | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    relative_to: str | os.PathLike[str] | None = None,
) -> Reports:
    """Read reports from a CSV, GeoJSON, JSON Lines or XLSX (extra ``xlsx``) file, a KML/KMZ
    or GPX file (extra ``gis``), or a folder or zip of photos (extra ``photos``).

    ``format`` is ``csv``, ``geojson``, ``jsonl``, ``xlsx``, ``kml``, ``kmz``, ``gpx`` or
    ``photos`` (default: from the extension; a folder is ``photos``).
    ``encoding`` overrides the detected text encoding (UTF-8, with or without a
    BOM, or UTF-16 with a BOM). Files over ``max_file_bytes`` are refused; a field
    over ``max_field_chars`` makes its row invalid (docs/limits.md). Verdicts name the file as given, or relative to
    ``relative_to`` when that is one of its folders.
    """
    p = Path(path)
    fmt = report_format(p, format)
    name = display_name(path, relative_to)
    if fmt == "photos":
        return read_photo_reports(
            p, file=name, max_file_bytes=max_file_bytes, max_field_chars=max_field_chars
        )
    data = read_input(p, what="reports file", name=str(path), max_bytes=max_file_bytes)
    if fmt == "csv":
        reports = read_csv(data, file=name, encoding=encoding, max_field_chars=max_field_chars)
    elif fmt == "geojson":
        reports = read_geojson_reports(data, file=name, encoding=encoding, max_field_chars=max_field_chars)
    elif fmt == "jsonl":
        reports = read_jsonl(data, file=name, encoding=encoding, max_field_chars=max_field_chars)
    elif fmt == "xlsx":
        reports = read_xlsx(data, file=name, max_field_chars=max_field_chars)
    elif fmt in ("kml", "kmz"):
        reports = read_kml_reports(data, file=name, kmz=fmt == "kmz", max_field_chars=max_field_chars)
    elif fmt == "gpx":
        reports = read_gpx_reports(data, file=name, max_field_chars=max_field_chars)
    else:
        raise InputError(
            Text("reports.unknown_reports_format", fmt=fmt),
            file=name,
            hint=Text("reports.use_csv_geojson_jsonl_hint"),
        )
    reports.sha256 = hashlib.sha256(data).hexdigest()
    return reports


class ReportChunks:
    """A reports file read in tables of ``chunk_rows`` rows, anew on every iteration.

    Built by :func:`report_chunks`. ``sha256`` is the file's digest (read once, in blocks);
    every table carries it. Row numbers and repeated ids are those of the whole file.
    """

    def __init__(self, path: Path, name: str, chunk_rows: int, options: dict) -> None:
        self.path, self.name, self.chunk_rows, self.options = path, name, chunk_rows, options
        self._sha256: str | None = None

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            try:
                check_regular_file(self.path, what="reports file", name=str(self.path))
                self._sha256 = file_sha256(self.path)
            except OSError as exc:
                raise InputError(
                    Text("reports.unreadable", strerror=exc.strerror), file=str(self.path)
                ) from None
        return self._sha256

    def __iter__(self) -> Iterator[Reports]:
        sha = self.sha256
        for chunk in read_csv_file(self.path, file=self.name, chunk_rows=self.chunk_rows, **self.options):
            chunk.sha256 = sha
            yield chunk

    def first_table(self) -> Reports | None:
        """The header and first row as a table (what the list provides, for checking that the
        rules' needs are met before the whole file is read), or None when it has no row."""
        rows = read_csv_file(self.path, file=self.name, chunk_rows=1, **self.options)
        try:
            return next(iter(rows), None)
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    def parts(self) -> Iterator[TableParts]:
        """The same chunks, each as packed :class:`~atribut_rules.table.reports.TableParts`: read and
        checked for repeated ids here, normalised by ``build()`` wherever it is called (a worker
        process of :func:`~atribut_rules.scale.processes.render_chunks`), into the same tables."""
        sha = self.sha256
        options = dict(self.options, deferred=True)
        for parts in read_csv_file(self.path, file=self.name, chunk_rows=self.chunk_rows, **options):
            parts.sha256 = sha
            yield parts


STREAMED_READERS = ("csv",)
"""Report formats that can be read in chunks (:func:`report_chunks`)."""


def _refuse_too_large(path: Path, max_file_bytes: int, name: str) -> None:
    """Raise InputError (naming the file ``name``) when it cannot be opened, is not a regular
    file or is too large."""
    check_regular_file(path, what="reports file", name=name, max_bytes=max_file_bytes)


def report_format(path: str | os.PathLike[str], format: str | None = None) -> str:
    """The reports format of ``path``: ``format`` if given, else from its extension."""
    p = Path(path)
    # a folder is photos, unless its name says another format (then it is refused as a folder)
    fmt = format or READERS.get(p.suffix.lower()) or ("photos" if p.is_dir() else None)
    if fmt is None:
        raise InputError(
            Text("reports.cannot_tell_format_from", name=p.name),
            file=str(path),
            hint=Text("reports.use_csv_geojson_json_hint"),
        )
    return fmt


def report_chunks(
    path: str | os.PathLike[str],
    *,
    chunk_rows: int = 25_000,
    encoding: str | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    relative_to: str | os.PathLike[str] | None = None,
    keep_raw: bool = False,
) -> ReportChunks:
    """A CSV reports file as a re-iterable sequence of tables of ``chunk_rows`` rows.

    Checked and read as :func:`read_reports` reads it, but one chunk at a time, so
    memory does not grow with the file. ``keep_raw`` keeps the input cells (for
    writers that hand the sheet back). ``chunk_rows`` below 1 is a ValueError.
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
    p = Path(path)
    fmt = report_format(p)
    if fmt not in STREAMED_READERS:
        raise InputError(
            Text("reports.reports_cannot_read_chunks", fmt=fmt),
            file=str(path),
            hint=Text("reports.use_csv_file_hint"),
        )
    _refuse_too_large(p, max_file_bytes, str(path))
    options = {"encoding": encoding, "max_field_chars": max_field_chars, "keep_raw": keep_raw}
    return ReportChunks(p, display_name(path, relative_to), chunk_rows, options)


__all__ = [
    "ReportChunks",
    "display_name",
    "read_csv",
    "report_chunks",
    "report_format",
    "read_geojson_reports",
    "read_gpx_reports",
    "read_kml_reports",
    "read_photo_reports",
    "read_jsonl",
    "read_reports",
    "read_xlsx",
]
