"""Shared test helpers: run the command line, load the bundled example, compare runs.

One home for what many test files need to *do*; the builders of rule documents, zone
features and report tables they check it on live in :mod:`support`.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from hypothesis import settings

import atribut_rules as ar
from atribut_rules import resources
from atribut_rules.cli import main
from atribut_rules.write.records import verdict_record

REPO = Path(__file__).resolve().parents[1]

#: The bundled Pangkalpinang example: a report list, permits and one GeoJSON per zone layer.
EXAMPLE = resources.example_dir()
EXAMPLE_REPORTS = EXAMPLE / "laporan.csv"
EXAMPLE_PERMITS = EXAMPLE / "izin.csv"
EXAMPLE_ZONES: list[Path] = sorted(EXAMPLE.glob("*.geojson"))

#: The command line as a user starts it, for the tests that are about the process itself.
CLI_PROCESS = [sys.executable, "-m", "atribut_rules"]


def examples(count: int) -> int:
    """Hypothesis examples for a property written for ``count`` of them, scaled by the
    loaded profile (``count`` itself at hypothesis' default of 100 examples; a quarter under
    the suite's default "fast" profile, five times under HYPOTHESIS_PROFILE=thorough), but
    never below 10 or ``count``, whichever is fewer."""
    scaled = round(count * settings().max_examples / 100)
    return max(scaled, min(count, 10))


class CliResult(NamedTuple):
    """Exit code and the text written to stdout and stderr by one in-process run."""

    code: int
    out: str
    err: str


def run_cli(*argv: str | Path) -> CliResult:
    """Run ``atribut-rules *argv`` in this process, with stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return CliResult(code, out.getvalue(), err.getvalue())


def run_cli_process(*argv: str | Path, timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess:
    """Run ``python -m atribut_rules *argv`` in a new process (text output captured unless
    ``kwargs`` say otherwise), for tests about exit codes, signals and streams of a real process."""
    options: dict[str, Any] = {"capture_output": True, "text": True, "timeout": timeout}
    if "stdout" in kwargs or "stderr" in kwargs:
        options.pop("capture_output")
    options.update(kwargs)
    return subprocess.run([*CLI_PROCESS, *(str(a) for a in argv)], **options)


def zone_args(paths: Iterable[Path | str] = EXAMPLE_ZONES, flag: str = "--zones") -> list[str]:
    """``--zones PATH`` for each of ``paths`` (by default every layer of the example)."""
    return [arg for p in paths for arg in (flag, str(p))]


class ExampleInputs(NamedTuple):
    reports: ar.Reports
    zones: ar.Zones
    permits: Any


def load_example(rules: ar.RuleSet | None = None, *, relative: bool = False) -> ExampleInputs:
    """The example's reports, zones (for ``rules``' categories when given) and permits,
    loaded through the public API; with ``relative`` the files are named relative to the
    example folder, as the writers show them."""
    where: dict[str, Any] = {"relative_to": EXAMPLE} if relative else {}
    categories = {} if rules is None else {"categories": rules.categories}
    return ExampleInputs(
        ar.read_reports(EXAMPLE_REPORTS, **where),
        ar.load_zones(*EXAMPLE_ZONES, **categories, **where),
        ar.load_permits(EXAMPLE_PERMITS),
    )


def check_example(
    rules: ar.RuleSet | str | None = None, *, relative: bool = False, permits: bool = True, **options: Any
) -> ar.Run:
    """The bundled example checked against ``rules`` (a rule set, a ``builtin:`` name or the
    default set), with its permits unless ``permits`` is false; ``options`` go to :func:`check`."""
    ruleset = rules if isinstance(rules, ar.RuleSet) else ar.load_rules(rules)  # None: the default set
    reports, zones, example_permits = load_example(ruleset, relative=relative)
    if permits:
        options["permits"] = example_permits
    return ar.check(reports, zones, ruleset, **options)


def verdict_records(verdicts: ar.Run | Iterable[ar.Verdict]) -> list[dict[str, Any]]:
    """Every verdict as the record the writers print, in order."""
    if isinstance(verdicts, ar.Run):
        verdicts = verdicts.verdicts
    return [verdict_record(v) for v in verdicts]


def verdict_key(verdict: ar.Verdict) -> str:
    """Status, findings and problems of a verdict as canonical JSON (no source row)."""
    record = verdict_record(verdict)
    record.pop("source")
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def codes(verdict: ar.Verdict) -> list[str]:
    """The codes of a verdict's problems, in order."""
    return [p.code for p in verdict.problems]


_ARRAY_COLUMNS = ("rows", "lat", "lon", "accuracy_m", "width_m", "height_m", "observed_day")
_TEXT_COLUMNS = ("type", "party", "candidate", "mounted_on")


def assert_same_table(got: ar.Reports, expected: ar.Reports, *also: str) -> None:
    """Two report tables hold the same rows: ids, problems, every column, dates and extra
    fields; ``also`` names further attributes to compare (``raw``, ``sha256``, ``columns``,
    ``file``)."""
    assert len(got) == len(expected), (len(got), len(expected))
    assert got.ids == expected.ids
    assert got.problems == expected.problems
    for name in _ARRAY_COLUMNS:
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name), err_msg=name)
    for name in _TEXT_COLUMNS:
        assert list(getattr(got, name)) == list(getattr(expected, name)), name
    assert got.observed_at == expected.observed_at
    assert got.extra == expected.extra
    for name in also:
        assert getattr(got, name) == getattr(expected, name), name


def assert_same_verdicts(
    actual: ar.Run | Iterable[ar.Verdict], expected: ar.Run | Iterable[ar.Verdict], context: Any = None
) -> None:
    """The two runs gave the same verdicts, field by field, in the same order; the first
    difference is named (with ``context``) when they did not."""
    got, want = verdict_records(actual), verdict_records(expected)
    assert len(got) == len(want), (context, len(got), len(want))
    for n, (a, b) in enumerate(zip(got, want)):
        assert a == b, (context, n, a, b)
