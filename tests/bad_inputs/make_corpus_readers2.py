"""Write the readers' part of the bad-input corpus (cases in ``expected-readers2.yaml``).

Files are named ``rd_*`` so they cannot clash with other parts of the corpus. Devices
are symbolic links (to /dev/zero, /dev/urandom); a folder is a link to ``.``. XLSX
workbooks are made here with zipfile from handwritten XML, with a fixed date, so the
bytes are the same on every run. Run from anywhere: ``python make_corpus_readers2.py``.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

GOOD1 = {"id": "G-1", "lat": -2.1062534, "lon": 106.1617035, "type": "baliho", "observed_at": "2024-01-22"}
GOOD2 = {"id": "G-2", "lat": -2.1205053, "lon": 106.1277439, "type": "spanduk", "observed_at": "2024-01-20"}
LONG400 = "1" * 400
LONG5000 = "9" * 5000

SYMLINKS = {
    "reports": {"rd_dev_zero.csv": "/dev/zero", "rd_dev_urandom.jsonl": "/dev/urandom", "rd_folder.csv": "."},
    "zones": {"rd_dev_zero.geojson": "/dev/zero"},
    "rules": {"rd_dev_zero.yaml": "/dev/zero"},
    "permits": {"rd_dev_zero.csv": "/dev/zero", "rd_dev_urandom.yaml": "/dev/urandom"},
}


def line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False)


def geojson_point_report(fid: str, lon: str, lat: str, **props: str) -> str:
    """A report feature as JSON text; ``fid``, ``lon``, ``lat`` and values are JSON already."""
    inner = ", ".join(f'"{k}": {v}' for k, v in props.items())
    return (
        f'{{"type": "Feature", "id": {fid}, "properties": {{{inner}}}, '
        f'"geometry": {{"type": "Point", "coordinates": [{lon}, {lat}]}}}}'
    )


def collection_text(*features: str) -> str:
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(features) + "\n]}\n"


def reports_files() -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {}
    # U+2028, U+2029 and U+0085 raw inside JSON strings: valid JSON, one line each
    files["rd_jsonl_line_separators.jsonl"] = (
        line({**GOOD1, "notes": "satu\u2028dua\u2029tiga\u0085empat"})
        + "\n"
        + line({**GOOD2, "notes": "\u2028"})
        + "\r\n"
        + line({**GOOD1, "id": "G-3", "notes": "akhir"})
        + "\n"
    )
    files["rd_jsonl_lone_surrogates.jsonl"] = (
        line(GOOD1)
        + "\n"
        + '{"id": "B-\\ud800", "lat": -2.1205053, "lon": 106.1277439}\n'
        + '{"id": "B-3", "lat": -2.1205053, "lon": 106.1277439, "party": "Partai \\udc80"}\n'
        + '{"id": "B-4", "lat": -2.1205053, "lon": 106.1277439, "extra": {"k": ["\\udfff"]}}\n'
        + '{"id": "B-5", "lat": -2.1205053, "lon": 106.1277439, "\\ud83d": 1}\n'
        + '{"id": "G-6", "lat": -2.1205053, "lon": 106.1277439, "notes": "\\ud83d\\ude00 \\u001b[31m"}\n'
    )
    files["rd_jsonl_huge_integers.jsonl"] = (
        line(GOOD1)
        + "\n"
        + f'{{"id": "B-2", "lat": {LONG400}, "lon": 106.1277439}}\n'
        + f'{{"id": "B-3", "lat": -2.1205053, "lon": {LONG5000}}}\n'
        + f'{{"id": "B-4", "lat": -2.1205053, "lon": 106.1277439, "accuracy_m": {LONG5000}}}\n'
        + f'{{"id": {LONG400}, "lat": -2.1205053, "lon": 106.1277439}}\n'
        + f'{{"id": "B-6", "lat": -2.1205053, "lon": 106.1277439, "notes": {LONG5000}}}\n'
        + line(GOOD2)
        + "\n"
    )
    files["rd_geojson_lone_surrogates.geojson"] = collection_text(
        geojson_point_report('"G-1"', "106.1617035", "-2.1062534"),
        geojson_point_report('"B-\\ud800"', "106.1277439", "-2.1205053"),
        geojson_point_report('"B-3"', "106.1277439", "-2.1205053", party='"Partai \\udc80"'),
    )
    files["rd_geojson_huge_integers.geojson"] = collection_text(
        geojson_point_report('"G-1"', "106.1617035", "-2.1062534"),
        geojson_point_report('"B-2"', LONG400, "-2.1205053"),
        geojson_point_report('"B-3"', "106.1277439", LONG5000),
        geojson_point_report(LONG5000, "106.1277439", "-2.1205053"),
    )
    return files


SQUARE = "[[[106.106, -2.146], [106.107, -2.146], [106.107, -2.145], [106.106, -2.145], [106.106, -2.146]]]"


def zone(fid: str, geometry: str, **props: str) -> str:
    inner = ", ".join(f'"{k}": {v}' for k, v in props.items())
    return f'{{"type": "Feature", "id": {fid}, "properties": {{{inner}}}, "geometry": {geometry}}}'


def zone_files() -> dict[str, bytes | str]:
    poly = f'{{"type": "Polygon", "coordinates": {SQUARE}}}'
    files: dict[str, bytes | str] = {}
    files["rd_geometry_type_list.geojson"] = collection_text(
        zone('"z:1"', poly, category='"school"'),
        zone('"z:list"', f'{{"type": ["Polygon"], "coordinates": {SQUARE}}}', category='"school"'),
    )
    files["rd_geometry_type_object.geojson"] = collection_text(
        zone('"z:obj"', f'{{"type": {{"t": "Polygon"}}, "coordinates": {SQUARE}}}', category='"school"'),
    )
    files["rd_lone_surrogate_id.geojson"] = collection_text(
        zone('"z:1"', poly, category='"school"'),
        zone('"z:\\ud800"', poly, category='"school"'),
    )
    files["rd_lone_surrogate_name.geojson"] = collection_text(
        zone('"z:1"', poly, category='"school"', name='"SD \\udc80"'),
    )
    files["rd_huge_int_coordinate.geojson"] = collection_text(
        zone('"z:1"', poly, category='"school"'),
        zone('"z:big"', f'{{"type": "Point", "coordinates": [{LONG400}, -2.1]}}', category='"tree"'),
    )
    files["rd_huge_int_coordinate_5000.geojson"] = collection_text(
        zone('"z:big"', f'{{"type": "Point", "coordinates": [106.1, -{LONG5000}]}}', category='"tree"'),
    )
    files["rd_huge_int_radius.geojson"] = collection_text(
        zone(
            '"z:r"',
            '{"type": "Point", "coordinates": [106.1, -2.1]}',
            category='"tree"',
            radius_m=LONG5000,
        ),
    )
    return files


PERMIT_HEAD = (
    "izin;aturan;laporan;alasan;penerbit;berlaku_dari;berlaku_sampai;lintang;bujur;radius;zona;partai"
)


def permit_files() -> dict[str, bytes | str]:
    head = PERMIT_HEAD
    ok = "IZ-001;APK-PEMERINTAH;R-0003;izin lurah;Bawaslu;2023-12-14;2023-12-24;;;;;"
    files: dict[str, bytes | str] = {}
    # a quote left open on line 3 would swallow IZ-003 and IZ-004 into one reason
    files["rd_unclosed_quote.csv"] = (
        "\n".join(
            [
                head,
                ok,
                'IZ-002;APK-PEMERINTAH;R-0004;"izin lurah;Bawaslu;2023-12-14;2023-12-24;;;;;',
                "IZ-003;APK-KESEHATAN;R-0036;donor darah;Bawaslu;2023-12-01;2023-12-14;;;;;",
                "IZ-004;APK-KESEHATAN;R-0037;donor darah;Bawaslu;2023-12-01;2023-12-14;;;;;",
            ]
        )
        + "\n"
    )
    files["rd_nan_coordinates.csv"] = (
        "\n".join([head, ok, "IZ-002;APK-PEMERINTAH;;pawai;Bawaslu;2023-12-14;2023-12-24;nan;106,1;50;;"])
        + "\n"
    )
    files["rd_infinite_radius.csv"] = (
        "\n".join([head, ok, "IZ-002;APK-PEMERINTAH;;pawai;Bawaslu;2023-12-14;2023-12-24;-2,1;106,1;1e400;;"])
        + "\n"
    )
    files["rd_huge_field.csv"] = (
        "\n".join(
            [
                head,
                ok,
                "IZ-002;APK-PEMERINTAH;R-0004;" + "x" * 200_000 + ";Bawaslu;2023-12-14;2023-12-24;;;;;",
            ]
        )
        + "\n"
    )
    files["rd_no_scope.csv"] = (
        "\n".join([head, ok, "IZ-002;*;;semua;Bawaslu;2023-12-14;2024-02-14;;;;;"]) + "\n"
    )
    files["rd_no_scope.yaml"] = (
        "permits:\n  - id: IZ-1\n    rules: [APK-PEMERINTAH]\n    reports: [R-0003]\n"
        "  - id: IZ-ALL\n    rules: ['*']\n    reason: semua boleh\n"
    )
    files["rd_lone_surrogate_reason.yaml"] = (
        'permits:\n  - id: IZ-1\n    rules: [APK-PEMERINTAH]\n    reason: "izin \\udc80 lurah"\n'
    )
    files["rd_lone_surrogate_id.yaml"] = 'permits:\n  - id: "IZ-\\ud800"\n    rules: [APK-PEMERINTAH]\n'
    files["rd_huge_int.yaml"] = f"permits:\n  - id: IZ-1\n    reports: [{LONG5000}]\n"
    files["rd_huge_int_location.yaml"] = (
        f"permits:\n  - id: IZ-1\n    location: {{lon: {LONG400}, lat: -2.1, radius_m: 5}}\n"
    )
    files["rd_nul_byte.csv"] = "\n".join([head, ok.replace("izin lurah", "izin\x00lurah")]) + "\n"
    files["rd_ragged.csv"] = "\n".join([head, ok + ";extra;more"]) + "\n"
    return files


# -- XLSX: handwritten parts, zipped with fixed dates -------------------------------------

XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="laporan" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    ),
    # style 1 is a date (built-in number format 14)
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    ),
}
XLSX_HEADER = ("id", "lat", "lon", "type", "observed_at")
XLSX_GOOD = [
    ("G-1", -2.1062534, 106.1617035, "baliho", "2024-01-22"),
    ("G-2", -2.1205053, 106.1277439, "spanduk", "2024-01-20"),
]


def xcell(ref: str, value: object) -> str:
    """One cell: a number, or an inline string."""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def xrow(number: int, values: tuple, *, raw: dict[str, str] | None = None) -> str:
    """Row ``number``; ``raw`` replaces the cells of some columns (by letter) with XML as given."""
    cells = []
    for k, value in enumerate(values):
        letter = "ABCDE"[k]
        if raw and letter in raw:
            cells.append(raw[letter])
        else:
            cells.append(xcell(f"{letter}{number}", value))
    return f'<row r="{number}">' + "".join(cells) + "</row>"


def sheet(*rows: str, dimension: str = "A1:E4") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>' + "".join(rows) + "</sheetData></worksheet>"
    )


def shared(*texts: str) -> str:
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'
    )


def workbook(sheet_xml: str, strings: str | None = None) -> bytes:
    """The bytes of a workbook with this worksheet (and shared strings), reproducibly zipped."""
    parts = dict(XLSX_PARTS)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    parts["xl/sharedStrings.xml"] = strings if strings is not None else shared("spanduk")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def xlsx_files() -> dict[str, bytes | str]:
    head = xrow(1, XLSX_HEADER)
    g1, g2 = xrow(2, XLSX_GOOD[0]), xrow(3, XLSX_GOOD[1])
    bad = ("B-x", -2.1205053, 106.1277439, "spanduk", "2024-01-20")
    files: dict[str, bytes | str] = {}
    # 1.6 KB that claims every cell of a sheet: read as the three rows it holds
    files["rd_xlsx_dimension_bomb.xlsx"] = workbook(sheet(head, g1, g2, dimension="A1:XFD1048576"))
    files["rd_xlsx_shared_string_missing.xlsx"] = workbook(
        sheet(
            head,
            g1,
            xrow(3, ("B-3", *bad[1:]), raw={"D": '<c r="D3" t="s"><v>99</v></c>'}),
            xrow(4, XLSX_GOOD[1]),
        )
    )
    files["rd_xlsx_shared_string_negative.xlsx"] = workbook(
        sheet(head, g1, xrow(3, ("B-3", *bad[1:]), raw={"D": '<c r="D3" t="s"><v>-1</v></c>'}))
    )
    files["rd_xlsx_truncated_xml.xlsx"] = workbook(sheet(head, g1, g2)[:-60])
    files["rd_xlsx_text_in_number_cell.xlsx"] = workbook(
        sheet(head, g1, xrow(3, ("B-3", *bad[1:]), raw={"B": '<c r="B3" t="n"><v>lintang</v></c>'}))
    )
    files["rd_xlsx_bad_boolean_and_dates.xlsx"] = workbook(
        sheet(
            head,
            g1,
            xrow(3, ("B-3", *bad[1:]), raw={"D": '<c r="D3" t="b"><v>2</v></c>'}),
            xrow(4, ("B-4", *bad[1:]), raw={"E": '<c r="E4" t="d"><v>2024-13-45</v></c>'}),
            xrow(5, ("B-5", *bad[1:]), raw={"E": '<c r="E5" s="1"><v>99999999999</v></c>'}),
            xrow(6, ("G-6", *bad[1:]), raw={"E": '<c r="E6" s="1"><v>45312</v></c>'}),
        )
    )
    files["rd_xlsx_bad_cell_reference.xlsx"] = workbook(
        sheet(
            head,
            g1,
            xrow(3, ("B-3", *bad[1:]), raw={"D": '<c r="ZZZZZ3" t="inlineStr"><is><t>x</t></is></c>'}),
        )
    )
    files["rd_xlsx_nan.xlsx"] = workbook(
        sheet(
            head,
            g1,
            xrow(3, ("B-3", *bad[1:]), raw={"B": '<c r="B3"><v>NaN</v></c>'}),
            xrow(4, ("B-4", *bad[1:]), raw={"C": '<c r="C4"><v>1e400</v></c>'}),
            xrow(5, ("B-5", *bad[1:]), raw={"C": f'<c r="C5"><v>{LONG5000}</v></c>'}),
        )
    )
    files["rd_xlsx_escape_character.xlsx"] = workbook(
        sheet(
            head,
            g1,
            xrow(3, ("B-3", *bad[1:]), raw={"D": '<c r="D3" t="inlineStr"><is><t>a&#27;b</t></is></c>'}),
        )
    )
    files["rd_xlsx_escape_in_shared_strings.xlsx"] = workbook(sheet(head, g1), strings=shared("a&#27;b"))
    files["rd_xlsx_rows_out_of_order.xlsx"] = workbook(sheet(head, g2, xrow(2, XLSX_GOOD[0])))
    files["rd_xlsx_row_beyond_last.xlsx"] = workbook(sheet(head, g1, xrow(99999999, XLSX_GOOD[1])))
    files["rd_xlsx_header_far_right.xlsx"] = workbook(
        sheet(head.replace("</row>", '<c r="XFD1" t="inlineStr"><is><t>far</t></is></c></row>'), g1)
    )
    files["rd_xlsx_not_a_zip.xlsx"] = b"PK\x03\x04" + bytes(range(256)) * 4
    return files


def write(root: Path = HERE) -> None:
    """Write the readers' corpus files under ``root`` (reports/, zones/, rules/, permits/)."""
    kinds = {"reports": {**reports_files(), **xlsx_files()}, "zones": zone_files(), "permits": permit_files()}
    for folder in ("reports", "zones", "rules", "permits"):
        target = root / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, content in kinds.get(folder, {}).items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (target / name).write_bytes(data)
        for name, to in SYMLINKS.get(folder, {}).items():
            link = target / name
            if link.is_symlink() or link.exists():
                link.unlink()
            os.symlink(to, link)


if __name__ == "__main__":
    write()
