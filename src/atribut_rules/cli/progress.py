"""Progress on a terminal for the command line: the stage, rows of the list, a rate and an ETA.

Drawn by tqdm. Only :mod:`atribut_rules.cli` makes one, and only when stderr is a terminal
and ``--quiet`` is not given; the library itself never draws anything. With
``--progress-file FILE`` the same counts go to a small JSON file instead (:class:`FileProgress`).
"""

from __future__ import annotations

import json
import os
import time
from typing import IO, Any

from tqdm import tqdm

from ..errors import AtributRulesError
from ..read.inputfiles import open_input

STAGES = {
    "id": {"read": "membaca", "check": "memeriksa", "write": "menulis", "unit": "baris"},
    "en": {"read": "reading", "check": "checking", "write": "writing", "unit": "rows"},
}
"""What each stage is called, and the unit of the count, per language."""


class Progress:
    """One bar per stage, counting rows of the list (never rows times outputs)."""

    def __init__(self, stream: IO[str], lang: str = "id") -> None:
        self.stream = stream
        self.words = STAGES.get(lang, STAGES["id"])
        self.bar: Any = None
        self.estimated = False

    def stage(self, stage: str, total: int | None, what: str = "", estimated: bool = False) -> None:
        """Start ``stage`` (``read``, ``check``, ``write``) over ``total`` rows (None: unknown;
        ``estimated``: a guess that the count replaces when the stage ends); ``what`` names the
        file a writing stage writes."""
        self.close()
        self.estimated = estimated
        label = self.words[stage] + (f" {os.path.basename(what)}" if what else "")
        self.bar = tqdm(
            total=total,
            desc=label,
            unit=f" {self.words['unit']}",
            unit_scale=False,
            file=self.stream,
            mininterval=0.2,
            delay=0,
            leave=True,  # each stage's last line stays: what was done, how fast
            dynamic_ncols=True,
        )

    def update(self, rows: int) -> None:
        """``rows`` more rows done in the current stage."""
        if self.bar is not None and rows:
            self.bar.update(rows)

    def close(self) -> None:
        """End the current stage's bar, its line showing the rows done."""
        if self.bar is not None:
            if self.estimated and self.bar.total is not None and self.bar.n != self.bar.total:
                self.bar.total = self.bar.n  # the estimate gives way to the count
            self.bar.refresh()
            self.bar.close()
            self.bar = None


def estimate_rows(path: str, sample_lines: int = 1000) -> int | None:
    """About how many rows a CSV file holds, from its size and its first lines' length: what a
    list read in chunks shows an ETA against before its end is known."""
    try:
        with open_input(path, what="reports file") as f:
            size = os.fstat(f.fileno()).st_size
            head = f.read(1 << 20)
    except (OSError, AtributRulesError):
        return None
    lines = head.count(b"\n", 0, len(head))
    if lines <= 1:
        return None
    sample = head.split(b"\n", sample_lines + 1)
    sample_bytes = sum(len(line) + 1 for line in sample[1 : sample_lines + 1])
    sampled = min(sample_lines, len(sample) - 1)
    return max(int(size / (sample_bytes / sampled)) - 1, 1) if sample_bytes else None


class FileProgress(Progress):
    """Progress as a small JSON file, for a program that runs the command line and shows the
    progress itself (the web page of ``atribut-rules serve``); nothing is printed.

    The file holds one object, ``{"stage", "file", "done", "total", "estimated"}``, and is
    replaced whole (write, then rename), so a reader never sees half of it; it is rewritten
    at most every ``interval`` seconds while rows are counted, and at every stage change.
    """

    def __init__(self, path: str | os.PathLike[str], lang: str = "id", interval: float = 0.25) -> None:
        super().__init__(stream=None, lang=lang)  # type: ignore[arg-type]
        self.path = os.fspath(path)
        self.interval = interval
        self.state: dict[str, Any] = {"stage": None, "file": "", "done": 0, "total": None, "estimated": False}
        self._written = 0.0
        self._open = False  # like a closed bar, a closed stage counts nothing more

    def stage(self, stage: str, total: int | None, what: str = "", estimated: bool = False) -> None:
        self.state = {
            "stage": stage,
            "file": os.path.basename(what),
            "done": 0,
            "total": total,
            "estimated": estimated,
        }
        self._open = True
        self._write()

    def update(self, rows: int) -> None:
        if rows and self._open:
            self.state["done"] += rows
            if time.monotonic() - self._written >= self.interval:
                self._write()

    def close(self) -> None:
        if self._open:
            self._open = False
            if self.state["estimated"]:
                self.state["total"] = self.state["done"]
            self._write()

    def _write(self) -> None:
        tmp = f"{self.path}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(self.state, f)
            os.replace(tmp, self.path)
        except OSError:
            pass  # progress is a courtesy: a full disk must not stop the check
        self._written = time.monotonic()
