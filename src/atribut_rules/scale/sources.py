"""The partitions of a list checked on a cluster, each read where it is checked.

A CSV or JSON Lines file in UTF-8 is cut into blocks of about ``blocksize`` bytes at
line ends (a line belongs to the block its first byte lies in); every other file, and a
file in another encoding, is one partition. A worker reads its block with the same
reader as the command line (a CSV block after a copy of the file's header line), with
the file's own line numbers: :func:`count_lines` first counts the line ends of every
block, so each block knows the number of its first line.

Ids repeated across partitions are found by :mod:`atribut_rules.scale.dask` (a shuffle
on the ids); a block is then read with :class:`KnownIds`, the ids that earlier
partitions already hold, and its rows repeating one become invalid exactly as they do
when the whole file is read at once.
"""

from __future__ import annotations

import glob
import io
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError, Text
from ..read import display_name, read_reports, report_format
from ..read.csv_reader import _Lines, iter_csv
from ..read.inputfiles import check_regular_file, open_input
from ..read.jsonl_reader import read_jsonl
from ..read.text import text_encoding
from ..table.build import build_reports
from ..table.ids import add_duplicate_problems
from ..table.reports import DEFAULT_MAX_FIELD_CHARS, Reports

DEFAULT_BLOCKSIZE = 64 * 1024 * 1024
"""Bytes of a CSV or JSON Lines file per partition."""

HEAD_BYTES = 1024 * 1024
"""Bytes read from the start of a CSV file to find its header line."""

SPLIT_FORMATS = ("csv", "jsonl")
RECORDS = "records"
"""The format of a partition of a Dask DataFrame or Bag (its records come with the task)."""


@dataclass(frozen=True)
class Partition:
    """One partition: bytes ``start:stop`` of a file (``stop`` -1: the whole file, read by
    :func:`~atribut_rules.read.read_reports`), the file's name in verdicts and its order."""

    path: str
    name: str
    fmt: str
    start: int = 0
    stop: int = -1
    header: str | None = None
    """A CSV block's copy of the file's header line (None for the file's first block)."""
    encoding: str | None = None
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS
    max_file_bytes: int = 2 * 1024**3
    last_of_file: bool = True

    @property
    def whole(self) -> bool:
        return self.stop < 0


@dataclass(frozen=True)
class KnownIds:
    """Ids of earlier partitions, with the row number that first had each: what a reader's
    ``seen_ids`` is asked (see :func:`atribut_rules.table.ids.find_duplicate_ids`)."""

    first_rows: Mapping[str, int] = field(default_factory=dict)

    def lookup(self, ids: Sequence[str]) -> tuple[dict[int, int], np.ndarray, np.ndarray]:
        found = {i: self.first_rows[rid] for i, rid in enumerate(ids) if rid in self.first_rows}
        return found, np.zeros(len(ids)), np.zeros(len(ids))

    def add_digests(self, digests: Any, buckets: Any, rows: Any) -> None:
        """Nothing to learn: a partition's own ids are compared within it by the reader."""


def expand(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    """File paths from a path, a glob pattern or a list of them, each pattern's matches sorted."""
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    out: list[str] = []
    for item in items:
        text = os.fspath(item)
        if glob.has_magic(text):
            matches = sorted(glob.glob(text))
            if not matches:
                raise InputError(Text("scale.no_file_matches", pattern=text), file=text)
            out.extend(matches)
        else:
            out.append(text)
    return out


def plan_partitions(
    paths: Sequence[str],
    *,
    blocksize: int = DEFAULT_BLOCKSIZE,
    encoding: str | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    max_file_bytes: int = 2 * 1024**3,
    relative_to: str | os.PathLike[str] | None = None,
) -> list[Partition]:
    """The partitions of the files ``paths``, in order (``blocksize`` 0: one per file).

    Only a file's size and, for CSV, its first line are read here.
    """
    out: list[Partition] = []
    for path in paths:
        fmt = report_format(path)
        name = display_name(path, relative_to)
        common = {"encoding": encoding, "max_field_chars": max_field_chars, "max_file_bytes": max_file_bytes}
        size = _size(path, name) if fmt in SPLIT_FORMATS else 0
        header = _csv_header(path, name, encoding) if fmt == "csv" and blocksize and size > blocksize else None
        splittable = (
            blocksize > 0
            and size > blocksize
            and fmt in SPLIT_FORMATS
            and _utf8(path, name, encoding)
            and (fmt != "csv" or (header is not None and '"' not in header))
        )
        if not splittable:
            out.append(Partition(path, name, fmt, **common))
            continue
        starts = list(range(0, size, blocksize))
        for k, start in enumerate(starts):
            stop = starts[k + 1] if k + 1 < len(starts) else size
            out.append(
                Partition(
                    path,
                    name,
                    fmt,
                    start,
                    stop,
                    header if k else None,
                    last_of_file=k + 1 == len(starts),
                    **common,
                )
            )
    return out


def _size(path: str, name: str) -> int:
    check_regular_file(path, what="reports file", name=name)
    try:
        return os.stat(path).st_size
    except OSError as exc:
        raise InputError(Text("reports.unreadable", strerror=exc.strerror), file=name) from None


def _utf8(path: str, name: str, encoding: str | None) -> bool:
    with open_input(path, what="reports file", name=name) as f:
        head = f.read(4)
    return text_encoding(head, file=name, encoding=encoding) in ("utf-8", "utf-8-sig")


def _csv_header(path: str, name: str, encoding: str | None) -> str | None:
    """The file's header line (the first with text in it), or None when it is not in the head."""
    with open_input(path, what="reports file", name=name) as f:
        head = f.read(HEAD_BYTES)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    for line in io.StringIO(text, newline=""):
        if line.strip():
            return line if line.endswith(("\n", "\r")) else None
    return None


def _block_bytes(part: Partition) -> tuple[bytes, int]:
    """The bytes of the lines that start in the partition's range, and where they start."""
    with open_input(part.path, what="reports file", name=part.name) as f:
        begin = part.start
        if part.start > 0:
            f.seek(part.start - 1)
            skipped = f.readline()  # the end of the line before: it belongs to the block before
            begin = part.start - 1 + len(skipped)
        data = f.read(max(part.stop - begin, 0)) if begin < part.stop else b""
        if data and not data.endswith(b"\n"):
            # the rest of the last line that starts in the range, up to the size a whole
            # file may have (a partition holds no more than a list read at once would)
            room = part.max_file_bytes - len(data)
            rest = f.readline(room + 1) if room > 0 else b"x"
            if len(rest) > room or (rest and not rest.endswith(b"\n") and f.read(1)):
                raise InputError(
                    Text("scale.line_too_long", limit=part.max_file_bytes),
                    file=part.name,
                    hint=Text("scale.line_too_long_hint"),
                )
            data += rest
    return data, begin


def count_lines(part: Partition, payload: Any = None) -> int:
    """Line ends in the bytes that precede the partition's next one's first line: the
    partition's own lines, for numbering the next partition's (for a partition of a Dask
    collection, ``payload``, its records)."""
    if part.fmt == RECORDS:
        return len(payload)
    if part.whole:
        return 0
    data, _ = _block_bytes(part)
    return data.count(b"\n")


def read_partition(
    part: Partition, first_line: int, known: KnownIds | None = None, *, keep_raw: bool = False, payload: Any = None
) -> Reports:
    """The partition as a table, its rows numbered as in its file (``first_line``: the
    number of the block's first line), ids in ``known`` taken as used before it. A
    partition of a Dask collection reads its records from ``payload`` (a pandas DataFrame
    or a list of mappings), numbered on from ``first_line``."""
    known = known or KnownIds()
    if part.fmt == RECORDS:
        return build_reports(
            ((first_line + i, record) for i, record in enumerate(records_of(payload))),
            file=part.name,
            max_field_chars=part.max_field_chars,
            seen_ids=known,  # type: ignore[arg-type]
        )
    if part.whole:
        reports = read_reports(
            part.path,
            format=part.fmt,
            encoding=part.encoding,
            max_file_bytes=part.max_file_bytes,
            max_field_chars=part.max_field_chars,
        )
        reports.file = part.name
        repeated = {i: known.first_rows[rid] for i, rid in enumerate(reports.ids) if rid in known.first_rows}
        if repeated:
            add_duplicate_problems(reports.ids, repeated, reports.problems)
        return reports
    data, _ = _block_bytes(part)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data[: exc.start].count(b"\n")
        raise InputError(Text("csv.not_valid_text", name="utf-8"), file=part.name, line=line) from None
    if part.fmt == "jsonl":
        return read_jsonl(
            text, file=part.name, max_field_chars=part.max_field_chars, first_line=first_line, seen_ids=known
        )
    return _read_csv_block(part, text, first_line, known, keep_raw)


def _read_csv_block(part: Partition, text: str, first_line: int, known: KnownIds, keep_raw: bool) -> Reports:
    lines: list[str] = list(io.StringIO(text, newline=""))
    offset = 0
    if part.header is not None:
        lines.insert(0, part.header)
        offset = first_line - 2  # the copied header is line 1 of the text read, the block's first line 2
    try:
        tables = list(
            iter_csv(
                _Lines(iter(lines), part.name, whole_lines=True),
                file=part.name,
                max_field_chars=part.max_field_chars,
                seen_ids=known,  # type: ignore[arg-type]
                keep_raw=keep_raw,
                line_offset=offset,
            )
        )
    except InputError as exc:
        if getattr(exc, "code", None) == "csv.broken_quote" and not part.last_of_file:
            raise InputError(
                Text("scale.quote_crosses_partition", start=part.start, stop=part.stop),
                file=part.name,
                line=exc.line,
                hint=Text("scale.quote_crosses_partition_hint"),
            ) from None
        raise
    reports = tables[0] if len(tables) == 1 else Reports.concat(tables)
    reports.file = part.name
    return reports


def records_of(payload: Any) -> list[Mapping[str, Any]]:
    """A partition of a Dask collection as records: a pandas DataFrame's rows (missing
    values, NaN, None and NaT, as None), or the mappings of a Bag's partition."""
    if hasattr(payload, "to_dict") and hasattr(payload, "columns"):
        return [{k: (None if _missing(v) else v) for k, v in r.items()} for r in payload.to_dict("records")]
    return list(payload)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NaTType", "NAType")


HEADER_FORMATS = {".csv", ".tsv", ".txt", ".xlsx"}
"""Lists whose first row is a header: their first report is on line (or sheet row) 2."""


def first_row_of(name: str) -> int:
    """The row number the command line gives the first report of the list ``name``: 2 after
    a header line (CSV, XLSX), else 1 (JSON Lines lines, GeoJSON features)."""
    return 2 if os.path.splitext(name)[1].lower() in HEADER_FORMATS else 1


def collection_partitions(data: Any, name: str, max_field_chars: int = DEFAULT_MAX_FIELD_CHARS) -> tuple[list[Partition], list[Any]]:
    """The partitions of a Dask DataFrame or Bag, and the delayed object of each."""
    parts = list(data.to_delayed())
    plan = [Partition(RECORDS, name, RECORDS, max_field_chars=max_field_chars) for _ in parts]
    return plan, parts


def is_collection(data: Any) -> bool:
    """Whether ``data`` is a Dask DataFrame or Bag."""
    return hasattr(data, "to_delayed") and hasattr(data, "npartitions")
