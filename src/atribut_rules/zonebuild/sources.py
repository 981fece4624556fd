"""Map sources read as records: properties (text), an id, and a geometry made on demand.

Formats: GeoJSON (an Overpass turbo / osmtogeojson export, or any gazetteer),
CSV (a WKT geometry column or lon/lat columns) and OSM files (``.osm.pbf``,
``.osm``, ``.o5m``) through pyosmium, the optional extra ``osm``. Geometry is
built only for records a mapping keeps, so a large extract stays cheap.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

from ..errors import InputError, MissingExtraError, Text
from ..read.csv_reader import csv_records
from ..read.geojson_reader import load_json
from ..read.json_text import first_non_text, may_hold_surrogates
from ..read.text import decode
from .mapping import ZoneMapping

WGS84_CRS_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "urn:ogc:def:crs:EPSG::4326",
        "urn:ogc:def:crs:EPSG:6.6:4326",
        "EPSG:4326",
        "CRS84",
    }
)
OSM_SUFFIXES = (".pbf", ".osm", ".o5m", ".osm.bz2", ".osm.gz")
WKT_COLUMNS = ("geometry", "wkt", "geom", "the_geom", "shape")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "x", "bujur")
LAT_COLUMNS = ("lat", "latitude", "y", "lintang")
_OSM_TYPED = re.compile(r"^(node|way|relation)/(\d+)$")
_OSM_SHORT = re.compile(r"^([nwr])(\d+)$")
_SHORT_TYPES = {"n": "node", "w": "way", "r": "relation"}


@dataclass
class Record:
    """One feature or row of a source: 1-based ``number``, its id as found, properties as text."""

    number: int
    raw_id: str | None
    props: dict[str, str]
    geometry: Callable[[], Any]


def source_kind(path: Path) -> str:
    """``geojson``, ``csv`` or ``osm`` from the file name."""
    name = path.name.lower()
    if name.endswith((".geojson", ".json")):
        return "geojson"
    if name.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    if name.endswith(OSM_SUFFIXES):
        return "osm"
    raise InputError(
        Text("zonebuild.cannot_tell_format", name=path.name),
        file=str(path),
        hint=Text("zonebuild.zone_sources_geojson_json_hint"),
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return None
    return str(value).strip()


def _clean(raw: Mapping[str, Any], missing: frozenset[str]) -> dict[str, str]:
    out = {}
    for key, value in raw.items():
        text = _text(value)
        if text is not None and text not in missing:
            out[str(key)] = text
    return out


def osm_id(value: str | None, osm_type: str | None = None) -> str | None:
    """An OSM id as ``osm:TYPE/ID`` (``way/12``, ``w12`` or ``12`` with its type); else ``osm:ID``."""
    if value is None:
        return None
    m = _OSM_TYPED.match(value)
    if m:
        return f"osm:{m.group(1)}/{m.group(2)}"
    m = _OSM_SHORT.match(value)
    if m:
        return f"osm:{_SHORT_TYPES[m.group(1)]}/{m.group(2)}"
    if osm_type in ("node", "way", "relation") and value.isdigit():
        return f"osm:{osm_type}/{value}"
    return f"osm:{value}"


def _record_id(feature_id: Any, props: Mapping[str, str], mapping: ZoneMapping) -> str | None:
    raw = _text(feature_id)
    if not raw:
        for name in mapping.id_fields:
            if props.get(name):
                raw = props[name]
                break
    if not raw:
        return None
    if mapping.tags == "osm":
        raw = osm_id(raw, props.get("osm_type") or props.get("@type") or props.get("type"))
    return f"{mapping.id_prefix}{raw}"


def read_geojson(data: bytes, label: str, mapping: ZoneMapping) -> Iterator[Record]:
    """Records of a GeoJSON FeatureCollection; OSM tags nested under ``tags`` are flattened.

    A feature whose id or properties hold text that is not Unicode (a lone surrogate
    escape such as ``"\\ud800"``, which no UTF-8 writer can write) makes the source an
    error naming the feature and the field."""
    text = decode(data, file=label)
    doc = load_json(text, file=label)
    if may_hold_surrogates(text):
        _refuse_non_text(doc, label)
    if not isinstance(doc, Mapping) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, Mapping) else type(doc).__name__
        raise InputError(Text("zonebuild.expected_geojson_featurecollection_found", kind=kind), file=label)
    crs = doc.get("crs")
    if isinstance(crs, Mapping):
        name = (crs.get("properties") or {}).get("name")
        if isinstance(name, str) and name not in WGS84_CRS_NAMES:
            raise InputError(
                Text("zonebuild.file_declares_coordinate_reference", name=name),
                file=label,
                field="crs",
                hint=Text("zonebuild.reproject_epsg_4326_e_hint"),
            )
    features = doc.get("features")
    if not isinstance(features, list):
        raise InputError(Text("zonebuild.features_not_list"), file=label, field="features")
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, Mapping):
            yield Record(n, None, {}, _fail("the feature is not an object"))
            continue
        props_raw = feature.get("properties") or {}
        if not isinstance(props_raw, Mapping):
            props_raw = {}
        tags = props_raw.get("tags")
        meta: dict[str, str] = {}
        if mapping.tags == "osm" and isinstance(tags, Mapping):
            # classic osmtogeojson: {"type": "way", "id": 1, "tags": {...}}
            if props_raw.get("type") and props_raw.get("id") is not None:
                meta["@id"] = f"{props_raw['type']}/{_text(props_raw['id'])}"
            source = {**props_raw, **tags}
        else:
            source = props_raw
        props = _clean(source, mapping.missing_values)
        if mapping.tags == "osm":
            props.pop("tags", None)
        props.update(meta)
        rid = _record_id(feature.get("id"), props, mapping)
        yield Record(n, rid, props, _geojson_geometry(feature.get("geometry")))


def _refuse_non_text(doc: Any, label: str) -> None:
    features = doc.get("features") if isinstance(doc, Mapping) else None
    for n, feature in enumerate(features if isinstance(features, list) else [], start=1):
        if not isinstance(feature, Mapping):
            continue
        where = first_non_text({"id": feature.get("id"), "properties": feature.get("properties")})
        if where is not None:
            raise InputError(
                Text("zonebuild.feature_not_valid_unicode", n=n, where=where),
                file=label,
                field=where,
                hint=Text("zonebuild.write_text_again_hint"),
            )


def _fail(message: str) -> Callable[[], Any]:
    def build() -> Any:
        raise ValueError(message)

    return build


def _geojson_geometry(geom: Any) -> Callable[[], Any]:
    def build() -> Any:
        if geom is None:
            raise ValueError("the feature has no geometry")
        if not isinstance(geom, Mapping) or not isinstance(geom.get("type"), str):
            raise ValueError("the geometry is not a GeoJSON geometry object")
        try:
            return shapely.from_geojson(json.dumps(geom))
        except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
            raise ValueError(f"unreadable {geom.get('type')} geometry ({exc})") from None

    return build


def _pick(
    header: list[str], wanted: str | None, guesses: tuple[str, ...], label: str, what: str
) -> str | None:
    if wanted:
        if wanted not in header:
            raise InputError(Text("zonebuild.no_column_header", what=what, wanted=wanted), file=label, line=1)
        return wanted
    lower = {h.lower().strip(): h for h in header}
    for g in guesses:
        if g in lower:
            return lower[g]
    return None


def read_csv(data: bytes, label: str, mapping: ZoneMapping) -> Iterator[Record]:
    """Records of a CSV gazetteer: geometry from a WKT column, else from lon/lat columns."""
    text = decode(data, file=label).lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count) if first else ","
    # read as strictly as a reports CSV (a quote left open, NUL bytes: errors naming the
    # line); a field may be as long as the file, since a WKT polygon can be megabytes
    header, records = csv_records(
        text, file=label, what="zone source", max_field_chars=len(text), delimiter=delimiter
    )
    if not header:
        raise InputError(Text("zonebuild.csv_file_empty"), file=label)
    wkt = _pick(header, mapping.wkt_field, WKT_COLUMNS, label, "WKT geometry")
    lon = lat = None
    if wkt is None or mapping.lon_field:
        lon = _pick(header, mapping.lon_field, LON_COLUMNS, label, "longitude")
        lat = _pick(header, mapping.lat_field, LAT_COLUMNS, label, "latitude")
        if lon is None or lat is None:
            raise InputError(
                Text("zonebuild.no_geometry_column_need"),
                file=label,
                line=1,
                hint=Text("zonebuild.name_them_mapping_input_hint"),
            )
        wkt = None
    for n, (line, row) in enumerate(records, start=1):
        raw = dict(zip(header, row))
        props = _clean(raw, mapping.missing_values)
        rid = _record_id(None, props, mapping)
        if wkt is not None:
            geometry = _wkt_geometry(props.get(wkt), line)
            props.pop(wkt, None)
        else:
            geometry = _lonlat_geometry(props.get(lon), props.get(lat), line)
        yield Record(n, rid, props, geometry)


def _wkt_geometry(value: str | None, line: int) -> Callable[[], Any]:
    def build() -> Any:
        if not value:
            raise ValueError(f"line {line}: empty geometry")
        try:
            return shapely.from_wkt(value)
        except (shapely.errors.GEOSException, ValueError) as exc:
            raise ValueError(f"line {line}: unreadable WKT ({exc})") from None

    return build


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    t = text.strip()
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _lonlat_geometry(lon: str | None, lat: str | None, line: int) -> Callable[[], Any]:
    def build() -> Any:
        x, y = _number(lon), _number(lat)
        if x is None or y is None:
            raise ValueError(f"line {line}: longitude {lon!r} / latitude {lat!r} are not numbers")
        return shapely.Point(x, y)

    return build


def _osmium() -> Any:
    try:
        import osmium
    except ImportError:
        raise MissingExtraError(
            Text("zonebuild.reading_osm_pbf_osm"),
            hint=Text("zonebuild.pip_install_atribut_rules_hint"),
        ) from None
    return osmium


# Closed ways with these keys are lines (a roundabout, a fence), not areas, unless area=yes.
_LINEAR_KEYS = ("highway", "barrier", "railway", "waterway", "power")


def _is_linear(tags: Mapping[str, str]) -> bool:
    if tags.get("area") == "yes":
        return False
    if tags.get("natural") == "tree_row":
        return True
    return any(k in tags for k in _LINEAR_KEYS)


def read_osm(path: Path, label: str, mapping: ZoneMapping) -> Iterator[Record]:
    """Records of an OSM file through pyosmium: tagged nodes, ways (lines) and areas.

    Closed ways become areas unless their tags make them lines (``highway``,
    ``barrier`` ... without ``area=yes``); multipolygon relations become areas.
    """
    osmium = _osmium()
    wkb = osmium.geom.WKBFactory()
    processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
    n = 0
    try:
        for obj in processor:
            tags = {t.k: t.v for t in obj.tags}
            if not tags:
                continue
            props = _clean(tags, mapping.missing_values)
            if obj.is_node():
                rid, make = f"node/{obj.id}", _wkb(wkb.create_point, obj)
            elif obj.is_way():
                if obj.is_closed() and not _is_linear(tags):
                    continue  # it comes back as an area
                rid, make = f"way/{obj.id}", _wkb(wkb.create_linestring, obj)
            elif obj.is_area():
                if obj.from_way() and _is_linear(tags):
                    continue
                kind = "way" if obj.from_way() else "relation"
                rid, make = f"{kind}/{obj.orig_id()}", _wkb(wkb.create_multipolygon, obj)
            else:
                continue
            n += 1
            yield Record(n, f"{mapping.id_prefix}osm:{rid}", props, make)
    except RuntimeError as exc:
        raise InputError(Text("zonebuild.cannot_read_osm_file", exc=exc), file=label) from None


def _wkb(create: Callable[[Any], Any], obj: Any) -> Callable[[], Any]:
    # pyosmium objects are only valid inside the loop: make the WKB now, parse it on demand.
    try:
        data = create(obj)
        error = None
    except Exception as exc:  # osmium.InvalidLocationError, incomplete area...
        data, error = None, str(exc) or type(exc).__name__

    def build() -> Any:
        if data is None:
            raise ValueError(f"cannot build the geometry ({error})")
        return shapely.from_wkb(bytes.fromhex(data) if isinstance(data, str) else data)

    return build


def read_records(path: Path, label: str, data: bytes | None, mapping: ZoneMapping) -> Iterator[Record]:
    """Records of one source file, by its format (``data`` is its bytes, except for OSM files)."""
    kind = source_kind(path)
    if kind == "geojson":
        assert data is not None
        return read_geojson(data, label, mapping)
    if kind == "csv":
        assert data is not None
        return read_csv(data, label, mapping)
    return read_osm(path, label, mapping)
