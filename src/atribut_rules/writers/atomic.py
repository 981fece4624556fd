"""Atomic output files: write to a temporary file in the same folder, then rename.

A writer that fails half-way leaves the previous file (or no file) in place,
never a half-written report.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, binary: bool = False, bom: bool = False, newline: str | None = ""
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success fsync it and rename it over ``path``.

    Text files are UTF-8 (with a BOM when ``bom``); ``newline=""`` writes line
    ends exactly as the writer gives them. On any exception the temporary file is
    removed and ``path`` is left as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        if binary:
            f: IO[Any] = os.fdopen(fd, "wb")
        else:
            f = os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline=newline)
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        mode = _default_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
