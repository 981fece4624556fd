"""How the command line ends: stdout that fails, a reader that goes away, SIGTERM.

Used by :mod:`atribut_rules.cli` only (the library never touches the process's
streams or signals):

- :func:`guard_stdout` wraps stdout so that a write that fails says so as an
  :class:`~atribut_rules.errors.OutputError` (a full disk: exit 2, one line) or,
  when the reader has gone away (``atribut-rules check ... | head -1``), as
  :class:`StdoutClosed`, which ends the command quietly with
  :data:`EXIT_BROKEN_PIPE` (141, what a shell reports for a tool killed by
  SIGPIPE).
- :func:`sigterm_raises` turns SIGTERM into :class:`Terminated`, so that the
  command unwinds (worker processes stopped, temporary files and folders
  removed, output files left as they were) and exits with :data:`EXIT_TERMINATED`
  (143).
- :func:`error_line` makes the one line a message is shown on stderr, control
  characters in it written visibly.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import IO, Any

from ..errors import Text
from ..i18n import CATALOGUE, DEFAULT_LANGUAGE, LANGUAGES, text_in
from ..write.atomic import output_error
from ..write.escape import terminal_text

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_TERMINATED",
    "StdoutClosed",
    "Terminated",
    "add_lang_argument",
    "error_line",
    "guard_stdout",
    "silence_stdout",
    "sigterm_raises",
    "text_line",
]

EXIT_OK = 0
"""No finding at or above ``--fail-on`` and no invalid row that fails the run."""
EXIT_FINDINGS = 1
"""A finding at or above ``--fail-on``, or an invalid row (unless ``--fail-on-invalid never``)."""
EXIT_UNUSABLE = 2
"""The inputs or rules cannot be used, a needed layer or column is missing, an output cannot be written."""
EXIT_INTERNAL = 3
"""An internal error: a bug."""
EXIT_BROKEN_PIPE = 128 + 13
"""Exit status when stdout's reader went away: a shell's status for a tool killed by SIGPIPE."""
EXIT_TERMINATED = 128 + 15
"""Exit status after SIGTERM."""


class StdoutClosed(BaseException):  # noqa: N818 - an ending, like KeyboardInterrupt, not an error
    """Whoever read stdout has gone away (broken pipe). Not an ``Exception``: nothing may catch it
    on the way out as if it were an error."""


class Terminated(BaseException):  # noqa: N818 - an ending, like KeyboardInterrupt
    """The process got SIGTERM."""


class _GuardedBytes:
    """A byte stream whose write failures are :class:`StdoutClosed` or an ``OutputError``.

    ``failed`` (shared with the streams made from it) says whether one happened.
    """

    def __init__(self, raw: IO[bytes], failed: list[bool] | None = None) -> None:
        self._raw = raw
        self._failed = [False] if failed is None else failed

    @property
    def failed(self) -> bool:
        """Whether a write or flush has failed."""
        return self._failed[0]

    def _failure(self, exc: OSError) -> BaseException:
        self._failed[0] = True
        if isinstance(exc, BrokenPipeError):
            return StdoutClosed()
        return output_error(exc, "stdout", what="the standard output")

    def write(self, data: Any) -> int:
        try:
            return self._raw.write(data)
        except OSError as exc:
            raise self._failure(exc) from None

    def flush(self) -> None:
        try:
            self._raw.flush()
        except OSError as exc:
            raise self._failure(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class GuardedStdout(_GuardedBytes):
    """The text stream ``stdout``, guarded like its byte stream (``buffer``)."""

    @property
    def buffer(self) -> Any:
        raw = getattr(self._raw, "buffer", None)
        if raw is None:
            raise AttributeError("buffer")
        return _GuardedBytes(raw, self._failed)

    @property
    def stream(self) -> IO[str]:
        """The stream guarded."""
        return self._raw  # type: ignore[return-value]


def guard_stdout(stream: IO[str]) -> GuardedStdout:
    """``stream`` with its write failures turned into :class:`StdoutClosed` or ``OutputError``."""
    return stream if isinstance(stream, GuardedStdout) else GuardedStdout(stream)


def silence_stdout(stream: IO[str]) -> None:
    """After stdout failed: point the process's stdout at the null device, so that Python's own
    flush at exit has nowhere to fail (and prints no "Exception ignored")."""
    inner = stream.stream if isinstance(stream, GuardedStdout) else stream
    if inner is not sys.stdout and inner is not sys.__stdout__:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, inner.fileno())
        os.close(devnull)


def error_line(kind: str, message: str, lang: str = "en") -> str:
    """``atribut-rules: KIND: MESSAGE`` as one line, every control character in it visible;
    ``KIND`` (``error``, ``warning``, ``stopped``, ``internal error``) in ``lang``."""
    code = "cli.kind_" + kind.replace(" ", "_")
    word = text_in(code, lang, {}) if code in CATALOGUE else kind
    return f"atribut-rules: {word}: {terminal_text(message)}\n"


def text_line(text: Text, lang: str, kind: str = "error") -> str:
    """:func:`error_line` for a catalogue text, rendered in ``lang``."""
    return error_line(kind, text.render(lang), lang)


def add_lang_argument(parser: argparse.ArgumentParser, help: str = "language of every text") -> None:
    """``--lang id|en`` (default ``id``): the language of what a person reads, stderr included."""
    parser.add_argument(
        "--lang", default=DEFAULT_LANGUAGE, choices=list(LANGUAGES), help=f"{help} (default: id, Indonesian)"
    )


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` in this process (once: a repeated
    SIGTERM lets the clean-up finish).

    A process forked inside the block before it set its own handling ends at once
    and quietly with :data:`EXIT_TERMINATED` instead. Outside the main thread
    (where signal handlers cannot be set) the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pid = os.getpid()
    raised = [False]

    def handler(signum: int, frame: Any) -> None:
        if os.getpid() != pid:
            os._exit(EXIT_TERMINATED)
        if not raised[0]:  # a second SIGTERM does not interrupt the clean-up of the first
            raised[0] = True
            raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
