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
    files["rd_huge_int_id.geojson"] = collection_text(
        zone(LONG5000, poly, category='"school"'),
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
    files["rd_nul_byte.csv"] = "\n".join([head, ok.replace("izin lurah", "izin\x00lurah")]) + "\n"
    files["rd_ragged.csv"] = "\n".join([head, ok + ";extra;more"]) + "\n"
    return files


def write(root: Path = HERE) -> None:
    """Write the readers' corpus files under ``root`` (reports/, zones/, rules/, permits/)."""
    kinds = {"reports": reports_files(), "zones": zone_files(), "permits": permit_files()}
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
