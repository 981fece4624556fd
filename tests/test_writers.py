"""Output formats: golden files, schemas, the officer's sheet round trip, safety, atomic writes."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
import shapely
from helpers import EXAMPLE, check_example, run_cli, zone_args
from hypothesis import given
from hypothesis import strategies as st

from atribut_rules import check, load_rules, load_zones, read_reports, resources
from atribut_rules.cli import main
from atribut_rules.errors import MissingExtraError
from atribut_rules.read.csv_reader import iter_csv
from atribut_rules.write import FORMATS, neutralise, write, write_file
from atribut_rules.write.areas import assign_areas
from atribut_rules.write.ci import artifact_uri
from atribut_rules.write.sheets import FORMULA_START

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "formats"
TEXT_FORMATS = [f for f in FORMATS if not FORMATS[f].binary]


@pytest.fixture(scope="module")
def run():
    return check_example(relative=True, permits=False)


def _render(run, fmt: str, lang: str = "id") -> str:
    buf = io.StringIO()
    write(run, fmt, buf, lang=lang)
    return buf.getvalue()


def _compare(path: Path, text: str, update: bool) -> None:
    if update:
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden file {path.name}; run pytest --update-golden"
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, (
        f"{path.name} differs from the golden file; if intended, run pytest --update-golden"
    )


_DOWNLOAD = re.compile(r'(<script type="text/plain" id="atribut-sheet"[^>]*>)([^<]*)(</script>)')


def _download_unpacked(page: str) -> str:
    """The page with its embedded download (the CSV sheet, gzipped and base64-encoded) shown
    unpacked: the golden file then says what the download holds, and does not depend on the
    zlib build that compressed it (zlib-ng compresses the same bytes differently)."""

    def unpack(match: re.Match[str]) -> str:
        sheet = gzip.decompress(base64.b64decode(match.group(2))).decode("utf-8")
        return f"{match.group(1)}\n[gzip, base64 of:]\n{sheet}{match.group(3)}"

    text, found = _DOWNLOAD.subn(unpack, page)
    assert found == 1, "the page has no embedded download"
    return text


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_golden_text_formats(run, fmt, update_golden):
    text = _render(run, fmt)
    assert text == _render(run, fmt), "output is not deterministic"
    if fmt == "html":
        text = _download_unpacked(text)
    _compare(GOLDEN / f"example-{fmt}{FORMATS[fmt].suffix}", text, update_golden)


def test_golden_english_table(run, update_golden):
    _compare(GOLDEN / "example-table-en.txt", _render(run, "table", "en"), update_golden)


def _xlsx_cells(data: bytes) -> list[list]:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _xlsx_typed_cells(data: bytes) -> list[list]:
    """Every cell's value; a date (ISO) or a number shown in a format other than General as
    ``{"v": value, "fmt": number format}``."""
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            value = c.value.isoformat() if hasattr(c.value, "isoformat") else c.value
            typed = c.is_date or (c.number_format != "General" and c.value is not None)
            cells.append({"v": value, "fmt": c.number_format} if typed else value)
        rows.append(cells)
    return rows


def test_golden_xlsx_cells(run, update_golden):
    buf = io.BytesIO()
    write(run, "xlsx", buf, lang="id")
    cells = _xlsx_typed_cells(buf.getvalue())
    _compare(
        GOLDEN / "example-xlsx-cells.json",
        json.dumps(cells, ensure_ascii=False, indent=0) + "\n",
        update_golden,
    )


def test_json_output_matches_its_schema(run):
    doc = json.loads(_render(run, "json"))
    schema = resources.schema("verdicts-1.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert len(doc["verdicts"]) == len(run.verdicts)
    assert doc["summary"]["area"] == {"kind": "zone", "source": "admin_area"}
    assert sum(r["reports"] for r in doc["summary"]["by_area"].values()) == len(run.verdicts)


def test_schema_rejects_a_broken_document(run):
    doc = json.loads(_render(run, "json"))
    doc["verdicts"][0]["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, resources.schema("verdicts-1.json"))


def test_sarif_is_valid_against_the_official_schema(run):
    schema = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    doc = json.loads(_render(run, "sarif"))
    jsonschema.Draft4Validator(schema).validate(doc)
    sarif_run = doc["runs"][0]
    rules = {r["id"]: r for r in sarif_run["tool"]["driver"]["rules"]}
    assert "APK-POHON" in rules and "PKPU" in rules["APK-POHON"]["help"]["text"]
    violations = sum(1 for v in run.verdicts for f in v.findings if f.status.value == "violation")
    assert (
        sum(1 for r in sarif_run["results"] if r["kind"] == "fail" and r["level"] != "warning") <= violations
    )
    first = next(v for v in run.verdicts if v.findings)
    result = next(r for r in sarif_run["results"] if r["properties"]["report"] == first.report)
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == first.source.row
    text = json.dumps(doc)
    assert "TimeUtc" not in text and "timeUtc" not in text  # deterministic: no timestamps


def test_geojson_has_one_feature_per_report_and_null_geometry_without_coordinates(run):
    doc = json.loads(_render(run, "geojson"))
    assert doc["type"] == "FeatureCollection"
    assert [f["id"] for f in doc["features"]] == [v.report for v in run.verdicts]
    for feature, verdict in zip(doc["features"], run.verdicts):
        assert feature["properties"]["status"] == verdict.status.value
        if feature["geometry"] is not None:
            assert feature["geometry"]["type"] == "Point"
    assert any(f["geometry"] is None for f in doc["features"])


def test_jsonl_is_one_verdict_per_line(run):
    lines = _render(run, "jsonl").splitlines()
    assert [json.loads(line)["report"] for line in lines] == [v.report for v in run.verdicts]


def test_junit_counts(run):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(_render(run, "junit"))
    cases = root.findall(".//testcase")
    assert len(cases) == len(run.verdicts)
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {v.report for v in run.verdicts if v.status.value == "violation"}
    assert all(len(c.findall("failure")) <= 1 for c in cases)  # one failure naming every broken rule
    two = next(v for v in run.verdicts if sum(f.status.value == "violation" for f in v.findings) > 1)
    (failure,) = next(c for c in cases if c.get("name") == two.report).findall("failure")
    assert all(f.rule in failure.get("type") for f in two.findings if f.status.value == "violation")
    assert int(root.get("errors")) == run.summary.by_status["invalid"]


def test_github_annotations(run):
    lines = _render(run, "github").splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("file=laporan.csv,line=" in line for line in lines)
    assert all("\n" not in line and "\r" not in line for line in lines)


def test_csv_round_trip_keeps_indonesian_headers_ids_and_order(run, tmp_path):
    path = tmp_path / "hasil.csv"
    write_file(run, "csv", path, lang="id", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))  # the example's own separator comes back
    assert rows[0][: len(run.reports.columns)] == list(run.reports.columns)
    assert rows[0][len(run.reports.columns) :] == [
        "status",
        "aturan",
        "jarak_m",
        "zona",
        "pesan",
        "belum_diperiksa",
    ]
    back = read_reports(path)
    assert back.ids == run.reports.ids
    assert back.columns[: len(run.reports.columns)] == list(run.reports.columns)
    # the coordinates read back the same as the first time
    assert back.lat.tolist()[:5] == run.reports.lat.tolist()[:5]


def test_csv_comes_back_in_the_lists_own_style(run):
    text = _render(run, "csv")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    distances = [r[header.index("jarak_m")] for r in rows if r[header.index("jarak_m")]]
    assert distances and all("," in d and "." not in d for d in distances if not d.lstrip("-").isdigit())
    buf = io.StringIO()
    write(run, "csv", buf, lang="id", delimiter=",", decimal=".")
    header, *rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert all("," not in r[header.index("jarak_m")] for r in rows)


def test_csv_in_english_and_semicolons(run):
    buf = io.StringIO()
    write(run, "csv", buf, lang="en", delimiter=";")
    header = next(csv.reader(io.StringIO(buf.getvalue()), delimiter=";"))
    assert header[-6:] == ["status", "rules", "distance_m", "zone", "message", "unchecked"]


def _reports_with(tmp_path: Path, cells: dict[str, str]) -> Path:
    path = tmp_path / "laporan.csv"
    header = ["no", "lintang", "bujur", "jenis", "catatan", "kelurahan"]
    row = [cells.get(h, "") for h in header]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerow(["R-1", "-2,1291", "106,1133", "baliho", "biasa", "Bintang"])
        w.writerow(row)
    return path


DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1"]


def test_formulas_are_neutralised_in_csv_and_xlsx(tmp_path):
    path = _reports_with(
        tmp_path,
        {"no": "=1+1", "lintang": "-2,13", "bujur": "106,11", "catatan": DANGEROUS[0], "kelurahan": "@x"},
    )
    rules = load_rules()
    zones = load_zones(EXAMPLE / "worship.geojson", categories=rules.categories)
    run = check(read_reports(path), zones, rules, partial=True)
    buf = io.StringIO()
    write(run, "csv", buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert rows[2][0] == "'=1+1"
    assert rows[2][1] == "-2,13"  # a number stays a number
    assert rows[2][4] == "'" + DANGEROUS[0]
    assert rows[2][5] == "'@x"
    out = io.BytesIO()
    write(run, "xlsx", out)
    cells = _xlsx_cells(out.getvalue())
    assert cells[2][0] == "'=1+1" and cells[2][4] == "'" + DANGEROUS[0]
    assert cells[1][0] == "R-1"


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise_dangerous(value):
    assert neutralise(value) == "'" + value


# A plain number, with a point or a comma: the one text a spreadsheet may start with + or -.
NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text):
    out = neutralise(text)
    if out.startswith(FORMULA_START):
        assert NUMBER.fullmatch(out.strip()), out


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers())
def test_numbers_stay_numbers(number):
    assert neutralise(number) == number
    assert neutralise(str(number)) == str(number)
    assert neutralise(str(number).replace(".", ",")) == str(number).replace(".", ",")


def test_xlsx_round_trip(run, tmp_path):
    path = tmp_path / "hasil.xlsx"
    write_file(run, "xlsx", path, lang="en")
    cells = _xlsx_cells(path.read_bytes())
    assert cells[0][: len(run.reports.columns)] == list(run.reports.columns)
    assert [row[0] for row in cells[1:]] == run.reports.ids
    statuses = [row[len(cells[0]) - 6] for row in cells[1:]]  # the first of the six verdict columns
    assert statuses == [v.status.value for v in run.verdicts]
    distance_col = len(cells[0]) - 4
    assert any(isinstance(row[distance_col], float) for row in cells[1:])


def test_xlsx_without_openpyxl_says_how_to_install(run, monkeypatch):
    import builtins

    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError("no openpyxl")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(MissingExtraError, match=r"atribut-rules\[xlsx\]"):
        write(run, "xlsx", io.BytesIO())


def test_atomic_write_keeps_the_old_file_when_a_writer_fails(run, tmp_path, monkeypatch):
    path = tmp_path / "hasil.json"
    path.write_text("old report\n", encoding="utf-8")

    class Boom(Exception):
        pass

    def broken(run, out, **_):
        out.write('{"half": ')
        raise Boom

    from atribut_rules.write import FORMATS as formats
    from atribut_rules.write import Format

    monkeypatch.setitem(formats, "json", Format("json", broken, False, ".json", "broken"))
    with pytest.raises(Boom):
        write_file(run, "json", path)
    assert path.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hasil.json"]


def test_areas_by_field_and_by_zone_agree_mostly(run):
    by_zone = assign_areas(run, "auto")
    by_field = assign_areas(run, "kelurahan")
    assert by_zone.kind == "zone" and by_field.kind == "field"
    same = sum(a == b for a, b in zip(by_zone.labels, by_field.labels) if a)
    placed = sum(1 for a in by_zone.labels if a)
    assert placed and same / placed > 0.8
    assert assign_areas(run, "none") is None


def _square(zone_id: str, x0: float, y0: float, size: float) -> dict:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"id": zone_id, "name": zone_id, "category": "admin_area"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_area_labels_are_the_first_area_in_file_order_that_holds_the_point():
    layer = {
        "type": "FeatureCollection",
        "features": [
            _square("B", 106.11, -2.13, 0.01),
            _square("A", 106.10, -2.13, 0.01),  # shares B's west edge
            _square("C", 106.105, -2.125, 0.01),  # overlaps both ...
        ],
    }
    triangle = [[106.105, -2.125], [106.115, -2.125], [106.105, -2.115], [106.105, -2.125]]
    layer["features"][2]["geometry"]["coordinates"] = [triangle]  # ... as a triangle, not its envelope
    zones = load_zones(layer)
    points = [
        (106.101, -2.129),  # A only
        (106.119, -2.129),  # B only
        (106.11, -2.129),  # on the A|B edge: B comes first
        (106.108, -2.12),  # A and C: A comes first
        (106.112, -2.121),  # B and C: B
        (106.106, -2.117),  # C only
        (106.109, -2.1155),  # in C's envelope only
        (106.2, -2.2),  # outside
        (106.10, -2.13),  # A's corner
    ]
    header = "id,lon,lat,observed_at,type\n"
    lines = "".join(f"R{k},{x},{y},2024-01-20,baliho\n" for k, (x, y) in enumerate(points))
    lines += f"R{len(points)},,,2024-01-20,baliho\n"
    reports = next(iter(iter_csv(io.StringIO(header + lines), file="t.csv")))
    labels = assign_areas(check(reports, zones, load_rules(), partial=True), "auto").labels
    geoms = [shapely.geometry.shape(f["geometry"]) for f in layer["features"]]
    names = [f["properties"]["name"] for f in layer["features"]]
    expected = [next((n for n, g in zip(names, geoms) if g.intersects(shapely.Point(p))), "") for p in points]
    assert labels == [*expected, ""]
    assert labels[:9] == ["A", "B", "B", "A", "B", "C", "", "", "A"]


def test_areas_that_share_a_name_are_counted_as_one_area():
    from atribut_rules.write.areas import area_summary

    west, east, far = (
        _square("W", 106.10, -2.13, 0.01),
        _square("E", 106.11, -2.13, 0.01),
        _square("F", 107, -3, 0.01),
    )
    west["properties"]["name"] = east["properties"]["name"] = "Bukit Intan"  # one kelurahan in two parts
    zones = load_zones({"type": "FeatureCollection", "features": [west, far, east]})
    points = [(106.101, -2.129), (106.119, -2.129), (106.119, -2.128), (106.2, -2.2)]
    header = "id,lon,lat,observed_at,type\n"
    lines = "".join(f"R{k},{x},{y},2024-01-20,baliho\n" for k, (x, y) in enumerate(points))
    run = check(
        next(iter(iter_csv(io.StringIO(header + lines), file="t.csv"))), zones, load_rules(), partial=True
    )
    assignment = assign_areas(run, "auto")
    assert assignment.labels == ["Bukit Intan", "Bukit Intan", "Bukit Intan", ""]
    summary = area_summary(run, assignment)
    assert list(summary) == ["Bukit Intan", ""]  # F holds no report: no row for it
    assert summary["Bukit Intan"]["reports"] == 3 and summary[""]["reports"] == 1
    assert (
        sum(
            summary["Bukit Intan"][s] for s in ("violation", "review", "unchecked", "exempt", "ok", "invalid")
        )
        == 3
    )


def test_artifact_uri():
    assert artifact_uri("data/laporan saya.csv") == "data/laporan%20saya.csv"
    assert artifact_uri("/tmp/a.csv") == "file:///tmp/a.csv"


# -- command line ------------------------------------------------------------------------
def test_cli_writes_several_outputs(tmp_path):
    targets = {fmt: tmp_path / f"hasil{FORMATS[fmt].suffix}" for fmt in ("html", "sarif", "csv")}
    argv = ["check", "--example", "--format", "jsonl", "--quiet", "--fail-on", "never"]
    for fmt, path in targets.items():
        argv += ["--output", f"{fmt}:{path}"]
    code, out, err = run_cli(*argv)
    assert code == 0, err
    assert len(out.splitlines()) == 260 or out.count("\n") > 10
    for path in targets.values():
        assert path.stat().st_size > 1000
    assert err == ""  # no progress bar when stderr is not a terminal


def test_cli_bad_output_spec_is_a_usage_error():
    code, _, err = run_cli("check", "--example", "--output", "pdf:x.pdf")
    assert code == 2
    assert "FORMAT:PATH" in err


def test_cli_fail_on(tmp_path):
    assert run_cli("check", "--example", "--format", "json").code == 1
    assert run_cli("check", "--example", "--fail-on", "never").code == 0


def test_progress_bar_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    err = Tty()
    assert main(["check", "--example", "--fail-on", "never"], io.StringIO(), err) == 0
    # from the first moment, in the run's language: the stage, rows of the list (not times outputs)
    shown = err.getvalue()
    assert "membaca" in shown and "memeriksa: " in shown and "/260 " in shown and "baris/s" in shown
    err = Tty()
    argv = [
        "check",
        "--example",
        "--fail-on",
        "never",
        "--lang",
        "en",
        "-o",
        "csv:-".replace("-", "/dev/null"),
    ]
    assert main(argv, io.StringIO(), err) == 0
    assert "checking: " in err.getvalue() and "writing null" in err.getvalue() and "rows/s" in err.getvalue()
    assert "/520" not in err.getvalue()
    quiet = Tty()
    assert main(["check", "--example", "--fail-on", "never", "--quiet"], io.StringIO(), quiet) == 0
    assert quiet.getvalue() == ""


BAD_RULES = """\
schema: atribut-rules/1
ruleset:
  id: buruk
  version: "1"
  title: {id: "Aturan buruk"}
periods:
  kampanye: {from: "2023-11-28", to: "2024-02-10"}
rules:
  - id: A
    title: "satu bahasa"
    when: {near: {zone: pohon_besar, within_m: 1}}
  - id: A
    title: {id: "x", en: "y"}
    when: {during: kampanye_x}
  - id: C
    title: {id: "x", en: "y"}
    severity: fatal
    when: {inside: {zone: school}}
"""


def test_validate_reports_every_problem_with_its_place(tmp_path):
    path = tmp_path / "buruk.yaml"
    path.write_text(BAD_RULES, encoding="utf-8")
    code, out, _ = run_cli("validate", path, "--lang", "en")
    assert code == 1
    lines = out.splitlines()
    expected = [
        (5, "ruleset title has no translation for en"),
        (10, "title is one text"),
        (11, "unknown zone category 'pohon_besar'"),
        (12, "duplicate rule id 'A'"),
        (14, "unknown period 'kampanye_x'"),
        (17, "'fatal' is not one of"),
    ]
    for (line, text), got in zip(expected, lines):
        assert got.startswith(f"{path}:{line}:"), got
        assert text in got
    assert lines[-1].startswith("6 problems")


def test_validate_accepts_the_bundled_rule_set():
    code, out, _ = run_cli("validate", resources.rules_dir() / "id-pemilu-2024.yaml")
    assert code == 0, out


def test_validate_broken_yaml(tmp_path):
    path = tmp_path / "rusak.yaml"
    path.write_text("schema: atribut-rules/1\nruleset: [\n", encoding="utf-8")
    code, out, _ = run_cli("validate", path)
    assert code == 1
    assert out.startswith(f"{path}:")


def test_progress_of_a_list_read_in_chunks_counts_rows():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    err = Tty()
    argv = [
        "check",
        "--example",
        "--format",
        "jsonl",
        "--chunk-rows",
        "50",
        "--jobs",
        "1",
        "--fail-on",
        "never",
    ]
    assert main([*argv, "--lang", "en"], io.StringIO(), err) == 0
    # the rows of the list against an estimate from the file's size, so the bar has an ETA
    assert "checking: " in err.getvalue() and "260/" in err.getvalue() and "rows/s" in err.getvalue()


def test_html_names_input_files_without_their_folders(tmp_path):
    out = tmp_path / "hasil.html"
    folder = EXAMPLE.resolve()  # the inputs named by absolute paths
    run_cli(
        "check",
        folder / "laporan.csv",
        *zone_args(sorted(folder.glob("*.geojson"))),
        "-q",
        "--output",
        f"html:{out}",
    )
    header = out.read_text(encoding="utf-8").split("</header>")[0]
    folder = str(folder)
    assert "laporan.csv" in header and folder not in header
