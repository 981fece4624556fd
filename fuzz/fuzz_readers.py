"""Atheris harness for the report readers (CSV, JSON Lines, GeoJSON, XLSX).

The first byte of each input picks the reader; the rest is the file. For XLSX the
rest is one XML part of a small valid workbook (the second byte picks which: the
worksheet, the shared strings, the styles or the workbook), zipped with the other
parts unchanged, so the fuzzer works on the XML openpyxl parses rather than on zip
framing; a fifth choice hands the bytes to the XLSX reader as they are. The only
exception allowed out of a reader is :class:`~atribut_rules.errors.InputError`; when
a table comes back it must hold one row per data record, each row either usable or
carrying the problems that make it invalid, and all its text must be writable
(no lone surrogates).

Run (see fuzz/README.md)::

    python fuzz/fuzz_readers.py fuzz/corpus/readers -max_total_time=300

Without atheris the module still imports, so the test suite runs :func:`test_one_input`
on hypothesis inputs (tests/test_fuzz_readers.py).
"""

from __future__ import annotations

import io
import sys
import zipfile

try:
    import atheris
except ImportError:  # the test suite drives test_one_input itself
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["atribut_rules"]):
        from atribut_rules.errors import InputError
        from atribut_rules.read import read_csv, read_geojson_reports, read_jsonl, read_xlsx
else:
    from atribut_rules.errors import InputError
    from atribut_rules.read import read_csv, read_geojson_reports, read_jsonl, read_xlsx

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

SHEET = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet {_NS}><dimension ref="A1:E3"/><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>lat</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>lon</t></is></c><c r="D1" t="inlineStr"><is><t>type</t></is></c>'
    '<c r="E1" t="inlineStr"><is><t>observed_at</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>G-1</t></is></c><c r="B2"><v>-2.1062534</v></c>'
    '<c r="C2"><v>106.1617035</v></c><c r="D2" t="s"><v>1</v></c><c r="E2" s="1"><v>45313</v></c></row>'
    '<row r="3"><c r="A3" t="str"><v>G-2</v></c><c r="B3"><v>-2.1205053</v></c>'
    '<c r="C3"><v>106.1277439</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="d"><v>2024-01-20</v></c></row>'
    "</sheetData></worksheet>"
)
"""The worksheet of the seed workbook: shared and inline strings, numbers, a date style, a boolean."""

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook {_NS} xmlns:r="{_REL}">'
        '<sheets><sheet name="laporan" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet {_NS}>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    ),
    "xl/sharedStrings.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sst {_NS} count="2" uniqueCount="2">'
        "<si><t>id</t></si><si><t>baliho</t></si></sst>"
    ),
    "xl/worksheets/sheet1.xml": SHEET,
}
FUZZED_PARTS = ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml")


def workbook(replace: dict[str, bytes] | None = None) -> bytes:
    """The seed workbook, with some parts' bytes replaced; zipped with fixed dates."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            data = (replace or {}).get(name, text.encode("utf-8"))
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def _xlsx_part(body: bytes):
    if not body:
        return None
    part = FUZZED_PARTS[body[0] % len(FUZZED_PARTS)]
    return read_xlsx(workbook({part: body[1:]}), file="fuzz")


def _xlsx_raw(body: bytes):
    return read_xlsx(body, file="fuzz")


READERS = (
    lambda body: read_csv(body, file="fuzz", max_field_chars=200),
    lambda body: read_jsonl(body, file="fuzz"),
    lambda body: read_geojson_reports(body, file="fuzz"),
    _xlsx_part,
    _xlsx_raw,
)


def _writable(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_table(reports) -> None:
    """Invariants every returned table keeps, whatever the input."""
    n = len(reports.ids)
    for column in (reports.lon, reports.lat, reports.accuracy_m, reports.rows, reports.type):
        assert len(column) == n, "columns of unequal length"
    assert len(reports.observed_at) == n
    for values in reports.extra.values():
        assert len(values) == n, "extra column of the wrong length"
    assert all(0 <= i < n for i in reports.problems), "problem on a row that does not exist"
    rows = list(reports.rows)
    assert rows == sorted(set(rows)), "rows out of order or repeated"
    assert all(_writable(v) for v in reports.ids), "an id no UTF-8 writer can write"
    for name, values in reports.extra.items():
        assert _writable(name) and all(_writable(v) for v in values), "text no UTF-8 writer can write"
    for i in range(n):
        reports[i]  # every row can be turned into a Report


def test_one_input(data: bytes) -> None:
    if not data:
        return
    reader = READERS[data[0] % len(READERS)]
    try:
        reports = reader(data[1:])
    except InputError as exc:
        str(exc).encode("utf-8")  # the message must render, and be writable
        return
    if reports is not None:
        check_table(reports)


def main() -> None:
    if atheris is None:
        sys.exit("atheris is not installed: pip install atheris (see fuzz/README.md)")
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
