"""Machine formats built on :func:`~.records.verdict_record`: JSON Lines and GeoJSON."""

from __future__ import annotations

import itertools
import json
import math
from typing import IO, Any

from .escape import text_output
from .records import report_fields, verdict_cells, verdict_record
from .verdict_json import encoded_verdicts


@text_output
def write_jsonl(run: Any, out: IO[str], **_: Any) -> None:
    """One verdict record per line, in input order (no header line)."""
    lines = encoded_verdicts(run.verdicts)
    for batch in iter(lambda: list(itertools.islice(lines, 4096)), []):
        out.write("\n".join(batch) + "\n")


GEOJSON_HEAD = '{"type":"FeatureCollection","features":['
GEOJSON_TAIL = "\n]}\n"


@text_output
def write_geojson(run: Any, out: IO[str], *, lang: str = "id", **_: Any) -> None:
    """A FeatureCollection with one Point feature per report (``geometry: null`` without coordinates).

    Properties: the report's canonical fields, flat verdict columns for desktop GIS
    (``status``, ``rules``, ``distance_m``, ``zone``, ``message`` in ``lang``,
    ``source_file``, ``source_row``), the full ``findings`` and ``problems``, and the rules a
    partial run could not evaluate (``unchecked``).
    """
    out.write(GEOJSON_HEAD)
    write_features(run, out, first=True, lang=lang)
    out.write(GEOJSON_TAIL)


def write_features(run: Any, out: IO[str], *, first: bool, lang: str = "id") -> None:
    """The run's features; ``first`` says whether they open the feature list."""
    for i, verdict in enumerate(run.verdicts):
        fields = report_fields(run, i)
        lon, lat = fields.pop("lon"), fields.pop("lat")
        record = verdict_record(verdict)
        _, rules, distance, zone, message = verdict_cells(verdict, lang)
        geometry = None
        if lon is not None and lat is not None and math.isfinite(lon) and math.isfinite(lat):
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        properties = {
            **fields,
            "status": verdict.status.value,
            "rules": rules,
            "distance_m": distance,
            "zone": zone,
            "message": message,
            "source_file": None if verdict.source is None else verdict.source.file,
            "source_row": None if verdict.source is None else verdict.source.row,
            "findings": record["findings"],
            "problems": record["problems"],
            "unchecked": record["unchecked"],
        }
        feature = {"type": "Feature", "id": verdict.report, "geometry": geometry, "properties": properties}
        out.write("\n" if first and i == 0 else ",\n")
        out.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
