"""CSV reports: Indonesian or English headers, ``,`` ``;`` or tab separators, decimal commas."""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Iterable, Iterator
from typing import Any

from .. import i18n
from ..errors import InputError, Text
from ..model import Problem
from ..table.build import plain_table_parts, table_parts
from ..table.fields import canonical_field, id_column
from ..table.ids import SeenIds
from ..table.reports import DEFAULT_MAX_FIELD_CHARS, Reports
from .inputfiles import open_input, read_input
from .long_records import RecordReader, ends_inside_quotes, over_limit
from .text import decode, sniff_delimiter, text_encoding


def read_csv(
    data: bytes | str,
    *,
    file: str = "<csv>",
    encoding: str | None = None,
    delimiter: str | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> Reports:
    """Read CSV bytes or text into a :class:`Reports` table.

    The first non-empty line is the header. Each later record is one report; its
    ``row`` is the line the record starts on (the header being line 1 when the
    file starts with it). Blank lines are skipped; a record with more or fewer
    fields than the header becomes an invalid row, and so does a record with a
    field longer than ``max_field_chars``. A header with no record after it is
    a table of zero reports. An empty file, and a quote left open at the end
    of the file (which would swallow every later row), raise InputError.
    """
    text = data if isinstance(data, str) else decode(data, file=file, encoding=encoding)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(
            Text("csv.file_contains_nul_bytes"),
            file=file,
            line=line,
            hint=Text("csv.export_sheet_again_as_hint"),
        )
    lines = io.StringIO(text.lstrip("\ufeff"), newline="")
    # an over-long field makes its row invalid (build_table) instead of the file
    chunks = iter_csv(lines, file=file, delimiter=delimiter, max_field_chars=max_field_chars)
    reports = next(iter(chunks))
    if delimiter is None:
        first = next((line for line in io.StringIO(text.lstrip("\ufeff")) if line.strip()), "")
        delimiter = sniff_delimiter(first)
    reports.delimiter = delimiter
    return reports


def csv_records(
    text: str,
    *,
    file: str,
    what: str = "file",
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    delimiter: str | None = None,
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the ``(line, cells)`` records of a small CSV text, read as strictly as
    a reports file: NUL bytes, a broken quote and a quote left open at the end of the text
    (which would swallow every later line) raise InputError naming the line, and so does a
    field over ``max_field_chars`` characters (a table such as a permits list is refused
    whole rather than row by row). Blank lines are skipped; the delimiter is sniffed from
    the header unless given. An empty text gives an empty header."""
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise InputError(
            Text("csv.contains_nul_bytes_so", what=what),
            file=file,
            line=text[: text.index("\x00")].count("\n") + 1,
            hint=Text("csv.export_sheet_again_as_hint"),
        )
    lines = list(io.StringIO(text, newline=""))
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        return [], []
    delim = delimiter or sniff_delimiter(first)
    try:
        header, records, last, line_num = _strict_records(
            csv.reader(lines, delimiter=delim, strict=False), file, max_field_chars
        )
    except _OverLimit:  # a field over the csv module's own limit: read again, slower
        header, records, last, line_num = _strict_records(RecordReader(lines, delim), file, max_field_chars)
    if _unclosed_quote(lines[last - 1 : line_num], delim):
        raise InputError(
            Text("csv.broken_quote"),
            file=file,
            line=last,
            hint=Text("csv.close_quote_double_quote_hint"),
        )
    return header, records


class _OverLimit(Exception):
    """The csv module refused a field longer than its own limit."""


def _refused(exc: csv.Error, file: str, line: int) -> Exception:
    """What the csv module's refusal means: a field over its limit (read again, slower), or
    a broken CSV at ``line``."""
    if over_limit(exc):
        return _OverLimit()
    return InputError(Text("csv.broken_csv", exc=exc), file=file, line=line, hint=Text("csv.check_quotes_line_hint"))


def _strict_records(
    reader: Any, file: str, max_field_chars: int
) -> tuple[list[str], list[tuple[int, list[str]]], int, int]:
    """The header, the records, where the last record starts and the lines read, for csv_records."""
    header: list[str] = []
    records: list[tuple[int, list[str]]] = []
    start = last = 1  # where the record being read starts, and the last record read
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            raise _refused(exc, file, reader.line_num) from None
        if cells is None:
            break
        last = start
        if not any(c.strip() for c in cells):
            continue
        for column, cell in enumerate(cells, start=1):
            if len(cell) > max_field_chars:
                raise InputError(
                    Text("csv.field_characters_more_than", length=len(cell), max_field_chars=max_field_chars),
                    file=file,
                    line=start,
                    column=column,
                    hint=Text("csv.shorten_field_check_quote_hint"),
                )
        if header:
            records.append((start, cells))
        else:
            header = cells
    return header, records, last, reader.line_num


def iter_csv(
    lines: Iterable[str],
    *,
    file: str = "<csv>",
    delimiter: str | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    chunk_rows: int | None = None,
    seen_ids: SeenIds | None = None,
    keep_raw: bool = True,
    deferred: bool = False,
    line_offset: int = 0,
) -> Iterator[Any]:
    """Read CSV text lines (as ``open(..., newline="")`` gives them) in tables of ``chunk_rows`` rows.

    ``line_offset`` is added to the line number of every line after the header: the
    lines are a block cut from a longer file, after a copy of its header line.

    With ``deferred``, each table comes as packed :class:`~atribut_rules.table.reports.TableParts`
    (repeated ids found; ``build()`` makes the table, in any process).

    The rules of :func:`read_csv` apply; row numbers, and ids repeated across
    chunks (``seen_ids``), are those of the whole file. At least one table is
    yielded (empty when the header has no record after it). A quote left open at
    the end of the file raises InputError after the last table.

    Records are read a batch of lines at a time. Without ``keep_raw``, a batch with no
    quote in it whose every line has the header's number of cells is *plain*: its
    lines are kept as one text, and only the id column is split out of them here (the
    other cells are split where the table is built). Any other batch is parsed by the
    ``csv`` module. When every record of a batch took one line, row numbers follow from
    the line count; a batch with a record over several lines (a quoted line break) is
    parsed again record by record.
    """
    if chunk_rows is not None and chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1 (or None for one table), not {chunk_rows}")
    tracked = lines if isinstance(lines, _Lines) else _Lines(iter(lines), file)
    first_line = tracked.first_content_line()
    if first_line is None:
        raise InputError(
            Text("csv.reports_file_empty"), file=file, hint=Text("csv.first_line_must_header_hint")
        )
    delim = delimiter or sniff_delimiter(first_line)
    source = iter(tracked)  # csv readers and the plain path take lines from the same iterator
    reader = csv.reader(source, delimiter=delim, strict=False)
    rows = _Rows(file, delim)
    yielded = False

    def table() -> Any:
        plain = rows.take_plain()
        if plain is not None:
            text, numbers, id_cells = plain
            parts = plain_table_parts(
                rows.header,
                text,
                delim,
                id_cells,
                numbers,
                file=file,
                max_field_chars=max_field_chars,
                seen_ids=seen_ids,
                longest_cell=rows.longest,
            )
        else:
            parts = table_parts(
                rows.header,
                rows.raw,
                rows.numbers,
                file=file,
                row_problems=rows.problems,
                max_field_chars=max_field_chars,
                seen_ids=seen_ids,
                keep_raw=keep_raw,
                longest_cell=rows.longest,
            )
        return parts.pack() if deferred else parts.build()

    def parse(reader: Any, count: int, before: int) -> list[list[str]]:
        """``count`` records from ``reader``, which started reading after line ``before``."""
        try:
            return list(itertools.islice(reader, count))
        except csv.Error as exc:
            raise _refused(exc, file, before + reader.line_num) from None

    while not rows.header:  # record by record up to the header
        before = reader.line_num
        try:
            record = parse(reader, 1, 0)
        except _OverLimit:
            raise InputError(
                Text("csv.header_cell_longer_than", field_size_limit=csv.field_size_limit()),
                file=file,
                line=before + 1,
                hint=Text("csv.first_line_must_header_hint_2"),
            ) from None
        if not record:
            break
        rows.add(record[0], tracked.between(before, reader.line_num), before + 1)
    consumed = reader.line_num + line_offset  # lines read so far
    tracked.offset = line_offset
    tracked.stop_keeping()  # from here on, each batch's lines are at hand
    rows.plain_ok = tracked.whole_lines and not keep_raw and len(set(rows.header)) == len(rows.header)
    rows.id_index = id_column(rows.header)
    while rows.header:
        before = consumed
        lines = list(itertools.islice(source, _BATCH if chunk_rows is None else chunk_rows - rows.count))
        if not lines:
            break
        if not rows.add_plain(lines, before + 1):
            rows.records_from_plain()
            taken: list[str] = []  # lines a record's quoted line break reaches beyond the batch
            batch_reader = csv.reader(
                itertools.chain(lines, _taking(source, taken)), delimiter=delim, strict=False
            )
            try:
                batch = parse(batch_reader, len(lines), before)
            except _OverLimit:  # a field over the csv module's own limit: read again, slower
                again = itertools.chain(lines, list(taken), _taking(source, taken))
                batch = parse(RecordReader(again, delim), len(lines), before)
            lines += taken
            if len(lines) == len(batch):  # one line per record
                rows.add_lines(batch, before + 1, lines[-1:])
                if rows.longest is not None:
                    rows.longest = max(rows.longest, max(map(len, lines)))
            else:
                rows.add_records(lines, before)
                rows.longest = None
        consumed += len(lines)
        if chunk_rows is not None and rows.count >= chunk_rows:
            chunk = table()
            rows.clear()
            yielded = True
            yield chunk
    if not rows.header:
        raise InputError(
            Text("csv.reports_file_no_header"), file=file, hint=Text("csv.first_line_must_header_hint")
        )
    last_lines, last_start = rows.last
    if last_lines and _unclosed_quote(last_lines, delim):
        raise InputError(
            Text("csv.broken_quote"),
            file=file,
            line=last_start,
            hint=Text("csv.close_quote_double_quote_hint"),
        )
    if rows.count or not yielded:
        yield table()


_BATCH = 50_000
"""Lines read at a time when the whole list becomes one table."""


def _taking(lines: Iterator[str], taken: list[str]) -> Iterator[str]:
    """``lines``, each also appended to ``taken`` as it is handed out."""
    for line in lines:
        taken.append(line)
        yield line


class _Rows:
    """The header, and the records of the chunk being read with their row numbers and problems."""

    def __init__(self, file: str, delimiter: str) -> None:
        self.file, self.delimiter = file, delimiter
        self.header: list[str] = []
        self.raw: list[list[str]] = []
        self.numbers: list[int] = []
        self.problems: dict[int, list[Problem]] = {}
        self.last: tuple[list[str], int] = ([], 1)  # the last record's lines and its first line
        self.longest: int | None = 0  # longest line of the chunk; None once a record took several
        self.plain_ok = False  # may batches take the plain path (see add_plain)
        self.id_index: int | None = None  # the id column's place in the header
        # plain batches of the chunk (while it has no record parsed the csv way): the lines,
        # as they are and as one text, their numbers, their id cells
        self.plain: list[tuple[list[str], str, list[int], list[str] | None]] = []
        self.plain_count = 0

    @property
    def count(self) -> int:
        """Records of the chunk so far, either way."""
        return len(self.raw) + self.plain_count

    def clear(self) -> None:
        """Forget the chunk's records (it has become a table)."""
        self.raw, self.numbers, self.problems, self.longest = [], [], {}, 0
        self.plain, self.plain_count = [], 0

    def add_plain(self, lines: list[str], start: int) -> bool:
        """Add lines (the first on line ``start``) the plain way, if they are plain: no quote,
        and on every line the header's number of cells or no text at all. False, and
        nothing added, if they are not."""
        if not self.plain_ok or self.raw:
            return False
        delim, width = self.delimiter, len(self.header)
        text = "".join(lines)
        if '"' in text:
            return False
        counts = list(map(str.count, lines, itertools.repeat(delim)))
        blank: set[int] = set()
        if counts.count(width - 1) != len(counts):
            blank = {j for j, c in enumerate(counts) if c != width - 1}
            if any(lines[j].strip() for j in blank):  # ragged: the csv way makes its problem
                return False
        numbers = list(range(start, start + len(lines)))
        body = _without(lines, blank)
        cells = self._id_cells(body)
        # a blank record (only separators and spaces) has a blank id cell: only those lines are read whole
        maybe = (
            range(len(body)) if cells is None else [j for j, c in enumerate(cells) if not c or c.isspace()]
        )
        more = {j for j in maybe if not body[j].replace(delim, "").strip()}
        if more:
            body, cells = _without(body, more), None if cells is None else _without(cells, more)
        if blank or more:
            numbers = _without(_without(numbers, blank), more)
            text = "".join(body)
        self.last = (lines[-1:], start + len(lines) - 1)
        if body:
            self.plain.append((body, text, numbers, cells))
            self.plain_count += len(body)
            if self.longest is not None:
                self.longest = max(self.longest, max(map(len, body)))
        return True

    def _id_cells(self, lines: list[str]) -> list[str] | None:
        """The id column's cells of plain lines (None without an id column)."""
        k, delim = self.id_index, self.delimiter
        if k is None:
            return None
        if k == 0:
            return [line.partition(delim)[0] for line in lines]
        if k == len(self.header) - 1:
            # the cell without the line's end, which would count in the id's length
            return [line.rpartition(delim)[2].rstrip("\r\n") for line in lines]
        return [line.split(delim, k + 1)[k] for line in lines]

    def take_plain(self) -> tuple[str, list[int], list[str] | None] | None:
        """The chunk's plain batches as one (text, line numbers, id cells), or None when the
        chunk's records are parsed ones (or there are none)."""
        if not self.plain:
            return None
        if len(self.plain) == 1:
            return self.plain[0][1:]
        _, texts, numbers, cells = zip(*self.plain)
        ids = None if cells[0] is None else [c for part in cells for c in part]
        return "".join(texts), [n for part in numbers for n in part], ids

    def records_from_plain(self) -> None:
        """Parse the chunk's plain batches into records (a later batch of the chunk is not plain)."""
        plain, self.plain, self.plain_count = self.plain, [], 0
        for lines, _, numbers, _ in plain:
            self.raw.extend(_records(lines, self.delimiter))
            self.numbers.extend(numbers)

    def add(self, record: list[str], lines: list[str], start: int) -> None:
        """Add one record (the header, while there is none yet) that began on line ``start``."""
        self.last = (lines, start)
        if _blank(record):
            return
        if not self.header:
            self.header.extend(cell.strip() for cell in record)
            _check_header(self.header, self.file, start)
            return
        if len(record) != len(self.header):
            self._ragged(len(self.raw), len(record))
        self.raw.append(record)
        self.numbers.append(start)

    def add_lines(self, batch: list[list[str]], start: int, last_line: list[str]) -> None:
        """Add records that took one line each, the first on line ``start``."""
        self.last = (last_line, start + len(batch) - 1)
        numbers: Iterable[int] = range(start, start + len(batch))
        blank = {k for k, record in enumerate(batch) if _blank(record)}
        if blank:
            numbers = [n for k, n in enumerate(numbers) if k not in blank]
            batch = [record for k, record in enumerate(batch) if k not in blank]
        width, offset = len(self.header), len(self.raw)
        lengths = list(map(len, batch))
        if lengths.count(width) != len(lengths):
            for k in [k for k, found in enumerate(lengths) if found != width]:
                self._ragged(offset + k, lengths[k])
        self.raw.extend(batch)
        self.numbers.extend(numbers)

    def add_records(self, lines: list[str], before: int) -> None:
        """Parse ``lines`` (whole records, the first after line ``before``) again, one by one."""
        try:
            parsed = _numbered(csv.reader(lines, delimiter=self.delimiter, strict=False))
        except csv.Error as exc:
            if not over_limit(exc):
                raise
            parsed = _numbered(RecordReader(lines, self.delimiter))
        start = 0
        for record, end in parsed:
            self.add(record, lines[start:end], before + start + 1)
            start = end

    def _ragged(self, index: int, found: int) -> None:
        msg = i18n.render("ragged", found=found, expected=len(self.header))
        self.problems[index] = [Problem("ragged", None, None, msg)]


def _numbered(reader: Any) -> list[tuple[list[str], int]]:
    """Each record of ``reader`` with the number of lines read up to its end."""
    return [(record, reader.line_num) for record in reader]


def _records(lines: list[str], delimiter: str) -> list[list[str]]:
    """The records of whole lines, read by the csv module unless a field is over its limit."""
    try:
        return list(csv.reader(lines, delimiter=delimiter, strict=False))
    except csv.Error as exc:
        if not over_limit(exc):
            raise
        return list(RecordReader(lines, delimiter))


def _without(items: list[Any], skip: set[int]) -> list[Any]:
    """``items`` without those at the places in ``skip``."""
    return [x for j, x in enumerate(items) if j not in skip] if skip else items


def _blank(record: list[str]) -> bool:
    """True for a record with no text (a blank line, or only separators and spaces)."""
    return not record or (not record[0].strip() and not "".join(record).strip())


def read_csv_file(
    path: str | os.PathLike[str],
    *,
    file: str,
    encoding: str | None = None,
    chunk_rows: int = 25_000,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    keep_raw: bool = True,
    deferred: bool = False,
) -> Iterator[Any]:
    """Read a CSV file in tables of ``chunk_rows`` rows, decoding it as it is read.

    The encoding is found as :func:`read_csv` finds it (the given one, a BOM's, else
    UTF-8); only one chunk of rows is in memory at a time. ``deferred``: see :func:`iter_csv`.
    """
    with open_input(path, what="reports file", name=file) as f:
        head = f.read(4)
    name = text_encoding(head, file=file, encoding=encoding)
    seen_ids = SeenIds()  # closed below: the ids of a long list may have gone to disk
    try:
        raw = open_input(path, what="reports file", name=file)
        with io.TextIOWrapper(raw, encoding=name, newline="", errors="strict") as stream:
            yield from iter_csv(
                _Lines(stream, file, whole_lines=True),
                file=file,
                max_field_chars=max_field_chars,
                chunk_rows=chunk_rows,
                seen_ids=seen_ids,
                keep_raw=keep_raw,
                deferred=deferred,
            )
    except UnicodeDecodeError:
        # rare: decode the whole file once more to name the exact byte and line
        decode(read_input(path, what="reports file", name=file), file=file, encoding=encoding)
        raise InputError(Text("csv.not_valid_text", name=name), file=file) from None
    finally:
        seen_ids.close()


class _Lines:
    """Text lines for the csv module, handed over a block at a time; keeps the lines not yet
    taken by :meth:`between` and refuses NULs, at the line they are on."""

    BLOCK = 4096
    """Lines read at a time."""

    def __init__(self, lines: Iterator[str], file: str, *, whole_lines: bool = False) -> None:
        self.lines = lines
        self.file = file
        # each line ends in one line end (\n, \r\n or \r) and has no other, but for the
        # last, as a file opened with newline="" gives them (lines may then take the plain way)
        self.whole_lines = whole_lines
        self.pending: list[str] = []
        self.kept: list[str] = []  # lines from number self.start + 1 on, read but not yet taken
        self.start = 0
        self.keeping = True
        self.offset = 0  # added to line numbers once the header is read (see iter_csv)

    def stop_keeping(self) -> None:
        """Keep no more lines for :meth:`between` (the reader takes them whole from here on)."""
        self.keeping = False
        self.kept = []

    def first_content_line(self) -> str | None:
        """The first line with text in it (kept to be read again), or None for an empty file."""
        while True:
            line = next(self.lines, None)
            if line is None:
                return None
            self._refuse_nul(line, len(self.pending) + 1)
            if not self.pending:
                line = line.lstrip("\ufeff")
            self.pending.append(line)
            if line.strip():
                return next(part for part in line.splitlines() if part.strip())

    def _refuse_nul(self, line: str, number: int) -> None:
        if "\x00" in line:
            raise InputError(
                Text("csv.file_contains_nul_bytes"),
                file=self.file,
                line=number,
                hint=Text("csv.export_sheet_again_as_hint"),
            )

    def __iter__(self) -> Iterator[str]:
        # the csv module takes the lines one by one from C; Python runs once per block
        return itertools.chain.from_iterable(self._blocks())

    def _blocks(self) -> Iterator[list[str]]:
        block, self.pending = self.pending, []
        number = 0
        while block:
            if "\x00" in "".join(block):  # yield the lines before the NUL, then refuse it
                bad = next(k for k, line in enumerate(block) if "\x00" in line)
                if self.keeping:
                    self.kept.extend(block[:bad])
                yield block[:bad]
                self._refuse_nul(block[bad], number + bad + 1 + self.offset)
            if self.keeping:
                self.kept.extend(block)
            number += len(block)
            yield block
            block = list(itertools.islice(self.lines, self.BLOCK))

    def between(self, before: int, after: int) -> list[str]:
        """Lines ``before + 1`` to ``after`` (numbers as ``csv.reader.line_num`` counts them);
        the lines up to ``before`` are let go."""
        del self.kept[: before - self.start]
        self.start = before
        return self.kept[: after - before]


def _unclosed_quote(record_lines: list[str], delimiter: str) -> bool:
    """True when the record's text ends inside a quoted field (the lenient parser accepts it)."""
    try:
        for _ in csv.reader(record_lines, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if over_limit(exc):  # the open field may be long
            return ends_inside_quotes(record_lines, delimiter)
        return "unexpected end of data" in str(exc)
    return False


def _check_header(header: list[str], file: str, line: int) -> None:
    seen: dict[str, str] = {}
    for column in header:
        name = canonical_field(column)
        if name is None:
            continue
        if name in seen:
            raise InputError(
                Text("csv.columns_both_name_field", seen=seen[name], column=column, name=name),
                file=file,
                line=line,
                field=column,
                hint=Text("csv.keep_one_them_rename_hint"),
            )
        seen[name] = column
    for name, examples in (("lat", "lat, latitude, lintang"), ("lon", "lon, lng, longitude, bujur")):
        if name not in seen:
            raise InputError(
                Text("csv.no_column_header", name=name),
                file=file,
                line=line,
                hint=Text("csv.name_column_one_see_hint", examples=examples),
            )
