"""The body of a job's process: the command line's own ``main``, in the job's folder.

Jobs are processes made by a fork server that has already imported the checker (where the
platform has one; elsewhere each job starts a fresh interpreter), so a small list does not
pay for the imports again. Whatever runs in the process writes only inside the job's
folder: it works there, and its temporary files go to the folder's ``tmp``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile

PRELOAD = ["__main__", "atribut_rules.web.preload"]
"""Imported once by the fork server (an import that fails there is skipped)."""


def context() -> multiprocessing.context.BaseContext:
    """The fork server where there is one (Linux, macOS), else fresh interpreters (Windows)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def run_cli(folder: str, argv: list[str], stderr_name: str) -> None:
    """Run ``atribut-rules`` with ``argv`` in ``folder``; the process exits with the CLI's code."""
    os.chdir(folder)
    tmp = os.path.join(folder, "tmp")
    os.environ["TMPDIR"] = tmp
    tempfile.tempdir = tmp
    os.environ.pop("ATRIBUT_RULES_DEBUG", None)
    from ..cli import main

    with (
        open(os.devnull, "w", encoding="utf-8") as out,
        open(stderr_name, "w", encoding="utf-8", errors="backslashreplace") as err,
    ):
        code = main(argv, out, err)
    sys.exit(code)
