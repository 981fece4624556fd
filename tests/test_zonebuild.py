"""Zone layers built from map data: mappings, sources, radii, provenance and problems."""

from __future__ import annotations

import hashlib
import io
import json
import sys

import pytest
from helpers import REPO, run_cli
from hypothesis import given
from hypothesis import strategies as st

from atribut_rules import load_zones
from atribut_rules.errors import InputError, MissingExtraError
from atribut_rules.zonebuild import build_zones, bundled_mappings, load_mapping, write_zones
from atribut_rules.zonebuild.mapping import MappingError
from atribut_rules.zonebuild.sources import osm_id

OSM = REPO / "fixtures" / "osm"
SAMPLE = OSM / "overpass_sample.geojson"
PROBLEMS = OSM / "overpass_problems.geojson"
BALI = OSM / "bali_place_of_worship_sample.csv"
TREES = OSM / "pasadena_trees_sample.geojson"
TREE_MAP = OSM / "pasadena-trees.yaml"


def by_id(result) -> dict:
    return {f["id"]: f for f in result.collection["features"]}


class TestMappings:
    def test_bundled_mappings_load(self):
        assert bundled_mappings() == ["id-gazetteer", "osm"]
        osm = load_mapping("builtin:osm")
        assert set(osm.categories) >= {"place_of_worship", "school", "health", "government", "park", "tree"}
        assert {"road", "bridge", "pole", "public_facility"} <= set(osm.categories)
        gaz = load_mapping("builtin:id-gazetteer")
        assert gaz.class_field == "NAMA_UNSUR"

    @pytest.mark.parametrize(
        "value, category",
        [
            ("Masjid", "place_of_worship"),
            ("Gereja", "place_of_worship"),
            ("Pura", "place_of_worship"),
            ("Vihara", "place_of_worship"),
            ("Kelenteng", "place_of_worship"),
            ("Pendidikan Dasar", "school"),
            ("Pendidikan Anak Usia Dini", "school"),
            ("Pendidikan Keagamaan", "school"),
            ("Pendidikan Menengah Pertama", "school"),
            ("Pendidikan Menengah Umum", "school"),
            ("Pendidikan Tinggi", "school"),
            ("Kantor Wali Kota", "government"),
            ("Kantor Lurah", "government"),
            ("Kantor Camat", "government"),
            ("Kantor Pemerintah Lainnya", "government"),
            ("Kantor Polisi", "government"),
            ("Rumah Sakit Umum", "health"),
            ("Puskesmas/Puskesmas Pembantu", "health"),
            ("Taman", "park"),
            ("Jembatan", "bridge"),
            ("Tugu/Monumen/Gapura", "public_facility"),
        ],
    )
    def test_gazetteer_classes_spelled_as_in_the_issue(self, value, category):
        gaz = load_mapping("builtin:id-gazetteer")
        cats = [c.category for c in gaz.classes if c.match.matches({"NAMA_UNSUR": value})]
        assert cats and cats[0] == category

    def test_unknown_category_names_the_line(self, tmp_path):
        p = tmp_path / "m.yaml"
        p.write_text(
            "schema: atribut-rules/mapping-1\nmapping: {id: m}\nclasses:\n"
            "  - category: school\n    match: {amenity: school}\n"
            "  - category: playground\n    match: {leisure: playground}\n",
            encoding="utf-8",
        )
        with pytest.raises(MappingError) as exc:
            load_mapping(p)
        assert exc.value.line == 6
        assert "playground" in str(exc.value) and "vocabulary" in str(exc.value)

    def test_schema_error_names_key_and_line(self, tmp_path):
        p = tmp_path / "m.yaml"
        p.write_text(
            "schema: atribut-rules/mapping-1\nmapping: {id: m}\nclasses:\n"
            "  - category: school\n    match: {amenity: school}\n    radius_m: -3\n",
            encoding="utf-8",
        )
        with pytest.raises(MappingError) as exc:
            load_mapping(p)
        assert exc.value.line == 6
        assert "classes.0.radius_m" in str(exc.value)

    def test_unknown_builtin(self):
        with pytest.raises(MappingError, match="builtin:osm"):
            load_mapping("builtin:nope")

    def test_extra_vocabulary_allows_a_rule_set_category(self, tmp_path):
        p = tmp_path / "m.yaml"
        p.write_text(
            "schema: atribut-rules/mapping-1\nmapping: {id: m}\nclasses:\n"
            "  - category: market\n    match: {amenity: marketplace}\n",
            encoding="utf-8",
        )
        m = load_mapping(p, categories=frozenset({"market", "school"}))
        assert m.categories == ("market",)


class TestOverpassGeoJSON:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls):
        return build_zones([SAMPLE], "builtin:osm")

    def test_categories_and_counts(self, result):
        assert result.counts == {
            "bridge": 1,
            "government": 1,
            "health": 1,
            "park": 1,
            "place_of_worship": 1,
            "pole": 2,
            "road": 4,
            "school": 1,
            "tree": 1,
        }
        assert result.excluded == {"disused=yes: no longer in use": 1}
        assert result.unmatched == 1  # the residential road
        assert not result.errors

    def test_multipolygon_relations_stay_polygons(self, result):
        f = by_id(result)
        park = f["osm:relation/3001"]
        assert park["geometry"]["type"] == "Polygon" and len(park["geometry"]["coordinates"]) == 2
        assert park["properties"]["geometry_kind"] == "polygon"
        assert "radius_m" not in park["properties"]
        assert f["osm:relation/3002"]["geometry"]["type"] == "MultiPolygon"

    def test_point_radius_and_provenance(self, result):
        sha = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
        p = by_id(result)["osm:node/1001"]["properties"]
        assert p == {
            "category": "place_of_worship",
            "name": "Masjid Contoh",
            "geometry_kind": "buffered_point",
            "radius_m": 25.0,
            "radius_source": "default",
            "source_file": str(SAMPLE),
            "source_sha256": sha,
            "source_id": "osm:node/1001",
            "mapped_by": "amenity=place_of_worship",
        }

    def test_line_width_from_tags_then_class(self, result):
        f = by_id(result)
        assert f["osm:way/4001"]["properties"]["radius_m"] == 4.5  # width=9 m
        assert f["osm:way/4002"]["properties"]["radius_m"] == 7.0  # lanes=4 x 3.5 m
        assert f["osm:way/4002"]["properties"]["radius_source"] == "tag lanes x 3.5 m"
        motorway = f["osm:way/4005"]["properties"]
        assert motorway["radius_m"] == 6.0 and motorway["radius_source"] == "class"
        assert motorway["geometry_kind"] == "buffered_line"
        bad = [p for p in result.problems if p.code == "bad_width"]
        assert [p.feature for p in bad] == ["osm:way/4005"]

    def test_road_on_a_bridge_is_two_zones(self, result):
        f = by_id(result)
        assert f["osm:way/4003"]["properties"]["category"] == "road"
        bridge = f["osm:way/4003#bridge"]["properties"]
        assert bridge["category"] == "bridge" and bridge["source_id"] == "osm:way/4003"

    def test_classic_osmtogeojson_tags(self, result):
        p = by_id(result)["osm:node/6001"]["properties"]
        assert p["category"] == "government" and p["name"] == "Polsek Contoh"

    def test_empty_and_unmapped_categories_reported(self, result):
        codes = {p.code: p for p in result.problems}
        assert "public_facility" in codes["empty_layer"].message
        assert "admin_area" in codes["unmapped_categories"].message

    def test_output_loads_and_is_deterministic(self, result, tmp_path):
        out = tmp_path / "zones.geojson"
        with out.open("w", encoding="utf-8") as fh:
            write_zones(result.collection, fh)
        zones = load_zones(out)
        assert len(zones) == 13
        assert set(zones.kinds) == {"point", "line", "polygon"}
        again = io.StringIO()
        write_zones(build_zones([SAMPLE], "builtin:osm").collection, again)
        assert again.getvalue() == out.read_text(encoding="utf-8")

    def test_provenance_travels_into_findings(self, result, tmp_path):
        import atribut_rules as ar

        out = tmp_path / "zones.geojson"
        with out.open("w", encoding="utf-8") as fh:
            write_zones(result.collection, fh)
        zones = load_zones(out)
        i = next(k for k, kind in enumerate(zones.kinds) if kind == "point")
        feature = by_id(result)[zones.ids[i]]["properties"]
        lon, lat = zones.geoms[i].x, zones.geoms[i].y
        rules = ar.load_rules(
            {
                "schema": "atribut-rules/1",
                "ruleset": {"id": "t", "version": "1"},
                "rules": [{"id": "NEAR", "when": {"near": {"zone": zones.categories[i], "within_m": 5}}}],
            }
        )
        run = ar.check(ar.Reports.from_records([{"id": "r", "lon": lon, "lat": lat}]), zones, rules)
        (finding,) = run.verdicts[0].findings
        assert finding.zone is not None and finding.zone.id == zones.ids[i]
        origin = dict(finding.zone.origin or {})
        expected_sha = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
        assert origin["source_sha256"] == feature["source_sha256"] == expected_sha
        assert origin["source_id"] == feature["source_id"]
        assert origin["geometry_kind"] == feature["geometry_kind"]


class TestProblems:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls):
        return build_zones([PROBLEMS], "builtin:osm")

    def test_each_problem_names_its_feature(self, result):
        got = {(p.code, p.feature) for p in result.problems if p.feature}
        assert got == {
            ("invalid_geometry", "osm:way/7001"),
            ("projected_coordinates", "osm:node/7002"),
            ("duplicate_id", "osm:node/7003"),
            ("no_geometry", "osm:node/7004"),
        }
        assert all(p.file == str(PROBLEMS) for p in result.problems if p.feature)
        assert len(result.errors) == 3

    def test_differing_duplicate_is_kept_under_a_new_id(self, result):
        f = by_id(result)
        assert f["osm:node/7003"]["properties"]["name"] == "Gereja Satu"
        assert f["osm:node/7003~2"]["properties"]["name"] == "Gereja Dua"
        assert f["osm:node/7003~2"]["properties"]["source_id"] == "osm:node/7003"

    def test_repair_keeps_the_invalid_polygon(self):
        result = build_zones([PROBLEMS], "builtin:osm", repair=True)
        school = by_id(result)["osm:way/7001"]
        assert school["geometry"]["type"] == "MultiPolygon"
        assert any(p.code == "repaired_geometry" for p in result.problems)

    def test_declared_projected_crs_is_refused(self, tmp_path):
        doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
        doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32748"}}
        p = tmp_path / "utm.geojson"
        p.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(InputError, match="32748"):
            build_zones([p], "builtin:osm")

    def test_exact_duplicate_rows_are_dropped(self):
        result = build_zones([TREES], TREE_MAP)
        dups = [p for p in result.problems if p.code == "duplicate_id"]
        assert [p.feature for p in dups] == ["pasadena-tree:17972"]
        assert "left out" in dups[0].message


class TestRealExtracts:
    def test_bali_csv_wkt_with_osm_mapping(self):
        result = build_zones([BALI], "builtin:osm")
        assert result.records == 14
        assert result.unmatched == 2  # amenity NA: not places of worship
        invalid = sorted(p.feature for p in result.problems if p.code == "invalid_geometry")
        assert invalid == ["osm:209452189", "osm:233831826"]
        assert result.counts == {"place_of_worship": 10}
        for f in result.collection["features"]:
            assert f["properties"]["geometry_kind"] == "polygon"
            assert f["properties"]["name"]
        repaired = build_zones([BALI], "builtin:osm", repair=True)
        assert repaired.counts == {"place_of_worship": 12}

    def test_pasadena_live_trees_only(self):
        result = build_zones([TREES], TREE_MAP)
        assert result.records == 30
        assert sum(result.excluded.values()) == 14
        assert result.counts == {"tree": 15}
        genus = {f["properties"]["source_class"] for f in result.collection["features"]}
        assert not genus & {"STUMP", "PLANTING SITE", "NO", "NO ROOM FOR REPLANT", "UNDER PROCESS /PLANT"}
        assert all(f["properties"]["radius_m"] == 0.5 for f in result.collection["features"])
        assert by_id(result)["pasadena-tree:17972"]["properties"]["name"] == "SAWTOOTH ZELKOVA"


class TestCsvLonLat:
    def test_lon_lat_columns_and_gazetteer_mapping(self, tmp_path):
        p = tmp_path / "toponimi.csv"
        p.write_text(
            "KODE;NAMA_UNSUR;NAMA_LOKAL;NAMA_GEO1;bujur;lintang\n"
            "T1;Masjid;Masjid;Al Ikhlas;106,1200;-2,1300\n"
            "T2;Jalan;Jalan;Merdeka;106,1210;-2,1310\n"
            "T3;Pendidikan Tinggi;Universitas;Contoh;106,1220;-2,1320\n"
            "T4;Rumah Sakit Umum;RSUD;Contoh;x;-2,1330\n",
            encoding="utf-8",
        )
        result = build_zones([p], "builtin:id-gazetteer")
        f = by_id(result)
        assert f["T1"]["properties"]["name"] == "Masjid Al Ikhlas"
        assert f["T1"]["geometry"]["coordinates"] == [106.12, -2.13]
        assert f["T3"]["properties"]["radius_m"] == 80.0
        assert result.unmatched_classes == {"Jalan": 1}
        assert [(e.code, e.feature) for e in result.errors] == [("no_geometry", "T4")]


class TestPbf:
    def test_missing_osmium_says_how_to_install(self, tmp_path, monkeypatch):
        monkeypatch.setitem(sys.modules, "osmium", None)
        p = tmp_path / "area.osm.pbf"
        p.write_bytes(b"")
        with pytest.raises(MissingExtraError, match=r"atribut-rules\[osm\]"):
            build_zones([p], "builtin:osm")

    def test_pbf_nodes_ways_and_multipolygons(self, tmp_path):
        osmium = pytest.importorskip("osmium")
        p = tmp_path / "area.osm.pbf"
        nodes = {
            1: (106.12, -2.13),
            2: (106.121, -2.13),
            3: (106.121, -2.129),
            4: (106.12, -2.129),
            5: (106.119, -2.131),
            6: (106.128, -2.131),
            7: (106.1225, -2.1305),
        }
        with osmium.SimpleWriter(str(p)) as w:
            for nid, (lon, lat) in nodes.items():
                tags = {"amenity": "place_of_worship", "name": "Masjid"} if nid == 7 else {}
                w.add_node(osmium.osm.mutable.Node(id=nid, location=(lon, lat), tags=tags))
            w.add_way(osmium.osm.mutable.Way(id=10, nodes=[1, 2, 3, 4, 1], tags={}))
            w.add_way(osmium.osm.mutable.Way(id=11, nodes=[5, 6], tags={"highway": "primary", "lanes": "2"}))
            w.add_relation(
                osmium.osm.mutable.Relation(
                    id=20,
                    members=[("w", 10, "outer")],
                    tags={"type": "multipolygon", "amenity": "school", "name": "SD"},
                )
            )
        result = build_zones([p], "builtin:osm")
        f = by_id(result)
        assert f["osm:node/7"]["properties"]["geometry_kind"] == "buffered_point"
        assert f["osm:way/11"]["properties"]["radius_m"] == 3.5
        school = f["osm:relation/20"]
        assert school["properties"]["geometry_kind"] == "polygon"
        assert school["geometry"]["type"] == "MultiPolygon"


class TestCommand:
    def test_build_writes_a_layer_that_check_can_use(self, tmp_path):
        out = tmp_path / "zones.geojson"
        code, stdout, stderr = run_cli("zones", "build", str(SAMPLE), "--map", "builtin:osm", "-o", str(out), "--lang", "en")
        assert code == 0, stderr
        assert "13 zones written" in stderr and "bad_width" in stderr
        assert len(load_zones(out)) == 13

    def test_left_out_features_exit_1(self, tmp_path):
        out = tmp_path / "zones.geojson"
        code, _, stderr = run_cli("zones", "build", str(PROBLEMS), "--map", "builtin:osm", "-o", str(out), "--lang", "en")
        assert code == 1
        assert f"{PROBLEMS}:osm:way/7001: error: feature #1 has an invalid geometry" in stderr
        assert len(load_zones(out)) == 3

    def test_nothing_produced_exits_2_and_writes_nothing(self, tmp_path):
        out = tmp_path / "zones.geojson"
        code, _, stderr = run_cli("zones", "build", str(TREES), "--map", "builtin:osm", "-o", str(out), "--lang", "en")
        assert code == 2 and not out.exists()
        assert "no zone features" in stderr

    def test_mappings_list(self):
        code, stdout, _ = run_cli("zones", "mappings")
        assert code == 0
        assert stdout.splitlines()[0].startswith("builtin:id-gazetteer\t")


@given(
    st.one_of(st.integers(min_value=0, max_value=10**12), st.sampled_from(["node", "way", "relation"])),
    st.integers(min_value=1, max_value=10**12),
)
def test_osm_ids_normalise(kind, number):
    if isinstance(kind, str):
        assert osm_id(f"{kind}/{number}") == f"osm:{kind}/{number}"
        assert osm_id(f"{kind[0]}{number}") == f"osm:{kind}/{number}"
        assert osm_id(str(number), kind) == f"osm:{kind}/{number}"
    else:
        assert osm_id(str(kind)) == f"osm:{kind}"
