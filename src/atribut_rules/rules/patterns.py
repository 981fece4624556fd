"""``matches`` patterns: Python's syntax within a safe subset, run on RE2.

A pattern is written in Python's syntax, within a safe subset (:func:`check_pattern`),
and runs on RE2 (:class:`Pattern`), whose time is linear in the text: Python's parser
reads it, and the parse is written out again in RE2's syntax with Python's meaning
(``\\w``, ``\\d``, ``\\s`` and their classes on all of Unicode, ``$`` before a final
newline, ``(?i)`` with Python's case folding, ``(?s)``, ``(?m)``, ``(?a)``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import re2

from ..errors import Text, quote

try:  # Python 3.11+
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MAX_PATTERN_LENGTH = 500


class ConditionError(ValueError):
    """A condition (or its pattern) that passed the schema but cannot be used; ``path`` says where."""

    def __init__(self, message: str | Text, path: tuple[Any, ...]):
        super().__init__(str(message))
        self.text = message
        self.path = path


def check_pattern(pattern: str, path: tuple[Any, ...]) -> None:
    """Accept only regular expressions in the documented safe subset.

    The subset forbids back-references, look-arounds, conditional groups, and a
    repeat or an alternation inside a repeat (``(a+)+``, ``(a|aa)*``). Patterns run
    on RE2 (:class:`Pattern`), which needs no such rule to stay linear; the subset
    stays what rule authors may write, so a pattern means the same on any engine
    and reads simply in review.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ConditionError(
            Text("rules.pattern_longer_than_characters", max_pattern_length=MAX_PATTERN_LENGTH), path
        )
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error as exc:
        raise ConditionError(Text("rules.not_valid_regular_expression", exc=exc), path) from None
    problem = _unsafe(parsed, inside_repeat=False)
    if problem:
        raise ConditionError(
            Text("rules.pattern_outside_safe_subset", pattern=quote(pattern), problem=problem), path
        )


_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
_FORBIDDEN = {
    "GROUPREF": "back-references",
    "GROUPREF_EXISTS": "conditional groups",
    "ASSERT": "look-arounds",
    "ASSERT_NOT": "look-arounds",
}


def _unsafe(items: Any, inside_repeat: bool) -> str | None:
    for op, arg in items:
        name = str(op)
        if name in _FORBIDDEN:
            return f"{_FORBIDDEN[name]} are not allowed"
        if name in _REPEATS:
            low, high, sub = arg
            if inside_repeat and high != 1:
                return "a repeat inside a repeat is not allowed"
            found = _unsafe(sub, inside_repeat or high != 1)
            if found:
                return found
        elif name == "SUBPATTERN":
            found = _unsafe(arg[-1], inside_repeat)
            if found:
                return found
        elif name == "BRANCH":
            for branch in arg[1]:
                found = _unsafe(branch, inside_repeat)
                if found:
                    return found
            if inside_repeat and len(arg[1]) > 1:
                return "an alternation inside a repeat is not allowed"
        elif name == "ATOMIC_GROUP":
            found = _unsafe(arg, inside_repeat)
            if found:
                return found
    return None


class Pattern:
    """A ``matches`` pattern in Python's syntax, run on RE2 (linear time, no backtracking).

    ``pattern`` is the text the rule author wrote; ``re2_pattern`` what RE2 runs.
    :meth:`search` is true when the pattern matches somewhere in the text, as
    ``re.search`` would say. Raises :class:`ConditionError` (at ``path``) for a
    pattern outside the safe subset or one RE2 cannot run.
    """

    __slots__ = ("pattern", "re2_pattern", "_compiled")

    def __init__(self, pattern: str, path: tuple[Any, ...] = ()) -> None:
        check_pattern(pattern, path)
        self.pattern = pattern
        self.re2_pattern = to_re2(pattern, path)
        self._compiled = _re2_compile(self.re2_pattern, path)

    def search(self, text: str) -> bool:
        """True when the pattern matches somewhere in ``text``."""
        return self._compiled.search(text.encode("utf-8", "surrogatepass")) is not None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(("Pattern", self.pattern))

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Pattern, (self.pattern,))


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print parse errors on stderr itself
    options.longest_match = False  # leftmost-first, as Python (only whether it matches is used)
    options.never_capture = True  # groups are only for grouping here
    options.case_sensitive = True  # (?i) is written into the pattern where Python has it
    options.dot_nl = False  # . is written out as [^\n] or (?s:.) as Python means it
    options.max_mem = RE2_MAX_MEM
    return options


RE2_MAX_MEM = 8 << 20
"""Memory RE2 may use for one compiled pattern (its default); a pattern that needs more is refused."""


def _re2_compile(pattern: str, path: tuple[Any, ...]) -> Any:
    try:
        return re2.compile(pattern, _re2_options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ConditionError(Text("rules.pattern_cannot_run_on", reason=reason), path) from None


_FLAG_I, _FLAG_M, _FLAG_S, _FLAG_A = re.IGNORECASE, re.MULTILINE, re.DOTALL, re.ASCII
_CATEGORIES = {
    "CATEGORY_DIGIT": (r"\d", False),
    "CATEGORY_NOT_DIGIT": (r"\d", True),
    "CATEGORY_SPACE": (r"\s", False),
    "CATEGORY_NOT_SPACE": (r"\s", True),
    "CATEGORY_WORD": (r"\w", False),
    "CATEGORY_NOT_WORD": (r"\w", True),
}
_MAX_CODE = 0x10FFFF
_SURROGATES = (0xD800, 0xDFFF)


def to_re2(pattern: str, path: tuple[Any, ...] = ()) -> str:
    r"""``pattern`` (Python syntax, safe subset) written in RE2's syntax with the same meaning.

    Character classes are written out as code point ranges computed with Python's own
    ``re`` (so ``\w`` is exactly Python's on this Python's Unicode); literals as ``\x{...}``;
    ``.`` as ``[^\n]`` (or any character under ``(?s)``); ``^``/``$`` as Python places them.
    Word boundaries (``\b``, ``\B``) exist in RE2 for ASCII only: they are refused unless
    under ``(?a)``; possessive repeats and atomic groups are refused.
    """
    parsed = _sre_parse.parse(pattern)
    return _emit(list(parsed), int(parsed.state.flags), path)


def _emit(items: list[Any], flags: int, path: tuple[Any, ...]) -> str:
    return "".join(_emit_one(op, arg, flags, path) for op, arg in items)


def _emit_one(op: Any, arg: Any, flags: int, path: tuple[Any, ...]) -> str:
    name = str(op)
    if name == "LITERAL":
        return _ranges_class(_caseless(((arg, arg),), False, flags)) if flags & _FLAG_I else _char(arg)
    if name == "NOT_LITERAL":
        return _ranges_class(_caseless(((arg, arg),), True, flags))
    if name == "ANY":
        return "(?s:.)" if flags & _FLAG_S else "[^\\n]"
    if name == "IN":
        return _ranges_class(_class_ranges(arg, flags))
    if name == "BRANCH":
        return "(?:" + "|".join(_emit(list(b), flags, path) for b in arg[1]) + ")"
    if name == "SUBPATTERN":
        _group, add, delete, sub = arg
        return "(?:" + _emit(list(sub), (flags | add) & ~delete, path) + ")"
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        low, high, sub = arg
        return (
            "(?:"
            + _emit(list(sub), flags, path)
            + ")"
            + _quantifier(low, high)
            + ("?" if name == "MIN_REPEAT" else "")
        )
    if name == "AT":
        at = str(arg)
        if at == "AT_BEGINNING_STRING":
            return "\\A"
        if at == "AT_END_STRING":
            return "\\z"
        if at == "AT_BEGINNING":
            return "(?m:^)" if flags & _FLAG_M else "\\A"
        if at == "AT_END":  # Python's $ also matches before a newline that ends the text
            return "(?m:$)" if flags & _FLAG_M else "(?:\\n?\\z)"
        if at in ("AT_BOUNDARY", "AT_NON_BOUNDARY") and flags & _FLAG_A:
            return "\\b" if at == "AT_BOUNDARY" else "\\B"
        if at in ("AT_BOUNDARY", "AT_NON_BOUNDARY"):
            raise ConditionError(
                Text("rules.b_b_word_boundaries"),
                path,
            )
    if name in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP"):
        raise ConditionError(Text("rules.possessive_repeats_atomic_groups"), path)
    raise ConditionError(Text("rules.part_regular_expression_not", name=name), path)


def _char(code: int) -> str:
    ch = chr(code)
    return ch if ch.isascii() and ch.isalnum() else f"\\x{{{code:X}}}"


def _quantifier(low: int, high: Any) -> str:
    if high == _sre_parse.MAXREPEAT:
        return {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    if (low, high) == (0, 1):
        return "?"
    return f"{{{low}}}" if low == high else f"{{{low},{high}}}"


def _class_ranges(items: Any, flags: int) -> tuple[tuple[int, int], ...]:
    """The code points a Python character class matches, as ranges."""
    negate = False
    ranges: list[tuple[int, int]] = []
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            ranges.append((arg, arg))
        elif name == "RANGE":
            ranges.append((arg[0], arg[1]))
        elif name == "CATEGORY":
            ranges.extend(_category(str(arg), bool(flags & _FLAG_A)))
        else:  # pragma: no cover - Python's parser puts nothing else in a class
            raise ConditionError(Text("rules.part_character_class_not", name=name), ())
    return _caseless(_merge(ranges), negate, flags)


def _caseless(members: tuple[tuple[int, int], ...], negate: bool, flags: int) -> tuple[tuple[int, int], ...]:
    """The code points matched by a class of ``members`` (negated or not) under ``flags``.

    Without ``(?i)`` that is the members or their complement. With it, a character with no
    case (no upper or lower form) matches as it would without, and Python's own ``re`` is
    asked about each character that has one (Python folds a few, such as U+0130 and the
    Kelvin sign, otherwise than RE2 would: this keeps Python's answer)."""
    plain = _complement(members) if negate else members
    if not flags & _FLAG_I:
        return plain
    cased, cased_ranges = _cased()
    body = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in members)
    python = re.compile(
        "[" + ("^" if negate else "") + body + "]", re.IGNORECASE | (re.ASCII if flags & _FLAG_A else 0)
    )
    folded = [(ord(ch), ord(ch)) for ch in cased if python.match(ch)]
    return _merge(list(_intersect(plain, _complement(cased_ranges))) + folded)


@functools.lru_cache(maxsize=1)
def _cased() -> tuple[str, tuple[tuple[int, int], ...]]:
    """Every character that has an upper or lower form (all lie below U+20000), and as ranges."""
    cased = "".join(ch for ch in map(chr, range(0x20000)) if ch.lower() != ch or ch.upper() != ch)
    return cased, _merge([(ord(ch), ord(ch)) for ch in cased])


def _intersect(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> Iterator[tuple[int, int]]:
    i = j = 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low <= high:
            yield (low, high)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1


@functools.lru_cache(maxsize=16)  # a few class names, two flags
def _category(name: str, ascii_only: bool) -> tuple[tuple[int, int], ...]:
    r"""The code points Python's ``\d``, ``\s``, ``\w`` (or their negations) match, as ranges."""
    pattern, negated = _CATEGORIES[name]
    found = tuple(
        (m.start(), m.end() - 1)
        for m in re.finditer(pattern + "+", _every_character(), re.ASCII if ascii_only else 0)
    )
    return _complement(found) if negated else found


@functools.lru_cache(maxsize=1)
def _every_character() -> str:
    return "".join(map(chr, range(_MAX_CODE + 1)))


def _merge(ranges: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return tuple(out)


def _complement(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out, start = [], 0
    for low, high in _merge(ranges):
        if low > start:
            out.append((start, low - 1))
        start = max(start, high + 1)
    if start <= _MAX_CODE:
        out.append((start, _MAX_CODE))
    return tuple(out)


def _ranges_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """An RE2 character class of exactly these code points (surrogates left out: UTF-8 has none)."""
    low_s, high_s = _SURROGATES
    parts = []
    for low, high in ranges:
        for a, b in ((low, min(high, low_s - 1)), (max(low, high_s + 1), high)):
            if a <= b:
                parts.append(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}")
    if not parts:
        return "[^\\x{0}-\\x{10FFFF}]"
    return "[" + "".join(parts) + "]"
