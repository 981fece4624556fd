"""Tools for rule sets as tested legal instruments: rule tests, meta-lint, explanations, docs.

- :mod:`.cases`: load a rule test file and run its cases (``atribut-rules test``);
- :mod:`.lint`: the meta-lint (legal basis, bilingual messages, violating and passing cases);
- :mod:`.docs`: describe a rule in words and render the docs pages (``atribut-rules explain``).
"""

from .cases import Case, CaseResult, Mismatch, TestFile, load_tests, run_case, run_tests, tests_path_for
from .docs import explain, render_page
from .lint import LintProblem, lint

__all__ = [
    "Case",
    "CaseResult",
    "LintProblem",
    "Mismatch",
    "TestFile",
    "explain",
    "lint",
    "load_tests",
    "render_page",
    "run_case",
    "run_tests",
    "tests_path_for",
]
