"""Writers render a :class:`~atribut_rules.results.run.Run` for people and machines.

Every format is built from one record shape (:mod:`.records`), so the same
verdict reads the same in a table, JSON, CSV or HTML. Writers write to a stream
they are given; only the CLI decides where it goes. :data:`FORMATS` lists them;
:func:`write_file` writes one to a path atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from .atomic import atomic_write
from .ci import write_github, write_junit, write_sarif
from .html import render_html, write_html
from .json_writer import write_json
from .machine import write_geojson, write_jsonl
from .records import (
    finding_record,
    provenance_record,
    run_summary_record,
    summary_record,
    verdict_record,
)
from .sheets import neutralise, write_csv, write_xlsx
from .table import write_table


@dataclass(frozen=True)
class Format:
    """An output format: its writer, whether it writes bytes, and its usual file suffix."""

    name: str
    write: Callable[..., None]
    binary: bool
    suffix: str
    description: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("table", write_table, False, ".txt", "readable table with the summary (default)"),
        Format("json", write_json, False, ".json", "one versioned JSON document (schemas/verdicts-1.json)"),
        Format("jsonl", write_jsonl, False, ".jsonl", "one verdict per line"),
        Format("geojson", write_geojson, False, ".geojson", "one Point feature per report"),
        Format("csv", write_csv, False, ".csv", "the input sheet back with verdict columns"),
        Format("xlsx", write_xlsx, True, ".xlsx", "the same as csv, as a workbook (extra: xlsx)"),
        Format("sarif", write_sarif, False, ".sarif", "SARIF 2.1.0 for code scanning"),
        Format("junit", write_junit, False, ".xml", "JUnit XML, one testcase per report"),
        Format("github", write_github, False, ".txt", "GitHub Actions workflow annotations"),
        Format("html", write_html, False, ".html", "self-contained HTML report with a map"),
    )
}


def write(run: Any, fmt: str, out: IO[Any], **options: Any) -> None:
    """Write ``run`` in format ``fmt`` to the stream ``out`` (bytes for xlsx, text otherwise)."""
    FORMATS[fmt].write(run, out, **options)


def write_file(
    run: Any, fmt: str, path: str | os.PathLike[str], *, bom: bool = False, **options: Any
) -> None:
    """Write ``run`` as ``fmt`` to ``path`` atomically; ``bom`` adds a UTF-8 BOM to text files."""
    spec = FORMATS[fmt]
    with atomic_write(path, binary=spec.binary, bom=bom) as out:
        spec.write(run, out, **options)


__all__ = [
    "FORMATS",
    "Format",
    "atomic_write",
    "finding_record",
    "neutralise",
    "provenance_record",
    "render_html",
    "run_summary_record",
    "summary_record",
    "verdict_record",
    "write",
    "write_csv",
    "write_file",
    "write_geojson",
    "write_github",
    "write_html",
    "write_json",
    "write_jsonl",
    "write_junit",
    "write_sarif",
    "write_table",
    "write_xlsx",
]
