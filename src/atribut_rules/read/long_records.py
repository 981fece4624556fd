"""CSV records with a field longer than the ``csv`` module's limit, read without raising it.

The ``csv`` module refuses a field longer than ``csv.field_size_limit()`` (131,072
characters by default), and that limit is process-wide: raising it for one file changes
it for every reader in the process, and two lists read side by side would break each
other. So the limit is never touched. The reports reader enforces its own, smaller
``max_field_chars`` (an over-long field makes its row invalid), and a record that the
``csv`` module refuses is read here instead, the same way the ``csv`` module reads a record
with the default dialect and ``strict=False``.

Hand-written on purpose and used only for such records (each is invalid anyway); every
other record is parsed by the ``csv`` module.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator

_START_RECORD, _START_FIELD, _IN_FIELD, _IN_QUOTED, _QUOTE_IN_QUOTED, _EAT_CRNL = range(6)
_QUOTE = '"'


def over_limit(exc: csv.Error) -> bool:
    """True when the ``csv`` module refused a field for being longer than its limit."""
    return "field larger than field limit" in str(exc)


def read_record(lines: Iterator[str], delimiter: str) -> tuple[list[str] | None, int, bool]:
    """One record from ``lines`` as ``csv.reader(..., strict=False)`` reads it, with no limit.

    Returns the record's cells (None at the end of the lines), the number of lines it
    took, and whether the lines ended inside a quoted field.
    """
    fields: list[str] = []
    field: list[str] = []
    state = _START_RECORD
    used = 0
    for line in lines:
        used += 1
        for c in line:
            if state == _START_RECORD:
                if c in "\r\n":
                    state = _EAT_CRNL
                    continue
                state = _START_FIELD
            if state == _START_FIELD:
                if c in "\r\n":
                    fields.append("")
                    state = _EAT_CRNL
                elif c == _QUOTE:
                    state = _IN_QUOTED
                elif c == delimiter:
                    fields.append("")
                else:
                    field.append(c)
                    state = _IN_FIELD
            elif state == _IN_FIELD:
                if c in "\r\n":
                    fields.append("".join(field))
                    field = []
                    state = _EAT_CRNL
                elif c == delimiter:
                    fields.append("".join(field))
                    field = []
                    state = _START_FIELD
                else:
                    field.append(c)
            elif state == _IN_QUOTED:
                if c == _QUOTE:
                    state = _QUOTE_IN_QUOTED
                else:
                    field.append(c)
            elif state == _QUOTE_IN_QUOTED:
                if c == _QUOTE:
                    field.append(c)
                    state = _IN_QUOTED
                elif c == delimiter:
                    fields.append("".join(field))
                    field = []
                    state = _START_FIELD
                elif c in "\r\n":
                    fields.append("".join(field))
                    field = []
                    state = _EAT_CRNL
                else:
                    field.append(c)
                    state = _IN_FIELD
            elif state == _EAT_CRNL and c not in "\r\n":
                raise csv.Error("new-line character seen in unquoted field")
        # the end of the line
        if state in (_START_FIELD, _IN_FIELD, _QUOTE_IN_QUOTED):
            fields.append("".join(field))
            field = []
            state = _START_RECORD
        elif state == _EAT_CRNL:
            state = _START_RECORD
        if state == _START_RECORD:
            return fields, used, False
    if used == 0:
        return None, 0, False
    quoted = state == _IN_QUOTED
    if field or quoted:
        fields.append("".join(field))
    return fields, used, quoted


def ends_inside_quotes(record_lines: list[str], delimiter: str) -> bool:
    """True when the record's text ends inside a quoted field."""
    return read_record(iter(record_lines), delimiter)[2]


class RecordReader:
    """``csv.reader`` over ``lines`` (with ``line_num``), that also reads the records it refuses
    for a field over the ``csv`` module's limit, through :func:`read_record`.

    Each record's lines pass through Python here, so it is slower than a bare
    ``csv.reader``: readers use it only to read again a batch the bare reader refused.
    """

    def __init__(self, lines: Iterable[str], delimiter: str) -> None:
        self._delimiter = delimiter
        self._source = iter(lines)
        self._record_lines: list[str] = []  # lines the csv reader took for the record being read
        self._reader = csv.reader(self._feed(), delimiter=delimiter, strict=False)
        self._extra = 0  # lines read by read_record that the csv reader did not count

    def _feed(self) -> Iterator[str]:
        for line in self._source:
            self._record_lines.append(line)
            yield line

    @property
    def line_num(self) -> int:
        """Lines read so far, as ``csv.reader.line_num`` counts them."""
        return self._reader.line_num + self._extra

    def __iter__(self) -> RecordReader:
        return self

    def __next__(self) -> list[str]:
        self._record_lines = []
        try:
            return next(self._reader)
        except csv.Error as exc:
            if not over_limit(exc):
                raise
        taken = self._record_lines
        counted = _Counted(self._source)
        record, _, _ = read_record(itertools.chain(taken, counted), self._delimiter)
        self._extra += counted.count
        if record is None:  # pragma: no cover - the csv reader had taken a line
            raise StopIteration
        return record


class _Counted:
    """An iterator that counts the items taken from it."""

    def __init__(self, items: Iterator[str]) -> None:
        self._items = items
        self.count = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> str:
        item = next(self._items)
        self.count += 1
        return item
