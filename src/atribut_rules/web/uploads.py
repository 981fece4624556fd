"""Reading a form post as it streams in: files go straight into the job's folder under names
the server chooses, and the post stops as soon as it passes its size cap.

The client's file name is kept only to show it back on the page (and, reduced to plain
letters and digits, in a download's name); only its extension is looked at, and it picks
one of the server's own suffixes. Nothing the client sends ever becomes a path.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

try:
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, parse_options_header
except ModuleNotFoundError:  # pragma: no cover - older python-multipart
    from multipart.exceptions import FormParserError  # type: ignore[no-redef]
    from multipart.multipart import MultipartParser, parse_options_header  # type: ignore[no-redef]

REPORT_SUFFIXES = {
    ".csv": ".csv",
    ".txt": ".csv",
    ".tsv": ".tsv",
    ".xlsx": ".xlsx",
    ".geojson": ".geojson",
    ".json": ".geojson",
    ".jsonl": ".jsonl",
    ".ndjson": ".jsonl",
}
"""Report list extensions accepted, and the suffix the saved copy gets."""
ZONE_SUFFIXES = {".geojson": ".geojson", ".json": ".geojson"}
PERMIT_SUFFIXES = {".csv": ".csv", ".yaml": ".yaml", ".yml": ".yaml"}
RULE_SUFFIXES = {".yaml": ".yaml", ".yml": ".yaml"}

FILE_FIELDS: dict[str, tuple[str, dict[str, str], int]] = {
    "reports": ("reports", REPORT_SUFFIXES, 1),
    "rules_file": ("rules", RULE_SUFFIXES, 1),
    "zones": ("zones-{n:02d}", ZONE_SUFFIXES, 50),
    "permits": ("permits-{n:02d}", PERMIT_SUFFIXES, 20),
}
"""Per file field: the saved name (``{n}`` numbers repeated files), accepted suffixes, most files."""
TEXT_FIELDS = frozenset({"csrf", "rules", "zones_dir", "partial", "lang"})
MAX_TEXT_BYTES = 4096
MAX_TEXT_FIELDS = 200


class UploadRefused(Exception):
    """The post cannot be used; ``status`` is the HTTP status, ``key`` names the page text."""

    def __init__(self, status: int, key: str, detail: str = "") -> None:
        super().__init__(key)
        self.status, self.key, self.detail = status, key, detail


@dataclass
class SavedFile:
    """One uploaded file: where the server put it, and what the client called it (for display)."""

    field: str
    path: Path
    client_name: str
    size: int = 0


@dataclass
class Form:
    texts: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[SavedFile]] = field(default_factory=dict)

    def text(self, name: str, default: str = "") -> str:
        values = self.texts.get(name)
        return values[0] if values else default


def display_name(raw: str) -> str:
    """The last part of a client's file name (browsers may send a whole Windows path), for display."""
    name = PureWindowsPath(PurePosixPath(raw).name).name
    return "".join(ch for ch in name if ch.isprintable())[:200] or "?"


def _suffix(name: str) -> str:
    return PurePosixPath(name.lower()).suffix


async def read_form(
    stream: AsyncIterator[bytes],
    content_type: str,
    folder: Path,
    max_bytes: int,
    check_token: Callable[[str], bool] | None = None,
) -> Form:
    """Parse a ``multipart/form-data`` body from ``stream`` into ``folder``.

    Raises :class:`UploadRefused`: 413 past ``max_bytes`` (counted as the body arrives, so
    a large post is never read whole), 415 for a file of the wrong kind, 400 for a malformed
    body or unknown field, 403 when ``check_token`` is given and a file comes before a
    ``csrf`` field it accepts.
    """
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused(400, "bad_form")
    form = Form()
    counts: dict[str, int] = {}
    state: dict = {"headers": {}, "name": "", "value": b"", "field": None, "file": None, "size": 0}
    token_ok = check_token is None

    def on_part_begin() -> None:
        state.update(headers={}, field=None, file=None, value=b"", size=0)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["name"] += data[start:end].decode("latin-1")

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["headers"][state["name"].lower()] = state["headers"].get(state["name"].lower(), "") + data[
            start:end
        ].decode("latin-1")

    def on_header_end() -> None:
        state["name"] = ""

    def on_headers_finished() -> None:
        disposition, options = parse_options_header(state["headers"].get("content-disposition", ""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            if name not in TEXT_FIELDS or sum(len(v) for v in form.texts.values()) >= MAX_TEXT_FIELDS:
                raise UploadRefused(400, "bad_form", name)
            state["field"] = name
            return
        if name not in FILE_FIELDS:
            raise UploadRefused(400, "bad_form", name)
        raw = options[b"filename"].decode("utf-8", "replace")
        state["field"] = name
        if not raw:  # an empty file input: the browser sends a nameless, empty part
            return
        if not token_ok:
            raise UploadRefused(403, "csrf")
        stem, suffixes, most = FILE_FIELDS[name]
        suffix = suffixes.get(_suffix(raw))
        if suffix is None:
            raise UploadRefused(415, f"bad_type_{name}", display_name(raw))
        counts[name] = counts.get(name, 0) + 1
        if counts[name] > most:
            raise UploadRefused(400, "too_many_files", name)
        path = folder / (stem.format(n=counts[name]) + suffix)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        state["file"] = SavedFile(name, path, display_name(raw))
        state["handle"] = os.fdopen(fd, "wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state["file"] is not None:
            state["handle"].write(data[start:end])
            state["file"].size += end - start
        elif state["field"] in TEXT_FIELDS:
            state["value"] += data[start:end]
            if len(state["value"]) > MAX_TEXT_BYTES:
                raise UploadRefused(400, "bad_form", state["field"])

    def on_part_end() -> None:
        nonlocal token_ok
        saved = state["file"]
        if saved is not None:
            state["handle"].close()
            state["file"] = None
            form.files.setdefault(saved.field, []).append(saved)
        elif state["field"] in TEXT_FIELDS:
            value = state["value"].decode("utf-8", "replace")
            form.texts.setdefault(state["field"], []).append(value)
            if state["field"] == "csrf" and check_token is not None and check_token(value):
                token_ok = True

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
        },
    )
    received = 0
    try:
        async for chunk in stream:
            received += len(chunk)
            if received > max_bytes:
                raise UploadRefused(413, "too_large")
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise UploadRefused(400, "bad_form") from None
    finally:
        handle = state.get("handle")
        if handle is not None and not handle.closed:
            handle.close()
    if not token_ok:
        raise UploadRefused(403, "csrf")
    return form
