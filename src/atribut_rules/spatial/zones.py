"""Zone layers: GeoJSON features with a category, projected and indexed once per area.

A zone is a polygon (its area counts, grounds and fence included when the
polygon draws them), or a point or line that stands for an area through a
radius (a ``radius_m`` property, else the rule set's default for the category).
Invalid features are refused with their feature id; nothing is guessed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geojson
import numpy as np
import shapely

from ..categories import canonical_category
from ..errors import Text, ZoneError
from ..read import json_text
from ..read.geojson_reader import load_json
from ..read.inputfiles import read_input
from ..read.text import decode
from .projection import Area, degrees_for

_KINDS = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}

ORIGIN_KEYS = ("source_file", "source_sha256", "source_id", "geometry_kind")
"""Feature properties written by ``zones build`` that say where a zone came from."""

ZoneSource = (
    "str | os.PathLike[str] | Mapping[str, Any] | tuple[str | os.PathLike[str] | Mapping[str, Any], str]"
)


PREPARED_LIMIT = 256
"""Prepared indexes kept per :class:`Zones` (a run uses one per projection area and purpose; a national list has about 120 areas)."""


@dataclass
class Zones:
    """All zone features of a run, as columns. ``len(zones)`` is the feature count.

    ``radius_m`` is NaN where the feature gives none (the rule set's default for
    the category applies). ``files`` maps each source file to its SHA-256.
    """

    ids: list[str]
    categories: np.ndarray
    names: list[str | None]
    geoms: np.ndarray
    radius_m: np.ndarray
    kinds: np.ndarray
    source_files: list[str | None]
    files: dict[str, str] = field(default_factory=dict)
    origins: list[dict[str, str] | None] = field(default_factory=list)
    _prepared: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def bounds(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """((lon_min, lon_max), (lat_min, lat_max)) of all zones, or None when empty."""
        if not len(self):
            return None
        b = shapely.total_bounds(self.geoms)
        return (float(b[0]), float(b[2])), (float(b[1]), float(b[3]))

    def category_counts(self) -> dict[str, int]:
        """Number of zones per category, sorted by category."""
        cats, counts = np.unique(self.categories.astype(str), return_counts=True)
        return {str(c): int(n) for c, n in zip(cats, counts)}

    def prepared(self, area: Area, key: Any, build: Any) -> Any:
        """Cache of what is built from the zones once per run: per-area projected geometry and
        indexes (``area`` None: in longitude and latitude), keyed by what they are for; at most
        ``PREPARED_LIMIT`` entries, the oldest dropped first (an application that keeps one
        ``Zones`` for many rule sets does not grow without end)."""
        k = (area, key)
        if k in self._prepared:
            return self._prepared[k]
        found = build()
        while len(self._prepared) >= PREPARED_LIMIT:  # bounded: the oldest goes first
            self._prepared.pop(next(iter(self._prepared)), None)
        self._prepared[k] = found
        return found

    def select_near(self, area: Area, margin_m: float) -> np.ndarray:
        """Indices of zones whose longitude span reaches ``area`` grown by ``margin_m``."""
        if not len(self):
            return np.zeros(0, dtype=np.int64)
        b = shapely.bounds(self.geoms)
        lat = float(np.nanmax(np.abs(b[:, [1, 3]]))) if len(b) else 0.0
        pad = degrees_for(margin_m, lat)
        keep = (b[:, 2] >= area.lon_min - pad) & (b[:, 0] <= area.lon_max + pad)
        return np.nonzero(keep)[0]

    def project(self, area: Area, index: np.ndarray) -> np.ndarray:
        """The geometries at ``index`` projected into ``area``'s metres."""
        geoms = self.geoms[index]
        transformer = area.transformer()
        return shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _concat(parts: list[Zones]) -> Zones:
    if len(parts) == 1:
        return parts[0]
    files: dict[str, str] = {}
    for p in parts:
        files.update(p.files)
    return Zones(
        ids=[i for p in parts for i in p.ids],
        categories=np.concatenate([p.categories for p in parts]) if parts else np.array([], dtype=object),
        names=[n for p in parts for n in p.names],
        geoms=np.concatenate([p.geoms for p in parts]) if parts else np.array([], dtype=object),
        radius_m=np.concatenate([p.radius_m for p in parts]) if parts else np.array([]),
        kinds=np.concatenate([p.kinds for p in parts]) if parts else np.array([], dtype=object),
        source_files=[s for p in parts for s in p.source_files],
        files=files,
        origins=[o for p in parts for o in (p.origins or [None] * len(p))],
    )


def load_zones(
    *sources: Any,
    category: str | None = None,
    category_property: str = "category",
    name_property: str = "name",
    categories: frozenset[str] | None = None,
    repair: bool = False,
    relative_to: str | os.PathLike[str] | None = None,
) -> Zones:
    """Load zone layers from GeoJSON files or mappings (FeatureCollections), or from
    Shapefile (``.shp`` or ``.zip``), GeoPackage (``FILE.gpkg`` or ``FILE.gpkg:LAYER``),
    FlatGeobuf (``.fgb``) and KML/KMZ files through the ``gis`` extra (pyogrio), whose
    coordinates are transformed from the file's CRS to WGS84 (see :mod:`atribut_rules.read.gis`).

    Each source may be a path, a mapping, or a ``(source, category)`` pair that
    gives every feature of that source one category. Otherwise the category
    comes from each feature's ``category_property`` (``category``), or from
    ``category``. Feature ids come from the feature's ``id`` (or ``properties.id``),
    else ``<file stem>:<n>``. ``categories`` limits the allowed categories (the
    built-in vocabulary by default). ``repair`` makes invalid polygons valid with
    ``shapely.make_valid`` instead of refusing them. Files are named as given, or
    relative to ``relative_to`` when they lie under it.
    """
    from ..rules.ruleset import CATEGORIES

    allowed = categories or frozenset(CATEGORIES)
    parts: list[Zones] = []
    for src in sources:
        cat = category
        if isinstance(src, tuple):
            src, cat = src
        parts.append(_load_one(src, cat, category_property, name_property, allowed, repair, relative_to))
    if not parts:
        return _concat([_empty()])
    zones = _concat(parts)
    seen: dict[str, str | None] = {}
    for zid, f in zip(zones.ids, zones.source_files):
        if zid in seen:
            raise ZoneError(
                Text("zones.duplicate_zone_id_also", zid=zid, value=seen[zid] or "an earlier layer"),
                file=f,
                field="id",
                hint=Text("zones.give_every_zone_feature_hint"),
            )
        seen[zid] = f
    return zones


def _empty() -> Zones:
    return Zones(
        [],
        np.array([], dtype=object),
        [],
        np.array([], dtype=object),
        np.array([]),
        np.array([], dtype=object),
        [],
    )


def _load_one(
    src: Any,
    category: str | None,
    cat_prop: str,
    name_prop: str,
    allowed: frozenset[str],
    repair: bool,
    relative_to: Any = None,
) -> Zones:
    files: dict[str, str] = {}
    if isinstance(src, Mapping):
        doc: Any = src
        check_text, check_long = True, False
        file = None
        stem = "zone"
        label = "<mapping>"
    else:
        from ..read import display_name
        from ..read.gis import is_gis_zone_source, split_layer, zone_collection

        if is_gis_zone_source(src):
            path, layer = split_layer(src)
            label = display_name(path, relative_to) + ("" if layer is None else f":{layer}")
            doc, files[label] = zone_collection(src, label=label, error=ZoneError)
            check_text, check_long = True, False
            file = label
            stem = path.stem if layer is None else layer
            return _from_collection(
                doc,
                file,
                stem,
                label,
                files,
                check_text,
                check_long,
                category,
                cat_prop,
                name_prop,
                allowed,
                repair,
            )
        path = Path(src)
        label = display_name(path, relative_to)
        data = read_input(path, what="zone file", name=label, error=ZoneError)
        files[label] = hashlib.sha256(data).hexdigest()
        text = decode(data, file=label)
        doc = load_json(text, file=label, mark_long=True)
        # the per-feature checks for lone surrogates and over-long integers run only when
        # the text could hold one (a \uD8xx escape, a run of 19 digits)
        check_text, check_long = json_text.may_hold_surrogates(text), _LONG_DIGITS.search(text) is not None
        file = label
        stem = path.stem
    return _from_collection(
        doc, file, stem, label, files, check_text, check_long, category, cat_prop, name_prop, allowed, repair
    )


def _from_collection(
    doc: Any,
    file: str | None,
    stem: str,
    label: str,
    files: dict[str, str],
    check_text: bool,
    check_long: bool,
    category: str | None,
    cat_prop: str,
    name_prop: str,
    allowed: frozenset[str],
    repair: bool,
) -> Zones:
    """Zones from a FeatureCollection (parsed GeoJSON, or a GIS layer made into one)."""
    if not isinstance(doc, Mapping) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, Mapping) else type(doc).__name__
        raise ZoneError(Text("zones.expected_geojson_featurecollection_found", kind=kind), file=label)
    features = doc.get("features")
    if not isinstance(features, list):
        raise ZoneError(Text("zones.features_not_list"), file=label, field="features")
    if not features:
        raise ZoneError(
            Text("zones.zone_layer_no_features"), file=label, hint=Text("zones.check_export_drop_layer_hint")
        )
    ids: list[str] = []
    cats: list[str] = []
    names: list[str | None] = []
    radius: list[float] = []
    kinds: list[str] = []
    geometries: list[Mapping[str, Any]] = []
    wheres: list[Text] = []
    origins: list[dict[str, str] | None] = []
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, Mapping):
            raise ZoneError(Text("zones.feature_not_object", n=n), file=label)
        props = feature.get("properties") or {}
        if not isinstance(props, Mapping):
            raise ZoneError(Text("zones.feature_properties_not_object", n=n), file=label)
        raw_id = feature.get("id", props.get("id"))
        zid = str(raw_id) if raw_id is not None and str(raw_id) != "" else f"{stem}:{n}"
        if check_text:
            _refuse_non_text(feature, props, (cat_prop, name_prop, *ORIGIN_KEYS), n, label)
        where = Text("zones.where", zone=json_text.quote(zid), n=n)
        cat = canonical_category(props.get(cat_prop, category) if category is None else category)
        if not isinstance(cat, str) or not cat:
            raise ZoneError(
                Text("zones.no_property", where=where, cat_prop=cat_prop),
                file=label,
                field=cat_prop,
                hint=Text("zones.add_property_give_layer_hint"),
            )
        if cat not in allowed:
            raise ZoneError(
                Text("zones.unknown_category", where=where, cat=json_text.quote(cat)),
                file=label,
                field=cat_prop,
                hint=Text("zones.use_one_hint", names=", ".join(sorted(allowed))),
            )
        geom = feature.get("geometry")
        kind = geom.get("type") if isinstance(geom, Mapping) else None
        if not isinstance(kind, str) or kind not in _KINDS:  # a list or object as type, too
            raise ZoneError(
                Text(
                    "zones.geometry",
                    where=where,
                    value=Text("zones.no_geometry" if kind is None else "zones.unsupported_geometry"),
                    value_2="" if kind is None else Text("zones.geometry_type", kind=json_text.quote(kind)),
                ),
                file=label,
                field="geometry",
                hint=Text("zones.zones_need_point_linestring_hint"),
            )
        if check_long:
            _refuse_long(geom.get("coordinates"), props.get("radius_m"), where, label)
        geometries.append(geom)
        wheres.append(where)
        r = props.get("radius_m")
        if r is None:
            rv = math.nan
        elif isinstance(r, (int, float)) and not isinstance(r, bool) and _finite(r) and r >= 0:
            rv = float(r)
        else:
            raise ZoneError(
                Text("zones.radius_m_not_number", where=where, r=json_text.quote(r)),
                file=label,
                field="radius_m",
            )
        name = props.get(name_prop)
        origins.append(
            {k: str(props[k]) for k in ORIGIN_KEYS if props.get(k) is not None}
            if props.get("source_sha256")
            else None
        )
        ids.append(zid)
        cats.append(cat)
        names.append(None if name is None else str(name))
        radius.append(rv)
        kinds.append(_KINDS[geom["type"]])
    arr = _parse_geometries(geometries, wheres, label)
    arr = _check_geometries(arr, ids, label, repair)
    obj = np.empty(len(cats), dtype=object)
    obj[:] = cats
    kind_arr = np.empty(len(kinds), dtype=object)
    kind_arr[:] = kinds
    if repair and len(arr):  # a repaired polygon that collapsed whole is a line or points now
        type_ids = shapely.get_type_id(arr)
        kind_arr[np.isin(type_ids, (1, 2, 5)) & (kind_arr == "polygon")] = "line"
        kind_arr[np.isin(type_ids, (0, 4)) & (kind_arr == "polygon")] = "point"
    return Zones(
        ids, obj, names, arr, np.array(radius, dtype=float), kind_arr, [file] * len(ids), files, origins
    )


_LONG_DIGITS = re.compile(rf"(?<![\d.eE])\d{{{json_text.LONG_INT_DIGITS},}}(?![\d.eE])")
"""A JSON integer that may be too long to be read as a number (not the digits of a float)."""


def _finite(number: float) -> bool:
    """Whether ``number`` is finite as a float (an int too large for a float is not)."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _refuse_non_text(
    feature: Mapping[str, Any], props: Mapping[str, Any], keys: tuple[str, ...], n: int, label: str
) -> None:
    """Raise ZoneError when the feature's id, or a property that is read, holds a lone surrogate."""
    for name, value in (("id", feature.get("id")), *((k, props.get(k)) for k in ("id", *keys))):
        if isinstance(value, str) and not json_text.is_text(value):
            raise ZoneError(
                Text("zones.feature_not_valid_unicode", n=n, name=name, value=json_text.quote(value)),
                file=label,
                field=name,
                hint=Text("zones.write_text_again_hint"),
            )


def _refuse_long(coordinates: Any, radius: Any, where: Text, label: str) -> None:
    """Raise ZoneError when a coordinate or ``radius_m`` is an integer too long to be a number."""
    if isinstance(radius, json_text.LongInt):
        raise ZoneError(
            Text("zones.radius_m_integer_characters", where=where, length=len(radius)),
            file=label,
            field="radius_m",
            hint=Text("zones.write_radius_metres_hint"),
        )
    stack = [coordinates]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, json_text.LongInt):
            raise ZoneError(
                Text("zones.coordinate_integer_characters_too", where=where, length=len(item)),
                file=label,
                field="geometry",
                hint=Text("zones.coordinates_longitude_latitude_degrees_hint"),
            )


def _parse_geometries(geometries: list[Mapping[str, Any]], wheres: list[Text], label: str) -> np.ndarray:
    """Parse all geometries in one GEOS call; explain the first bad one with its zone id."""
    texts = []
    for geom, where in zip(geometries, wheres):
        try:
            texts.append(
                json.dumps({"type": geom["type"], "coordinates": geom.get("coordinates")}, allow_nan=False)
            )
        except ValueError:
            raise ZoneError(
                Text("zones.coordinates_not_finite_numbers_2", where=where), file=label, field="geometry"
            ) from None
        except TypeError as exc:
            raise ZoneError(
                Text("zones.unreadable_geometry", where=where, exc=exc), file=label, field="geometry"
            ) from None
    arr = shapely.from_geojson(np.array(texts, dtype=object), on_invalid="ignore")
    failed = np.nonzero(shapely.is_missing(arr))[0]
    if len(failed):
        i = int(failed[0])
        raise ZoneError(
            Text("zones.bad_geometry", wheres=wheres[i], explain=_explain(geometries[i])),
            file=label,
            field="geometry",
            hint=Text("zones.fix_coordinates_every_ring_hint"),
        )
    empty = np.nonzero(shapely.is_empty(arr))[0]
    if len(empty):
        raise ZoneError(
            Text("zones.empty_geometry", wheres=wheres[int(empty[0])]), file=label, field="geometry"
        )
    b = shapely.bounds(arr)
    bad = np.nonzero(~np.isfinite(b).all(axis=1))[0]
    if len(bad):
        raise ZoneError(
            Text("zones.coordinates_not_finite_numbers", wheres=wheres[int(bad[0])]),
            file=label,
            field="geometry",
        )
    out = np.nonzero((b[:, 0] < -180) | (b[:, 2] > 180) | (b[:, 1] < -90) | (b[:, 3] > 90))[0]
    if len(out):
        i = int(out[0])
        raise ZoneError(
            Text("zones.coordinates_outside_longitude_latitude", wheres=wheres[i], b=b[i, 0], b_2=b[i, 1]),
            file=label,
            field="geometry",
            hint=Text("zones.reproject_layer_wgs84_epsg_hint"),
        )
    return arr


def _explain(geom: Mapping[str, Any]) -> Text:
    """Why a geometry could not be read, in the geojson package's words where it has them."""
    try:
        obj = geojson.GeoJSON.to_instance(dict(geom), strict=False)
        problems = obj.errors() if hasattr(obj, "errors") else None
    except Exception as exc:  # geojson raises assorted errors on malformed input
        problems = str(exc)
    if problems:
        return Text("zones.invalid_geometry_detail", kind=geom.get("type"), problems=problems)
    try:
        shapely.from_geojson(json.dumps({"type": geom["type"], "coordinates": geom.get("coordinates")}))
    except Exception as exc:
        return Text("zones.unreadable_geometry_detail", exc=exc)
    return Text("zones.unreadable_geometry_plain")


def _polygonal(geom: Any) -> Any:
    """A repaired polygon's area: its polygonal parts as one geometry.

    ``shapely.make_valid`` may return a collection of a polygon and the lines or points
    that collapsed from it (a spike, a bow-tie's crossing). Such a collection has no
    boundary, so a depth inside it would be NaN; the collapsed parts enclose nothing.
    When nothing polygonal is left, the lines (else the points) are kept as what they are.
    """
    if shapely.get_type_id(geom) != 7:  # not a GeometryCollection: already one kind
        return geom
    parts = shapely.get_parts(geom)
    kinds = shapely.get_type_id(parts)
    for wanted in ((3, 6), (1, 2, 5), (0, 4)):  # polygons, lines, points
        chosen = parts[np.isin(kinds, wanted)]
        if len(chosen):
            return shapely.union_all(chosen)
    return geom


def _check_geometries(arr: np.ndarray, ids: list[str], label: str, repair: bool) -> np.ndarray:
    valid = shapely.is_valid(arr)
    if valid.all():
        return arr
    if repair:
        fixed = arr.copy()
        fixed[~valid] = [_polygonal(g) for g in shapely.make_valid(arr[~valid])]
        return fixed
    i = int(np.nonzero(~valid)[0][0])
    reason = shapely.is_valid_reason(arr[i])
    raise ZoneError(
        Text("zones.zone_feature_invalid_geometry", ids=ids[i], value=i + 1, reason=reason),
        file=label,
        field="geometry",
        hint=Text("zones.fix_gis_let_atribut_hint"),
    )
