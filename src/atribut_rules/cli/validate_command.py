"""``atribut-rules validate``: every problem of rule files, at its file:line:col."""

from __future__ import annotations

import argparse
from typing import IO

from ..errors import Text
from .console import EXIT_FINDINGS, EXIT_OK, add_lang_argument

NAME = "validate"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    v = sub.add_parser(
        "validate",
        help="check rule files (schema, categories, ids, translations, periods)",
        description="Check rule files; print file:line:col for every problem and exit 1 when there is one.",
    )
    v.add_argument("rule_files", nargs="+", metavar="RULES", help="rule files (.yaml)")
    v.add_argument(
        "--allow-path", action="append", default=[], metavar="DIR", help="a folder rule files may extend from"
    )
    add_lang_argument(v, "language of the problems")


def _lint_rules(
    path: str, allow_paths: tuple[str, ...], lang: str
) -> list[tuple[str, int | None, int | None, str]]:
    """Every problem found in one rule file, as (file, line, column, message), in file order."""
    from ..rules.lint import validate_file

    return validate_file(path, allow_paths, lang=lang)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Print each problem; exit 1 when there is one, 0 when every file is clean."""
    total = 0
    for path in args.rule_files:
        problems = _lint_rules(path, tuple(args.allow_path), args.lang)
        for file, line, col, message in problems:
            where = ":".join(str(x) for x in (file, line, col) if x is not None)
            stdout.write(f"{where}: {message}\n")
        total += len(problems)
    if total:
        code = "cli.validate_problems" if total != 1 else "cli.validate_problem"
        stdout.write(Text(code, total=total, files=len(args.rule_files)).render(args.lang) + "\n")
        return EXIT_FINDINGS
    stdout.write(Text("cli.validate_ok", files=len(args.rule_files)).render(args.lang) + "\n")
    return EXIT_OK
