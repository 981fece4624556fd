"""One exception family. Every error a user sees names where the problem is.

::

    AtributRulesError          base; carries file, line, column, field, rule, hint
    ├── InputError             a reports or zones file cannot be used
    │   └── ZoneError          a zone layer has a bad feature
    ├── RuleSetError           a rule file is malformed or breaks the schema
    ├── MissingExtraError      an optional dependency is not installed
    └── OutputError            an output file (or stdout) cannot be written

Every error raised on purpose says what went wrong as a :class:`Text`: a stable code
from the catalogue (:mod:`atribut_rules.i18n`) and its parameters. ``str(error)`` is
the English line; ``error.text(lang)`` is the same line in another language (``id``,
``en``), with the same location, caps and escaping.

An error is one line however hostile the input: ``str(error)`` is at most
:data:`MAX_ERROR_LINE` characters, control characters and lone surrogates are
escaped, and a value a message quotes is cut to :data:`MAX_QUOTE` characters by
:func:`quote`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MAX_QUOTE = 200
"""Characters of an offending value that a message quotes (:func:`quote`)."""

MAX_ERROR_LINE = 1000
"""Characters of one error line (``str(error)``), location, message and hint together."""

_PARTS = {"file": 240, "message": 600, "rule": 100, "field": 100, "hint": 300}
"""Characters each part of an error line may take before the whole line is capped."""

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``…`` when it was cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "\u2026"


def quote(value: object, limit: int = MAX_QUOTE) -> str:
    """``repr(value)`` for a message, cut to about ``limit`` characters and saying how long it was."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}\u2026 ({len(value)} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int past Python's digit limit, nesting past the stack
        return f"a {type(value).__name__} too large to show"
    return clip(text, limit + 1) + (f" ({len(text)} characters)" if len(text) > limit + 1 else "")


def short_name(file: str) -> str:
    """A file name for an error line: cut in the middle when longer than 240 characters."""
    limit = _PARTS["file"]
    return file if len(file) <= limit else file[: limit // 2] + "\u2026" + file[-(limit // 2) :]


def one_line(text: str) -> str:
    """``text`` with line breaks, other control characters and lone surrogates escaped."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


class Text:
    """A text of the catalogue: its ``code`` and its parameters, rendered in a language.

    A parameter may itself be a :class:`Text`, an error (its whole line, as ``str(error)``)
    or a ``{lang: text}`` mapping, each taken in the language rendered, or a tuple of such
    parts (joined with ``, ``); anything else is formatted as it is (an ``OSError``'s
    ``strerror``, a parser's message: a library's own words stay in English).
    ``str(text)`` is the English text.
    """

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params

    def render(self, lang: str = "en") -> str:
        """The text in ``lang`` (``id`` or ``en``; another language falls back to English)."""
        from .i18n import text_in

        return text_in(self.code, lang, {k: _param_in(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Text({self.code!r}, **{self.params!r})"


def noun(text: str) -> Text | str:
    """What a file is (``reports file``, ``zone layer`` ...) as a catalogue text when the
    catalogue names it (code ``noun.reports_file``), else ``text`` as it is."""
    from .i18n import CATALOGUE

    code = "noun." + re.sub(r"\W+", "_", text.lower()).strip("_")
    return Text(code) if code in CATALOGUE else text


def _param_in(value: object, lang: str) -> object:
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, AtributRulesError):
        return value.text(lang)
    if isinstance(value, tuple):
        return ", ".join(str(_param_in(part, lang)) for part in value)
    if isinstance(value, Mapping) and lang in value and "en" in value:
        return value[lang]
    return value


class AtributRulesError(Exception):
    """Base of every error atribut-rules raises on purpose.

    ``str(error)`` is one line: ``file:line:column: message (field ...) hint``.
    """

    def __init__(
        self,
        message: str | Text,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        rule: str | None = None,
        hint: str | Text | None = None,
    ) -> None:
        self.texts = (
            message if isinstance(message, Text) else None,
            hint if isinstance(hint, Text) else None,
        )
        message = clip(str(message), _PARTS["message"])
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.rule = rule
        self.hint = None if hint is None else str(hint)

    @property
    def code(self) -> str | None:
        """The catalogue code of the message (``reports.not_found``, ...); None for a plain text."""
        text = self.texts[0]
        return None if text is None else text.code

    @property
    def message_text(self) -> Text | str:
        """The message as it was given: a :class:`Text` (to raise again as another error) or text."""
        return self.texts[0] or self.message

    @property
    def hint_text(self) -> Text | str | None:
        """The hint as it was given."""
        return self.texts[1] or self.hint

    def message_in(self, lang: str) -> str:
        """The message (without location and hint) in ``lang``, capped like :attr:`message`."""
        text = self.texts[0]
        return self.message if text is None else clip(text.render(lang), _PARTS["message"])

    def hint_in(self, lang: str) -> str | None:
        """The hint in ``lang``."""
        text = self.texts[1]
        return self.hint if text is None else text.render(lang)

    def location(self) -> str:
        """``file:line:column`` with the parts that are known (a very long file name is cut in the middle)."""
        file = None if self.file is None else short_name(str(self.file))
        parts = [p for p in (file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The one line ``str(error)`` is, in ``lang``: ``file:line:column: message (rule ...)
        (field ...); hint`` with the message, the hint and the words around rule and field in
        that language (English for ``en`` and any language the catalogue lacks)."""
        from .i18n import text_in

        where = self.location()
        message = self.message if lang == "en" else self.message_in(lang)
        text = f"{where}: {message}" if where else message
        if self.rule:
            text += text_in("error.rule", lang, {"rule": clip(str(self.rule), _PARTS["rule"])})
        if self.field:
            text += text_in("error.field", lang, {"field": clip(repr(self.field), _PARTS["field"])})
        hint = self.hint if lang == "en" else self.hint_in(lang)
        if hint:
            text += f"; {clip(str(hint), _PARTS['hint'])}"
        return clip(one_line(text), MAX_ERROR_LINE)


class InputError(AtributRulesError):
    """A reports or zones file cannot be read or used."""


class ZoneError(InputError):
    """A zone layer holds a feature that cannot be used (bad geometry, duplicate id...)."""


class RuleSetError(AtributRulesError):
    """A rule file is malformed, breaks the rule schema, or refers to something unknown.

    The loader checks a whole rule set before it raises: the error it raises is the first
    problem found, and ``problems`` holds every one (that one first), each at its own place.
    """

    @property
    def problems(self) -> tuple[RuleSetError, ...]:
        """Every problem found with this one (this one first); this one alone by default."""
        return self.__dict__.get("_problems") or (self,)

    @problems.setter
    def problems(self, found: tuple[RuleSetError, ...]) -> None:
        self.__dict__["_problems"] = tuple(found)


class MissingExtraError(AtributRulesError):
    """An optional dependency is needed for this input or output and is not installed."""


class OutputError(AtributRulesError):
    """An output cannot be written: a missing folder, a full disk, a path that is an input."""
