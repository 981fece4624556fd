"""The ``atribut-rules`` command. The only module that touches argv, stdout and exit codes.

Exit codes: 0 no finding at or above ``--fail-on`` severity; 1 there is one;
2 the inputs or rules cannot be used (one line on stderr, no traceback);
3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from . import resources
from .engine import check, engine_version
from .errors import AtributRulesError
from .model import Severity
from .readers import read_reports
from .ruleset import CATEGORIES, load_rules
from .writers import write_json, write_table
from .zones import load_zones

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
EXIT_INTERNAL = 3

EXAMPLE_REPORTS = "laporan.csv"

# Further subcommands live in their own modules, each with NAME, register(subparsers)
# and run(args, stdout, stderr) -> int; a module that is not there is skipped.
COMMAND_MODULES = (
    "atribut_rules.zonebuild.command",
    "atribut_rules.ruletools.command",
)


def _command_modules() -> list:
    import importlib

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
    c = sub.add_parser("check", help="check a list of reports", description="Check a list of reports.")
    c.add_argument("reports", nargs="?", help="reports file (.csv, .geojson, .jsonl)")
    c.add_argument(
        "--zones",
        action="append",
        default=[],
        metavar="[CATEGORY=]FILE",
        help="a GeoJSON zone layer; repeat for more layers. CATEGORY= gives all its features one category",
    )
    c.add_argument("--rules", help="rule file or builtin:NAME (default: builtin:id-pemilu-2024)")
    c.add_argument("--example", action="store_true", help="check the bundled Pangkalpinang example")
    c.add_argument(
        "--format", default=None, choices=["table", "json"], help="output on stdout (default: table)"
    )
    c.add_argument("--lang", default="id", choices=["id", "en"], help="language of messages (default: id)")
    c.add_argument(
        "--fail-on",
        default="error",
        choices=["error", "warning", "info", "never"],
        help="exit 1 when a violation of this severity or worse is found (default: error)",
    )
    c.add_argument(
        "--encoding", help="text encoding of the reports file (default: detect UTF-8/UTF-16 BOM, else UTF-8)"
    )
    c.add_argument(
        "--repair-zones", action="store_true", help="repair invalid zone polygons instead of stopping"
    )
    c.add_argument(
        "--allow-path", action="append", default=[], metavar="DIR", help="a folder rule files may extend from"
    )
    r = sub.add_parser("rules", help="list or show rule sets")
    rsub = r.add_subparsers(dest="rules_command", metavar="ACTION")
    rsub.add_parser("list", help="list the bundled rule sets")
    show = rsub.add_parser("show", help="print a rule set with its parents resolved, as JSON")
    show.add_argument("rules", help="rule file or builtin:NAME")
    for module in _command_modules():
        module.register(sub)
    return parser


def _zone_sources(specs: Sequence[str]) -> list:
    sources: list = []
    for spec in specs:
        head, sep, tail = spec.partition("=")
        if sep and head in CATEGORIES and not Path(spec).exists():
            sources.append((tail, head))
        else:
            sources.append(spec)
    return sources


def _example_args(args: argparse.Namespace) -> None:
    folder = resources.example_dir()
    args.reports = str(folder / EXAMPLE_REPORTS)
    args.zones = [str(p) for p in sorted(folder.glob("*.geojson"))]


def _check(args: argparse.Namespace, stdout: IO[str]) -> int:
    if args.example:
        _example_args(args)
    if not args.reports:
        raise AtributRulesError(
            "no reports file given", hint="atribut-rules check REPORTS --zones FILE, or --example"
        )
    base = resources.example_dir() if args.example else None
    rules = load_rules(args.rules, allow_paths=tuple(args.allow_path))
    zones = load_zones(
        *_zone_sources(args.zones), categories=rules.categories, repair=args.repair_zones, relative_to=base
    )
    reports = read_reports(args.reports, encoding=args.encoding, relative_to=base)
    run = check(reports, zones, rules)
    fmt = args.format or "table"
    if fmt == "json":
        write_json(run, stdout)
    else:
        write_table(run, stdout, lang=args.lang)
    fail_on = None if args.fail_on == "never" else Severity(args.fail_on)
    return EXIT_FINDINGS if run.exit_code(fail_on) else EXIT_OK


def _rules(args: argparse.Namespace, stdout: IO[str]) -> int:
    import json

    if args.rules_command == "list":
        for name in resources.bundled_rulesets():
            rs = load_rules(f"builtin:{name}")
            stdout.write(f"builtin:{name}\t{rs.version}\t{rs.title.get('en', '')}\n")
        return EXIT_OK
    if args.rules_command == "show":
        rs = load_rules(args.rules)
        stdout.write(json.dumps(rs.document, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
        return EXIT_OK
    raise AtributRulesError("rules needs an action: list or show")


def main(
    argv: Sequence[str] | None = None, stdout: IO[str] | None = None, stderr: IO[str] | None = None
) -> int:
    """Run the command line with ``argv``; return the exit code (never raises for bad input)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_UNUSABLE if exc.code else EXIT_OK
    if args.command is None:
        parser.print_help(stdout)
        return EXIT_UNUSABLE
    try:
        if args.command == "check":
            buffer = io.StringIO()
            code = _check(args, buffer)
            stdout.write(buffer.getvalue())
            return code
        if args.command == "rules":
            return _rules(args, stdout)
        for module in _command_modules():
            if args.command == module.NAME:
                return module.run(args, stdout, stderr)
    except AtributRulesError as exc:
        stderr.write(f"atribut-rules: error: {exc}\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        stderr.write("atribut-rules: interrupted\n")
        return 130
    except Exception as exc:  # a bug: say so in one line, traceback only on request
        if os.environ.get("ATRIBUT_RULES_DEBUG"):
            raise
        stderr.write(
            f"atribut-rules: internal error: {type(exc).__name__}: {exc} "
            "(set ATRIBUT_RULES_DEBUG=1 for details and please report it)\n"
        )
        return EXIT_INTERNAL
    return EXIT_UNUSABLE


def entry() -> None:  # pragma: no cover - console script
    sys.exit(main())
