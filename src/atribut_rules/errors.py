"""One exception family. Every error a user sees names where the problem is.

::

    AtributRulesError          base; carries file, line, column, field, rule, hint
    ├── InputError             a reports or zones file cannot be used
    │   └── ZoneError          a zone layer has a bad feature
    ├── RuleSetError           a rule file is malformed or breaks the schema
    ├── MissingExtraError      an optional dependency is not installed
    └── OutputError            an output file (or stdout) cannot be written
"""

from __future__ import annotations


class AtributRulesError(Exception):
    """Base of every error atribut-rules raises on purpose.

    ``str(error)`` is one line: ``file:line:column: message (field ...) hint``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        rule: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.rule = rule
        self.hint = hint

    def location(self) -> str:
        """``file:line:column`` with the parts that are known."""
        parts = [p for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.rule:
            text += f" (rule {self.rule})"
        if self.field:
            text += f" (field {self.field!r})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class InputError(AtributRulesError):
    """A reports or zones file cannot be read or used."""


class ZoneError(InputError):
    """A zone layer holds a feature that cannot be used (bad geometry, duplicate id...)."""


class RuleSetError(AtributRulesError):
    """A rule file is malformed, breaks the rule schema, or refers to something unknown."""


class MissingExtraError(AtributRulesError):
    """An optional dependency is needed for this input or output and is not installed."""


class OutputError(AtributRulesError):
    """An output cannot be written: a missing folder, a full disk, a path that is an input."""
