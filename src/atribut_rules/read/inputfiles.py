"""Opening input files safely: only regular files are read.

A path that names a device (``/dev/zero``, ``/dev/urandom``), a FIFO, a socket or a
folder, directly or through a symbolic link, would hang a reader or feed it without
end (``stat()`` says 0 bytes for a device). :func:`open_input` opens the path without
blocking (``O_NONBLOCK``, so a FIFO with no writer does not hang the ``open``), asks the
opened descriptor what it is (``fstat``, so the answer is about the file that will be
read, not one swapped in after a check) and refuses anything but a regular file.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from typing import BinaryIO

from ..errors import AtributRulesError, InputError, Text, noun

_TOO_LARGE_HINT = Text("input.split_or_raise_limit_hint")

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a file of ``mode`` (``st_mode``) is, in words: ``a regular file``, ``a folder``, ..."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_input(
    path: str | os.PathLike[str],
    *,
    what: str = "input file",
    name: str | None = None,
    error: type[AtributRulesError] = InputError,
    max_bytes: int | None = None,
    too_large_hint: str | Text = _TOO_LARGE_HINT,
) -> BinaryIO:
    """Open ``path`` for reading in binary, refusing anything but a regular file.

    Symbolic links are followed; the file they lead to must be regular. ``what`` names
    the file in messages (``reports file``), ``name`` is how the file is named in them
    (default: the path as given). A file over ``max_bytes`` is refused too. Problems
    raise ``error`` (default :class:`~atribut_rules.errors.InputError`) naming the file.
    """
    label = str(path) if name is None else name
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a device with nothing behind it
            kind = _kind_of_path(path)
            raise error(
                Text("input.not_regular_file", what=noun(what), kind=noun(kind)), file=label, hint=Text(_HINT)
            ) from None
        raise error(Text("input.cannot_open", what=noun(what), strerror=exc.strerror), file=label) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(
                Text("input.not_regular_file", what=noun(what), kind=noun(file_kind(info.st_mode))),
                file=label,
                hint=Text(_HINT),
            )
        if max_bytes is not None and info.st_size > max_bytes:
            raise error(
                Text("input.too_large", what=noun(what), size=info.st_size, max_bytes=max_bytes),
                file=label,
                hint=too_large_hint,
            )
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(
    path: str | os.PathLike[str],
    *,
    what: str = "input file",
    name: str | None = None,
    error: type[AtributRulesError] = InputError,
    max_bytes: int | None = None,
    too_large_hint: str | Text = _TOO_LARGE_HINT,
) -> bytes:
    """The bytes of the regular file at ``path`` (see :func:`open_input`; read errors raise ``error``)."""
    label = str(path) if name is None else name
    with open_input(
        path, what=what, name=label, error=error, max_bytes=max_bytes, too_large_hint=too_large_hint
    ) as f:
        try:
            return f.read()
        except OSError as exc:
            raise error(
                Text("input.cannot_read", what=noun(what), strerror=exc.strerror), file=label
            ) from None


def check_regular_file(
    path: str | os.PathLike[str],
    *,
    what: str = "input file",
    name: str | None = None,
    error: type[AtributRulesError] = InputError,
    max_bytes: int | None = None,
) -> int:
    """Check that ``path`` is a regular file that can be opened (and is at most ``max_bytes``
    long); its size in bytes. For inputs that another library opens by path."""
    with open_input(path, what=what, name=name, error=error, max_bytes=max_bytes) as f:
        return os.fstat(f.fileno()).st_size


_HINT = "input.give_file_path_hint"


def _kind_of_path(path: str | os.PathLike[str]) -> str:
    try:
        return file_kind(os.stat(path).st_mode)
    except OSError:
        return "not a regular file"


__all__ = ["check_regular_file", "file_kind", "open_input", "read_input"]
