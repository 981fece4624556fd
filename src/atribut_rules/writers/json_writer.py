"""JSON output: one versioned document with provenance, summary and every verdict.

Its shape is described by the JSON Schema ``schemas/verdicts-1.json`` shipped in the package.
"""

from __future__ import annotations

import json
from typing import IO, Any

from .records import (
    JSON_FORMAT,
    JSON_VERSION,
    provenance_record,
    rule_records,
    run_summary_record,
    verdict_record,
)


def write_json(run: Any, out: IO[str], *, area_by: str = "auto", **_: Any) -> None:
    """Write ``run`` as one JSON document; verdicts are streamed one at a time."""
    head = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "provenance": provenance_record(run.provenance),
        "summary": run_summary_record(run, area_by),
        "rules": rule_records(run.ruleset),
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(text[:-2] + ',\n "verdicts": [')
    for i, verdict in enumerate(run.verdicts):
        out.write("\n  " if i == 0 else ",\n  ")
        out.write(json.dumps(verdict_record(verdict), ensure_ascii=False, separators=(",", ":")))
    out.write("\n ]\n}\n")
