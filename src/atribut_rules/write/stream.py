"""Writing a list checked in chunks (:mod:`atribut_rules.scale.chunks`) as it is checked.

JSON Lines and GeoJSON are written chunk by chunk. A JSON document opens with
the summary of the whole list, which is known only at the end, so its verdicts
go to a spool file first and follow the head when the last chunk is done. With
``spool=True`` every format is spooled, so that nothing reaches ``out`` unless
the whole list could be read (the CLI does this for stdout). Each
chunk's summary is merged into the list's: the same numbers, in the same order,
as the summary of one run over the whole list.

Chunks arrive as UTF-8 bytes (a worker process encodes its own chunk), or as a
file a worker process wrote them to, and go to the spool and to the file's byte
stream as they are (a chunk file is spooled by keeping it, and copied by the
kernel, ``os.sendfile``, where it can); a text stream with no byte stream under
it (or another encoding) gets them decoded.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from ..results.summary import add_counts, add_rows
from .escape import safe_stream
from .json_writer import JSON_TAIL, VERDICT_FIRST, VERDICT_SEPARATOR, json_head
from .machine import GEOJSON_HEAD, GEOJSON_TAIL, write_features
from .records import run_summary_record
from .verdict_json import encoded_verdicts

STREAMED_FORMATS = ("json", "jsonl", "geojson")
"""Formats written chunk by chunk; the others need the whole run at once."""

SPOOL_MEMORY = 16 * 1024**2
"""Bytes of spooled JSON verdicts kept in memory before they go to a temporary file."""


class ChunkWriter:
    """Writes one format to ``out`` as chunks of a run arrive; :meth:`close` ends the document."""

    def __init__(self, fmt: str, out: IO[str], *, spool: bool = False) -> None:
        if fmt not in STREAMED_FORMATS:
            raise ValueError(f"{fmt!r} cannot be written chunk by chunk")
        self.fmt, self.out = fmt, safe_stream(out)  # heads and tails: lone surrogates escaped
        self.raw = byte_stream(self.out)
        self.summaries: list[dict[str, Any]] = []
        self.spooling = spool or fmt == "json"
        # what is spooled, in order: this writer's own spool files and chunk files (paths)
        self.segments: list[Any] = []
        if fmt == "geojson" and not self.spooling:
            out.write(GEOJSON_HEAD)

    def add(self, chunk: RenderedChunk) -> None:
        """Write one chunk rendered by :func:`render_chunk` (possibly in another process).

        A chunk that comes as a file (``chunk.path``) becomes this writer's: it is
        copied to ``out`` (when its turn comes, if spooling) and removed.
        """
        if chunk.summary is not None:
            self.summaries.append(chunk.summary)
        if chunk.path is not None:
            if self.spooling:
                self.segments.append(chunk.path)
            else:
                self._copy_file(chunk.path)
        elif self.spooling:
            if not self.segments or isinstance(self.segments[-1], str):
                self.segments.append(tempfile.SpooledTemporaryFile(SPOOL_MEMORY, mode="w+b"))  # noqa: SIM115 - closed in close()
            self.segments[-1].write(chunk.data)
        else:
            self._write(chunk.data)

    def _write(self, data: bytes) -> None:
        """UTF-8 ``data`` to ``out``, after whatever text was written to it before."""
        if self.raw is None:
            self.out.write(data.decode("utf-8"))
        else:
            self.out.flush()
            self.raw.write(data)

    def _copy_file(self, path: str) -> None:
        """The UTF-8 chunk file ``path`` to ``out``; the file is removed."""
        try:
            with open(path, "rb") as source:
                self._copy(source, os.fstat(source.fileno()).st_size, on_disk=True)
        finally:
            os.remove(path)

    def _copy(self, source: Any, size: int, *, on_disk: bool) -> None:
        """``size`` UTF-8 bytes of ``source``, from its start, to ``out``."""
        source.seek(0)
        if self.raw is None:
            text = io.TextIOWrapper(source, encoding="utf-8", newline="")
            shutil.copyfileobj(text, self.out, 1024**2)
            text.detach()
        else:
            self.out.flush()
            copy_bytes(source, self.raw, size, on_disk=on_disk)

    def close(self, ruleset: Any, provenance: Any, attributes: int | None = None) -> None:
        """End the document with the list's rule set, provenance and count of distinct attributes."""
        if self.fmt == "json":
            summary = merge_summary_records(self.summaries, attributes)
            self.out.write(json_head(ruleset, summary, provenance))
        elif self.fmt == "geojson" and self.spooling:
            self.out.write(GEOJSON_HEAD)
        while self.segments:
            segment = self.segments.pop(0)
            if isinstance(segment, str):
                self._copy_file(segment)
            else:
                with segment:
                    size = segment.tell()
                    self._copy(segment, size, on_disk=size > SPOOL_MEMORY)
        if self.fmt == "json":
            self.out.write(JSON_TAIL)
        elif self.fmt == "geojson":
            self.out.write(GEOJSON_TAIL)

    def discard(self) -> None:
        """Drop what is spooled (the list could not be read to its end)."""
        for segment in self.segments:
            if isinstance(segment, str):
                with contextlib.suppress(OSError):
                    os.remove(segment)
            else:
                segment.close()
        self.segments = []


def copy_bytes(source: Any, target: IO[bytes], size: int, *, on_disk: bool) -> None:
    """``size`` bytes of ``source`` (from its start) to ``target``: by ``os.sendfile``, in the
    kernel, when both are files (``on_disk``: the spool has gone to its temporary file)."""
    target.flush()
    sent = 0
    if on_disk and hasattr(os, "sendfile"):
        try:
            source_fd, target_fd = source.fileno(), target.fileno()
            while sent < size:
                step = os.sendfile(target_fd, source_fd, sent, size - sent)
                if step == 0:
                    break
                sent += step
        except (OSError, ValueError, io.UnsupportedOperation):
            pass  # not a file the kernel can copy to: the rest goes the plain way
    source.seek(sent)
    shutil.copyfileobj(source, target, 1024**2)


def byte_stream(out: IO[str]) -> IO[bytes] | None:
    """The byte stream under the text stream ``out``, when UTF-8 bytes may go to it as they are.

    That is when ``out`` encodes as UTF-8 (with or without a byte order mark, which is
    written first) and line ends need no translation; else None.
    """
    raw = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if raw is None or not isinstance(encoding, str) or os.linesep != "\n":
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    if name not in ("utf-8", "utf-8-sig"):
        return None
    out.write("")  # a text stream writes its byte order mark, if any, with its first write
    return raw


@dataclass(frozen=True)
class RenderedChunk:
    """One chunk's verdicts as UTF-8 text in one format, its summary record (json only), its size.

    The text is ``data``, or, when ``path`` is set, that file's content (a worker
    process wrote it there; the :class:`ChunkWriter` that gets the chunk removes it).
    """

    data: bytes
    summary: dict[str, Any] | None
    count: int
    path: str | None = None


def render_chunk(
    fmt: str, run: Any, *, first: bool, lang: str = "id", area_by: str = "auto"
) -> RenderedChunk:
    """A chunk's verdicts as the text its format puts between head and tail.

    ``first`` says whether they are the first of the list (no separator before them).
    """
    summary = None
    if fmt in ("json", "jsonl"):
        # each line encoded on its own: most are ASCII, which encodes as a plain copy,
        # where one text holding a single non-ASCII character would be encoded wide
        # (joined in one go: adding a head or tail to the joined bytes would copy them all again)
        lines = [line.encode("utf-8", "backslashreplace") for line in encoded_verdicts(run.verdicts)]
        if fmt == "json":
            summary = run_summary_record(run, area_by)
            separator = VERDICT_SEPARATOR.encode()
            if lines:
                lines[0] = (VERDICT_FIRST.encode() if first else separator) + lines[0]
            data = separator.join(lines)
        else:
            data = b"\n".join([*lines, b""]) if lines else b""
    elif fmt == "geojson":
        out = io.StringIO()
        write_features(run, out, first=first, lang=lang)
        data = out.getvalue().encode("utf-8", "backslashreplace")
    else:
        raise ValueError(f"{fmt!r} cannot be written chunk by chunk")
    return RenderedChunk(data, summary, len(run.verdicts))


def merge_summary_records(records: list[dict[str, Any]], attributes: int | None = None) -> dict[str, Any]:
    """The summary of a whole list from the summaries of its chunks (see ``run_summary_record``).

    Counts are added up; parties are sorted by label and areas as ``area_summary`` sorts
    them. ``attributes`` is the list's count of distinct attributes (None without
    duplicate grouping), which chunks cannot add up on their own.
    """
    first = records[0]
    out: dict[str, Any] = {
        "reports": sum(r["reports"] for r in records),
        "by_status": add_counts([r["by_status"] for r in records]),
        "by_rule": {k: add_counts([r["by_rule"][k] for r in records]) for k in first["by_rule"]},
        "by_party": add_rows([r["by_party"] for r in records], key=lambda kv: kv[0]),
        "attributes": attributes,
        "coverage": {k: add_counts([r["coverage"][k] for r in records]) for k in first["coverage"]},
        "gaps": first["gaps"],
        "area": first["area"],
        "by_area": add_rows(
            [r["by_area"] for r in records], key=lambda kv: (kv[0] == "", kv[0].casefold(), kv[0])
        ),
    }
    return {k: out[k] for k in first}
