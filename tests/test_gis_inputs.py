"""Issue 25: zones from Shapefile, GeoPackage, FlatGeobuf and KML/KMZ (extra ``gis``), reports
from KML/KMZ placemarks, GPX waypoints (extra ``gis``) and photos with EXIF GPS (extra ``photos``).

Every input is made here, small: layers written with pyogrio, KML and GPX as strings, JPEGs
with EXIF written by Pillow. No network."""

from __future__ import annotations

import builtins
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from helpers import run_cli
from support import make_rules

import atribut_rules as ar
from atribut_rules.errors import InputError, MissingExtraError, ZoneError
from atribut_rules.read import read_reports
from atribut_rules.read.gis_reader import HDOP_METRES

# A 30 m square in UTM zone 48S (EPSG:32748) around 500000 E, 9760000 N: longitude 105,
# latitude about -2.171 (Bangka); the same square in degrees, for comparing with GeoJSON.
UTM_SQUARE = shapely.box(499970, 9759970, 500030, 9760030)


def _write(path: Path, geoms, fields: dict, crs: str | None = "EPSG:32748", driver=None, **kw) -> Path:
    pyogrio = pytest.importorskip("pyogrio")
    from pyogrio.raw import write

    names = list(fields)
    values = [np.array(fields[n], dtype=object) for n in names]
    kind = shapely.get_type_id(geoms[0])
    gtype = {0: "Point", 1: "LineString", 3: "Polygon"}[int(kind)]
    del pyogrio
    write(
        str(path),
        shapely.to_wkb(np.array(geoms, dtype=object)),
        values,
        fields=names,
        crs=crs,
        geometry_type=gtype,
        driver=driver,
        **kw,
    )
    return path


def _shapefile(folder: Path, name: str = "pohon", crs: str | None = "EPSG:32748") -> Path:
    return _write(
        folder / f"{name}.shp",
        [UTM_SQUARE],
        {"category": ["tree"], "name": ["Angsana"]},
        crs=crs,
        driver="ESRI Shapefile",
    )


# --- zones ------------------------------------------------------------------------------


def test_shapefile_zone_is_transformed_to_wgs84(tmp_path: Path) -> None:
    zones = ar.load_zones(_shapefile(tmp_path))
    assert zones.ids == ["pohon:1"] and list(zones.categories) == ["tree"] and zones.names == ["Angsana"]
    lon_min, lat_min, lon_max, lat_max = shapely.bounds(zones.geoms[0])
    assert 104.999 < lon_min < lon_max < 105.001 and -2.173 < lat_min < lat_max < -2.170
    # the same feature as GeoJSON gives the same zone
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"category": "tree", "name": "Angsana"},
                "geometry": json.loads(shapely.to_geojson(zones.geoms[0])),
            }
        ],
    }
    same = ar.load_zones(doc)
    assert list(same.kinds) == list(zones.kinds) == ["polygon"]
    assert list(zones.files) == [str(tmp_path / "pohon.shp")]


def test_shapefile_without_prj_is_refused(tmp_path: Path) -> None:
    shp = _shapefile(tmp_path)
    shp.with_suffix(".prj").unlink()
    with pytest.raises(ZoneError, match=r"no \.prj file.*coordinate reference system"):
        ar.load_zones(shp)


def test_shapefile_zip_and_its_checks(tmp_path: Path) -> None:
    shp = _shapefile(tmp_path)
    archive = tmp_path / "pohon.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            z.write(shp.with_suffix(suffix), "pohon" + suffix)
    zones = ar.load_zones(("pohon.zip" and archive, "tree"))
    assert list(zones.categories) == ["tree"] and shapely.bounds(zones.geoms[0])[0] == pytest.approx(
        104.9997, abs=1e-3
    )
    no_prj = tmp_path / "noprj.zip"
    with zipfile.ZipFile(no_prj, "w") as z:
        for suffix in (".shp", ".shx", ".dbf"):
            z.write(shp.with_suffix(suffix), "pohon" + suffix)
    with pytest.raises(ZoneError, match=r"no \.prj"):
        ar.load_zones(no_prj)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(archive.read_bytes()[:200] + b"\x00" * 50)
    with pytest.raises(ZoneError, match="not a readable zip"):
        ar.load_zones(broken)


def test_geopackage_layers(tmp_path: Path) -> None:
    gpkg = tmp_path / "zona.gpkg"
    _write(gpkg, [UTM_SQUARE], {"category": ["school"], "id": ["SD-1"]}, driver="GPKG", layer="sekolah")
    _write(
        gpkg,
        [shapely.Point(500100, 9760100)],
        {"category": ["tree"]},
        driver="GPKG",
        layer="pohon",
        append=True,
    )
    zones = ar.load_zones(f"{gpkg}:sekolah", f"{gpkg}:pohon")
    assert zones.ids == ["SD-1", "pohon:1"] and list(zones.categories) == ["school", "tree"]
    assert list(zones.kinds) == ["polygon", "point"]
    with pytest.raises(ZoneError, match=r"2 layers; say which one"):
        ar.load_zones(gpkg)
    with pytest.raises(ZoneError, match=r"no layer 'jalan'"):
        ar.load_zones(f"{gpkg}:jalan")


def test_gis_zones_get_the_geojson_checks(tmp_path: Path) -> None:
    bowtie = shapely.Polygon([(499970, 9759970), (500030, 9760030), (500030, 9759970), (499970, 9760030)])
    fgb = _write(tmp_path / "bad.fgb", [bowtie], {"category": ["park"]}, driver="FlatGeobuf")
    with pytest.raises(ZoneError, match=r"zone 'bad:1' \(feature #1\) has an invalid geometry"):
        ar.load_zones(fgb)
    assert len(ar.load_zones(fgb, repair=True)) == 1
    unknown = _write(tmp_path / "x.fgb", [UTM_SQUARE], {"category": ["kebun"]}, driver="FlatGeobuf")
    with pytest.raises(ZoneError, match=r"unknown category 'kebun'"):
        ar.load_zones(unknown)
    good = _write(tmp_path / "ok.fgb", [UTM_SQUARE], {"category": ["park"]}, driver="FlatGeobuf")
    assert list(ar.load_zones(good).categories) == ["park"]


KML_ZONES = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>Masjid</name>
<Placemark><name>Masjid Jamik</name><ExtendedData><Data name="category"><value>place_of_worship</value></Data></ExtendedData>
<Polygon><outerBoundaryIs><LinearRing><coordinates>106.1,-2.1 106.101,-2.1 106.101,-2.101 106.1,-2.101 106.1,-2.1</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Folder></Document></kml>"""


def test_kml_and_kmz_zones(tmp_path: Path) -> None:
    pytest.importorskip("pyogrio")
    kml = tmp_path / "masjid.kml"
    kml.write_text(KML_ZONES, encoding="utf-8")
    zones = ar.load_zones(kml)
    assert list(zones.categories) == ["place_of_worship"] and zones.names == ["Masjid Jamik"]
    kmz = tmp_path / "masjid.kmz"
    with zipfile.ZipFile(kmz, "w") as z:
        z.writestr("doc.kml", KML_ZONES)
    assert ar.load_zones(kmz).names == ["Masjid Jamik"]


# --- reports: KML, GPX ---------------------------------------------------------------------

KML_REPORTS = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Temuan APK</name>
<Placemark><name>APK-1</name><description><![CDATA[jenis: baliho<br>partai: Partai A<br>tanggal: 2024-01-05<br>kondisi: rusak]]></description>
<Point><coordinates>106.1,-2.1,0</coordinates></Point></Placemark>
<Placemark><name>APK-2</name><description><![CDATA[<table><tr><td>jenis</td><td>spanduk</td></tr><tr><td>kondisi</td><td>baik</td></tr></table>]]></description>
<ExtendedData><Data name="partai"><value>Partai B</value></Data></ExtendedData>
<Point><coordinates>106.2,-2.2</coordinates></Point></Placemark>
<Placemark><name>APK-3</name><description>tanpa koordinat</description><Point><coordinates></coordinates></Point></Placemark>
<Placemark><name>APK-4</name><description>tanpa titik</description></Placemark>
</Document></kml>"""


def test_kml_placemarks_are_reports(tmp_path: Path) -> None:
    pytest.importorskip("pyogrio")
    path = tmp_path / "temuan.kml"
    path.write_text(KML_REPORTS, encoding="utf-8")
    reports = read_reports(path)
    assert [reports[i].id for i in range(len(reports))] == ["APK-1", "APK-2", "APK-3", "APK-4"]
    first, second = reports[0], reports[1]
    assert (first.lon, first.lat, first.type, first.party, first.observed_at) == (
        106.1,
        -2.1,
        "baliho",
        "Partai A",
        "2024-01-05",
    )
    assert first.extra["kondisi"] == "rusak"
    assert (second.type, second.party, second.extra["kondisi"]) == ("spanduk", "Partai B", "baik")
    assert set(reports.problems) == {2, 3}
    for row in (2, 3):
        assert reports.problems[row][0].code == "no_position"
        assert "placemark" in reports.problems[row][0].message["en"]
    kmz = tmp_path / "temuan.kmz"
    with zipfile.ZipFile(kmz, "w") as z:
        z.writestr("doc.kml", KML_REPORTS)
    assert len(read_reports(kmz)) == 4


def test_kml_extra_fields_reach_rules_and_messages(tmp_path: Path) -> None:
    pytest.importorskip("pyogrio")
    path = tmp_path / "temuan.kml"
    path.write_text(KML_REPORTS, encoding="utf-8")
    rules = make_rules(
        {
            "id": "RUSAK",
            "severity": "error",
            "applies_to": {"field": "kondisi", "equals": "rusak"},
            "when": {"field": "type", "exists": True},
            "message": {"id": "APK {kondisi}", "en": "attribute {kondisi}"},
        }
    )
    run = ar.check(read_reports(path), ar.load_zones(), rules)
    statuses = [v.status.value for v in run.verdicts]
    assert statuses == ["violation", "ok", "invalid", "invalid"]
    assert run.verdicts[0].findings[0].message["en"] == "attribute rusak"


GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
<wpt lat="-2.1" lon="106.1"><time>2024-01-05T08:00:00Z</time><name>W1</name><desc>baliho</desc><hdop>2.5</hdop></wpt>
<wpt lat="-2.2" lon="106.2"><name>W2</name></wpt>
<trk><name>jalan</name><trkseg><trkpt lat="-2.1" lon="106.1"/><trkpt lat="-2.2" lon="106.2"/></trkseg></trk>
</gpx>"""


def test_gpx_waypoints_are_reports(tmp_path: Path) -> None:
    pytest.importorskip("pyogrio")
    path = tmp_path / "jalur.gpx"
    path.write_text(GPX, encoding="utf-8")
    reports = read_reports(path)
    w1, w2 = reports[0], reports[1]
    assert (w1.id, w1.lon, w1.lat, w1.observed_at) == ("W1", 106.1, -2.1, "2024-01-05T08:00:00Z")
    assert w1.accuracy_m == pytest.approx(2.5 * HDOP_METRES)
    assert w1.extra == {"desc": "baliho", "hdop": 2.5}
    assert (w2.id, w2.accuracy_m, w2.observed_at) == ("W2", None, None)
    assert not reports.problems


def test_gpx_with_a_track_and_no_waypoints_is_an_error(tmp_path: Path) -> None:
    pytest.importorskip("pyogrio")
    path = tmp_path / "track.gpx"
    path.write_text(GPX.replace("<wpt", "<!--wpt").replace("</wpt>", "</wpt-->"), encoding="utf-8")
    with pytest.raises(InputError, match=r"no waypoints \(it holds 1 track\)"):
        read_reports(path)
    code, _, err = run_cli("check", path, "--partial", "--lang", "en")
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"atribut-rules: error: {path}: the GPX file has no waypoints"
    )
    assert "; mark each attribute as a waypoint" in lines[0]


# --- reports: photos -------------------------------------------------------------------------


def _jpeg(path: Path, gps: dict | None = None, taken: str | None = None, offset: str | None = None) -> Path:
    Image = pytest.importorskip("PIL.Image")
    exif = Image.Exif()
    if gps is not None:
        exif[0x8825] = gps
    if taken:
        exif[0x8769] = {0x9003: taken, **({0x9011: offset} if offset else {})}
    Image.new("RGB", (8, 8), "red").save(path, exif=exif)
    return path


def _dms(value: float):
    from PIL.TiffImagePlugin import IFDRational

    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60 * 1000)
    return (IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 1000))


def _photos(folder: Path) -> Path:
    from PIL.TiffImagePlugin import IFDRational

    folder.mkdir()
    _jpeg(
        folder / "a-baliho.jpg",
        {1: "S", 2: _dms(2.1291), 3: "E", 4: _dms(106.1134), 31: IFDRational(4, 1)},
        "2024:01:05 08:30:00",
        "+07:00",
    )
    _jpeg(folder / "b-no-gps.jpg")
    _jpeg(folder / "c-zero.jpg", {1: "N", 2: _dms(0), 3: "E", 4: _dms(0)})
    _jpeg(folder / "d-no-ref.jpg", {2: _dms(2.1), 3: "E", 4: _dms(106.1)})
    _jpeg(
        folder / "e-garbage.jpg",
        {1: "S", 2: (IFDRational(2, 0), IFDRational(1, 1), IFDRational(1, 1)), 3: "X", 4: _dms(106.1)},
    )
    (folder / "f-broken.jpg").write_bytes(b"not a jpeg")
    (folder / "notes.txt").write_text("not a photo")
    return folder


def test_photo_folder_reads_exif(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    folder = _photos(tmp_path / "foto")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    reports = read_reports(folder)
    ids = [reports[i].id for i in range(len(reports))]
    assert ids == [
        "a-baliho.jpg",
        "b-no-gps.jpg",
        "c-zero.jpg",
        "d-no-ref.jpg",
        "e-garbage.jpg",
        "f-broken.jpg",
    ]
    good = reports[0]
    assert good.lat == pytest.approx(-2.1291, abs=1e-6) and good.lon == pytest.approx(106.1134, abs=1e-6)
    assert (good.observed_at, good.accuracy_m) == ("2024-01-05T08:30:00+07:00", 4.0)
    assert 0 not in reports.problems
    expected = {
        1: "no GPS data",
        2: "GPS at 0,0",
        3: "EXIF without GPSLatitudeRef",
        4: "unreadable EXIF: GPSLatitude, GPSLongitudeRef",
        5: "cannot be read",
    }
    for row, text in expected.items():
        problem = reports.problems[row][0]
        assert problem.code == "no_position" and text in problem.message["en"], problem
        assert repr(ids[row]) in problem.message["en"] and repr(ids[row]) in problem.message["id"]
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before


def test_photo_zip_and_cli(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    folder = _photos(tmp_path / "foto")
    archive = tmp_path / "foto.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted(folder.iterdir()):
            z.write(p, f"foto/{p.name}")
    reports = read_reports(archive)
    assert reports[0].id == "foto/a-baliho.jpg" and len(reports) == 6
    code, out, _ = run_cli("check", folder, "--partial", "--format", "jsonl", "--lang", "en")
    assert code == 1
    verdicts = [json.loads(line) for line in out.splitlines()]
    assert [v["status"] for v in verdicts] == ["ok"] + ["invalid"] * 5
    broken = tmp_path / "rusak.zip"
    broken.write_bytes(archive.read_bytes()[:300])
    code, _, err = run_cli("check", broken, "--partial", "--lang", "en")
    assert code == 2
    assert err.count("\n") == 1 and "not a readable zip archive" in err


# --- the extras ------------------------------------------------------------------------------


def test_missing_extras_say_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_extras(name, *args, **kwargs):
        if name.split(".")[0] in ("pyogrio", "PIL"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_extras)
    for module in [m for m in sys.modules if m.split(".")[0] in ("pyogrio", "PIL")]:
        monkeypatch.delitem(sys.modules, module)
    (tmp_path / "a.gpx").write_text(GPX, encoding="utf-8")
    with pytest.raises(MissingExtraError, match=r'pip install "atribut-rules\[gis\]"'):
        read_reports(tmp_path / "a.gpx")
    (tmp_path / "z.gpkg").write_bytes(b"x")
    with pytest.raises(MissingExtraError, match=r"needs pyogrio"):
        ar.load_zones(tmp_path / "z.gpkg")
    (tmp_path / "foto").mkdir()
    with pytest.raises(MissingExtraError, match=r'pip install "atribut-rules\[photos\]"'):
        read_reports(tmp_path / "foto")


def test_kml_zone_without_coordinates_and_cache_of_a_geopackage_layer(tmp_path: Path) -> None:
    pytest.importorskip("pyogrio")
    kml = tmp_path / "kosong.kml"
    kml.write_text(
        KML_ZONES.replace("<Polygon>", "<Point><coordinates></coordinates></Point><!--").replace(
            "</Polygon>", "-->"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ZoneError, match=r"has no geometry"):
        ar.load_zones(kml)
    gpkg = _write(
        tmp_path / "zona.gpkg", [UTM_SQUARE], {"category": ["school"]}, driver="GPKG", layer="sekolah"
    )
    cache = tmp_path / "zones.npz"
    first, hit = ar.load_zones_cached(f"{gpkg}:sekolah", cache=cache)
    again, hit_again = ar.load_zones_cached(f"{gpkg}:sekolah", cache=cache)
    assert (hit, hit_again) == (False, True) and again.ids == first.ids == ["sekolah:1"]


def test_cli_zones_from_a_shapefile_and_a_broken_zip(tmp_path: Path) -> None:
    shp = _shapefile(tmp_path)
    reports = tmp_path / "laporan.csv"
    reports.write_text("id,lat,lon,jenis\nA,-2.1713,105.0,baliho\n", encoding="utf-8")
    code, out, _ = run_cli("check", reports, "--zones", f"tree={shp}", "--partial", "--format", "jsonl", "--lang", "en")
    assert code in (0, 1) and json.loads(out)["report"] == "A"
    broken = tmp_path / "pohon.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    code, _, err = run_cli("check", reports, "--zones", broken, "--partial", "--lang", "en")
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"atribut-rules: error: {broken}: not a readable zip archive")


def test_html_shows_a_thumbnail_beside_a_photos_findings(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    folder = _photos(tmp_path / "foto")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    rules = tmp_path / "semua.yaml"
    rules.write_text(
        "schema: atribut-rules/1\n"
        'ruleset: {id: semua, version: "1"}\n'
        "rules:\n"
        "  - id: SEMUA\n"
        "    title: {id: semua, en: all}\n"
        "    severity: error\n"
        "    legal_basis: test\n"
        "    when: {field: id, exists: true}\n"
        "    message: {id: ada, en: there}\n",
        encoding="utf-8",
    )
    page = tmp_path / "hasil.html"
    argv = ["check", str(folder), "--rules", str(rules), "-q", "--output", f"html:{page}", "--format", "json"]
    assert run_cli(*argv).code == 1
    html = page.read_text(encoding="utf-8")
    # the one photo with a position has a finding and its thumbnail; unusable photos have none
    assert html.count('<img class="thumb" src="data:image/jpeg;base64,') == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # photos never modified
