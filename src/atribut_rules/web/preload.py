"""Imported by the fork server of the web page's jobs (only there): everything a check would
import on its first use, so that every job, forked from it, finds it done."""

import contextlib
import importlib

from .. import cli

cli._command_modules()
for _name in ("atribut_rules.write", "atribut_rules.rules.lint", "openpyxl", "PIL.Image"):
    with contextlib.suppress(ImportError):
        importlib.import_module(_name)
