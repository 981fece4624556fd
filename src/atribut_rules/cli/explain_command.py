"""``atribut-rules explain RULE_ID``: a rule in words; ``--write-docs DIR`` writes the docs pages."""

from __future__ import annotations

import argparse
from typing import IO

from ..errors import AtributRulesError, Text
from ..rules.docs import explain, write_docs
from .console import add_lang_argument

NAME = "explain"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``explain`` subcommand."""
    p = subparsers.add_parser(
        NAME,
        help="explain a rule: what it checks, why, an example, how to comply",
        description="Explain one rule in words, or write the docs pages of the bundled rule sets.",
    )
    p.add_argument("rule_id", nargs="?", help="the rule id, e.g. APK-POHON")
    p.add_argument("--rules", help="rule file or builtin:NAME (default: builtin:id-pemilu-2024)")
    add_lang_argument(p, "language")
    p.add_argument(
        "--write-docs", metavar="DIR", help="write one page per bundled rule set and language into DIR"
    )


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Print the explanation (exit 0), or write the docs pages; an unknown rule is exit 2."""
    if args.write_docs:
        for path in write_docs(args.write_docs):
            stdout.write(f"wrote {path}\n")
        return 0
    if not args.rule_id:
        raise AtributRulesError(
            Text("cli.explain_needs_rule_id"), hint=Text("cli.atribut_rules_explain_apk_hint")
        )
    try:
        text = explain(args.rule_id, args.rules, args.lang)
    except KeyError as exc:
        raise AtributRulesError(getattr(exc, "text", None) or str(exc.args[0]), rule=args.rule_id) from None
    stdout.write(text)
    return 0
