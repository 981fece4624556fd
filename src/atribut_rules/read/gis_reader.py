"""KML/KMZ placemarks and GPX waypoints as reports, read through pyogrio (extra ``gis``).

KML/KMZ: each placemark is one report, numbered from 1 in file order (folders one after
another). Its name is the report id; its ``ExtendedData`` fields and the fields of its
description table (Google My Maps writes ``key: value`` lines separated by ``<br>``,
GIS exports an HTML table of two-cell rows) are its columns, matched by the usual
header aliases (``jenis``, ``partai``, ``tanggal``, ...); any other field is an extra
column. A placemark without coordinates, or at exactly 0,0 (what an empty
``<coordinates>`` reads as), is an invalid row; one that is not a Point is too.

GPX: each waypoint (``<wpt>``) is one report: ``name`` is the id, ``time`` the
``observed_at`` and ``hdop`` gives ``accuracy_m`` as ``hdop`` × :data:`HDOP_METRES`
(``hdop`` stays a column). Tracks and routes are not reports: a GPX file with no
waypoint is an error.
"""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..errors import InputError, Text
from ..model import Problem
from ..table.build import build_reports
from ..table.reports import DEFAULT_MAX_FIELD_CHARS, Reports
from .gis import check_zip, kml_properties, list_layers, pyogrio_module, read_layer

HDOP_METRES = 5.0
"""Metres of horizontal error per unit of HDOP (the user range error of a consumer GPS
receiver, about 5 m): ``accuracy_m = hdop * HDOP_METRES``. An estimate, documented in
docs/inputs.md; a receiver's own accuracy figure, where it writes one, is better."""

DEFAULT_MAX_UNZIPPED_BYTES = 2 * 1024**3


def raw_cells(rows: list[tuple[int, dict[str, Any]]], columns: list[str]) -> list[list[str]]:
    """The cells of ``rows`` as text, in ``columns`` order (what the CSV and XLSX writers hand back)."""
    return [["" if r.get(c) is None else str(r.get(c)) for c in columns] for _, r in rows]


def records_table(
    rows: list[tuple[int, dict[str, Any]]],
    columns: list[str],
    *,
    file: str,
    problems: dict[int, list[Problem]],
    max_field_chars: int,
) -> Reports:
    """The table of records read from a file without a header of its own (KML, GPX, photos):
    ``columns`` as its header and the records' texts as its cells, so the sheet writers
    hand it back like a CSV list."""
    return build_reports(
        rows,
        file=file,
        columns=columns,
        raw=raw_cells(rows, columns),
        row_problems=problems,
        max_field_chars=max_field_chars,
    )


def _no_position(detail_id: str, detail_en: str) -> Problem:
    detail = {"id": detail_id, "en": detail_en}
    return Problem("no_position", "lat", None, i18n.render("no_position", detail=detail))


def _point(geom: Any, what_id: str, what_en: str) -> tuple[Any, Any, list[Problem]]:
    """(lon, lat, problems) of a report's geometry."""
    if geom is None or geom.is_empty:
        return None, None, [_no_position(f"{what_id} tanpa koordinat", f"{what_en} without coordinates")]
    if geom.geom_type != "Point":
        kind = geom.geom_type
        return None, None, [Problem("not_point", "geometry", kind, i18n.render("not_point", value=kind))]
    if geom.x == 0 and geom.y == 0:
        return (
            None,
            None,
            [_no_position(f"{what_id} di 0,0 (koordinat kosong)", f"{what_en} at 0,0 (empty coordinates)")],
        )
    return geom.x, geom.y, []


def read_kml_reports(
    data: bytes,
    *,
    file: str = "<kml>",
    kmz: bool = False,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
) -> Reports:
    """Read the placemarks of a KML (or, with ``kmz``, KMZ) file into a :class:`Reports` table."""
    pyogrio_module()
    if kmz:
        check_zip(data, file=file, error=InputError, max_unzipped_bytes=max_unzipped_bytes)
    layers = list_layers(data, label=file, error=InputError)
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: dict[int, list[Problem]] = {}
    columns: dict[str, None] = {"id": None}
    for name, _kind in layers:
        _fields, geoms, props = read_layer(data, label=file, error=InputError, layer=name)
        for geom, prop in zip(geoms, props):
            record = kml_properties(prop)
            if "id" in record:
                record["kml_id"] = record.pop("id")
            record["id"] = record.pop("name", None)
            lon, lat, probs = _point(geom, "placemark", "placemark")
            record["lon"], record["lat"] = lon, lat
            if probs:
                problems[len(rows)] = probs
            columns.update(dict.fromkeys(k for k in record if k not in ("lon", "lat")))
            rows.append((len(rows) + 1, record))
    if not rows:
        raise InputError(
            Text("gis.kml_file_no_placemarks"), file=file, hint=Text("gis.mark_each_attribute_as_hint")
        )
    cols = ["id", "lat", "lon", *(c for c in columns if c != "id")]
    rows = [(n, {c: r.get(c) for c in cols}) for n, r in rows]
    return records_table(rows, cols, file=file, problems=problems, max_field_chars=max_field_chars)


def read_gpx_reports(
    data: bytes, *, file: str = "<gpx>", max_field_chars: int = DEFAULT_MAX_FIELD_CHARS
) -> Reports:
    """Read the waypoints of a GPX file into a :class:`Reports` table."""
    pyogrio_module()
    layers = dict(list_layers(data, label=file, error=InputError))
    if "waypoints" not in layers:
        raise InputError(Text("gis.not_gpx_file_no"), file=file, hint=Text("gis.export_points_as_gpx_hint"))
    fields, geoms, props = read_layer(data, label=file, error=InputError, layer="waypoints")
    if not props:
        other = []
        for layer, what in (("tracks", "track"), ("routes", "route")):
            if layer in layers:
                _f, _g, found = read_layer(data, label=file, error=InputError, layer=layer)
                if found:
                    other.append(Text(f"gis.count_{what}{'s' if len(found) > 1 else ''}", count=len(found)))
        holds = Text(f"gis.holds_{len(other)}", first=other[0], second=other[-1]) if other else ""
        raise InputError(
            Text("gis.gpx_file_no_waypoints", holds=holds),
            file=file,
            hint=Text("gis.mark_each_attribute_as_hint_2"),
        )
    used = [f for f in fields if any(p.get(f) not in (None, "") for p in props)]
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: dict[int, list[Problem]] = {}
    cols = ["id", "lat", "lon", "observed_at", "accuracy_m", *(f for f in used if f not in ("name", "time"))]
    for geom, prop in zip(geoms, props):
        lon, lat, probs = _point(geom, "waypoint", "waypoint")
        record: dict[str, Any] = {
            "id": prop.get("name"),
            "lat": lat,
            "lon": lon,
            "observed_at": prop.get("time"),
        }
        hdop = prop.get("hdop")
        record["accuracy_m"] = round(hdop * HDOP_METRES, 2) if isinstance(hdop, (int, float)) else None
        record.update({f: prop.get(f) for f in used if f not in ("name", "time")})
        if probs:
            problems[len(rows)] = probs
        rows.append((len(rows) + 1, record))
    return records_table(rows, cols, file=file, problems=problems, max_field_chars=max_field_chars)


__all__ = ["HDOP_METRES", "read_gpx_reports", "read_kml_reports"]
