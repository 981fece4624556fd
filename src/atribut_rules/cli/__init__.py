"""The ``atribut-rules`` command. The only module that touches argv, stdout and exit codes.

Exit codes: 0 no finding at or above ``--fail-on`` severity and no invalid row; 1 there
is one, or an invalid row (unless ``--fail-on-invalid never``); 2 the inputs or rules
cannot be used, enabled rules need a zone layer or column that was not loaded, or an
output cannot be written (one line per problem on stderr, no traceback); 3 an internal
error (a bug: please report it); 130 after Ctrl-C, 141 when stdout's reader went away
(``| head``), 143 after SIGTERM.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import IO

from ..errors import AtributRulesError, Text
from ..i18n import DEFAULT_LANGUAGE
from ..results.run import engine_version
from ..rules.coverage import CoverageError
from .console import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_UNUSABLE,
    StdoutClosed,
    Terminated,
    error_line,
    guard_stdout,
    sigterm_raises,
    silence_stdout,
    text_line,
)

# One module per subcommand, each with NAME, register(subparsers) and
# run(args, stdout, stderr) -> int; a module whose optional extra is missing is skipped.
COMMAND_MODULES = (
    "atribut_rules.cli.check_command",
    "atribut_rules.cli.rules_command",
    "atribut_rules.cli.validate_command",
    "atribut_rules.cli.zones_command",
    "atribut_rules.cli.test_command",
    "atribut_rules.cli.explain_command",
    "atribut_rules.web.command",
)


def _command_modules() -> list:
    found = []
    for name in COMMAND_MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name and not name.startswith(exc.name):
                raise
    return found


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="atribut-rules",
        description="Check reported campaign attributes (APK) against placement rules and map zones.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {engine_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, stdout: IO[str] | None = None, stderr: IO[str] | None = None
) -> int:
    """Run the command line with ``argv``; return the exit code (never raises for bad input).

    A stdout that fails, a reader that goes away and SIGTERM end it as
    :mod:`atribut_rules.cli.console` says.
    """
    out = guard_stdout(stdout or sys.stdout)
    err = stderr or sys.stderr
    lang = ["en"]  # until the arguments are parsed: argparse's own messages are English
    try:
        with sigterm_raises():
            code = _main(argv, out, err, lang)
            if not out.failed:
                out.flush()
    except StdoutClosed:
        code = EXIT_BROKEN_PIPE
    except Terminated:
        err.write(text_line(Text("cli.terminated"), lang[0], "stopped"))
        return EXIT_TERMINATED
    except AtributRulesError as exc:  # stdout failed at the last flush
        err.write(error_line("error", exc.text(lang[0]), lang[0]))
        code = EXIT_UNUSABLE
    if out.failed:
        silence_stdout(out)
    return code


def _main(argv: Sequence[str] | None, stdout: IO[str], stderr: IO[str], lang: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_UNUSABLE if exc.code else EXIT_OK
    if args.command is None:
        parser.print_help(stdout)
        return EXIT_UNUSABLE
    lang[0] = getattr(args, "lang", None) or DEFAULT_LANGUAGE
    try:
        for module in _command_modules():
            if args.command == module.NAME:
                return module.run(args, stdout, stderr)
    except CoverageError as exc:
        for line in exc.lines(lang[0]):
            stderr.write(error_line("error", line, lang[0]))
        return EXIT_UNUSABLE
    except AtributRulesError as exc:
        stderr.write(error_line("error", exc.text(lang[0]), lang[0]))
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        stderr.write(f"atribut-rules: {Text('cli.interrupted').render(lang[0])}\n")
        return 130
    except Exception as exc:  # a bug: say so in one line, traceback only on request
        if os.environ.get("ATRIBUT_RULES_DEBUG"):
            raise
        internal = Text("cli.internal", kind=type(exc).__name__, exc=exc)
        stderr.write(text_line(internal, lang[0], "internal error"))
        return EXIT_INTERNAL
    return EXIT_UNUSABLE


def entry() -> None:  # pragma: no cover - console script
    sys.exit(main())
