"""zones.py: categories, ids, invalid and projected geometry, point radius."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import PKP, collection, feature, fwd, make_rules, point, polygon, run, square

import atribut_rules as ar

TREE = feature("t1", point(*PKP), "tree", "Pohon angsana")


def test_category_from_the_property(tmp_path: Path) -> None:
    path = tmp_path / "pohon.geojson"
    path.write_text(json.dumps(collection(TREE, feature("s1", polygon(square(PKP, 20)), "school"))))
    zones = ar.load_zones(path)
    assert zones.ids == ["t1", "s1"]
    assert list(zones.categories) == ["tree", "school"]
    assert list(zones.kinds) == ["point", "polygon"]
    assert zones.names == ["Pohon angsana", None]
    assert zones.source_files == [str(path), str(path)]
    assert list(zones.files) == [str(path)] and len(zones.files[str(path)]) == 64
    assert zones.category_counts() == {"school": 1, "tree": 1}


def test_category_per_source_wins_over_the_property() -> None:
    layer = collection(feature("a", point(*PKP), "tree"), feature("b", point(106.2, -2.1)))
    zones = ar.load_zones((layer, "pole"))
    assert list(zones.categories) == ["pole", "pole"]


def test_category_keyword_fills_features_without_one() -> None:
    layer = collection(feature("a", point(*PKP), "tree"), feature("b", point(106.2, -2.1)))
    zones = ar.load_zones(layer, category="school")
    assert list(zones.categories) == ["school", "school"]


def test_feature_without_category_is_refused_with_its_id() -> None:
    with pytest.raises(ar.ZoneError) as info:
        ar.load_zones(collection(TREE, feature("m-7", point(*PKP))))
    assert "'m-7'" in str(info.value) and "#2" in str(info.value)


def test_unknown_category_is_refused_unless_allowed() -> None:
    layer = collection(feature("p", point(*PKP), "pasar"))
    with pytest.raises(ar.ZoneError, match="unknown category 'pasar'"):
        ar.load_zones(layer)
    allowed = frozenset(ar.CATEGORIES) | {"pasar"}
    assert list(ar.load_zones(layer, categories=allowed).categories) == ["pasar"]


def test_ids_from_feature_properties_or_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "masjid.geojson"
    f1 = feature("", point(*PKP), "place_of_worship")
    f2 = {
        "type": "Feature",
        "properties": {"id": "mq-2", "category": "place_of_worship"},
        "geometry": point(*PKP),
    }
    f3 = {"type": "Feature", "id": 5, "properties": {"category": "place_of_worship"}, "geometry": point(*PKP)}
    path.write_text(json.dumps(collection(f1, f2, f3)))
    assert ar.load_zones(path).ids == ["masjid:1", "mq-2", "5"]


def test_duplicate_ids_within_and_across_layers() -> None:
    with pytest.raises(ar.ZoneError, match="duplicate zone id 't1'"):
        ar.load_zones(collection(TREE, TREE))
    with pytest.raises(ar.ZoneError, match="duplicate zone id 't1'"):
        ar.load_zones(collection(TREE), collection(feature("t1", point(106.2, -2.1), "school")))


def test_invalid_polygon_names_the_feature_id() -> None:
    a, b, c, d = square(PKP, 20)
    bowtie = feature("bad-1", polygon([a, c, b, d]), "school")
    with pytest.raises(ar.ZoneError) as info:
        ar.load_zones(collection(feature("ok-1", polygon(square(PKP, 5)), "school"), bowtie))
    err = info.value
    assert "'bad-1'" in str(err) and "#2" in str(err)
    assert err.field == "geometry"
    assert "repair" in (err.hint or "")
    repaired = ar.load_zones(collection(bowtie), repair=True)
    assert repaired.geoms[0].is_valid


def test_unclosed_ring_names_the_feature() -> None:
    ring = [list(p) for p in square(PKP, 20)]
    geom = {"type": "Polygon", "coordinates": [ring]}  # first != last
    with pytest.raises(ar.ZoneError, match="'open-1'"):
        ar.load_zones(collection(feature("open-1", geom, "school")))


@pytest.mark.parametrize(
    "geometry",
    [
        point(596000.0, 9764000.0),  # UTM 48S metres
        polygon([(596000, 9764000), (596100, 9764000), (596100, 9764100)]),
        point(106.11, -92.0),
    ],
)
def test_projected_coordinates_are_refused(geometry: dict) -> None:
    with pytest.raises(ar.ZoneError) as info:
        ar.load_zones(collection(feature("utm-1", geometry, "school")))
    assert "'utm-1'" in str(info.value)
    assert "projected" in str(info.value)
    assert "EPSG:4326" in (info.value.hint or "")


@pytest.mark.parametrize(
    "geometry",
    [None, {"type": "GeometryCollection", "geometries": []}, {"type": "Point", "coordinates": []}],
)
def test_missing_or_unsupported_geometry(geometry: dict | None) -> None:
    f = {"type": "Feature", "id": "g-1", "properties": {"category": "tree"}, "geometry": geometry}
    with pytest.raises(ar.ZoneError, match="'g-1'"):
        ar.load_zones(collection(f))


@pytest.mark.parametrize("radius", [-1, "5", True, float("nan")])
def test_bad_radius_is_refused(radius: object) -> None:
    with pytest.raises(ar.ZoneError, match="radius_m"):
        ar.load_zones(collection(feature("t", point(*PKP), "tree", radius_m=radius)))


def test_empty_layer_and_not_a_collection(tmp_path: Path) -> None:
    with pytest.raises(ar.ZoneError, match="no features"):
        ar.load_zones(collection())
    with pytest.raises(ar.ZoneError, match="FeatureCollection"):
        ar.load_zones({"type": "Feature"})
    with pytest.raises(ar.ZoneError) as info:
        ar.load_zones(tmp_path / "none.geojson")
    assert info.value.file == str(tmp_path / "none.geojson")


def test_no_sources_gives_empty_zones() -> None:
    zones = ar.load_zones()
    assert len(zones) == 0 and zones.bounds is None


INSIDE_SCHOOL = {"id": "IN", "severity": "error", "when": {"inside": {"zone": "school"}}}


@pytest.mark.parametrize(("distance", "status"), [(0.0, "violation"), (9.0, "violation"), (11.0, "ok")])
def test_point_zone_radius_from_the_feature(distance: float, status: str) -> None:
    rules = make_rules(INSIDE_SCHOOL, defaults={"zone_radius_m": {"school": 40}})
    zones = collection(feature("sd-1", point(*PKP), "school", "SD 1", radius_m=10))
    lon, lat = fwd(PKP, 60.0, distance)
    (verdict,) = run([{"id": "A", "lon": lon, "lat": lat}], zones, rules).verdicts
    assert verdict.status.value == status
    if status == "violation":
        zone = verdict.findings[0].zone
        assert (zone.id, zone.radius_m, zone.approximated, zone.geometry_kind) == (
            "sd-1",
            10.0,
            True,
            "point",
        )


@pytest.mark.parametrize(("distance", "status"), [(39.0, "violation"), (41.0, "ok")])
def test_point_zone_radius_defaults_per_category(distance: float, status: str) -> None:
    rules = make_rules(INSIDE_SCHOOL, defaults={"zone_radius_m": {"school": 40}})
    zones = collection(feature("sd-1", point(*PKP), "school"))
    lon, lat = fwd(PKP, 200.0, distance)
    (verdict,) = run([{"id": "A", "lon": lon, "lat": lat}], zones, rules).verdicts
    assert verdict.status.value == status


def test_polygon_without_radius_uses_no_default_radius() -> None:
    rules = make_rules(INSIDE_SCHOOL, defaults={"zone_radius_m": {"school": 40}})
    zones = collection(feature("sd-1", polygon(square(PKP, 20)), "school"))
    lon, lat = fwd(PKP, 0.0, 25.0)  # 5 m outside the square
    (verdict,) = run([{"id": "A", "lon": lon, "lat": lat}], zones, rules).verdicts
    assert verdict.status is ar.Status.OK
