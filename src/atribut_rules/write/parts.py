"""One part file per partition of a long list: the bytes of one chunk's run in one format.

A list checked in partitions (on Dask workers, say) can be written as a folder of
parts, one per partition, named by :func:`part_name` so that they sort in
partition order. :func:`part_bytes` renders one partition's run:

- ``jsonl``: its verdicts, one per line, exactly as ``--format jsonl`` writes them,
  so the parts of consecutive partitions, joined, are the list's JSON Lines.
- ``geojson``: one complete FeatureCollection, the document ``--format geojson``
  writes for that run alone.
- ``parquet``: one row per verdict, in order, with the fields of its JSON record as
  columns and the report's point as WKB in ``geometry``, with GeoParquet 1.1
  metadata. Every part has the same columns and types, so a folder of parts reads
  as one table (``pyarrow.dataset``, ``pandas.read_parquet(folder)``). Needs
  pyarrow (the ``dask`` extra).

The values come from the verdict records the JSON writers encode
(:func:`~.verdict_json.encoded_verdicts`), so every format says the same. The bytes
depend on the run alone: the same run gives the same bytes.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely

from ..errors import MissingExtraError, Text
from .machine import GEOJSON_HEAD, GEOJSON_TAIL
from .stream import render_chunk
from .verdict_json import encoded_verdicts

__all__ = ["PART_FORMATS", "PART_SUFFIX", "parquet_schema", "part_bytes", "part_name"]

PART_SUFFIX = {"jsonl": ".jsonl", "geojson": ".geojson", "parquet": ".parquet"}
"""The file suffix of a part in each format."""

PART_FORMATS = tuple(PART_SUFFIX)
"""The formats a part can be written in."""

PART_DIGITS = 5
"""The fewest digits of a part's number in its name (more when the count of parts needs them)."""

PARQUET_COMPRESSION = "zstd"
PARQUET_BATCH = 8192
"""Verdicts read back from their JSON at a time while a parquet part is made."""
GEOPARQUET_VERSION = "1.1.0"
TEXT_LANGS = ("id", "en")
"""The languages of a verdict's texts (titles, messages, legal bases): one struct field each."""

_SURROGATE = re.compile("[\ud800-\udfff]")


def part_name(index: int, total: int, fmt: str) -> str:
    """The file name of part ``index`` (from 0) of ``total``: ``part-00000.jsonl``.

    The number has at least five digits and as many as the last part's needs, so the
    names of one folder sort in partition order.
    """
    if fmt not in PART_SUFFIX:
        raise ValueError(f"no part format {fmt!r}; one of {', '.join(PART_FORMATS)}")
    if not 0 <= index < max(total, 1):
        raise ValueError(f"part {index} of {total}")
    digits = max(PART_DIGITS, len(str(max(total - 1, 0))))
    return f"part-{index:0{digits}d}{PART_SUFFIX[fmt]}"


def part_bytes(fmt: str, run: Any, *, lang: str = "id") -> bytes:
    """One partition's ``run`` as the bytes of one part file in ``fmt`` (see the module).

    ``lang`` is the language of the GeoJSON ``message`` property (the other formats
    carry every language).
    """
    if fmt == "jsonl":
        return render_chunk("jsonl", run, first=True).data
    if fmt == "geojson":
        features = render_chunk("geojson", run, first=True, lang=lang).data
        return GEOJSON_HEAD.encode() + features + GEOJSON_TAIL.encode()
    if fmt == "parquet":
        return parquet_bytes(run)
    raise ValueError(f"no part format {fmt!r}; one of {', '.join(PART_FORMATS)}")


# -- parquet -------------------------------------------------------------------------


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            Text("output.writing_parquet_needs_pyarrow"), hint=Text("output.install_parquet_hint")
        ) from None
    return pyarrow


def parquet_schema() -> Any:
    """The columns of every parquet part (without its per-part GeoParquet metadata)."""
    pa = _pyarrow()
    string, number = pa.string(), pa.float64()
    texts = pa.struct([(lang, string) for lang in TEXT_LANGS])
    zone = pa.struct(
        [
            ("id", string),
            ("category", string),
            ("name", string),
            ("geometry_kind", string),
            ("approximated", pa.bool_()),
            ("radius_m", number),
            ("source_file", string),
            ("origin", string),  # JSON text
        ]
    )
    finding = pa.struct(
        [
            ("rule", string),
            ("severity", string),
            ("status", string),
            ("title", texts),
            ("message", texts),
            ("legal_basis", texts),
            ("zone", zone),
            ("distance_m", number),
            ("threshold_m", number),
            ("margin_m", number),
            ("accuracy_m", number),
            ("accuracy_source", string),
            ("reason", string),
            ("permit", string),
            ("details", string),  # JSON text
        ]
    )
    problem = pa.struct([("code", string), ("field", string), ("value", string), ("message", texts)])
    return pa.schema(
        [
            ("report", string),
            ("file", string),
            ("row", pa.int64()),
            ("status", string),
            ("findings", pa.list_(finding)),
            ("problems", pa.list_(problem)),
            ("group", string),
            ("unchecked", pa.list_(string)),
            ("ruleset_id", string),
            ("ruleset_version", string),
            ("ruleset_sha256", string),
            ("geometry", pa.binary()),
        ]
    )


def _visible_surrogate(match: re.Match[str]) -> str:
    """A lone surrogate as the JSON text of the six characters ``\\udXXX`` (a string escape
    of a backslash, then ``udXXX``): what every text output shows for it."""
    return f"\\\\u{ord(match.group()):04x}"


def verdict_records(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Verdicts as the JSON Lines writer encodes them (``lines``), read back as data.

    A lone surrogate (which UTF-8, and so parquet, cannot hold) comes back as the six
    characters ``\\udXXX``, as the text outputs write it.
    """
    text = ",".join(lines)
    try:
        data: str | bytes = text.encode("utf-8")  # fails, fast, only where a lone surrogate is
    except UnicodeEncodeError:
        data = _SURROGATE.sub(_visible_surrogate, text)
    del text
    return json.loads(b"[" + data + b"]" if isinstance(data, bytes) else f"[{data}]")


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _as_row(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A verdict's findings (JSON records, changed in place) with their free-form parts
    (details, a zone's origin) as JSON text."""
    for finding in findings:
        zone = finding["zone"]
        if zone is not None and zone["origin"] is not None:
            zone["origin"] = _json_text(zone["origin"])
        details = finding["details"]
        finding["details"] = "{}" if not details else _json_text(details)
    return findings


def points_wkb(lon: np.ndarray, lat: np.ndarray) -> tuple[list[bytes | None], list[float] | None]:
    """Each report's point as WKB (None without a finite position) and their bounding box
    ``[xmin, ymin, xmax, ymax]`` (None when no report has one)."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    located = np.isfinite(lon) & np.isfinite(lat)
    wkb = np.full(len(lon), None, dtype=object)
    if located.any():
        points = shapely.points(lon[located], lat[located])
        wkb[located] = shapely.to_wkb(points, output_dimension=2, byte_order=1, flavor="iso")
        bbox = [
            float(lon[located].min()),
            float(lat[located].min()),
            float(lon[located].max()),
            float(lat[located].max()),
        ]
    else:
        bbox = None
    return wkb.tolist(), bbox


def geo_metadata(bbox: list[float] | None) -> dict[str, Any]:
    """The GeoParquet 1.1 file metadata of a part whose points span ``bbox`` (no CRS given:
    longitude and latitude, OGC:CRS84, the GeoParquet default)."""
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"]}
    if bbox is not None:
        column["bbox"] = bbox
    return {"version": GEOPARQUET_VERSION, "primary_column": "geometry", "columns": {"geometry": column}}


def _record_batch(records: list[dict[str, Any]], wkb: list[bytes | None], schema: Any) -> Any:
    """Verdict records and their points as one record batch of ``schema``."""
    pa = _pyarrow()
    sources = [r["source"] or {} for r in records]
    rulesets = [r["ruleset"] or {} for r in records]
    columns = {
        "report": [r["report"] for r in records],
        "file": [s.get("file") for s in sources],
        "row": [s.get("row") for s in sources],
        "status": [r["status"] for r in records],
        "findings": [_as_row(r["findings"]) if r["findings"] else [] for r in records],
        "problems": [r["problems"] for r in records],
        "group": [r["group"] for r in records],
        "unchecked": [r["unchecked"] for r in records],
        "ruleset_id": [s.get("id") for s in rulesets],
        "ruleset_version": [s.get("version") for s in rulesets],
        "ruleset_sha256": [s.get("sha256") for s in rulesets],
        "geometry": wkb,
    }
    return pa.record_batch([pa.array(columns[f.name], type=f.type) for f in schema], schema=schema)


def parquet_table(run: Any) -> Any:
    """One partition's verdicts as a pyarrow Table of :func:`parquet_schema`, in input order,
    with its GeoParquet metadata.

    The verdicts are read back from their JSON a batch of :data:`PARQUET_BATCH` at a time,
    so that only one batch is ever held as Python objects.
    """
    pa = _pyarrow()
    wkb, bbox = points_wkb(run.reports.lon, run.reports.lat)
    if len(wkb) != len(run.verdicts):
        raise ValueError(f"{len(run.verdicts)} verdicts but {len(wkb)} reports")
    metadata = {b"geo": json.dumps(geo_metadata(bbox), separators=(",", ":")).encode()}
    schema = parquet_schema().with_metadata(metadata)
    lines = encoded_verdicts(run.verdicts)
    batches, start = [], 0
    for batch in iter(lambda: list(itertools.islice(lines, PARQUET_BATCH)), []):
        batches.append(_record_batch(verdict_records(batch), wkb[start : start + len(batch)], schema))
        start += len(batch)
    return pa.Table.from_batches(batches, schema=schema)


def parquet_bytes(run: Any) -> bytes:
    """One partition's verdicts as the bytes of a GeoParquet file (see :func:`parquet_table`)."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(parquet_table(run), sink, compression=PARQUET_COMPRESSION)
    return sink.getvalue().to_pybytes()
