"""Rule sets: load a YAML rule file (or a mapping), resolve ``extends``, check, compile.

Loading is strict and explains itself: the file must pass the JSON Schema shipped in
the package (``schemas/ruleset-1.json``), and every problem names the file, line,
column and, where there is one, the rule id. The work is done in small modules, and
their public names are gathered here:

- :mod:`.load`: read files, resolve ``extends`` (:func:`load_rules`, :func:`check_rules`);
- :mod:`.check`: values, schema and new-rule checks, every problem collected;
- :mod:`.build`: compile a checked document into a :class:`RuleSet`, names checked;
- :mod:`.model`: :class:`RuleSet`, :class:`Rule` and their parts, the vocabulary;
- :mod:`.crs`: whether a ``crs`` can be used.
"""

from __future__ import annotations

from .build import legal_basis_text
from .check import new_rule_problems, schema_problems, value_problems
from .crs import EARTH_RADIUS_M, SCALE_RANGE, crs_problem
from .load import check_rules, load_rules, read_document
from .model import (
    CATEGORIES,
    MAX_MESSAGE_CHARS,
    MAX_PLACEHOLDERS,
    PLACEHOLDERS,
    REPORT_PLACEHOLDERS,
    SCHEMA_NAME,
    SCHEMA_VERSION,
    Duplicates,
    Limits,
    Period,
    Quota,
    Rule,
    RuleSet,
    Spacing,
    clip_message,
)

__all__ = [
    "CATEGORIES",
    "EARTH_RADIUS_M",
    "MAX_MESSAGE_CHARS",
    "MAX_PLACEHOLDERS",
    "PLACEHOLDERS",
    "REPORT_PLACEHOLDERS",
    "SCALE_RANGE",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "Duplicates",
    "Limits",
    "Period",
    "Quota",
    "Rule",
    "RuleSet",
    "Spacing",
    "check_rules",
    "clip_message",
    "crs_problem",
    "legal_basis_text",
    "load_rules",
    "new_rule_problems",
    "read_document",
    "schema_problems",
    "value_problems",
]
