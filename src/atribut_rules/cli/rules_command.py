"""``atribut-rules rules list|show``: the bundled rule sets, and one set with its parents resolved."""

from __future__ import annotations

import argparse
import json
from typing import IO

from .. import resources
from ..errors import AtributRulesError, Text
from ..rules.ruleset import load_rules
from .console import EXIT_OK, add_lang_argument

NAME = "rules"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``rules`` subcommand."""
    r = sub.add_parser("rules", help="list or show rule sets")
    rsub = r.add_subparsers(dest="rules_command", metavar="ACTION")
    listing = rsub.add_parser("list", help="list the bundled rule sets")
    add_lang_argument(listing, "language of errors")
    show = rsub.add_parser("show", help="print a rule set with its parents resolved, as JSON")
    show.add_argument("rules", help="rule file or builtin:NAME")
    add_lang_argument(show, "language of errors")


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """List the bundled sets (tab-separated: name, version, title, jurisdiction, dates) or show one."""
    if args.rules_command == "list":
        for name in resources.bundled_rulesets():
            rs = load_rules(f"builtin:{name}")
            eff = rs.effective
            dates = f"{eff.start or ''}..{eff.end or ''}" if eff is not None else ""
            stdout.write(
                f"builtin:{name}\t{rs.version}\t{rs.title.get('en', '')}\t{rs.jurisdiction or ''}\t{dates}\n"
            )
        return EXIT_OK
    if args.rules_command == "show":
        rs = load_rules(args.rules)
        stdout.write(json.dumps(rs.document, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
        return EXIT_OK
    raise AtributRulesError(Text("cli.rules_needs_action_list"))
