"""Write the bad-input corpus (tests/bad_inputs/). Run from the repository root.

The corpus is committed; this script documents how each file was made and
rebuilds it byte for byte (binary garbage comes from a seeded generator).
Expected outcomes live in ``expected.yaml`` next to it.
"""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = "id,lat,lon,accuracy_m,type,width_m,height_m,party,candidate,observed_at,mounted_on,notes"
# Three rows of the bundled example that come out "ok" with the bundled rules.
GOOD = [
    "G-1,-2.1062534,106.1617035,5,baliho,2,3,Partai F,Hadi Lestari,2024-01-22,tanah,lahan warga",
    "G-2,-2.1205053,106.1277439,2,spanduk,5,1,Partai D,Citra Rahmadani,2024-01-20,dinding,dinding toko",
    "G-3,-2.1435842,106.1397385,8,umbul-umbul,0.6,3,Partai F,,2023-12-20,,pekarangan",
]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def feature(fid, geometry, **props):
    return {"type": "Feature", "id": fid, "properties": props, "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def polygon(*ring):
    return {"type": "Polygon", "coordinates": [list(map(list, ring))]}


RULE_HEAD = 'schema: atribut-rules/1\nruleset:\n  id: bad\n  version: "1"\n'
RULE_OK = "  - id: R-1\n    when: {near: {zone: tree, within_m: 1}}\n"


def reports_files() -> dict[str, bytes | str]:
    g1, g2, g3 = GOOD
    files: dict[str, bytes | str] = {}
    files["broken_quote_unclosed.csv"] = csv_text(
        g1, 'B-2,-2.1205053,106.1277439,2,spanduk,5,1,"Partai D,x,y', g3
    )
    files["broken_quote_stray.csv"] = csv_text(
        g1, 'B-2,-2.1205053,106.1277439,2,spanduk,5,1,Partai "D",,2024-01-20,,x', g3
    )
    files["ragged_rows.csv"] = csv_text(
        g1, "B-2,-2.1205053,106.1277439,2,spanduk", g2.replace("G-2", "B-3") + ",extra,more", g3
    )
    files["latin1.csv"] = csv_text(g1, g2.replace("Citra", "C\u00e9line"), g3).encode("latin-1")
    files["utf16_bom.csv"] = codecs.BOM_UTF16_LE + csv_text(g1, g2, g3).encode("utf-16-le")
    files["utf16_no_bom.csv"] = csv_text(g1, g2, g3).encode("utf-16-le")
    files["utf8_bom.csv"] = codecs.BOM_UTF8 + csv_text(g1, g2, g3).replace("Citra", "Citr\u00e1").encode(
        "utf-8"
    )
    files["cp1252_smart_quotes.csv"] = csv_text(
        g1, g2.replace("dinding toko", "\u201ctoko\u201d"), g3
    ).encode("cp1252")
    files["empty.csv"] = b""
    files["blank_lines_only.csv"] = "\n \n\t\n\n"
    files["header_only.csv"] = HEADER + "\n"
    files["huge_field.csv"] = csv_text(g1, g2.replace("dinding toko", "x" * 50_000), g3)
    files["nul_bytes.csv"] = csv_text(g1, g2.replace("dinding", "din\x00ding"), g3).encode()
    files["binary_garbage.csv"] = random.Random(8).randbytes(4096)
    files["nan_infinity.csv"] = csv_text(
        g1,
        "B-2,nan,106.1277439,2,spanduk,5,1,Partai D,,2024-01-20,,",
        "B-3,-2.1435842,inf,8,spanduk,1,1,Partai F,,2023-12-20,,",
        "B-4,-2.1435842,106.1397385,-Infinity,spanduk,1,1,Partai F,,2023-12-20,,",
        "B-5,-2.1435842,106.1397385,8,spanduk,1e400,1,Partai F,,2023-12-20,,",
    )
    files["dms_coordinates.csv"] = csv_text(
        g1,
        'B-2,"2\u00b007\'13.8""S","106\u00b007\'39.9""E",2,spanduk,5,1,Partai D,,2024-01-20,,',
        "B-3,2.1435842 S,106.1397385 E,8,spanduk,1,1,Partai F,,2023-12-20,,",
    )
    files["swapped_coordinates.csv"] = csv_text(
        g1, "B-2,106.1277439,-2.1205053,2,spanduk,5,1,Partai D,,2024-01-20,,", g3
    )
    files["out_of_range.csv"] = csv_text(g1, "B-2,-95.5,206.1,2,spanduk,5,1,Partai D,,2024-01-20,,", g3)
    files["duplicate_ids.csv"] = csv_text(g1, g2.replace("G-2", "G-1"), g3, g3)
    files["wrong_type_every_field.csv"] = csv_text(
        g1,
        "B-lat,abc,106.1277439,2,spanduk,5,1,Partai D,,2024-01-20,,",
        "B-lon,-2.1205053,timur,2,spanduk,5,1,Partai D,,2024-01-20,,",
        "B-acc,-2.1205053,106.1277439,baik,spanduk,5,1,Partai D,,2024-01-20,,",
        "B-width,-2.1205053,106.1277439,2,spanduk,lebar,1,Partai D,,2024-01-20,,",
        "B-height,-2.1205053,106.1277439,2,spanduk,5,1 m,Partai D,,2024-01-20,,",
        "B-date,-2.1205053,106.1277439,2,spanduk,5,1,Partai D,,kemarin,,",
        "B-neg,-2.1205053,106.1277439,2,spanduk,-5,1,Partai D,,2024-01-20,,",
        "B-day,-2.1205053,106.1277439,2,spanduk,5,1,Partai D,,2024-02-30,,",
    )
    files["missing_coordinates.csv"] = csv_text(
        g1, "B-2,,106.1277439,2,spanduk,5,1,Partai D,,2024-01-20,,", g3
    )
    files["no_lat_column.csv"] = csv_text("G-1,106.1617035,5,baliho", header="id,lon,accuracy_m,type")
    files["duplicate_columns.csv"] = csv_text(
        "G-1,-2.1062534,-2.1062534,106.1617035", header="id,lat,lintang,lon"
    )
    files["formula_injection.csv"] = csv_text(
        g1,
        '=HYPERLINK("http://x"),-2.1205053,106.1277439,2,spanduk,5,1,"@SUM(1+1)",-2+3,2024-01-20,,<script>alert(1)</script>',
    )

    good_jsonl = [
        {"id": "G-1", "lat": -2.1062534, "lon": 106.1617035, "type": "baliho", "observed_at": "2024-01-22"},
        {"id": "G-2", "lat": -2.1205053, "lon": 106.1277439, "type": "spanduk", "observed_at": "2024-01-20"},
    ]
    lines = [json.dumps(r) for r in good_jsonl]
    files["truncated.jsonl"] = "\n".join([*lines, '{"id": "B-3", "lat": -2.14, "lon": 106.1'])
    files["not_objects.jsonl"] = "\n".join([lines[0], "[1, 2, 3]", "42", '"text"', "null", lines[1]]) + "\n"
    files["wrong_type_every_field.jsonl"] = (
        "\n".join(
            [
                lines[0],
                json.dumps({"id": "B-lat", "lat": True, "lon": 106.12}),
                json.dumps({"id": "B-lon", "lat": -2.12, "lon": [106.12]}),
                json.dumps({"id": "B-acc", "lat": -2.12, "lon": 106.12, "accuracy_m": {"m": 5}}),
                json.dumps({"id": "B-width", "lat": -2.12, "lon": 106.12, "width_m": False}),
                json.dumps({"id": "B-height", "lat": -2.12, "lon": 106.12, "height_m": "tinggi"}),
                json.dumps({"id": "B-date", "lat": -2.12, "lon": 106.12, "observed_at": 20240120}),
                json.dumps({"id": ["B", "list"], "lat": -2.12, "lon": 106.12, "type": 7, "party": None}),
            ]
        )
        + "\n"
    )
    files["nan_infinity.jsonl"] = (
        lines[0]
        + '\n{"id": "B-2", "lat": NaN, "lon": 106.12}\n{"id": "B-3", "lat": -2.12, "lon": Infinity}\n'
    )
    files["deeply_nested.jsonl"] = (
        lines[0] + "\n" + '{"id": "B-2", "x": ' + "[" * 20_000 + "]" * 20_000 + "}\n"
    )
    files["empty.jsonl"] = "\n\n"

    files["not_feature_collection.geojson"] = json.dumps(feature("A", point(106.16, -2.10)))
    files["features_not_list.geojson"] = json.dumps({"type": "FeatureCollection", "features": {"a": 1}})
    files["null_and_empty_geometry.geojson"] = json.dumps(
        collection(
            feature("G-1", point(106.1617035, -2.1062534), type="baliho", observed_at="2024-01-22"),
            feature("B-null", None, type="baliho"),
            feature("B-empty", {"type": "Point", "coordinates": []}, type="baliho"),
            feature("B-poly", polygon((106.1, -2.1), (106.2, -2.1), (106.2, -2.2), (106.1, -2.1))),
            feature("B-str", {"type": "Point", "coordinates": ["106\u00b007'39.9\"E", "-2.1205053"]}),
            feature("B-nested", {"type": "Point", "coordinates": [[106.1277439, -2.1205053]]}),
            feature("B-one", {"type": "Point", "coordinates": [106.1277439]}),
            "not a feature",
        )
    )
    files["nan_coordinates.geojson"] = (
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "id": "G-1", "properties": {}, "geometry": {"type": "Point", "coordinates": [106.1617035, -2.1062534]}},'
        '{"type": "Feature", "id": "B-nan", "properties": {}, "geometry": {"type": "Point", "coordinates": [NaN, -2.1]}},'
        '{"type": "Feature", "id": "B-inf", "properties": {}, "geometry": {"type": "Point", "coordinates": [106.1, -Infinity]}}]}'
    )
    files["truncated.geojson"] = json.dumps(
        collection(
            feature("G-1", point(106.1617035, -2.1062534)), feature("G-2", point(106.1277439, -2.1205053))
        ),
        indent=1,
    )[:-40]
    files["empty_features.geojson"] = json.dumps(collection())
    files["deeply_nested.geojson"] = "[" * 20_000 + "]" * 20_000
    return files


def zone_files() -> dict[str, str]:
    sq = [
        (106.1060, -2.1460),
        (106.1070, -2.1460),
        (106.1070, -2.1450),
        (106.1060, -2.1450),
        (106.1060, -2.1460),
    ]
    bowtie = [
        (106.1060, -2.1460),
        (106.1070, -2.1450),
        (106.1070, -2.1460),
        (106.1060, -2.1450),
        (106.1060, -2.1460),
    ]
    files = {}
    files["self_intersecting.geojson"] = collection(
        feature("z:bowtie", polygon(*bowtie), category="school", name="SD")
    )
    files["unclosed_polygon.geojson"] = collection(feature("z:open", polygon(*sq[:-1]), category="school"))
    files["projected_coordinates.geojson"] = collection(
        feature(
            "z:utm",
            polygon((623000, 9765000), (623100, 9765000), (623100, 9765100), (623000, 9765000)),
            category="school",
        )
    )
    files["null_geometry.geojson"] = collection(feature("z:null", None, category="school"))
    files["empty_geometry.geojson"] = collection(
        feature("z:empty", {"type": "Polygon", "coordinates": []}, category="school")
    )
    files["not_feature_collection.geojson"] = feature("z:one", polygon(*sq), category="school")
    files["unknown_category.geojson"] = collection(feature("z:mall", polygon(*sq), category="mall"))
    files["duplicate_ids.geojson"] = collection(
        feature("z:1", point(106.1, -2.1), category="tree"),
        feature("z:1", point(106.2, -2.1), category="tree"),
    )
    files["negative_radius.geojson"] = collection(
        feature("z:r", point(106.1, -2.1), category="tree", radius_m=-3)
    )
    files["no_features.geojson"] = collection()
    out = {k: json.dumps(v) for k, v in files.items()}
    out["truncated.geojson"] = json.dumps(collection(feature("z:1", point(106.1, -2.1), category="tree")))[
        :50
    ]
    out["nan_coordinates.geojson"] = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "z:nan", '
        '"properties": {"category": "tree"}, "geometry": {"type": "Point", "coordinates": [NaN, -2.1]}}]}'
    )
    return out


def rule_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        laughs.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    files["billion_laughs.yaml"] = (
        RULE_HEAD + "x-bomb:\n" + "".join(f"  {line}\n" for line in laughs) + "rules:\n" + RULE_OK
    )
    files["python_tag.yaml"] = (
        RULE_HEAD
        + 'rules:\n  - id: !!python/object/apply:os.system ["echo owned"]\n    when: {near: {zone: tree, within_m: 1}}\n'
    )
    files["python_name_tag.yaml"] = RULE_HEAD + "rules: !!python/name:os.system\n"
    files["tabs.yaml"] = RULE_HEAD + "rules:\n  - id: R-1\n\twhen: {near: {zone: tree, within_m: 1}}\n"
    files["unknown_key.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    wehn: {near: {zone: tree, within_m: 1}}\n"
    )
    files["negative_distance.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    when: {near: {zone: tree, within_m: -5}}\n"
    )
    files["nan_threshold.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    when: {near: {zone: tree, within_m: .nan}}\n"
    )
    files["duplicate_rule_ids.yaml"] = RULE_HEAD + "rules:\n" + RULE_OK + RULE_OK
    files["duplicate_keys.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    id: R-2\n    when: {near: {zone: tree, within_m: 1}}\n"
    )
    deep = "{near: {zone: tree, within_m: 1}}"
    for _ in range(40):
        deep = "{not: " + deep + "}"
    files["deep_conditions.yaml"] = RULE_HEAD + f"rules:\n  - id: R-1\n    when: {deep}\n"
    deeper = "{near: {zone: tree, within_m: 1}}"
    for _ in range(5000):
        deeper = "{not: " + deeper + "}"
    files["deep_yaml.yaml"] = RULE_HEAD + f"rules:\n  - id: R-1\n    when: {deeper}\n"
    files["catastrophic_regex.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    when: {field: party, matches: '^(a+)+$'}\n"
    )
    files["regex_alternation_repeat.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    when: {field: party, matches: '(a|aa)*c'}\n"
    )
    files["regex_backreference.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    when: {field: party, matches: '(x+)y\\1'}\n"
    )
    files["regex_invalid.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    when: {field: party, matches: '(unclosed'}\n"
    )
    files["recursive_alias.yaml"] = RULE_HEAD + "rules: &r\n  - *r\n"
    files["not_utf8.yaml"] = (RULE_HEAD + "  title: Pemilu \u00e9\n" + "rules:\n" + RULE_OK).encode("latin-1")
    files["empty.yaml"] = ""
    files["control_character.yaml"] = RULE_HEAD + "  title: Pemilu\x01\nrules:\n" + RULE_OK
    files["top_level_list.yaml"] = "- schema: atribut-rules/1\n"
    files["bad_date.yaml"] = (
        RULE_HEAD + 'periods:\n  kampanye: {from: "2024-02-30", to: "2024-03-01"}\nrules:\n' + RULE_OK
    )
    files["unknown_category.yaml"] = (
        RULE_HEAD + "rules:\n  - id: R-1\n    when: {near: {zone: mall, within_m: 1}}\n"
    )
    files["extends_outside.yaml"] = (
        'schema: atribut-rules/1\nruleset:\n  id: bad\n  version: "1"\n  extends: ["../../../../etc/passwd"]\nrules:\n'
        + RULE_OK
    )
    files["broken_yaml.yaml"] = (
        RULE_HEAD + "rules:\n  - id: [R-1\n    when: {near: {zone: tree, within_m: 1}}\n"
    )
    files["merge_key_bomb.yaml"] = (
        RULE_HEAD
        + "x: &x {a: 1}\n"
        + "".join(f"y{i}: {{<<: *x}}\n" for i in range(150))
        + "rules:\n"
        + RULE_OK
    )
    return files


def write(root: Path = HERE) -> None:
    """Write the corpus under ``root`` (reports/, zones/, rules/)."""
    for folder, files in (("reports", reports_files()), ("zones", zone_files()), ("rules", rule_files())):
        target = root / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (target / name).write_bytes(data)


if __name__ == "__main__":
    write()
