"""``check --dask``: the list checked on a Dask cluster, the verdicts written as parts.

``--dask local:N`` starts a cluster of N worker processes on this machine for the run;
any other value is the address of a running scheduler (``tcp://host:8786``). The
verdicts go to ``--output-dir`` (a folder or an fsspec URL) as one part per partition;
stdout gets the summary, and ``summary.json`` in the folder has it with the provenance
and the parts in order.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import re
from collections.abc import Iterator
from typing import IO, Any

from ..errors import AtributRulesError, MissingExtraError, Text
from ..write.texts import number_text, status_label

PART_FORMATS = ("jsonl", "geojson", "parquet")
_SIZE = re.compile(r"\s*(\d+)\s*([kmg]i?b?|b)?\s*", re.IGNORECASE)
_LOCAL = re.compile(r"local(?::(\d+))?")
CONNECT_TIMEOUT = "20s"
"""How long ``--dask ADDRESS`` waits for the scheduler."""


def register_options(c: argparse.ArgumentParser) -> None:
    """The ``check`` options of a run on a cluster."""
    c.add_argument(
        "--dask",
        metavar="local:N|ADDRESS",
        help="check on a Dask cluster (extra dask): local:N starts N worker processes here, "
        "else the scheduler's address (tcp://host:8786); REPORTS may then be a glob such as "
        "'data/laporan-*.csv'. Needs --output-dir; --format is jsonl, geojson or parquet",
    )
    c.add_argument(
        "--output-dir",
        metavar="DIR|URL",
        help="with --dask: the folder (or fsspec URL such as s3://bucket/hasil/) the parts are "
        "written to, one per partition (part-00000.jsonl, ...), and summary.json",
    )
    c.add_argument(
        "--dask-blocksize",
        default="64MiB",
        metavar="BYTES",
        help="with --dask: bytes of a CSV or JSON Lines file per partition (e.g. 64MiB; 0: one "
        "partition per file; default 64MiB)",
    )


def blocksize(text: str) -> int:
    """``64MiB``, ``500k``, ``0``... as bytes."""
    m = _SIZE.fullmatch(text)
    if m is None:
        raise AtributRulesError(
            Text("cli.dask_blocksize_bad", value=text), hint=Text("cli.dask_blocksize_hint")
        )
    unit = (m.group(2) or "b").lower()[:1]
    return int(m.group(1)) * {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def refuse_other_options(args: argparse.Namespace) -> None:
    """Options that do not go with ``--dask`` (or that it needs), refused before anything runs."""
    if not args.output_dir:
        raise AtributRulesError(Text("cli.dask_needs_output_dir"), hint=Text("cli.dask_needs_output_dir_hint"))
    fmt = args.format or "jsonl"
    if fmt not in PART_FORMATS:
        raise AtributRulesError(Text("cli.dask_format", fmt=fmt), hint=Text("cli.dask_format_hint"))
    for option, given in (("--output", args.output), ("--progress-file", args.progress_file)):
        if given:
            raise AtributRulesError(Text("cli.dask_option_alone", option=option))


@contextlib.contextmanager
def dask_client(spec: str) -> Iterator[Any]:
    """A ``distributed.Client`` for ``--dask``: a local cluster made for the run, or the scheduler at an address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MissingExtraError(
            Text("scale.running_on_dask_needs"), hint=Text("scale.install_pip_install_atribut_hint")
        ) from None
    local = _LOCAL.fullmatch(spec.strip())
    if local is not None:
        workers = int(local.group(1) or 2)
        if workers < 1:
            raise AtributRulesError(Text("cli.dask_local_workers", value=spec))
        # the command line says what went wrong in one line: the workers' own log of a
        # task that raised (a refused block) stays out of stderr
        with LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
            silence_logs=logging.CRITICAL,
        ) as cluster, Client(cluster) as client:  # fmt: skip
            yield client
        return
    try:
        client = Client(spec, timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise AtributRulesError(Text("cli.dask_cannot_reach", address=spec, exc=exc)) from None
    with client:
        yield client


def summary_lines(run: Any, lang: str) -> str:
    """The run's summary as the lines stdout gets."""
    summary = run.summary
    counts = " · ".join(
        f"{status_label(lang, status)} {number_text(count, lang)}" for status, count in summary.by_status.items()
    )
    head = Text(
        "cli.dask_summary", reports=number_text(summary.reports, lang), parts=number_text(len(run.outputs), lang)
    ).render(lang)
    lines = [head, counts]
    if run.outputs:
        lines.append(run.outputs[0] if len(run.outputs) == 1 else f"{run.outputs[0]} .. {run.outputs[-1]}")
    return "\n".join(lines) + "\n"


def summary_document(run: Any) -> bytes:
    """``summary.json``: the summary, the provenance and the parts in order."""
    from ..write.records import provenance_record

    doc = {"summary": run.record, "provenance": provenance_record(run.provenance), "parts": list(run.outputs)}
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def write_summary(run: Any, output_dir: str) -> str:
    from ..scale.dask import write_part

    path = output_dir.rstrip("/") + "/summary.json"
    write_part(path, summary_document(run))
    return path


def show(run: Any, stdout: IO[str], lang: str) -> None:
    stdout.write(summary_lines(run, lang))
