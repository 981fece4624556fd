"""Zone layers from real map data: OSM exports and gazetteers, honestly labelled.

:func:`build_zones` reads map sources (GeoJSON, CSV, OSM ``.pbf`` through the
optional extra ``osm``), classifies each feature with a mapping file, and returns
a GeoJSON FeatureCollection that :func:`atribut_rules.load_zones` reads, plus
the problems it met, each with the file and feature id.

Every output feature carries ``category``, ``name``, ``geometry_kind``
(``polygon``, ``buffered_point`` or ``buffered_line``), ``radius_m`` for points
and lines (the distance around the geometry that counts as the zone), and its
provenance: ``source_file``, ``source_sha256``, ``source_id``, ``mapped_by``.
Points and lines are kept as they are: the engine measures the distance to the
geometry and subtracts ``radius_m``, which is exact where a buffer polygon is not.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import shapely
import shapely.geometry

from ..errors import InputError, Text
from ..read.digest import file_sha256
from ..read.inputfiles import check_regular_file, read_input
from .mapping import ClassRule, MappingError, ZoneMapping, bundled_mappings, load_mapping
from .sources import Record, read_records, source_kind

__all__ = [
    "BuildProblem",
    "BuildResult",
    "MappingError",
    "ZoneMapping",
    "build_zones",
    "bundled_mappings",
    "load_mapping",
    "write_zones",
]

FORMAT = "atribut-rules/zones"

_KIND = {
    "Point": "buffered_point",
    "MultiPoint": "buffered_point",
    "LineString": "buffered_line",
    "MultiLineString": "buffered_line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}
_WIDTH = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(m|meter|metre|meters|metres)?\s*$", re.IGNORECASE)
_FEET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ft|feet|')\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class BuildProblem:
    """Something a build met: ``level`` is ``error`` (the feature was left out),
    ``warning`` (kept, but look at it) or ``info``; ``feature`` is the feature id."""

    level: str
    code: str
    message: str
    file: str | None = None
    feature: str | None = None
    text: Text | None = field(default=None, compare=False, repr=False)
    """The message as a catalogue text (``message`` is its English words)."""

    def __str__(self) -> str:
        return self.line("en")

    def line(self, lang: str = "en") -> str:
        """The problem as one line in ``lang``: ``file:feature: level: message [code]``."""
        where = ":".join(p for p in (self.file, self.feature) if p)
        level = Text(f"cli.kind_{self.level}").render(lang)
        message = self.message if self.text is None or lang == "en" else self.text.render(lang)
        return f"{where}: {level}: {message} [{self.code}]" if where else f"{level}: {message}"


@dataclass
class BuildResult:
    """The zones built (a GeoJSON FeatureCollection dict) and what happened on the way."""

    collection: dict[str, Any]
    problems: list[BuildProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    records: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    unmatched: int = 0
    unmatched_classes: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[BuildProblem]:
        """The error-level problems (features left out)."""
        return [p for p in self.problems if p.level == "error"]


def _width_from(text: str | None) -> float | None:
    if text is None:
        return None
    m = _WIDTH.match(text)
    if m:
        return float(m.group(1).replace(",", "."))
    m = _FEET.match(text)
    if m:
        return float(m.group(1)) * 0.3048
    return None


def _lanes_from(text: str | None) -> int | None:
    """A lane count from an OSM ``lanes`` tag: ASCII digits only (``"²"`` and ``"٣"`` are
    digits to ``str.isdigit`` but not numbers here), at most 99 lanes."""
    t = "" if text is None else text.strip()
    if not (t.isascii() and t.isdigit()) or len(t) > 2:
        return None
    n = int(t)
    return n if n > 0 else None


def _quote(value: str, limit: int = 100) -> str:
    """``repr(value)`` cut to about ``limit`` characters for a message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(value)} characters)"


class _Builder:
    def __init__(self, mapping: ZoneMapping, repair: bool) -> None:
        self.mapping = mapping
        self.repair = repair
        self.features: list[dict[str, Any]] = []
        self.problems: list[BuildProblem] = []
        self.records = 0
        self.excluded: Counter[str] = Counter()
        self.unmatched = 0
        self.unmatched_classes: Counter[str] = Counter()
        self.seen: dict[str, tuple[int, Any, str, str, str | None]] = {}
        self.renamed: Counter[str] = Counter()

    def problem(self, level: str, code: str, message: Text, file: str | None, feature: str | None) -> None:
        self.problems.append(BuildProblem(level, code, str(message), file, feature, message))

    def add_source(self, records: Iterable[Record], label: str, sha: str, stem: str) -> None:
        m = self.mapping
        for rec in records:
            self.records += 1
            reason = next((e.reason for e in m.exclude if e.match.matches(rec.props)), None)
            if reason is not None:
                self.excluded[reason] += 1
                continue
            rules: dict[str, ClassRule] = {}
            for rule in m.classes:
                if rule.category not in rules and rule.match.matches(rec.props):
                    rules[rule.category] = rule
            if not rules:
                self.unmatched += 1
                if m.class_field:
                    self.unmatched_classes[rec.props.get(m.class_field, "(none)")] += 1
                continue
            fid = rec.raw_id or f"{stem}:{rec.number}"
            geom = self.geometry(rec, fid, label)
            if geom is None:
                continue
            for k, (cat, rule) in enumerate(rules.items()):
                zid = fid if k == 0 else f"{fid}#{cat}"
                self.add_zone(zid, fid, cat, rule, rec, geom, label, sha)

    def geometry(self, rec: Record, fid: str, label: str) -> Any:
        where = Text("zonebuild.feature_number", number=rec.number)
        try:
            geom = rec.geometry()
        except ValueError as exc:
            self.problem("error", "no_geometry", Text("zonebuild.detail", where=where, exc=exc), label, fid)
            return None
        if geom is None or geom.is_empty:
            self.problem("error", "no_geometry", Text("zonebuild.empty_geometry", where=where), label, fid)
            return None
        if geom.geom_type not in _KIND:
            self.problem(
                "error",
                "unsupported_geometry",
                Text("zonebuild.zones_need_point_linestring", where=where, geom_type=geom.geom_type),
                label,
                fid,
            )
            return None
        b = geom.bounds
        if not all(math.isfinite(v) for v in b):
            self.problem(
                "error", "bad_coordinates", Text("zonebuild.coordinates_not_numbers", where=where), label, fid
            )
            return None
        if b[0] < -180 or b[2] > 180 or b[1] < -90 or b[3] > 90:
            self.problem(
                "error",
                "projected_coordinates",
                Text("zonebuild.coordinates_outside_longitude_latitude", where=where, b=b[0], b_2=b[1]),
                label,
                fid,
            )
            return None
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            if not self.repair:
                self.problem(
                    "error",
                    "invalid_geometry",
                    Text("zonebuild.invalid_geometry_left_out", where=where, reason=reason),
                    label,
                    fid,
                )
                return None
            fixed = _repaired(geom)
            if fixed is None:
                self.problem(
                    "error",
                    "invalid_geometry",
                    Text("zonebuild.cannot_repair", where=where, reason=reason),
                    label,
                    fid,
                )
                return None
            self.problem(
                "warning",
                "repaired_geometry",
                Text("zonebuild.repaired_invalid_geometry", where=where, reason=reason),
                label,
                fid,
            )
            geom = fixed
        return geom

    def name(self, props: Mapping[str, str]) -> str | None:
        names = [props[n] for n in self.mapping.name_fields if props.get(n)]
        if not names:
            return None
        return self.mapping.name_join.join(names) if self.mapping.name_join is not None else names[0]

    def radius(self, rule: ClassRule, kind: str, rec: Record, fid: str, label: str) -> tuple[float, str]:
        m = self.mapping
        cat = rule.category
        if kind == "buffered_point":
            if rule.radius_m is not None:
                return rule.radius_m, "class"
            if cat in m.point_radius_m:
                return m.point_radius_m[cat], "default"
        else:
            if m.width_field and m.width_field in rec.props:
                w = _width_from(rec.props[m.width_field])
                if w is not None and math.isfinite(w) and w > 0:
                    return w / 2, f"tag {m.width_field}"
                self.problem(
                    "warning",
                    "bad_width",
                    Text(
                        "zonebuild.not_width_metres_used",
                        width_field=m.width_field,
                        props=_quote(rec.props[m.width_field]),
                    ),
                    label,
                    fid,
                )
            if m.lanes_field and m.lanes_field in rec.props:
                lanes = _lanes_from(rec.props[m.lanes_field])
                if lanes is not None:
                    return lanes * m.lane_width_m / 2, f"tag {m.lanes_field} x {m.lane_width_m:g} m"
                self.problem(
                    "warning",
                    "bad_lanes",
                    Text(
                        "zonebuild.not_number_lanes_1",
                        lanes_field=m.lanes_field,
                        props=_quote(rec.props[m.lanes_field]),
                    ),
                    label,
                    fid,
                )
            if rule.width_m is not None:
                return rule.width_m / 2, "class"
            if cat in m.line_width_m:
                return m.line_width_m[cat] / 2, "default"
        self.problem(
            "warning",
            "no_radius",
            Text(
                "zonebuild.no_radius_for_points"
                if kind == "buffered_point"
                else "zonebuild.no_width_for_lines",
                cat=cat,
            ),
            label,
            fid,
        )
        return 0.0, "none"

    def add_zone(
        self, zid: str, fid: str, cat: str, rule: ClassRule, rec: Record, geom: Any, label: str, sha: str
    ) -> None:
        kind = _KIND[geom.geom_type]
        props: dict[str, Any] = {
            "category": cat,
            "name": self.name(rec.props),
            "geometry_kind": kind,
        }
        if kind != "polygon":
            r, how = self.radius(rule, kind, rec, fid, label)
            props["radius_m"] = round(r, 3)
            props["radius_source"] = how
        props.update(
            {
                "source_file": label,
                "source_sha256": sha,
                "source_id": fid,
                "mapped_by": rule.match.describe(rec.props),
            }
        )
        if self.mapping.class_field and self.mapping.class_field in rec.props:
            props["source_class"] = rec.props[self.mapping.class_field]
        earlier = self.seen.get(zid)
        if earlier is not None:
            number, egeom, ecat, efile, ename = earlier
            same = (
                ecat == cat
                and efile == label
                and ename == props["name"]
                and shapely.equals_exact(egeom, geom, 0.0)
            )
            if same:
                self.problem(
                    "warning",
                    "duplicate_id",
                    Text(
                        "zonebuild.feature_repeats_feature_exactly",
                        number=rec.number,
                        number_2=number,
                        efile=efile,
                    ),
                    label,
                    zid,
                )
                return
            self.renamed[zid] += 1
            new = f"{zid}~{self.renamed[zid] + 1}"
            while new in self.seen:
                self.renamed[zid] += 1
                new = f"{zid}~{self.renamed[zid] + 1}"
            self.problem(
                "warning",
                "duplicate_id",
                Text(
                    "zonebuild.feature_id_feature_but",
                    number=rec.number,
                    number_2=number,
                    efile=efile,
                    new=new,
                ),
                label,
                zid,
            )
            zid = new
        self.seen[zid] = (rec.number, geom, cat, label, props["name"])
        self.features.append(
            {
                "type": "Feature",
                "id": zid,
                "properties": props,
                "geometry": _lists(shapely.geometry.mapping(geom)),
            }
        )


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_lists(v) for v in value]
    return value


def _repaired(geom: Any) -> Any:
    fixed = shapely.make_valid(geom)
    if fixed.geom_type in _KIND and not fixed.is_empty:
        return fixed
    parts = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon")]
    if parts:
        return shapely.union_all(parts)
    return None


def build_zones(
    sources: Iterable[str | os.PathLike[str]],
    mapping: ZoneMapping | str | os.PathLike[str],
    *,
    repair: bool = False,
    categories: frozenset[str] | None = None,
    relative_to: str | os.PathLike[str] | None = None,
) -> BuildResult:
    """Build zone features from map ``sources`` with ``mapping`` (a loaded mapping, a path or ``builtin:NAME``).

    Features the mapping excludes or does not match are counted, not kept. Features
    with unusable geometry are left out with an ``error`` problem naming their id;
    ``repair`` makes invalid polygons valid instead. Duplicate ids are reported:
    an exact repeat is dropped, a differing one is kept as ``ID~2``. Files are named
    as given, or relative to ``relative_to`` when under it.
    """
    from ..read import display_name
    from ..rules.ruleset import CATEGORIES

    if not isinstance(mapping, ZoneMapping):
        mapping = load_mapping(mapping, categories=categories)
    builder = _Builder(mapping, repair)
    files = []
    for src in sources:
        path = Path(src)
        label = display_name(path, relative_to)
        kind = source_kind(path)
        try:
            if kind == "osm":
                check_regular_file(path, what="zone source", name=label)
                sha = file_sha256(path)
                data = None
            else:
                data = read_input(path, what="zone source", name=label)
                sha = hashlib.sha256(data).hexdigest()
        except OSError as exc:
            raise InputError(
                Text("zonebuild.cannot_read_zone_source", strerror=exc.strerror), file=label
            ) from None
        files.append({"file": label, "sha256": sha})
        before = len(builder.features)
        builder.add_source(read_records(path, label, data, mapping), label, sha, path.name.split(".")[0])
        if len(builder.features) == before:
            builder.problem(
                "warning",
                "empty_source",
                Text("zonebuild.no_zone_came_out", name=mapping.name),
                label,
                None,
            )
    counts = Counter(f["properties"]["category"] for f in builder.features)
    empty = [cat for cat in mapping.categories if not counts.get(cat)]
    if empty:
        builder.problem(
            "warning",
            "empty_layer",
            Text("zonebuild.no_feature_matched_mapping", names=", ".join(empty)),
            None,
            None,
        )
    vocabulary = sorted((categories or frozenset(CATEGORIES)) - set(mapping.categories))
    if vocabulary:
        builder.problem(
            "info",
            "unmapped_categories",
            Text("zonebuild.mapping_produces_no_zones", name=mapping.name, names=", ".join(vocabulary)),
            None,
            None,
        )
    if not builder.features:
        builder.problem("error", "empty_output", Text("zonebuild.no_zone_features_were"), None, None)
    collection = {
        "type": "FeatureCollection",
        "format": FORMAT,
        "mapping": {"name": mapping.name, "id": mapping.id, "sha256": mapping.sha256},
        "sources": files,
        "features": builder.features,
    }
    return BuildResult(
        collection=collection,
        problems=builder.problems,
        counts=dict(sorted(counts.items())),
        records=builder.records,
        excluded=dict(sorted(builder.excluded.items())),
        unmatched=builder.unmatched,
        unmatched_classes=dict(sorted(builder.unmatched_classes.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def write_zones(collection: Mapping[str, Any], fp: IO[str]) -> None:
    """Write a FeatureCollection as UTF-8 JSON text, one feature per line, byte-stable."""
    import json

    head = {k: v for k, v in collection.items() if k != "features"}
    fp.write("{\n")
    for key, value in head.items():
        fp.write(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)},\n")
    fp.write('"features": [\n')
    features = collection.get("features") or []
    for i, feature in enumerate(features):
        sep = ",\n" if i + 1 < len(features) else "\n"
        fp.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + sep)
    fp.write("]\n}\n")
