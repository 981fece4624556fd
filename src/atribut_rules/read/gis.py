"""GIS files (Shapefile, GeoPackage, FlatGeobuf, KML/KMZ, GPX) read through pyogrio (extra ``gis``).

Every file is read into memory through :mod:`~atribut_rules.read.inputfiles` (regular files
only, bounded in size) and handed to GDAL as bytes: a Shapefile's ``.shp`` and its
sidecars (``.shx``, ``.dbf``, ``.prj``, ``.cpg``) are packed into an in-memory zip
first, so GDAL never opens a path of its own. A zip is checked before GDAL sees it: a
corrupted archive, or parts that would unzip to more than ``max_unzipped_bytes``, is
refused.

The coordinate reference system is the file's own: coordinates are transformed to
WGS84 longitude and latitude with pyproj, and a layer that does not say its CRS (a
Shapefile without ``.prj``) is refused, so projected metres are never taken for degrees.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import os
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..errors import InputError, MissingExtraError, Text
from .inputfiles import read_input

DEFAULT_MAX_FILE_BYTES = 2 * 1024**3
DEFAULT_MAX_UNZIPPED_BYTES = 2 * 1024**3

ZONE_SUFFIXES = (".shp", ".zip", ".gpkg", ".fgb", ".kml", ".kmz")
"""Zone layer files read through pyogrio (anything else is read as GeoJSON)."""

SHAPEFILE_SIDECARS = (".shx", ".dbf", ".prj", ".cpg")

KML_STYLE_FIELDS = frozenset(
    {"timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude", "visibility", "drawOrder", "icon"}
)
"""Fields GDAL's LIBKML driver adds to every placemark (styling, not data)."""


def pyogrio_module() -> Any:
    """pyogrio, or MissingExtraError naming the extra."""
    try:
        import pyogrio
    except ImportError:
        raise MissingExtraError(
            Text("gis.reading_shapefile_geopackage_flatgeobuf"),
            hint=Text("gis.install_pip_install_atribut_hint"),
        ) from None
    return pyogrio


def split_layer(spec: str | os.PathLike[str]) -> tuple[Path, str | None]:
    """``FILE.gpkg:LAYER`` as (path, layer); any other path as (path, None)."""
    text = str(spec)
    head, sep, tail = text.rpartition(":")
    if sep and tail and head.lower().endswith(".gpkg") and not Path(text).exists():
        return Path(head), tail
    return Path(text), None


def is_gis_zone_source(spec: Any) -> bool:
    """Whether a zone source (a path) is read through pyogrio rather than as GeoJSON."""
    if isinstance(spec, Mapping):
        return False
    path, _ = split_layer(spec)
    return path.suffix.lower() in ZONE_SUFFIXES


def check_zip(data: bytes, *, file: str, error: type[InputError], max_unzipped_bytes: int) -> list[str]:
    """The names of a zip's members; a corrupted zip, or one that unzips too large, raises ``error``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            bad = archive.testzip()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
    ) as exc:
        raise error(
            Text("gis.not_readable_zip_archive", exc=str(exc)[:200]),
            file=file,
            hint=Text("gis.make_zip_file_again_hint"),
        ) from None
    except Exception as exc:  # zlib.error and friends from a damaged member
        raise error(
            Text("gis.not_readable_zip_archive_2", kind=type(exc).__name__, exc=str(exc)[:200]),
            file=file,
            hint=Text("gis.make_zip_file_again_hint"),
        ) from None
    if bad is not None:
        raise error(
            Text("gis.zip_member_corrupted_crc", bad=bad),
            file=file,
            hint=Text("gis.make_zip_file_again_hint"),
        )
    total = sum(info.file_size for info in infos)
    if total > max_unzipped_bytes:
        raise error(
            Text("gis.zip_members_unzip_bytes", total=total, max_unzipped_bytes=max_unzipped_bytes),
            file=file,
            hint=Text("gis.split_archive_hint"),
        )
    return [info.filename for info in infos if not info.is_dir()]


def _shapefile_zip(path: Path, label: str, error: type[InputError], max_bytes: int) -> bytes:
    """The ``.shp`` at ``path`` and its sidecars, packed into an in-memory zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(
            path.name, read_input(path, what="zone file", name=label, error=error, max_bytes=max_bytes)
        )
        for suffix in SHAPEFILE_SIDECARS:
            for side in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
                if side.exists():
                    data = read_input(
                        side, what="zone file", name=str(side), error=error, max_bytes=max_bytes
                    )
                    archive.writestr(path.stem + suffix, data)
                    break
            else:
                if suffix in (".shx", ".dbf"):
                    raise error(
                        Text("gis.shapefile_no_file_beside", suffix=suffix),
                        file=label,
                        hint=Text("gis.copy_next_give_zip_hint", stem=path.stem, suffix=suffix),
                    )
                if suffix == ".prj":
                    raise error(
                        Text("gis.shapefile_no_prj_file"),
                        file=label,
                        hint=Text("gis.copy_prj_next_coordinates_hint", stem=path.stem),
                    )
    return buffer.getvalue()


def read_gis_bytes(
    path: Path,
    *,
    label: str,
    error: type[InputError],
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
) -> tuple[bytes, list[bytes]]:
    """The bytes to hand to GDAL for ``path``, and the bytes of every file read (for digests)."""
    suffix = path.suffix.lower()
    if suffix == ".shp":
        data = _shapefile_zip(path, label, error, max_bytes)
        return data, [data]
    data = read_input(path, what="input file", name=label, error=error, max_bytes=max_bytes)
    if suffix in (".zip", ".kmz"):
        names = check_zip(data, file=label, error=error, max_unzipped_bytes=max_unzipped_bytes)
        if suffix == ".zip":
            shps = [n for n in names if n.lower().endswith(".shp")]
            if len(shps) != 1:
                raise error(
                    Text("gis.zip_holds_shp_files", length=len(shps)),
                    file=label,
                    hint=Text("gis.zip_one_shapefile_shp_hint"),
                )
            if not any(n.lower() == shps[0].lower()[:-4] + ".prj" for n in names):
                raise error(
                    Text("gis.zip_no_prj_file", shps=shps[0]),
                    file=label,
                    hint=Text("gis.add_prj_file_zip_hint"),
                )
    return data, [data]


def list_layers(data: bytes, *, label: str, error: type[InputError]) -> list[tuple[str, str | None]]:
    pyogrio = pyogrio_module()
    try:
        with warnings.catch_warnings():  # GDAL's notes on the in-memory file's name
            warnings.simplefilter("ignore")
            layers = pyogrio.list_layers(data)
    except Exception as exc:  # pyogrio raises DataSourceError and GDAL's errors
        raise error(
            Text("gis.not_readable_gis_file", kind=type(exc).__name__, exc=str(exc)[:200]),
            file=label,
            hint=Text("gis.export_layer_again_as_hint"),
        ) from None
    if len(layers) > MAX_LAYERS:  # each layer is read from the whole file: bound the passes
        raise error(
            Text("gis.file_layers_folders_more", length=len(layers), max_layers=MAX_LAYERS),
            file=label,
            hint=Text("gis.merge_folders_export_placemarks_hint"),
        )
    return [(str(name), None if kind is None else str(kind)) for name, kind in layers]


MAX_LAYERS = 1000
"""Layers (KML folders) one file may have: each is read in a pass over the file."""


def read_layer(
    data: bytes, *, label: str, error: type[InputError], layer: str | int | None = None
) -> tuple[list[str], list[Any], list[dict[str, Any]]]:
    """One layer as (field names, shapely geometries in WGS84 lon/lat or None, property dicts)."""
    pyogrio = pyogrio_module()
    from pyogrio.raw import read

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            meta, _fids, wkb, values = read(data, layer=layer, datetime_as_string=True)
    except Exception as exc:
        raise error(
            Text("gis.cannot_read_layer", layer=layer, kind=type(exc).__name__, exc=str(exc)[:200])
            if layer is not None
            else Text("gis.not_readable_gis_file", kind=type(exc).__name__, exc=str(exc)[:200]),
            file=label,
            hint=Text("gis.export_layer_again_as_hint"),
        ) from None
    del pyogrio
    fields = [str(f) for f in meta["fields"]]
    geoms = np.empty(0, dtype=object) if wkb is None else shapely.from_wkb(wkb, on_invalid="ignore")
    if wkb is not None and len(geoms):
        crs = meta.get("crs")
        if not crs:
            raise error(
                Text("gis.layer_does_not_say"),
                file=label,
                hint=Text("gis.set_crs_gis_shapefile_hint"),
            )
        geoms = to_wgs84(geoms, crs, label=label, error=error)
        geoms = shapely.force_2d(geoms)
    count = len(values[0]) if values else len(geoms)
    props = [{name: _plain(values[i][n]) for i, name in enumerate(fields)} for n in range(count)]
    geom_list = [None if g is None else g for g in geoms] if len(geoms) else [None] * count
    return fields, geom_list, props


def to_wgs84(geoms: np.ndarray, crs: str, *, label: str, error: type[InputError]) -> np.ndarray:
    """``geoms`` transformed from ``crs`` to WGS84 (EPSG:4326) longitude, latitude."""
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except CRSError as exc:
        raise error(Text("gis.unknown_coordinate_reference_system", exc=str(exc)[:200]), file=label) from None
    target = CRS.from_epsg(4326)
    if source == target:
        return geoms
    transformer = Transformer.from_crs(source, target, always_xy=True)

    def move(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack((x, y))

    present = ~shapely.is_missing(geoms)
    out = geoms.copy()
    out[present] = shapely.transform(geoms[present], move)
    return out


def _plain(value: Any) -> Any:
    """A field value as a plain Python scalar (NaN and NaT as None)."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def zone_collection(
    spec: str | os.PathLike[str],
    *,
    label: str,
    error: type[InputError],
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> tuple[dict[str, Any], str]:
    """A GIS zone file (``FILE.gpkg:LAYER`` for one layer of a GeoPackage) as a GeoJSON-like
    FeatureCollection in WGS84, and the SHA-256 of what was read.

    A GeoPackage with more than one layer needs the layer named; a KML/KMZ file's layers
    (folders) are read one after another."""
    import hashlib

    path, layer = split_layer(spec)
    pyogrio_module()
    data, parts = read_gis_bytes(path, label=label, error=error, max_bytes=max_bytes)
    digest = hashlib.sha256(b"".join(parts)).hexdigest()
    layers = list_layers(data, label=label, error=error)
    suffix = path.suffix.lower()
    if layer is not None:
        if layer not in [name for name, _ in layers]:
            raise error(
                Text("gis.no_layer", layer=layer),
                file=label,
                hint=Text("gis.layers_hint", names=", ".join(name for name, _ in layers)[:200]),
            )
        wanted: list[str | int] = [layer]
    elif suffix in (".kml", ".kmz"):
        wanted = [name for name, _ in layers]
    elif len(layers) > 1:
        raise error(
            Text("gis.file_layers_say_which", length=len(layers)),
            file=label,
            hint=Text(
                "gis.use_file_layer_one_hint",
                suffix=suffix,
                names=", ".join(name for name, _ in layers)[:200],
            ),
        )
    else:
        wanted = [0]
    features: list[dict[str, Any]] = []
    for name in wanted:
        _fields, geoms, props = read_layer(data, label=label, error=error, layer=name)
        for geom, prop in zip(geoms, props):
            if suffix in (".kml", ".kmz"):
                prop = kml_properties(prop)
                if geom is not None and geom.geom_type == "Point" and geom.x == 0 and geom.y == 0:
                    geom = None  # GDAL reads an empty <coordinates> as 0,0: no geometry
            features.append(
                {
                    "type": "Feature",
                    "properties": prop,
                    "geometry": None if geom is None else json.loads(shapely.to_geojson(geom)),
                }
            )
    return {"type": "FeatureCollection", "features": features}, digest


def kml_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """A placemark's fields without LIBKML's styling ones, ``Name`` as ``name``, and the
    fields of its description table (see :func:`description_fields`) where not already given."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if key in KML_STYLE_FIELDS or value is None or key == "id" and value == "":
            continue
        out["name" if key == "Name" else key] = value
    description = out.get("description")
    if isinstance(description, str):
        table = description_fields(description)
        if table:
            out.pop("description")
            for key, value in table.items():
                out.setdefault(key, value)
    return out


MAX_DESCRIPTION_CHARS = 100_000
"""Characters of a placemark description that are parsed for a table."""


def description_fields(text: str) -> dict[str, str]:
    """The fields of a placemark description as Google My Maps writes it (``key: value``
    lines separated by ``<br>``) or as GIS exports write it (an HTML table of two-cell
    rows). Empty when the description is free text."""
    import html
    import re
    from html.parser import HTMLParser

    text = text[:MAX_DESCRIPTION_CHARS]
    if "<td" in text.lower() or "<th" in text.lower():
        rows: list[list[str]] = []

        class Table(HTMLParser):
            def handle_starttag(self, tag: str, attrs: Any) -> None:
                if tag == "tr":
                    rows.append([])
                elif tag in ("td", "th") and rows:
                    rows[-1].append("")

            def handle_data(self, data: str) -> None:
                if rows and rows[-1]:
                    rows[-1][-1] += data

        parser = Table(convert_charrefs=True)
        parser.feed(text)
        parser.close()
        out = {r[0].strip(): r[1].strip() for r in rows if len(r) == 2 and 0 < len(r[0].strip()) <= 64}
        if out:
            return out
    lines = re.split(r"<br\s*/?>|\n", text, flags=re.IGNORECASE)
    out = {}
    for line in lines:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = html.unescape(key).strip()
        if not sep or not key or len(key) > 64 or "<" in key or "/" in key:
            return {}
        out[key] = html.unescape(value).strip()
    return out


__all__ = [
    "ZONE_SUFFIXES",
    "check_zip",
    "description_fields",
    "is_gis_zone_source",
    "kml_properties",
    "pyogrio_module",
    "read_gis_bytes",
    "read_layer",
    "split_layer",
    "zone_collection",
]
