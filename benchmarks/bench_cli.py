"""Benchmark the command line end to end: a big field list in CSV to JSON verdicts.

The list is the bundled Pangkalpinang example (260 rows with a realistic mix of
verdicts) repeated to the wanted length: every copy gets a new id and its
coordinates moved by a few metres (fixed seed), so the verdict mix stays that
of the example. The CLI checks it against the example's zone layers and
permits with the bundled national rule set and writes JSON, in a subprocess of
its own, so its wall time and peak memory (RSS) are its own. It runs twice: once
timed, once with its memory sampled (sampling takes CPU the CLI would use).

In the same process the *I/O floor* runs: Python's ``csv`` module reads the
same file and ``json.dumps`` writes every row back as one JSON object -- what
merely touching every row costs in Python. The ratio CLI / floor says what
checking adds on top. Usage::

    python benchmarks/bench_cli.py                      # 100k and 1M rows
    python benchmarks/bench_cli.py --rows 1000000,10000000 --format jsonl
    python benchmarks/bench_cli.py --rows 200000 --profile 30
    python benchmarks/bench_cli.py --rows 100000 --stages    # seconds per stage, in-process, in the CLI's chunks

Files go to ``--workdir`` (default: a temporary folder); a 10M-row CSV is about
1 GB and its JSON about 8 GB.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import functools
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from atribut_rules import resources

SEED = 7
JITTER_M = 5.0
METRES_PER_DEGREE = 111_320.0


def make_csv(path: Path, n_rows: int, seed: int = SEED) -> None:
    """Write ``n_rows`` rows: the example list repeated, new ids, coordinates moved a few metres."""
    example = resources.example_dir() / "laporan.csv"
    with open(example, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, body = rows[0][:-1], [r[:-1] for r in rows[1:]]  # without the test-only `expect` column
    col = {name: k for k, name in enumerate(header)}
    rng = np.random.default_rng(seed)
    base_lat = [_number(r[col["lintang"]]) for r in body]
    base_lon = [_number(r[col["bujur"]]) for r in body]
    block = 100_000
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        for start in range(0, n_rows, block):
            stop = min(start + block, n_rows)
            dy = rng.normal(0, JITTER_M / METRES_PER_DEGREE, stop - start)
            dx = rng.normal(0, JITTER_M / METRES_PER_DEGREE, stop - start)
            lines = []
            for k in range(start, stop):
                j = k % len(body)
                row = list(body[j])
                row[col["no"]] = f"R-{k + 1:08d}"
                if base_lat[j] is not None and base_lon[j] is not None:  # invalid rows stay as they are
                    row[col["lintang"]] = f"{base_lat[j] + dy[k - start]:.7f}".replace(".", ",")
                    row[col["bujur"]] = f"{base_lon[j] + dx[k - start]:.7f}".replace(".", ",")
                lines.append(row)
            writer.writerows(lines)


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if -180 <= value <= 180 else None


def cli_command(reports: Path, fmt: str) -> list[str]:
    folder = resources.example_dir()
    zones = [str(p) for p in sorted(folder.glob("*.geojson"))]
    command = [sys.executable, "-m", "atribut_rules", "check", str(reports), "--format", fmt, "-q"]
    for z in zones:
        command += ["--zones", z]
    return command + ["--permits", str(folder / "izin.csv")]


def _tree_pss_kib(pid: int) -> int:
    """Memory of ``pid`` and all its descendants (worker processes), in KiB.

    Proportional set size: a page shared by forked workers counts once in the sum.
    """
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_cli(
    reports: Path, out: Path, fmt: str, extra: list[str], *, sample: bool = True
) -> tuple[float, float, float, int]:
    """(wall seconds, peak memory in MiB, CPU seconds, exit code) of one run to ``out``.

    With ``sample``, the peak is sampled every 50 ms over the process tree (the sum of
    proportional set sizes); the CLI's own ``ru_maxrss`` is the floor when sampling misses
    a short peak, and the only figure without ``sample``. Reading the sizes walks the
    processes' page tables (about 25 ms a sample at 1M rows), which takes CPU from the
    CLI on two cores, so time comes from a run without sampling. CPU is user + system
    time of the CLI and the worker processes it waited for (``wait4``'s resource usage):
    on two cores, wall time cannot go below half of it.
    """
    start = time.perf_counter()
    peak = [0]
    done = threading.Event()
    with open(out, "wb") as sink:
        command = cli_command(reports, fmt) + extra
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)

        def sample_memory() -> None:
            while not done.wait(0.05):
                peak[0] = max(peak[0], _tree_pss_kib(proc.pid))

        sampler = threading.Thread(target=sample_memory if sample else done.wait, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"CLI failed with exit code {code}:\n{err}")
    return wall, max(peak[0], usage.ru_maxrss) / 1024, usage.ru_utime + usage.ru_stime, code


def io_floor(reports: Path, out: Path) -> float:
    """Read every row with ``csv`` and write it back as one JSON object per line."""
    start = time.perf_counter()
    with open(reports, encoding="utf-8", newline="") as f, open(out, "w", encoding="utf-8") as sink:
        reader = csv.reader(f, delimiter=";")
        header = next(reader)
        for row in reader:
            sink.write(json.dumps(dict(zip(header, row)), ensure_ascii=False))
            sink.write("\n")
    return time.perf_counter() - start


def check_output(out: Path, fmt: str, n_rows: int) -> dict[str, int]:
    """Verdict counts by status, after checking that the output has one verdict per row in order."""
    counts: dict[str, int] = {}
    expected = 1
    with open(out, encoding="utf-8") as f:
        verdicts = json.load(f)["verdicts"] if fmt == "json" else map(json.loads, f)
        for v in verdicts:
            if v["report"] != f"R-{expected:08d}":
                raise SystemExit(f"verdict {expected} is for {v['report']!r}: rows lost or out of order")
            counts[v["status"]] = counts.get(v["status"], 0) + 1
            expected += 1
    if expected - 1 != n_rows:
        raise SystemExit(f"{expected - 1} verdicts for {n_rows} rows")
    return counts


def stages(reports: Path, rows: int) -> None:
    """Time each stage over ``rows`` rows in this process, in chunks of the CLI's size, as a
    CLI worker runs them (``check`` in one thread), summed over the chunks."""
    import gc

    import atribut_rules as ar
    from atribut_rules.cli.check_command import DEFAULT_CHUNK_ROWS
    from atribut_rules.write.records import run_summary_record
    from atribut_rules.write.verdict_json import encoded_verdicts

    gc.set_threshold(200_000, 50, 100)  # as the CLI sets it
    folder = resources.example_dir()
    rules = ar.load_rules()
    zones = ar.load_zones(*sorted(str(p) for p in folder.glob("*.geojson")), categories=rules.categories)
    permits = ar.load_permits(str(folder / "izin.csv"))
    names = (
        "read, find repeated ids (ReportChunks.parts; CLI main process)",
        "build the table (TableParts.build; CLI worker)",
        "check (one thread, as in a CLI worker)",
        "JSON text from the engine's values (encoded_verdicts, as the json and jsonl writers use it)",
        "summary record",
    )
    totals = dict.fromkeys(names, 0.0)
    count = 0

    def timed(name: str, fn, *args):  # noqa: ANN001, ANN002, ANN202
        start = time.perf_counter()
        value = fn(*args)
        totals[name] += time.perf_counter() - start
        return value

    def json_lines(verdicts) -> list[bytes]:  # noqa: ANN001
        return [line.encode() for line in encoded_verdicts(verdicts)]

    check = functools.partial(ar.check, permits=permits, threads=1)
    parts_of = iter(ar.report_chunks(reports, chunk_rows=DEFAULT_CHUNK_ROWS).parts())
    while count < rows:
        parts = timed(names[0], next, parts_of, None)
        if parts is None:
            break
        chunk = timed(names[1], parts.build)
        run = timed(names[2], check, chunk, zones, rules)
        timed(names[3], json_lines, run.verdicts)
        timed(names[4], run_summary_record, run)
        count += len(chunk)
    print(f"| stage | seconds per {count:,} rows, in chunks of {DEFAULT_CHUNK_ROWS:,} | us per row |")
    print("| --- | ---: | ---: |")
    for name, seconds in totals.items():
        print(f"| {name} | {seconds:.2f} | {seconds / count * 1e6:.1f} |")


def profile_cli(reports: Path, out: Path, fmt: str, top: int) -> None:
    from atribut_rules import cli

    profiler = cProfile.Profile()
    with open(out, "w", encoding="utf-8") as sink:
        profiler.enable()
        cli.main(cli_command(reports, fmt)[3:], stdout=sink, stderr=io.StringIO())
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated list lengths")
    parser.add_argument("--format", default="json", choices=["json", "jsonl"])
    parser.add_argument("--workdir", help="where the CSV and JSON files go (kept)")
    parser.add_argument("--profile", type=int, metavar="N", help="profile the CLI in-process; print top N")
    parser.add_argument("--stages", action="store_true", help="time each stage of one chunk in-process")
    parser.add_argument("--no-verify", action="store_true", help="skip reading the output back")
    parser.add_argument("--jobs", type=int, default=0, help="the CLI's --jobs (default 0: one per CPU)")
    parser.add_argument("--chunk-rows", type=int, help="the CLI's --chunk-rows (default: the CLI's)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.rows.split(",")]
    tmp = None if args.workdir else tempfile.TemporaryDirectory(prefix="bench_cli_")
    work = Path(args.workdir or tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    if args.profile or args.stages:
        sizes = sizes[:1]
    else:
        print(
            f"# CLI with --jobs {args.jobs} (0: one per CPU), --chunk-rows {args.chunk_rows or 'default'}; "
            "memory: PSS summed over the CLI and its workers"
        )
        print("| rows | CLI s | CPU s | peak memory MiB | I/O floor s | CLI / floor | rows/s | verdicts |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for n in sizes:
        reports = work / f"reports_{n}.csv"
        if not reports.exists():
            make_csv(reports, n)
        out = work / f"verdicts_{n}.{args.format}"
        if args.profile:
            profile_cli(reports, out, args.format, args.profile)
            continue
        if args.stages:
            stages(reports, n)
            continue
        extra = ["--jobs", str(args.jobs)]
        if args.chunk_rows is not None:
            extra += ["--chunk-rows", str(args.chunk_rows)]
        wall, _, cpu, _ = run_cli(reports, out, args.format, extra, sample=False)  # timed, undisturbed
        rss = run_cli(reports, out, args.format, extra)[1]  # the same run again, its memory sampled
        counts = {} if args.no_verify else check_output(out, args.format, n)
        floor = io_floor(reports, work / f"floor_{n}.jsonl")
        mix = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(
            f"| {n:,} | {wall:.1f} | {cpu:.1f} | {rss:.0f} | {floor:.1f} | {wall / floor:.2f} | {n / wall:,.0f} | {mix} |"
        )
        sys.stdout.flush()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
