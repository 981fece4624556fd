"""Determinism across processes and hash seeds, and outputs that survive a killed run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import CLI_PROCESS, EXAMPLE_REPORTS, run_cli_process, zone_args

from atribut_rules.write import FORMATS


def _run_example(folder: Path, seed: str) -> dict[str, bytes]:
    """Write the bundled example in every format from a fresh process; return the bytes."""
    outputs = [f"--output={fmt}:{folder / ('out.' + fmt)}" for fmt in FORMATS]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    argv = ["check", "--example", "--fail-on", "never", "-q", *outputs, "--format", "json"]
    proc = run_cli_process(*argv, env=env, timeout=300, text=False)
    assert proc.returncode == 0, proc.stderr.decode()
    files = {fmt: (folder / ("out." + fmt)).read_bytes() for fmt in FORMATS}
    files["stdout"] = proc.stdout
    return files


def test_every_format_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    """Two fresh processes under different hash seeds: a difference from run to run (of sets,
    dicts keyed by hash, threads, time) shows as well as one from seed to seed."""
    pytest.importorskip("openpyxl", reason="the xlsx format needs the xlsx extra")
    runs = []
    for n, seed in enumerate(("0", "12345")):
        folder = tmp_path / f"run{n}"
        folder.mkdir()
        runs.append(_run_example(folder, seed))
    for fmt in runs[0]:
        assert runs[0][fmt], fmt
        assert runs[1][fmt] == runs[0][fmt], f"{fmt} differs between two runs under other hash seeds"


def _big_reports(path: Path, copies: int) -> int:
    """The example's rows repeated with fresh ids: a list that takes a while to write."""
    lines = EXAMPLE_REPORTS.read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0], lines[1:]
    out = [header]
    for c in range(copies):
        for row in rows:
            cells = row.split(";")
            cells[0] = f"{cells[0]}-{c}"
            out.append(";".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return len(out) - 1


def _kill_when(argv: list[str], moment, timeout: float = 120) -> bool:
    """Start the command line, SIGKILL it once ``moment()`` is true (or it ended); say whether
    the moment came while it still ran."""
    proc = subprocess.Popen([*CLI_PROCESS, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and not moment() and time.monotonic() < deadline:
        time.sleep(0.002)
    caught = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return caught


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_run_killed_while_writing_leaves_the_old_file_or_the_whole_new_one(tmp_path: Path) -> None:
    """Killed before it writes, and killed while its output's temporary file beside the
    target is being filled: either way the target is the old file or the whole new one."""
    reports = tmp_path / "laporan.csv"
    n = _big_reports(reports, 120)
    target = tmp_path / "hasil.json"
    old = b'{"old": true}\n'
    argv = ["check", str(reports), *zone_args(), "--fail-on", "never", "-q", f"--output=json:{target}"]
    argv += ["--format", "github"]
    partial = f".{target.name}.*.tmp"  # the temporary file beside the target

    def writing() -> bool:
        return any(p.stat().st_size > 0 for p in tmp_path.glob(partial))

    started = time.monotonic()
    moments = {"before writing": lambda: time.monotonic() - started > 0.3, "while writing": writing}
    for name, moment in moments.items():
        target.write_bytes(old)
        for left in tmp_path.glob(partial):  # left by the run killed before
            left.unlink()
        started = time.monotonic()
        caught = _kill_when(argv, moment)
        data = target.read_bytes()
        if data != old:
            doc = json.loads(data)  # a partial file would not parse
            assert len(doc["verdicts"]) == n, name
        if name == "while writing":
            assert caught, "the run ended before its output was being written: make the list longer"
