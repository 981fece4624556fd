"""``atribut-rules test [RULES ...]``: run the rule tests of rule sets and meta-lint them.

Exit 0 when every case passes and the meta-lint finds nothing; 1 otherwise, with a
readable diff of each failing case on stdout; 2 when a file cannot be used.
"""

from __future__ import annotations

import argparse
from typing import IO

from .. import resources
from ..errors import Text
from ..rules.cases import load_tests, run_tests, tests_path_for
from ..rules.lint import lint
from .console import add_lang_argument, text_line

NAME = "test"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``test`` subcommand."""
    p = subparsers.add_parser(
        NAME,
        help="run the test cases shipped with rule sets, and meta-lint them",
        description=(
            "Run each rule set's test cases (tests/NAME.yaml beside the rule file) and the "
            "meta-lint (legal basis, messages in id and en, a violating and a passing case per rule)."
        ),
    )
    p.add_argument("rules", nargs="*", help="rule files or builtin:NAME (default: every bundled set)")
    p.add_argument("--cases", help="the test file to use (default: tests/NAME.yaml beside the rule file)")
    p.add_argument("--no-lint", action="store_true", help="run the cases only")
    p.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    add_lang_argument(p, "language of the report and of errors")


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Run the tests; see the module docstring for the exit codes."""
    refs = list(args.rules) or [f"builtin:{n}" for n in resources.bundled_rulesets()]
    if args.cases and len(refs) != 1:
        stderr.write(text_line(Text("cli.cases_needs_one_rule_set"), args.lang))
        return 2
    passed = failed = problems = 0
    for ref in refs:
        path = args.cases or tests_path_for(ref)
        tests = load_tests(path, rules=ref)
        stdout.write(f"{tests.ruleset.id} {tests.ruleset.version} ({tests.display})\n")
        for result in run_tests(tests):
            if result.passed:
                passed += 1
                if not args.quiet:
                    stdout.write(f"  ok   {result.case.name}\n")
            else:
                failed += 1
                stdout.write("  " + result.describe(args.lang).replace("\n", "\n  ") + "\n")
        if not args.no_lint:
            for problem in lint(ref, tests if not args.cases else None):
                problems += 1
                stdout.write(f"  LINT {problem.text(args.lang)}\n")
    summary = Text("test.summary", passed=passed, failed=failed, problems=problems)
    stdout.write(summary.render(args.lang) + "\n")
    return 1 if failed or problems else 0
