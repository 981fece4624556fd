"""``atribut-rules check``: check a list of reports and write the verdicts.

Exit codes as :mod:`atribut_rules.cli` lists them. A CSV list whose outputs are all
streamed formats is read and checked a chunk at a time (in worker processes with
``--jobs``); anything else is read whole.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .. import resources
from ..categories import canonical_category
from ..errors import AtributRulesError, Text
from ..evaluate.check import check
from ..evaluate.permits import load_permits
from ..model import Severity
from ..read import STREAMED_READERS, read_reports, report_chunks, report_format
from ..read.yamlsafe import YamlLimits
from ..rules.coverage import CoverageError, find_gaps, gap_message
from ..rules.coverage import loaded as coverage_loaded
from ..rules.ruleset import Limits, load_rules
from ..scale.chunks import merge_provenance, split_rules, whole_list_run
from ..scale.processes import default_jobs, render_chunks
from ..spatial.zonecache import load_zones_cached
from ..spatial.zones import load_zones
from ..write import FORMATS, atomic_write, write, write_file
from ..write.output_paths import check_output_paths, run_inputs
from ..write.stream import STREAMED_FORMATS, ChunkWriter
from . import dask_check
from .console import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_lang_argument,
    text_line,
)
from .progress import FileProgress, Progress, estimate_rows

NAME = "check"
DEFAULT_CHUNK_ROWS = 25_000
EXAMPLE_REPORTS = "laporan.csv"
EXAMPLE_PERMITS = "izin.csv"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``check`` subcommand."""
    c = sub.add_parser("check", help="check a list of reports", description="Check a list of reports.")
    c.add_argument(
        "reports",
        nargs="?",
        help="reports file (.csv, .xlsx, .geojson, .jsonl, .kml, .kmz, .gpx), or a folder or .zip of photos",
    )
    c.add_argument(
        "--zones",
        action="append",
        default=[],
        metavar="[CATEGORY=]FILE",
        help="a zone layer: GeoJSON, or (extra gis) .shp, .zip, .gpkg[:LAYER], .fgb, .kml, .kmz; "
        "repeat for more layers. CATEGORY= gives all its features one category",
    )
    c.add_argument(
        "--zones-cache",
        metavar="FILE",
        help="keep the loaded zone layers in FILE (.npz) and reuse them while the layer files "
        "(by SHA-256) and options are unchanged",
    )
    c.add_argument("--rules", help="rule file or builtin:NAME (default: builtin:id-pemilu-2024)")
    c.add_argument("--example", action="store_true", help="check the bundled Pangkalpinang example")
    limits = c.add_argument_group("limits (see docs/limits.md)")
    limits.add_argument("--max-reports-bytes", type=int, metavar="N", help="largest reports file accepted")
    limits.add_argument(
        "--max-field-chars", type=int, metavar="N", help="longest cell accepted (longer: row invalid)"
    )
    limits.add_argument("--max-rule-bytes", type=int, metavar="N", help="largest rule file accepted")
    limits.add_argument("--max-yaml-aliases", type=int, metavar="N", help="most YAML aliases in a rule file")
    limits.add_argument("--max-condition-depth", type=int, metavar="N", help="deepest nesting of conditions")
    c.add_argument(
        "--permits",
        action="append",
        default=[],
        metavar="FILE",
        help="permits that exempt findings (CSV or YAML); repeat for more files",
    )
    c.add_argument(
        "--format",
        default=None,
        choices=[*(f for f in FORMATS if not FORMATS[f].binary), "parquet"],
        help="output on stdout (default: table)",
    )
    c.add_argument(
        "--output",
        "-o",
        action="append",
        default=[],
        metavar="FORMAT:PATH",
        help=f"also write FORMAT to PATH (atomically); repeatable. Formats: {', '.join(FORMATS)}",
    )
    add_lang_argument(c)
    c.add_argument("--bom", action="store_true", help="start text output files with a UTF-8 BOM (for Excel)")
    c.add_argument(
        "--csv-delimiter",
        default=None,
        choices=[",", ";", "tab"],
        help="separator of csv output (default: the list's own, else ','; ';' suits spreadsheets set to Indonesian)",
    )
    c.add_argument(
        "--decimal",
        default=None,
        choices=[".", ","],
        help="decimal mark of the numbers csv output writes (default: the list's own, else '.')",
    )
    c.add_argument(
        "--date-format",
        default=None,
        type=_date_format,
        metavar="STYLE|STRFTIME",
        help="how csv and xlsx output (and the html download) write dates: iso, dd/mm/yyyy, d/m/yyyy, "
        "dd-mm-yyyy, d-m-yyyy, yyyy/mm/dd, or strftime syntax such as '%%d %%b %%Y' "
        "(default: the list's own style)",
    )
    c.add_argument(
        "--area-by",
        default="auto",
        metavar="FIELD|zone:CATEGORY|auto|none",
        help="group the summary by a report field (e.g. kelurahan) or the zones of a category "
        "(default auto: admin_area zones, else a kelurahan/desa/kecamatan field)",
    )
    c.add_argument(
        "--chunk-rows",
        type=int,
        default=DEFAULT_CHUNK_ROWS,
        metavar="N",
        help=f"check a CSV list N rows at a time when every output is {', '.join(STREAMED_FORMATS)} "
        f"(memory barely grows with the list); 0 reads it whole (default: {DEFAULT_CHUNK_ROWS})",
    )
    c.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="worker processes for a list read in chunks (default 0: one per CPU, at most 8)",
    )
    c.add_argument("--quiet", "-q", action="store_true", help="no progress bar on stderr")
    c.add_argument(
        "--progress-file",
        metavar="FILE",
        help="write the progress (stage, rows done, total) to FILE as JSON instead of a bar, for "
        "a program that shows it (the web page of `atribut-rules serve`)",
    )
    c.add_argument(
        "--fail-on",
        default="error",
        choices=["error", "warning", "info", "never"],
        help="exit 1 when a violation of this severity or worse is found (default: error)",
    )
    c.add_argument(
        "--fail-on-invalid",
        default="error",
        choices=["error", "warning", "info", "never"],
        help="the severity an unusable (invalid) row counts at for --fail-on (default: error, so a "
        "list with unusable rows fails; never: invalid rows do not change the exit code)",
    )
    c.add_argument(
        "--partial",
        action="store_true",
        help="run even when enabled rules need zone layers or columns that were not loaded: "
        "those rules are listed as unchecked on each verdict they apply to, and such a report "
        "is 'unchecked', never 'ok'",
    )
    c.add_argument(
        "--encoding", help="text encoding of the reports file (default: detect UTF-8/UTF-16 BOM, else UTF-8)"
    )
    c.add_argument(
        "--repair-zones", action="store_true", help="repair invalid zone polygons instead of stopping"
    )
    c.add_argument(
        "--allow-path", action="append", default=[], metavar="DIR", help="a folder rule files may extend from"
    )
    dask_check.register_options(c)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Check the list; see :mod:`atribut_rules.cli` for the exit codes."""
    # inputs are read and checked before anything is written, so an unusable
    # input leaves stdout empty; the output then streams (no copy in memory)
    with _bulk_allocation():
        return _check(args, stdout, stderr)


_CATEGORY_NAME = re.compile(r"[a-z][a-z0-9_]*")

def _zone_sources(specs: Sequence[str], categories: frozenset[str] | None = None) -> list:
    """``--zones`` values as paths or (path, category) pairs: ``CATEGORY=FILE`` where the
    part before ``=`` looks like a category name and the whole value is not itself an
    existing file. With ``categories`` (the rule set's, built-in and declared), a name not
    among them is an error; without, any name is taken (for finding the input files before
    the rules are read)."""
    sources: list = []
    for spec in specs:
        head, sep, tail = spec.partition("=")
        if sep and not Path(spec).exists() and _CATEGORY_NAME.fullmatch(head):
            head = canonical_category(head)  # pohon=FILE is tree=FILE
            if categories is not None and head not in categories:
                raise AtributRulesError(
                    Text("cli.zones_unknown_category", spec=spec, head=head),
                    hint=Text("cli.known_hint", names=', '.join(sorted(categories))),
                )
            sources.append((tail, head))
        else:
            sources.append(spec)
    return sources

def _example_args(args: argparse.Namespace) -> None:
    folder = resources.example_dir()
    args.reports = str(folder / EXAMPLE_REPORTS)
    args.zones = [str(p) for p in sorted(folder.glob("*.geojson"))]
    if (folder / EXAMPLE_PERMITS).is_file():
        args.permits = [str(folder / EXAMPLE_PERMITS), *args.permits]

def _outputs(specs: Sequence[str]) -> list[tuple[str, str]]:
    outputs = []
    for spec in specs:
        fmt, sep, path = spec.partition(":")
        if not sep or not path or fmt not in FORMATS:
            raise AtributRulesError(
                Text("cli.output_not_format_path", spec=spec),
                hint=Text("cli.example_output_html_laporan_hint", names=', '.join(FORMATS)),
            )
        outputs.append((fmt, path))
    return outputs

class _CountedVerdicts(Sequence):
    """The run's verdicts, ticking a progress bar as writers read them."""

    def __init__(self, verdicts: Any, progress: Progress) -> None:
        self._verdicts, self._progress = verdicts, progress

    def __len__(self) -> int:
        return len(self._verdicts)

    def __getitem__(self, i: Any) -> Any:
        return self._verdicts[i]

    def __iter__(self) -> Iterator[Any]:
        for v in self._verdicts:
            self._progress.update(1)
            yield v

    def __getattr__(self, name: str) -> Any:
        return getattr(self._verdicts, name)

@contextlib.contextmanager
def _bulk_allocation() -> Iterator[None]:
    """Run less of Python's cyclic garbage collector while millions of verdict objects come and go.

    A check allocates many small objects and creates almost no reference cycles, and the
    collector's full passes over a large heap took a third of a big run's time. Its
    thresholds are raised for the run and restored after it; this is the application's
    choice, so it lives here and not in the library.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)

def _progress(args: argparse.Namespace, stderr: IO[str] | None) -> Progress | None:
    """A progress display on stderr when it is a terminal and ``--quiet`` is not given; a
    JSON file with ``--progress-file``."""
    if args.progress_file:
        return FileProgress(args.progress_file, args.lang)
    if stderr is None or args.quiet or not _is_tty(stderr):
        return None
    return Progress(stderr, args.lang)

def _is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

def _rule_limits(args: argparse.Namespace) -> Limits:
    """Rule-file limits from the command line, defaults for what is not given."""
    yaml_limits = YamlLimits()
    if args.max_rule_bytes is not None:
        yaml_limits = dataclasses.replace(yaml_limits, max_bytes=args.max_rule_bytes)
    if args.max_yaml_aliases is not None:
        yaml_limits = dataclasses.replace(yaml_limits, max_aliases=args.max_yaml_aliases)
    limits = Limits(yaml=yaml_limits)
    if args.max_condition_depth is not None:
        limits = dataclasses.replace(limits, max_condition_depth=args.max_condition_depth)
    return limits

def _reader_limits(args: argparse.Namespace) -> dict[str, int]:
    out = {}
    if args.max_reports_bytes is not None:
        out["max_file_bytes"] = args.max_reports_bytes
    if args.max_field_chars is not None:
        out["max_field_chars"] = args.max_field_chars
    return out

def _check(args: argparse.Namespace, stdout: IO[str], stderr: IO[str] | None = None) -> int:
    for option, value in (("--chunk-rows", args.chunk_rows), ("--jobs", args.jobs)):
        if value < 0:
            raise AtributRulesError(Text("cli.negative_option", option=option, value=value), hint=Text("cli.give_0_more_hint", option=option))
    if args.example:
        _example_args(args)
    if not args.reports:
        raise AtributRulesError(
            Text("cli.no_reports_file_given"), hint=Text("cli.atribut_rules_check_reports_hint")
        )
    if args.dask:
        dask_check.refuse_other_options(args)
    elif args.output_dir:
        raise AtributRulesError(Text("cli.output_dir_needs_dask"), hint=Text("cli.output_dir_needs_dask_hint"))
    elif args.format == "parquet":
        raise AtributRulesError(Text("cli.parquet_needs_dask"), hint=Text("cli.output_dir_needs_dask_hint"))
    outputs = _outputs(args.output)
    check_output_paths(
        [(f"--output {fmt}:{path}", path) for fmt, path in outputs]
        + ([("--zones-cache", args.zones_cache)] if args.zones_cache else [])
        + ([("--progress-file", args.progress_file)] if args.progress_file else []),
        run_inputs(args.reports, _zone_sources(args.zones), args.rules, args.permits),
    )
    base = resources.example_dir() if args.example else None
    rules = load_rules(args.rules, allow_paths=tuple(args.allow_path), limits=_rule_limits(args))
    zone_options = {"categories": rules.categories, "repair": args.repair_zones, "relative_to": base}
    if args.zones_cache:
        zones, _ = load_zones_cached(
            *_zone_sources(args.zones, rules.categories), cache=args.zones_cache, **zone_options
        )
    else:
        zones = load_zones(*_zone_sources(args.zones, rules.categories), **zone_options)
    if args.dask:
        return _check_on_dask(args, zones, rules, _permits(args, base), base, stdout, stderr)
    formats = [args.format or "table"] + [fmt for fmt, _ in outputs]
    streamed = (
        args.chunk_rows > 0
        and report_format(args.reports) in STREAMED_READERS
        and all(fmt in STREAMED_FORMATS for fmt in formats)
    )
    progress = None if streamed else _progress(args, stderr)
    if progress is not None:
        progress.stage("read", None)
    reports = (
        None
        if streamed
        else read_reports(args.reports, encoding=args.encoding, relative_to=base, **_reader_limits(args))
    )
    permits = _permits(args, base)
    if reports is None:
        chunks = report_chunks(
            args.reports,
            chunk_rows=args.chunk_rows,
            encoding=args.encoding,
            relative_to=base,
            **_reader_limits(args),
        )
        return _check_streamed(args, chunks, zones, rules, permits, outputs, stdout, stderr)
    if progress is not None:
        progress.stage("check", len(reports))
    checked = [0]

    def on_check(done: int, total: int) -> None:
        assert progress is not None
        progress.update(done - checked[0])
        checked[0] = done

    run = check(
        reports,
        zones,
        rules,
        permits=permits,
        progress=on_check if progress is not None else None,
        partial=args.partial,
    )
    if stderr is not None and run.summary.gaps:
        _warn_partial(run.summary.gaps, stderr, args.lang)
    if progress is not None:
        progress.update(len(reports) - checked[0])
        run = dataclasses.replace(run, verdicts=_CountedVerdicts(run.verdicts, progress))
    options = {
        "lang": args.lang,
        "area_by": args.area_by,
        "delimiter": "\t" if args.csv_delimiter == "tab" else args.csv_delimiter,
        "decimal": args.decimal,
        "date_format": args.date_format,
    }
    try:
        for fmt, path in outputs:
            if progress is not None:
                progress.stage("write", len(reports), path)
            write_file(run, fmt, path, bom=args.bom, **options)
        if progress is not None:
            progress.close()  # stdout may be this terminal: no bar over the table
        write(run, args.format or "table", stdout, **options)
    finally:
        if progress is not None:
            progress.close()
    return _exit_status(args, run.verdicts.worst_rank(), run.summary.by_status.get("invalid", 0))


def _permits(args: argparse.Namespace, base: Any) -> tuple:
    """The permits of every ``--permits`` file."""
    return tuple(p for path in args.permits for p in load_permits(path, relative_to=base))


def _exit_status(args: argparse.Namespace, worst_rank: int, invalid: int) -> int:
    """1 when a violation at ``--fail-on`` or worse was found (``worst_rank``), or the
    ``invalid`` rows fail the run (``--fail-on-invalid``); else 0."""
    fail_on = None if args.fail_on == "never" else Severity(args.fail_on)
    found = fail_on is not None and worst_rank >= fail_on.rank
    return EXIT_FINDINGS if found or _invalid_fails(args, invalid) else EXIT_OK

def _check_on_dask(
    args: argparse.Namespace, zones: Any, rules: Any, permits: tuple, base: Any, stdout: IO[str], stderr: IO[str] | None
) -> int:
    """``check --dask``: the list checked on a cluster, its verdicts written as parts."""
    from ..scale.dask import check_dask, prepare_output

    size = dask_check.blocksize(args.dask_blocksize)
    prepare_output(args.output_dir)  # before a cluster starts
    limits = _reader_limits(args)
    with dask_check.dask_client(args.dask) as client:
        run = check_dask(
            args.reports,
            zones,
            rules,
            permits=permits,
            client=client,
            output=args.output_dir,
            format=args.format or "jsonl",
            partial=args.partial,
            lang=args.lang,
            blocksize=size,
            progress=stderr if stderr is not None and not args.quiet and _is_tty(stderr) else None,
            encoding=args.encoding,
            relative_to=base,
            area_by=args.area_by,
            max_field_chars=limits.get("max_field_chars"),
            max_file_bytes=limits.get("max_file_bytes"),
        )
    if stderr is not None and run.summary.gaps:
        _warn_partial(run.summary.gaps, stderr, args.lang)
    dask_check.write_summary(run, args.output_dir)
    dask_check.show(run, stdout, args.lang)
    return _exit_status(args, run.worst_rank, run.invalid)


def _date_format(text: str) -> str:
    """``--date-format``: a named style or strftime syntax (see write.dates.date_pattern)."""
    from ..write.dates import date_pattern

    try:
        date_pattern(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _invalid_fails(args: argparse.Namespace, invalid: int) -> bool:
    """Whether ``invalid`` unusable rows fail the run: they count at ``--fail-on-invalid``
    severity against ``--fail-on``."""
    if not invalid or args.fail_on == "never" or args.fail_on_invalid == "never":
        return False
    return Severity(args.fail_on_invalid).rank >= Severity(args.fail_on).rank

def _warn_partial(gaps: Sequence[Any], stderr: IO[str], lang: str) -> None:
    for gap in gaps:
        stderr.write(text_line(Text("cli.partial_run", gap=gap_message(gap, partial=True)), lang, "warning"))

def _check_streamed(
    args: argparse.Namespace,
    chunks: Any,
    zones: Any,
    rules: Any,
    permits: tuple,
    outputs: list[tuple[str, str]],
    stdout: IO[str],
    stderr: IO[str] | None,
) -> int:
    """Check a CSV list chunk by chunk and write every output as the chunks are done."""
    options = {"lang": args.lang, "area_by": args.area_by}
    progress = _progress(args, stderr)
    first = chunks.first_table()
    gaps = find_gaps(rules, coverage_loaded(zones, first)) if first is not None else ()
    if gaps and not args.partial:
        raise CoverageError(gaps)
    if stderr is not None and gaps:
        _warn_partial(gaps, stderr, args.lang)
    rows = estimate_rows(args.reports) if progress is not None else None  # read once, for both stages
    if progress is not None and split_rules(rules)[1] is not None:
        progress.stage("read", rows, estimated=True)  # the whole-list rules' pass
    whole = whole_list_run(chunks, zones, rules, permits=permits, partial=args.partial)
    if progress is not None:
        progress.stage("check", rows, estimated=True)
    formats = [fmt for fmt, _ in outputs] + [args.format]
    jobs = default_jobs() if args.jobs == 0 else args.jobs
    with contextlib.ExitStack() as stack:
        writers = [
            ChunkWriter(fmt, stack.enter_context(atomic_write(path, bom=args.bom))) for fmt, path in outputs
        ]
        # stdout is spooled: an input that breaks half-way leaves it empty, as in a whole run
        writers.append(ChunkWriter(args.format, stdout, spool=True))
        provenances, worst, invalid = [], -1, 0
        # with workers, each chunk's table is built in the worker that checks it
        parts = chunks.parts() if jobs > 1 else chunks
        chunk_dir = stack.enter_context(_temporary_folder("atribut-rules-chunks-")) if jobs > 1 else None
        results = render_chunks(
            parts,
            zones,
            rules,
            formats,
            permits=permits,
            whole=whole,
            jobs=jobs,
            chunk_dir=chunk_dir,
            partial=args.partial,
            **options,
        )
        # closed before the chunk folder is removed: the workers are stopped first
        stack.enter_context(contextlib.closing(results))
        try:
            for result in results:
                for writer, rendered in zip(writers, result.rendered):
                    writer.add(rendered)
                provenances.append(result.provenance)
                worst = max(worst, result.worst_rank)
                invalid += result.invalid
                if progress is not None:
                    progress.update(result.count)
        except BaseException:
            for writer in writers:
                writer.discard()
            raise
        finally:
            if progress is not None:
                progress.close()
        provenance = merge_provenance(provenances)
        attributes = whole.summary.attributes if whole is not None else None
        for writer in writers:
            writer.close(rules, provenance, attributes)
    return _exit_status(args, worst, invalid)

@contextlib.contextmanager
def _temporary_folder(prefix: str) -> Iterator[str]:
    """A new folder under TMPDIR for the workers' chunk files, removed with all in it at the end."""
    try:
        folder = tempfile.mkdtemp(prefix=prefix)
    except OSError as exc:
        raise AtributRulesError(
            Text("cli.cannot_make_temporary_folder", exc=exc)
        ) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
