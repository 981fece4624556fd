"""Outputs never clobber inputs: where each output of a run goes, checked before the run.

An output (``--output FORMAT:PATH``) or the zone cache (``--zones-cache``) that
would replace one of the run's inputs (reports, zone layers, rule file, permits)
is refused, and so are two outputs to one file. Paths are compared as files
(device and inode, so a link or another spelling of the same file is caught)
when both exist, else by their resolved paths. Each output's place is checked
too: a folder that does not exist, a parent that is a file or a path that is a
folder is refused before the long work starts.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import OutputError, Text, noun
from .atomic import output_error, shown_path

__all__ = ["check_output_paths", "run_inputs", "same_file"]

Named = tuple[str, Any]
"""What a path is (``"reports file"``, ``"--output csv:PATH"``) and the path."""


def _identity(path: Any) -> tuple[Any, ...]:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return ("path", os.path.realpath(os.fspath(path)))
    return ("file", st.st_dev, st.st_ino)


def same_file(a: Any, b: Any) -> bool:
    """Whether the paths ``a`` and ``b`` name one file (existing or to be made)."""
    return _identity(a) == _identity(b)


def _place(path: Any) -> None:
    """Refuse ``path`` as an output when it is a folder or its folder cannot hold it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise output_error(exc, path) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise output_error(IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)), path)
    folder = os.path.dirname(os.fspath(path)) or "."
    try:
        folder_st = os.stat(folder)
    except OSError as exc:
        raise output_error(exc, path) from None
    if not stat.S_ISDIR(folder_st.st_mode):
        raise output_error(NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)), path)


def check_output_paths(outputs: Sequence[Named], inputs: Iterable[Named]) -> None:
    """Refuse outputs that would replace an input or each other, or that cannot be written there.

    ``outputs`` and ``inputs`` are (what, path) pairs; inputs that are not paths
    (mappings, ``builtin:`` rule sets) are skipped. Raises
    :class:`~atribut_rules.errors.OutputError` naming both paths.
    """
    sources = [
        (what, path, _identity(path))
        for what, path in inputs
        if isinstance(path, (str, os.PathLike)) and not str(path).startswith("builtin:")
    ]
    seen: list[tuple[str, Any, tuple[Any, ...]]] = []
    for what, path in outputs:
        _place(path)
        ident = _identity(path)
        for other_what, other, other_ident in sources:
            if ident == other_ident:
                raise OutputError(
                    Text(
                        "output.exists_as_input",
                        what=shown_path(what),
                        other_what=noun(other_what),
                        other=shown_path(other),
                    ),
                    file=shown_path(path),
                    hint=Text("output.write_output_another_path_hint"),
                )
        for other_what, _other, other_ident in seen:
            if ident == other_ident:
                raise OutputError(
                    Text("output.same_path_twice", what=shown_path(what), other_what=shown_path(other_what)),
                    file=shown_path(path),
                    hint=Text("output.give_each_output_own_hint"),
                )
        seen.append((what, path, ident))


def run_inputs(reports: Any, zones: Iterable[Any], rules: Any, permits: Iterable[Any]) -> list[Named]:
    """The input paths of a check: reports, zone layers (paths or (path, category)), rules, permits."""
    named: list[Named] = [("reports file", reports), ("rule file", rules)]
    for zone in zones:
        named.append(("zone layer", zone[0] if isinstance(zone, tuple) else zone))
    named.extend(("permits file", p) for p in permits)
    return [(what, path) for what, path in named if path is not None]
