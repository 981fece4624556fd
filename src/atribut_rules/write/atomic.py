"""Atomic output files: write to a temporary file in the same folder, then rename.

A writer that fails half-way leaves the previous file (or no file) in place,
never a half-written report. A file that is replaced keeps its mode (a report
kept private with mode 0600 stays private); a new file gets the usual mode, the
one the process's umask and the folder's default ACL give a new file, since the
temporary file is created with mode 0666 for the kernel to narrow (the umask is
never read or changed: it is process-wide state). A path that exists and is not
a regular file (``/dev/null``, ``/dev/stdout``, a named pipe) is written
directly. Every failure to write (a missing folder, a full disk, a path that is
a folder) is an :class:`~atribut_rules.errors.OutputError` naming the path and
what to do.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import OutputError, Text, noun

__all__ = ["atomic_write", "output_error", "shown_path"]

SHOWN_CHARS = 200
"""At most this many characters of a path are quoted in an error message."""


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as quoted in a message: at most :data:`SHOWN_CHARS` characters."""
    text = os.fspath(path)
    text = text if isinstance(text, str) else os.fsdecode(text)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def output_error(exc: OSError, path: str | os.PathLike[str], what: str = "output") -> OutputError:
    """The :class:`OutputError` for ``exc``, raised while writing ``path``: its reason and a way out."""
    folder = shown_path(os.path.dirname(os.fspath(path)) or ".")
    code = exc.errno
    if code == errno.ENOENT:
        hint = Text("output.no_folder_hint", folder=folder)
    elif code == errno.ENOTDIR:
        hint = Text("output.part_is_file_hint", folder=folder)
    elif code == errno.EISDIR:
        hint = Text("output.path_is_folder_hint")
    elif code in (errno.EACCES, errno.EPERM):
        hint = Text("output.no_permission_hint", folder=folder)
    elif code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        hint = Text("output.disk_full_hint")
    elif code == errno.EROFS:
        hint = Text("output.read_only_hint")
    else:
        hint = Text("output.check_path_disk_hint")
    reason = exc.strerror or type(exc).__name__
    return OutputError(
        Text("output.cannot_write", what=noun(what), reason=reason), file=shown_path(path), hint=hint
    )


class _OutputFile(io.FileIO):
    """A file whose write errors are :class:`OutputError` naming ``target``, not bare ``OSError``."""

    target: str | os.PathLike[str] = ""

    def write(self, data: Any) -> int:  # type: ignore[override]
        try:
            return super().write(data)
        except OSError as exc:
            raise output_error(exc, self.target) from None


def _stream(raw: _OutputFile, binary: bool, bom: bool, newline: str | None) -> IO[Any]:
    buffered = io.BufferedWriter(raw)
    if binary:
        return buffered
    return io.TextIOWrapper(buffered, encoding="utf-8-sig" if bom else "utf-8", newline=newline)


def _create_beside(target: Path, mode: int) -> tuple[int, str]:
    """A new file beside ``target``, created with ``mode`` (narrowed by the umask), and its path."""
    folder = target.parent
    for _ in range(100):
        tmp = str(folder / f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise output_error(exc, target) from None
    raise OutputError(
        Text("output.cannot_make_temporary_file"),
        file=shown_path(folder),
        hint=Text("output.clean_up_folder_hint"),
    )


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, binary: bool = False, bom: bool = False, newline: str | None = ""
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success fsync it and rename it over ``path``.

    Text files are UTF-8 (with a BOM when ``bom``); ``newline=""`` writes line
    ends exactly as the writer gives them. On any exception the temporary file is
    removed and ``path`` is left as it was. An existing ``path`` keeps its mode.
    """
    target = Path(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:  # a parent that is a file, a loop of links...
        raise output_error(exc, target) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise output_error(IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)), target)
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _direct(target, binary, bom, newline) as f:  # a device or pipe: nothing to replace
            yield f
        return
    mode = None if st is None else stat.S_IMODE(st.st_mode) & 0o777
    fd, tmp = _create_beside(target, 0o666 if mode is None else mode)
    raw = None
    try:
        if mode is not None:
            os.fchmod(fd, mode)  # exactly the old file's mode, whatever the umask
        raw = _OutputFile(fd, "wb")
        raw.target = target
        with _stream(raw, binary, bom, newline) as f:
            yield f
            f.flush()
            try:
                os.fsync(raw.fileno())
            except OSError as exc:
                raise output_error(exc, target) from None
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise output_error(exc, target) from None
    except BaseException:
        if raw is None:  # the stream, which closes it, was never made
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _direct(target: Path, binary: bool, bom: bool, newline: str | None) -> Iterator[IO[Any]]:
    """``target``, a device or pipe, opened for writing as it is."""
    try:
        raw = _OutputFile(target, "wb")
    except OSError as exc:
        raise output_error(exc, target) from None
    raw.target = target
    with _stream(raw, binary, bom, newline) as f:
        yield f
