"""Check a list beyond one machine with Dask (optional extra ``dask``).

With ``output`` (a folder or an fsspec URL), :func:`check_dask` runs the whole check on
the workers and the client holds only small things (the plan, counts, the summary):

1. **plan** (client): the list's files cut into partitions (:mod:`.sources`; a CSV or
   JSON Lines file in blocks of about 64 MiB, any other file whole); only file sizes and
   a CSV's header line are read here. Workers count each block's lines, so every block
   numbers its rows as the file does.
2. **frames** (workers): each partition is read and turned into a frame of what the
   whole-list rules read (:func:`.split.whole_list_frame`). The zones and the rule set
   reach every worker once (``scatter(..., broadcast=True)``).
3. **shuffles** (workers): ids repeated across partitions (a shuffle on the id), duplicate
   groups and spacing (grid cells with a halo), quotas (a shuffle on the group of each
   attribute); see :mod:`.split`. Their findings go back to their partitions.
4. **parts** (workers): each partition is read again, checked against the per-report
   rules, joined with its whole-list findings (:class:`~atribut_rules.evaluate.check.GivenWholeList`)
   and written as one part (``part-00000.jsonl``, ...), sorting in list order.

The JSON Lines parts, joined in order, are the bytes ``atribut-rules check LIST --format
jsonl`` prints. Without ``output``, the list is gathered into one table on the client
and only the per-report rules run on the workers (fine for a list that fits in memory).
"""

from __future__ import annotations

import dataclasses
import errno
import operator
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import pandas as pd

from ..errors import AtributRulesError, MissingExtraError, OutputError, Text
from ..evaluate.check import ForeignIds, GivenWholeList, check
from ..evaluate.permits import Permit
from ..model import Gap, Provenance, Severity, Summary, Verdict
from ..results.run import Run
from ..results.summary import merge_summaries
from ..rules import coverage
from ..rules.conditions.whole_list import GroupFindings, rule_kind_of
from ..rules.ruleset import RuleSet
from ..spatial.zones import Zones
from ..table.reports import Reports
from ..write.records import run_summary_record
from ..write.stream import merge_summary_records
from . import split as sp
from .chunks import merge_provenance, merged_run, split_rules
from .sources import (
    DEFAULT_BLOCKSIZE,
    RECORDS,
    KnownIds,
    Partition,
    collection_partitions,
    count_lines,
    expand,
    first_row_of,
    is_collection,
    plan_partitions,
    read_partition,
    records_of,
)

DEFAULT_SLICE = 100_000
MAX_PARTITIONS = 2_000
"""Partitions of one run at most: every shuffle makes partitions x buckets small tasks."""
PART_FORMATS = ("jsonl", "geojson", "parquet")


def _dask() -> Any:
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            Text("scale.running_on_dask_needs"), hint=Text("scale.install_pip_install_atribut_hint")
        ) from None
    import dask

    return dask


# -- the run on the cluster -------------------------------------------------------------


@dataclass(frozen=True)
class PartResult:
    """One written part: where, how many reports, the worst violation's rank, how many
    invalid, how many distinct attributes begin there, its summary and provenance."""

    path: str
    count: int
    worst_rank: int
    invalid: int
    attributes: int
    summary: Summary
    provenance: Provenance
    record: dict[str, Any]


@dataclass(frozen=True)
class DaskRun:
    """A list checked on a cluster: the merged ``summary``, the ``provenance`` and the
    parts written (``outputs``, in list order); the verdicts are in the parts only."""

    summary: Summary
    provenance: Provenance
    outputs: tuple[str, ...]
    rules: RuleSet
    worst_rank: int
    invalid: int
    record: dict[str, Any]
    """The summary as ``--format json`` writes it (with per-rule denominators and areas)."""

    def exit_code(self, fail_on: Severity | None = Severity.ERROR) -> int:
        """1 when some violation finding is at least as severe as ``fail_on``, as :meth:`Run.exit_code`."""
        if fail_on is None:
            return 0
        return 1 if self.worst_rank >= fail_on.rank else 0


class _Here:
    """Runs each task at once in this process (no client): for tests and small lists."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return fn(*args)

    def gather(self, items: Any) -> Any:
        return items

    def broadcast(self, value: Any) -> Any:
        return value

    def wait(self, items: Sequence[Any], progress: IO[str] | None) -> None:
        return None


class _Cluster:
    """Runs tasks on a ``distributed.Client``; results stay on the workers until gathered."""

    def __init__(self, client: Any):
        self.client = client

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self.client.submit(fn, *args, pure=False)

    def gather(self, items: Any) -> Any:
        return self.client.gather(items)

    def broadcast(self, value: Any) -> Any:
        # in a list: a tuple or list given alone would be scattered item by item
        return self.client.scatter([value], broadcast=True, hash=False)[0]

    def wait(self, items: Sequence[Any], progress: IO[str] | None) -> None:
        from distributed import wait

        if progress is not None:
            _progress_bar(list(items), progress)
        wait(list(items))


def _progress_bar(futures: list[Any], stream: IO[str]) -> None:
    """Dask's own text progress bar over ``futures`` (and the tasks they wait for), drawn on
    ``stream``: distributed's draws on ``sys.stdout``, which is the command's output."""
    from dask.utils import format_time
    from distributed.diagnostics.progressbar import TextProgressBar

    class StreamBar(TextProgressBar):
        def _draw_bar(self, remaining: int, all: int, **kwargs: Any) -> None:
            frac = (1 - remaining / all) if all else 1.0
            bar = "#" * int(self.width * frac)
            stream.write(f"\r[{bar:<{self.width}}] | {int(100 * frac)}% | {format_time(self.elapsed)}")
            stream.flush()

        def _draw_stop(self, **kwargs: Any) -> None:
            stream.write("\33[2K\r")
            stream.flush()

    StreamBar(futures, complete=True)


def check_dask(
    data: Any,
    zones: Zones,
    rules: RuleSet,
    *,
    permits: Sequence[Permit] = (),
    client: Any = None,
    output: str | os.PathLike[str] | None = None,
    format: str = "jsonl",
    file: str = "<dask>",
    partial: bool = False,
    lang: str = "id",
    blocksize: int = DEFAULT_BLOCKSIZE,
    buckets: int | None = None,
    progress: IO[str] | None = None,
    slice_size: int = DEFAULT_SLICE,
    encoding: str | None = None,
    relative_to: str | os.PathLike[str] | None = None,
    area_by: str = "auto",
    max_field_chars: int | None = None,
    max_file_bytes: int | None = None,
    cell_m: float = sp.CELL_M,
) -> Run | DaskRun:
    """Check a list on a Dask cluster (``client``, a ``distributed.Client``).

    With ``output`` (a folder or an fsspec URL such as ``s3://bucket/hasil/``), ``data``
    is a report file, a glob pattern or a list of files (CSV and JSON Lines files cut
    into partitions of ``blocksize`` bytes, 0 for one per file), or a Dask DataFrame or
    Bag of records (named ``file``, rows numbered across its partitions as the command
    line numbers the list ``file``: from 2 after a CSV's or XLSX's header, else from 1); the workers
    read, check and write one part per partition in ``format`` (``jsonl``, ``geojson`` or
    ``parquet``), and a :class:`DaskRun` comes back (summary, provenance, the parts in
    order). Without a client the tasks run one after another in this process.
    ``progress``, a text stream, gets Dask's progress bar; ``lang`` is the language of
    the parts' texts, ``area_by`` the summary's areas (as ``check --area-by``), ``buckets``
    how many pieces each shuffle makes (default: two per worker, at least 4, at most 64 and the partitions) and
    ``cell_m`` the side of the grid cells near rules are cut into.

    Without ``output``, ``data`` may also be a Dask DataFrame or Bag of records (or a
    :class:`Reports` table): it is gathered into one table here, the per-report rules run
    on the workers and the whole-list rules here; the result is the :class:`Run` that
    ``check`` gives (small lists only).
    """
    if output is None:
        return _check_gathered(data, zones, rules, permits=permits, client=client, slice_size=slice_size,
                               file=file, partial=partial)  # fmt: skip
    if format not in PART_FORMATS:
        raise AtributRulesError(Text("scale.output_needs_format", fmt=format))
    output = prepare_output(os.fspath(output))
    limits = {
        k: v for k, v in (("max_field_chars", max_field_chars), ("max_file_bytes", max_file_bytes)) if v is not None
    }
    if isinstance(data, Reports):
        raise AtributRulesError(Text("scale.output_needs_files"), hint=Text("scale.output_needs_files_hint"))
    if is_collection(data):
        plan, payloads = collection_partitions(data, file, **{k: v for k, v in limits.items() if k == "max_field_chars"})
        if client is not None:
            payloads = client.compute(payloads)  # each partition made on a worker, and kept there
        else:
            payloads = list(_dask().compute(*payloads))
    else:
        plan = plan_partitions(
            expand(data), blocksize=blocksize, encoding=encoding, relative_to=relative_to, **limits
        )
        payloads = [None] * len(plan)
    if len(plan) > MAX_PARTITIONS:
        raise AtributRulesError(
            Text("scale.too_many_partitions", count=len(plan), limit=MAX_PARTITIONS),
            hint=Text("scale.too_many_partitions_hint"),
        )
    return _check_parts(
        plan, payloads, zones, rules, tuple(permits), client, os.fspath(output), format, partial, lang, buckets,
        progress, cell_m, area_by,
    )  # fmt: skip


def _check_parts(
    plan: list[Partition],
    payloads: list[Any],
    zones: Zones,
    rules: RuleSet,
    permits: tuple[Permit, ...],
    client: Any,
    output: str,
    fmt: str,
    partial: bool,
    lang: str,
    buckets: int | None,
    progress: IO[str] | None,
    cell_m: float = sp.CELL_M,
    area_by: str = "auto",
) -> DaskRun:
    run = _Cluster(client) if client is not None else _Here()
    P = len(plan)
    K = buckets or _buckets(P, client)
    get = operator.getitem
    _, whole = split_rules(rules)
    zones_f, rules_f, permits_f = (run.broadcast(x) for x in (zones, rules, permits))
    whole_f = run.broadcast(whole) if whole is not None else None

    # line numbers: each block's first line, from the line ends of the blocks before it
    counts = run.gather([run.submit(count_lines, part, payload) for part, payload in zip(plan, payloads)])
    first_lines = _first_lines(plan, counts)

    # frames of what the whole-list rules read, and the small facts about each partition
    staged = [
        run.submit(_stage, part, first_lines[p], zones_f, rules_f, whole_f, permits_f, partial, p, payloads[p])
        for p, part in enumerate(plan)
    ]
    frames = [run.submit(get, s, 0) for s in staged]
    run.wait(staged, progress)
    facts = run.gather([run.submit(get, s, 1) for s in staged])
    gaps = tuple(sorted({g for f in facts for g in f["gaps"]}, key=lambda g: (g.kind != "zone_category", g.kind, g.name)))
    if gaps and not partial:
        raise coverage.CoverageError(gaps)  # before any part is written

    # ids repeated across partitions: a shuffle on the id
    id_pieces = [run.submit(sp.ids_pieces, f, K) for f in frames]
    repeated = [run.submit(sp.repeated_in_bucket, [run.submit(get, id_pieces[p], b) for p in range(P)]) for b in range(K)]
    repeated_by_part = [run.submit(_by_part_column, r, P) for r in repeated]
    names = [part.name for part in plan]
    known = [
        run.submit(_known_ids, [run.submit(get, r, p) for r in repeated_by_part], names, p) for p in range(P)
    ]
    frames = [run.submit(_masked, f, k) for f, k in zip(frames, known)]
    del staged, id_pieces, repeated, repeated_by_part  # let go: the workers drop them once taken

    found: dict[int, list[list[Any]]] = {}
    if whole is not None:
        frames = _duplicate_groups(run, frames, whole, P, K, cell_m)
        for k, rule in enumerate(whole.active_rules):
            if rule_kind_of(rule) is not None:
                found[k] = _rule_findings(run, frames, whole_f, whole, k, facts, P, K, cell_m)

    digests = {
        path: run.submit(_file_digest, path) for path in dict.fromkeys(p.path for p in plan if not p.whole and p.fmt != RECORDS)
    }
    outputs = [_part_path(output, p, P, fmt) for p in range(P)]
    parts = [
        run.submit(
            _finish_part, part, first_lines[p], known[p], zones_f, rules_f, permits_f, partial, p,
            frames[p] if whole is not None else None,
            {k: pieces[p] for k, pieces in found.items()},
            fmt, outputs[p], lang, area_by, digests.get(part.path), payloads[p],
        )  # fmt: skip
        for p, part in enumerate(plan)
    ]
    run.wait(parts, progress)
    results: list[PartResult] = run.gather(parts)
    remove_stale_parts(output, fmt, outputs)
    grouped = rules.duplicates is not None
    summary = merge_summaries([r.summary for r in results], sum(r.attributes for r in results) if grouped else None)
    summary = dataclasses.replace(summary, gaps=gaps)
    record = merge_summary_records([r.record for r in results], summary.attributes)
    return DaskRun(
        summary,
        merge_provenance([r.provenance for r in results]),
        tuple(r.path for r in results),
        rules,
        max((r.worst_rank for r in results), default=-1),
        sum(r.invalid for r in results),
        record,
    )


def _file_digest(path: str) -> str:
    from ..read.digest import file_sha256

    return file_sha256(path)


def _buckets(partitions: int, client: Any) -> int:
    """Pieces per shuffle: two per worker (at least 4, at most 64), never more than the
    partitions. Each shuffle makes partitions x pieces small tasks, which the scheduler
    keeps a record of while they run."""
    workers = 2
    if client is not None:
        try:
            workers = max(len(client.scheduler_info().get("workers", {})), 1)
        except Exception:  # an old scheduler without the info: the default
            workers = 2
    return max(1, min(partitions, 64, max(4, 2 * workers)))


def _first_lines(plan: list[Partition], counts: list[int]) -> list[int]:
    out, line, previous = [], 1, None
    for part, count in zip(plan, counts):
        if part.path != previous:
            line, previous = (first_row_of(part.name) if part.fmt == RECORDS else 1), part.path
        out.append(line)
        line += count
    return out


def _stage(
    part: Partition,
    first_line: int,
    zones: Zones,
    rules: RuleSet,
    whole: RuleSet | None,
    permits: tuple[Permit, ...],
    partial: bool,
    index: int,
    payload: Any = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A partition read on a worker: its frame, and its size, gaps and largest GPS errors."""
    reports = read_partition(part, first_line, payload=payload)
    gaps = coverage.find_gaps(rules, coverage.loaded(zones, reports))
    if whole is None:
        frame = pd.DataFrame(
            {
                "g": sp.global_index(index, len(reports)),
                "row": np.asarray(reports.rows, dtype=np.int64),
                "id": np.asarray(reports.ids, dtype=object),
            }
        )
        return frame, {"n": len(reports), "gaps": gaps, "max_acc": {}}
    frame = sp.whole_list_frame(reports, zones, whole, index, permits=permits, partial=partial)
    max_acc = {}
    for k, name in sp.counted_columns(frame).items():
        counted = frame[name].to_numpy()
        max_acc[k] = float(frame["acc"].to_numpy()[counted].max()) if counted.any() else 0.0
    return frame, {"n": len(reports), "gaps": gaps, "max_acc": max_acc}


def _by_part_column(frame: pd.DataFrame, parts: int) -> list[pd.DataFrame]:
    return sp.by_bucket(frame, frame["part"].to_numpy().astype(np.int64), parts)


def _known_ids(pieces: Sequence[pd.DataFrame], names: Sequence[str], part: int) -> dict[str, Any]:
    """Ids of partition ``part`` that an earlier partition holds, with the row that first had
    each (and its file, when that is another file)."""
    known: dict[str, Any] = {}
    for piece in pieces:
        for rid, row, where in zip(piece["id"].tolist(), piece["first"].tolist(), piece["first_part"].tolist()):
            known[rid] = row if names[where] == names[part] else f"{row} ({names[where]})"
    return known


def _masked(frame: pd.DataFrame, known: dict[str, int]) -> pd.DataFrame:
    if "valid" not in frame:
        return frame
    return sp.without_repeated(frame, set(known))


def _duplicate_groups(run: Any, frames: list[Any], whole: RuleSet, P: int, K: int, cell_m: float) -> list[Any]:
    """Each frame with its reports' duplicate groups (``rep``, ``rep_id``)."""
    get = operator.getitem
    if whole.duplicates is None:
        return [run.submit(sp.with_groups, f, []) for f in frames]
    d = whole.duplicates
    halo = d.within_m + 0.01
    side = max(cell_m, 2 * halo)
    pieces = [run.submit(_duplicate_pieces, f, side, halo, d.within_days is not None, K) for f in frames]
    local = [
        run.submit(sp.duplicates_in_bucket, [run.submit(get, pieces[p], b) for p in range(P)], d.within_m, d.within_days)
        for b in range(K)
    ]
    glued = run.submit(sp.glue, local)
    settled = [run.submit(_settled_by_part, f, glued, P) for f in local]
    return [run.submit(sp.with_groups, frames[p], [run.submit(get, s, p) for s in settled]) for p in range(P)]


def _duplicate_pieces(frame: pd.DataFrame, side: float, halo: float, dated: bool, K: int) -> list[pd.DataFrame]:
    keep = frame["valid"].to_numpy() & (frame["area"].to_numpy() != "")
    if dated:
        keep &= frame["day"].to_numpy() != sp.NAT
    rows = frame.loc[keep, ["g", "id", "day", "area", "px", "py", "dup"]].reset_index(drop=True)
    copies = sp.cell_copies(rows, side, halo)
    return sp.by_bucket(copies, sp.cell_bucket(copies, K), K)


def _settled_by_part(found: pd.DataFrame, glued: pd.DataFrame, parts: int) -> list[pd.DataFrame]:
    return sp.by_part(sp.settle(found, glued), parts)


def _rule_findings(
    run: Any,
    frames: list[Any],
    whole_f: Any,
    whole: RuleSet,
    k: int,
    facts: list[dict[str, Any]],
    P: int,
    K: int,
    cell_m: float,
) -> list[list[Any]]:
    """Per partition, the futures of the pieces of whole-list rule ``k``'s findings."""
    get = operator.getitem
    kind, node = rule_kind_of(whole.active_rules[k])  # type: ignore[misc]
    how = kind.split(node)
    if how is not None and how.by == "group":
        column = f"k{k}"
        if whole.duplicates is not None:
            pieces = [run.submit(_counted_pieces, f, k, "rep", K) for f in frames]
            units = [run.submit(sp.units_in_bucket, [run.submit(get, pieces[p], b) for p in range(P)], column) for b in range(K)]
            by_unit = [run.submit(_pieces_by, u, "unit", K) for u in units]
            buckets = [[run.submit(get, by_unit[u], b) for u in range(K)] for b in range(K)]
            column = "unit"
        else:
            pieces = [run.submit(_counted_pieces, f, k, column, K) for f in frames]
            buckets = [[run.submit(get, pieces[p], b) for p in range(P)] for b in range(K)]
    elif how is not None and how.by == "near":
        max_acc = max((f["max_acc"].get(k, 0.0) for f in facts), default=0.0)
        halo = how.reach_m + 2 * max_acc + 0.01
        side = max(cell_m, 2 * halo)
        column = f"k{k}"
        pieces = [run.submit(_near_pieces, f, k, side, halo, K) for f in frames]
        buckets = [[run.submit(get, pieces[p], b) for p in range(P)] for b in range(K)]
    else:  # a kind that cannot be cut: every counted report in one task
        column = f"k{k}"
        pieces = [run.submit(_counted_pieces, f, k, column, 1) for f in frames]
        buckets = [[run.submit(get, pieces[p], 0) for p in range(P)]]
    results = [run.submit(sp.rule_in_bucket, b, whole_f, k, column) for b in buckets]
    split_back = [run.submit(sp.by_part, r, P) for r in results]
    return [[run.submit(get, s, p) for s in split_back] for p in range(P)]


_COLUMNS = ["g", "id", "day", "area", "px", "py", "acc", "rep"]


def _counted(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    rows = frame.loc[frame[f"c{k}"].to_numpy(), [*_COLUMNS, f"k{k}"]]
    return rows.reset_index(drop=True)


def _counted_pieces(frame: pd.DataFrame, k: int, column: str, K: int) -> list[pd.DataFrame]:
    return _pieces_by(_counted(frame, k), column, K)


def _pieces_by(rows: pd.DataFrame, column: str, K: int) -> list[pd.DataFrame]:
    return sp.by_bucket(rows, sp.hashed_buckets(rows[column].astype(str), K), K)


def _near_pieces(frame: pd.DataFrame, k: int, side: float, halo: float, K: int) -> list[pd.DataFrame]:
    rows = _counted(frame, k)
    rows = rows[rows["area"].to_numpy() != ""].reset_index(drop=True)
    copies = sp.cell_copies(rows, side, halo)
    return sp.by_bucket(copies, sp.cell_bucket(copies, K), K)


def _part_path(output: str, index: int, total: int, fmt: str) -> str:
    from ..write.parts import part_name

    return output.rstrip("/") + "/" + part_name(index, total, fmt)


def _finish_part(
    part: Partition,
    first_line: int,
    known: dict[str, int],
    zones: Zones,
    rules: RuleSet,
    permits: tuple[Permit, ...],
    partial: bool,
    index: int,
    frame: pd.DataFrame | None,
    found: dict[int, list[pd.DataFrame]],
    fmt: str,
    path: str,
    lang: str,
    area_by: str,
    digest: str | None,
    payload: Any = None,
) -> PartResult:
    """A partition read again, checked with its whole-list findings, and written as a part."""
    from ..write.parts import part_bytes

    reports = read_partition(part, first_line, KnownIds(known), payload=payload)
    if digest is not None:
        reports.sha256 = digest
    _, whole = split_rules(rules)
    # one check with every rule, the whole-list findings given: the verdicts come from arrays
    # as in one process (no verdict objects merged one by one)
    given = _given(reports, index, frame, found, whole) if whole is not None and frame is not None else None
    run = check(reports, zones, rules, permits=permits, threads=1, partial=partial, given=given)
    data = part_bytes(fmt, run, lang=lang)
    write_part(path, data)
    attributes = run.summary.attributes or 0
    return PartResult(
        path,
        len(reports),
        run.verdicts.worst_rank(),
        int(run.summary.by_status.get("invalid", 0)),
        attributes,
        run.summary,
        run.provenance,
        run_summary_record(run, area_by),
    )


def _given(
    reports: Reports, index: int, frame: pd.DataFrame, found: dict[int, list[pd.DataFrame]], whole: RuleSet
) -> GivenWholeList:
    foreign = ForeignIds(len(reports))

    def local(g: np.ndarray, ids: np.ndarray) -> np.ndarray:
        return foreign.index(sp.part_of(g) == index, sp.place_of(g), g, lambda k: str(ids[k]))

    rep = local(frame["rep"].to_numpy().astype(np.int64), frame["rep_id"].to_numpy())
    findings: dict[str, GroupFindings] = {}
    for k, rule in enumerate(whole.active_rules):
        found_kind = rule_kind_of(rule)
        if found_kind is None:
            continue
        kind, _ = found_kind
        pieces = [p for p in found.get(k, []) if len(p)]
        rows = pd.concat(pieces, ignore_index=True).sort_values("g", kind="stable") if pieces else None
        if rows is None:
            findings[rule.id] = GroupFindings(np.zeros(0, np.int64), np.zeros(0, np.int8), {})
            continue
        extra = {}
        for name in rows.columns:
            if name in ("g", "value") or name.endswith("_id") and name[:-3] in kind.report_extras:
                continue
            column = rows[name].to_numpy()
            extra[name] = local(column.astype(np.int64), rows[f"{name}_id"].to_numpy()) if name in kind.report_extras else column
        findings[rule.id] = GroupFindings(
            sp.place_of(rows["g"].to_numpy()), rows["value"].to_numpy().astype(np.int8), extra
        )
    return GivenWholeList(rep, tuple(foreign.ids), findings)


_PART_NAME = re.compile(r"part-\d{5,}\.(jsonl|geojson|parquet)")


def prepare_output(output: str) -> str:
    """The output folder, made when missing and checked to be a writable folder, before any
    worker starts (an fsspec URL is left to its file system)."""
    if "://" in output:
        return output.rstrip("/")
    from ..write.atomic import output_error

    try:
        if os.path.exists(output) and not os.path.isdir(output):
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        os.makedirs(output, exist_ok=True)
        if not os.access(output, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        raise output_error(exc, os.path.join(output, "part-00000"), what="output folder") from None
    return output.rstrip("/") or "/"


def remove_stale_parts(output: str, fmt: str, written: Sequence[str]) -> None:
    """Remove parts an earlier run left in the folder (``part-NNNNN.<fmt>`` not written now),
    so that the folder's parts are this run's and nothing else."""
    keep = {os.path.basename(p) for p in written}
    if "://" in output:
        import fsspec

        fs, root = fsspec.core.url_to_fs(output)
        names = [os.path.basename(p) for p in fs.ls(root, detail=False)]
        stale = [n for n in names if _PART_NAME.fullmatch(n) and n.endswith("." + fmt) and n not in keep]
        for name in stale:
            fs.rm(root.rstrip("/") + "/" + name)
        return
    for name in os.listdir(output):
        if _PART_NAME.fullmatch(name) and name.endswith("." + fmt) and name not in keep:
            os.remove(os.path.join(output, name))


def write_part(path: str, data: bytes) -> None:
    """``data`` to ``path``: a local file atomically, else through fsspec."""
    if "://" not in path:
        from ..write.atomic import atomic_write

        with atomic_write(path, binary=True) as f:
            f.write(data)
        return
    try:
        import fsspec
    except ImportError:
        raise MissingExtraError(Text("scale.running_on_dask_needs"), hint=Text("scale.install_pip_install_atribut_hint")) from None
    try:
        with fsspec.open(path, "wb") as f:
            f.write(data)
    except OSError as exc:
        raise OutputError(Text("scale.cannot_write_part", path=path, exc=exc)) from None


# -- a small list, gathered on the client (without output) ------------------------------------


def records_from_frame(frame: Any) -> list[dict[str, Any]]:
    """A pandas DataFrame's rows as records, missing values (NaN, None, NaT) as None."""
    return records_of(frame)  # type: ignore[return-value]


def read_partitions(data: Any, *, file: str = "<dask>") -> Reports:
    """A Dask DataFrame (or Bag of records, or a list of record lists) as one Reports table.

    Partitions are turned into records in parallel; rows are numbered in partition order,
    as the command line numbers the list ``file`` (from 2 after a CSV's header, else from 1).
    """
    dask = _dask()
    if hasattr(data, "map_partitions") and hasattr(data, "columns"):  # dask DataFrame
        parts = dask.compute(*[dask.delayed(records_from_frame)(p) for p in data.to_delayed()])
    elif hasattr(data, "to_delayed"):  # dask Bag
        parts = dask.compute(*[dask.delayed(list)(p) for p in data.to_delayed()])
    else:
        parts = data
    return Reports.from_records((r for part in parts for r in part), file=file, first_row=first_row_of(file))


def _check_slice(
    reports: Reports, zones: Zones, rules: RuleSet, permits: tuple[Permit, ...], partial: bool = False
) -> tuple[list[Verdict], dict[str, dict[str, int]]]:
    run = check(reports, zones, rules, permits=permits, threads=1, partial=partial)
    return list(run.verdicts), {k: dict(v) for k, v in run.summary.coverage.items()}


def _check_gathered(
    data: Any,
    zones: Zones,
    rules: RuleSet,
    *,
    permits: Sequence[Permit],
    client: Any,
    slice_size: int,
    file: str,
    partial: bool,
) -> Run:
    """The list gathered into one table here; per-report rules on the workers, whole-list rules here."""
    dask = _dask()
    reports = data if isinstance(data, Reports) else read_partitions(data, file=file)
    gaps: tuple[Gap, ...] = coverage.find_gaps(rules, coverage.loaded(zones, reports))
    if gaps and not partial:  # refused here, before any worker starts
        raise coverage.CoverageError(gaps)
    per_report, whole = split_rules(rules)
    if whole is None:  # still run once centrally: provenance, and the same Run shape
        whole = dataclasses.replace(rules, rules=(), duplicates=None)
    permits = tuple(permits)
    bounds = [(s, min(s + slice_size, len(reports))) for s in range(0, len(reports), slice_size)]
    if client is not None:
        # zones and rules go to every worker once, not with every task
        zones_f, rules_f, permits_f = client.scatter([zones, per_report, permits], broadcast=True)
        futures = [
            client.submit(_check_slice, reports.slice(a, b), zones_f, rules_f, permits_f, partial)
            for a, b in bounds
        ]
        parts = client.gather(futures)
    else:
        tasks = [
            dask.delayed(_check_slice)(reports.slice(a, b), zones, per_report, permits, partial)
            for a, b in bounds
        ]
        parts = dask.compute(*tasks)
    verdicts = [v for part, _ in parts for v in part]
    rule_coverage: dict[str, dict[str, int]] = {}
    for _, part_coverage in parts:
        for rule_id, counts in part_coverage.items():
            total = rule_coverage.setdefault(rule_id, dict.fromkeys(counts, 0))
            for key, value in counts.items():
                total[key] += value
    central = check(reports, zones, whole, permits=permits, partial=partial)
    return merged_run(
        verdicts,
        central.verdicts,
        reports,
        zones,
        rules,
        central.provenance,
        central.summary.attributes,
        coverage={**rule_coverage, **central.summary.coverage},
        gaps=gaps,
    )
