"""GeoJSON reports: a FeatureCollection of Point features, fields in ``properties``."""

from __future__ import annotations

import json

from .. import i18n
from ..errors import InputError, Text
from ..model import Problem
from ..table.build import build_reports
from ..table.reports import DEFAULT_MAX_FIELD_CHARS, Reports
from . import json_text
from .jsonl_reader import _scalar, text_record
from .text import decode


def load_json(
    data: bytes | str, *, file: str, encoding: str | None = None, mark_long: bool = False
) -> object:
    """Parse JSON text with an error that names the line and column.

    Integers longer than :data:`~atribut_rules.read.json_text.LONG_INT_DIGITS` characters
    stay text (:class:`~atribut_rules.read.json_text.LongInt` with ``mark_long``)."""
    text = data if isinstance(data, str) else decode(data, file=file, encoding=encoding)
    try:
        return json_text.loads(text.lstrip("\ufeff"), mark_long=mark_long)
    except json.JSONDecodeError as exc:
        raise InputError(
            Text("geojson.not_valid_json", msg=exc.msg), file=file, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise InputError(Text("geojson.json_nested_too_deeply"), file=file) from None


def read_geojson_reports(
    data: bytes | str,
    *,
    file: str = "<geojson>",
    encoding: str | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> Reports:
    """Read a FeatureCollection of Points; each feature is one report, numbered from 1.

    The feature's ``id`` (or ``properties.id``) is the report id. A feature with a
    null, empty or non-Point geometry, or a coordinate that is not a finite
    number, becomes an invalid row naming the coordinate.
    """
    text = data if isinstance(data, str) else decode(data, file=file, encoding=encoding)
    doc = load_json(text, file=file)
    check_text = json_text.may_hold_surrogates(text)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(
            Text("geojson.expected_geojson_featurecollection_found", kind=kind),
            file=file,
            hint=Text("geojson.wrap_features_hint"),
        )
    features = doc.get("features")
    if not isinstance(features, list):
        raise InputError(Text("geojson.features_not_list"), file=file, field="features")
    rows: list[tuple[int, dict]] = []
    problems: dict[int, list[Problem]] = {}
    for number, feature in enumerate(features, start=1):
        record: dict = {}
        probs: list[Problem] = []
        if not isinstance(feature, dict):
            probs.append(
                Problem("bad_row", None, None, i18n.render("bad_row", detail="feature is not an object"))
            )
            feature = {}
        props = feature.get("properties")
        if isinstance(props, dict):
            record.update({k: _scalar(v) for k, v in props.items()})
        if feature.get("id") is not None and "id" not in record:
            record["id"] = str(feature["id"])
        geom = feature.get("geometry")
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if isinstance(geom, dict) and geom.get("type") == "Point" and isinstance(coords, list):
            # Numbers (NaN and infinities too), text and null go through as they are,
            # lists and objects as JSON text: build_reports then judges each coordinate
            # as it does a CSV cell, and names the one that is wrong.
            record.pop("lon", None)
            record.pop("lat", None)
            for name, value in zip(("lon", "lat"), coords[:2]):
                record[name] = (
                    value if value is None or isinstance(value, (int, float, str)) else json.dumps(value)
                )
        else:
            record.pop("lon", None)
            record.pop("lat", None)
            kind = geom.get("type") if isinstance(geom, dict) else None
            if kind not in (None, "Point"):
                probs.append(
                    Problem("not_point", "geometry", str(kind), i18n.render("not_point", value=kind))
                )
        if probs:
            problems[len(rows)] = probs
        if check_text:
            record = text_record(record, problems, len(rows))
        rows.append((number, record))
    return build_reports(rows, file=file, row_problems=problems, max_field_chars=max_field_chars)
