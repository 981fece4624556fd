"""Text made safe for where it is shown: a terminal, a text file, a workbook cell.

Report ids, parties and every other field come from people the tool does not
trust. Three kinds of character in them need care on the way out:

- **terminal controls**: C0 controls, DEL, C1 controls (``\\x1b[2J`` clears a
  screen, ``\\r`` and backspace rewrite a line, OSC sequences set titles) and the
  bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069, and the
  marks U+200E, U+200F, U+061C) that reorder what is shown. In the table, GitHub
  annotations and messages on stderr they are written visibly, as ``\\x1b`` or
  ``\\u202e`` (:func:`terminal_text`).
- **lone surrogates** (U+D800-U+DFFF on their own): Python strings may hold them,
  UTF-8 cannot. Every text writer writes them as ``\\ud800``
  (:func:`escape_surrogates`, :class:`SafeText`, :func:`text_output`), which in
  JSON is the string escape of that very code unit.
- **characters XML 1.0 forbids** (C0 controls other than tab, line feed and
  carriage return): an XLSX cell holding one cannot be saved, so they are
  written visibly too (:func:`cell_text`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import IO, Any, TypeVar

__all__ = ["SafeText", "cell_text", "escape_surrogates", "safe_stream", "terminal_text", "text_output"]

_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str, keep: str = "") -> str:
    """``text`` with every terminal control, bidi override and lone surrogate written visibly.

    Characters in ``keep`` (for example ``"\\n"``) pass unchanged. Text with none of
    them is returned as it is.
    """
    if text.isascii() and text.isprintable():
        return text
    if keep:
        return _TERMINAL.sub(lambda m: m.group() if m.group() in keep else _visible(m), text)
    return _TERMINAL.sub(_visible, text)


def escape_surrogates(text: str) -> str:
    """``text`` with each lone surrogate written as ``\\udXXX`` (what UTF-8 cannot encode)."""
    if text.isascii():
        return text
    return _SURROGATE.sub(_visible, text)


def cell_text(text: str) -> str:
    """``text`` with what an XLSX (XML 1.0) cell cannot hold written visibly (``\\x1b``)."""
    if text.isascii() and text.isprintable():
        return text
    return _XML_ILLEGAL.sub(_visible, text)


class SafeText:
    """A text stream that writes lone surrogates as ``\\udXXX``; everything else goes to ``out``.

    Other attributes (``buffer``, ``encoding``, ``flush``...) are those of ``out``.
    """

    def __init__(self, out: IO[str]) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(escape_surrogates(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


def safe_stream(out: Any) -> Any:
    """``out`` as a :class:`SafeText` (``out`` itself when it is one already)."""
    return out if isinstance(out, SafeText) else SafeText(out)


F = TypeVar("F", bound=Callable[..., None])


def text_output(write: F) -> F:
    """A text writer ``write(run, out, ...)`` that never writes a lone surrogate to ``out``."""

    @functools.wraps(write)
    def safe(run: Any, out: IO[str], *args: Any, **kwargs: Any) -> None:
        write(run, safe_stream(out), *args, **kwargs)

    return safe  # type: ignore[return-value]
