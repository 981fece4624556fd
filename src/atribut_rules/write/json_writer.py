"""JSON output: one versioned document with provenance, summary and every verdict.

Its shape is described by the JSON Schema ``schemas/verdicts-1.json`` shipped in the package.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import IO, Any

from .escape import text_output
from .records import (
    JSON_FORMAT,
    JSON_VERSION,
    provenance_record,
    rule_records,
    run_summary_record,
)
from .verdict_json import encoded_verdicts


@text_output
def write_json(run: Any, out: IO[str], *, area_by: str = "auto", **_: Any) -> None:
    """Write ``run`` as one JSON document; verdicts are streamed one at a time."""
    out.write(json_head(run.ruleset, run_summary_record(run, area_by), run.provenance))
    write_json_verdicts(run.verdicts, out, first=True)
    out.write(JSON_TAIL)


JSON_TAIL = "\n ]\n}\n"
VERDICT_FIRST, VERDICT_SEPARATOR = "\n  ", ",\n  "
"""What goes before the first verdict of the list, and before every other one."""


def json_head(ruleset: Any, summary: dict[str, Any], provenance: Any) -> str:
    """The document up to the opening of its ``verdicts`` list."""
    head = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "provenance": provenance_record(provenance),
        "summary": summary,
        "rules": rule_records(ruleset),
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    return text[:-2] + ',\n "verdicts": ['


def write_json_verdicts(verdicts: Iterable[Any], out: IO[str], *, first: bool) -> None:
    """The ``verdicts`` list's items; ``first`` says whether they open the list."""
    lines = encoded_verdicts(verdicts)
    for line in itertools.islice(lines, 1) if first else ():
        out.write(VERDICT_FIRST + line)
    for batch in iter(lambda: list(itertools.islice(lines, 4096)), []):
        out.write(VERDICT_SEPARATOR + VERDICT_SEPARATOR.join(batch))
