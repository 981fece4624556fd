"""Determinism across processes and hash seeds, and outputs that survive a killed run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atribut_rules import resources
from atribut_rules.write import FORMATS


def _run_example(folder: Path, seed: str) -> dict[str, bytes]:
    """Write the bundled example in every format from a fresh process; return the bytes."""
    outputs = [f"--output={fmt}:{folder / ('out.' + fmt)}" for fmt in FORMATS]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "atribut_rules",
            "check",
            "--example",
            "--fail-on",
            "never",
            "-q",
            *outputs,
            "--format",
            "json",
        ],
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    files = {fmt: (folder / ("out." + fmt)).read_bytes() for fmt in FORMATS}
    files["stdout"] = proc.stdout
    return files


def test_every_format_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl", reason="the xlsx format needs the xlsx extra")
    runs = []
    for n, seed in enumerate(("0", "0", "12345")):
        folder = tmp_path / f"run{n}"
        folder.mkdir()
        runs.append(_run_example(folder, seed))
    for fmt in runs[0]:
        assert runs[0][fmt], fmt
        assert runs[1][fmt] == runs[0][fmt], f"{fmt} differs between two runs"
        assert runs[2][fmt] == runs[0][fmt], f"{fmt} differs under another PYTHONHASHSEED"


def _big_reports(path: Path, copies: int) -> int:
    """The example's rows repeated with fresh ids: a list that takes a while to write."""
    lines = (resources.example_dir() / "laporan.csv").read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0], lines[1:]
    out = [header]
    for c in range(copies):
        for row in rows:
            cells = row.split(";")
            cells[0] = f"{cells[0]}-{c}"
            out.append(";".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return len(out) - 1


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_run_killed_while_writing_leaves_the_old_file_or_the_whole_new_one(tmp_path: Path) -> None:
    reports = tmp_path / "laporan.csv"
    n = _big_reports(reports, 120)
    target = tmp_path / "hasil.json"
    old = b'{"old": true}\n'
    target.write_bytes(old)
    zones = [f"--zones={p}" for p in sorted(resources.example_dir().glob("*.geojson"))]
    cmd = [
        sys.executable,
        "-m",
        "atribut_rules",
        "check",
        str(reports),
        *zones,
        "--fail-on",
        "never",
        "-q",
        f"--output=json:{target}",
        "--format",
        "github",
    ]
    outcomes = set()
    for delay in (0.5, 1.5, 2.5, 3.5, 5.0):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        data = target.read_bytes()
        if data == old:
            outcomes.add("old")
            continue
        doc = json.loads(data)  # a partial file would not parse
        assert len(doc["verdicts"]) == n
        outcomes.add("new")
        target.write_bytes(old)
    assert outcomes  # each kill left one of the two whole files
