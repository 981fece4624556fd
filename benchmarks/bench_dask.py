"""Benchmark ``check_dask`` with parts written by the workers: the client's memory and the throughput.

A synthetic field list (fixed seed) is made from the bundled Pangkalpinang example:
every row takes the values of one example row (type, party, size, date, ...) and is
placed near another example row's position (normal jitter, ``SPREAD_M``), so the list
covers the example's area the way the example does. About 2 % of the rows are near
copies of a recent row (same type, party and day, 1-8 m away: duplicate groups), 0.5 %
reuse an earlier row's id, 0.3 % have an unreadable latitude, and the example's own
invalid rows stay invalid. It is checked against the example's zone layers and permits
with a rule set that adds a quota (per party and kelurahan), a spacing rule and
duplicate grouping to ``builtin:pangkalpinang-2024`` (``RULES_YAML``).

1. **Client memory** (``--sizes``, default 200k and 800k rows): for each size, in a
   fresh Python process of its own, a ``LocalCluster`` of 2 worker processes (1 thread
   each) and a ``Client`` are started, a small warm-up list is checked, then the list:
   ``check_dask(..., client=client, output=DIR, blocksize=8 MiB)``. Measured in that
   process, the client: the peak resident memory over the value just before the call
   (``VmHWM`` after resetting it through ``/proc/self/clear_refs``, and RSS sampled
   every 50 ms) and the peak of Python's own allocations (``tracemalloc``). The workers
   are other processes; their memory is not the client's. The parts must hold one line
   per row.
2. **Throughput** (``--throughput-rows``, default 800k): rows per second of
   ``check_dask`` on a warm cluster of 1 and of 2 worker processes (cluster start and
   zone loading outside the timing), and, as the baseline in the same process, the
   command line on one machine: ``atribut-rules check LIST ... --format jsonl -q > FILE``
   in a subprocess (its own worker processes, one per CPU; start-up and zone loading
   inside its time). ``--rounds R`` alternates the three and reports the medians.

Usage::

    python benchmarks/bench_dask.py                          # 200k/800k memory, 800k throughput
    python benchmarks/bench_dask.py --quick                  # 20k/80k, about a minute
    python benchmarks/bench_dask.py --rounds 3 --verify --workdir /tmp/bench-dask

``--verify`` also checks that the JSON Lines parts of the smallest list, joined in
order, are byte for byte what ``atribut-rules check LIST --format jsonl`` prints.
Needs the ``dask`` extra (``pip install -e ".[dask]"``); Linux (``/proc``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from atribut_rules import resources

SEED = 11
SPREAD_M = 300.0
METRES_PER_DEGREE = 111_320.0
BLOCKSIZE = 8 * 1024 * 1024
WARMUP_ROWS = 2_000
DUPLICATE_SHARE = 0.02
REPEATED_ID_SHARE = 0.005
BAD_LATITUDE_SHARE = 0.003

RULES_YAML = """\
schema: atribut-rules/1
ruleset:
  id: bench-dask
  version: "1"
  title: {id: "Uji Dask", en: "Dask benchmark"}
  extends: ["builtin:pangkalpinang-2024"]
duplicates: {within_m: 10, within_days: 3, same: [type, party]}
rules:
  - id: KUOTA-PARTAI-KELURAHAN
    title: {id: "Kuota", en: "Quota"}
    severity: warning
    legal_basis: {id: "uji", en: "test"}
    message: {id: "lebih dari kuota {group}", en: "over quota {group}"}
    quota: {max: 3, per: [party, {zone: admin_area}]}
  - id: JARAK-BALIHO
    title: {id: "Jarak", en: "Spacing"}
    severity: warning
    legal_basis: {id: "uji", en: "test"}
    message: {id: "terlalu dekat dengan {other_report}", en: "too close to {other_report}"}
    applies_to: {field: type, in: [baliho, spanduk]}
    spacing: {min_m: 60, among: [party]}
"""


# -- the list ---------------------------------------------------------------------------


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _degrees(value: float) -> str:
    return f"{value:.7f}".replace(".", ",")


def make_csv(path: Path, n_rows: int, seed: int = SEED) -> None:
    """Write ``n_rows`` rows spread like the example (see the module's docstring), deterministically."""
    with open(resources.example_dir() / "laporan.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    keep = [k for k, name in enumerate(rows[0]) if name != "expect"]  # the example's test-only column
    header = [rows[0][k] for k in keep]
    body = [[r[k] for k in keep] for r in rows[1:]]
    col = {name: k for k, name in enumerate(header)}
    lat_of = [_number(r[col["lintang"]]) for r in body]
    lon_of = [_number(r[col["bujur"]]) for r in body]
    places = [k for k in range(len(body)) if _in_area(lat_of[k], lon_of[k])]
    rng = np.random.default_rng(seed)
    block = 50_000
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        recent: list[list[str]] = []
        for start in range(0, n_rows, block):
            stop = min(start + block, n_rows)
            m = stop - start
            value_rows = rng.integers(0, len(body), m)
            place_rows = rng.choice(places, m)
            dy = rng.normal(0, SPREAD_M / METRES_PER_DEGREE, m)
            dx = rng.normal(0, SPREAD_M / METRES_PER_DEGREE, m)
            draw = rng.random((m, 3))
            near = rng.uniform(1, 8, m) / METRES_PER_DEGREE
            back = rng.integers(1, 40, m)
            earlier = rng.integers(0, 2**62, m)
            for i in range(m):
                k = start + i
                j = int(value_rows[i])
                row = list(body[j])
                if recent and draw[i, 0] < DUPLICATE_SHARE:  # a near copy of a recent row
                    row = list(recent[-min(int(back[i]), len(recent))])
                    lat = _number(row[col["lintang"]])
                    if lat is not None and _in_area(lat, _number(row[col["bujur"]])):
                        row[col["lintang"]] = _degrees(lat + near[i])
                elif _in_area(lat_of[j], lon_of[j]):  # the example's invalid rows stay as they are
                    p = int(place_rows[i])
                    row[col["lintang"]] = _degrees(lat_of[p] + dy[i])
                    row[col["bujur"]] = _degrees(lon_of[p] + dx[i])
                row[col["no"]] = f"R-{k + 1:08d}"
                if k > 1_000 and draw[i, 1] < REPEATED_ID_SHARE:
                    row[col["no"]] = f"R-{int(earlier[i]) % k + 1:08d}"  # an id an earlier row has
                if draw[i, 2] < BAD_LATITUDE_SHARE:
                    row[col["lintang"]] = "utara"
                writer.writerow(row)
                recent.append(row)
                if len(recent) > 64:
                    del recent[:32]
    tmp.replace(path)


def _in_area(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and -3.0 < lat < -1.5 and 105.5 < lon < 107.0


def the_list(work: Path, n: int) -> Path:
    path = work / f"laporan_{n}.csv"
    if not path.exists():
        make_csv(path, n)
    return path


def inputs(work: Path) -> tuple[Path, list[str], str]:
    rules = work / "rules.yaml"
    rules.write_text(RULES_YAML, encoding="utf-8")
    folder = resources.example_dir()
    return rules, [str(p) for p in sorted(folder.glob("*.geojson"))], str(folder / "izin.csv")


def load(work: Path) -> tuple[Any, Any, Any]:
    import atribut_rules as ar

    rules_path, zone_paths, permits_path = inputs(work)
    rules = ar.load_rules(str(rules_path))
    zones = ar.load_zones(*zone_paths, categories=rules.categories)
    return zones, rules, tuple(ar.load_permits(permits_path))


def cli_command(work: Path, reports: Path) -> list[str]:
    rules_path, zone_paths, permits_path = inputs(work)
    command = [sys.executable, "-m", "atribut_rules", "check", str(reports), "--rules", str(rules_path)]
    for z in zone_paths:
        command += ["--zones", z]
    return command + ["--permits", permits_path, "--format", "jsonl", "-q"]


# -- memory of this process -------------------------------------------------------------


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class RssSampler:
    """The peak RSS of this process, sampled every ``interval`` seconds in a thread."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak = interval, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.peak = max(self.peak, _rss_bytes())
            if self._done.wait(self.interval):
                return

    def __enter__(self) -> RssSampler:
        self.peak = _rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())


@contextlib.contextmanager
def local_client(workers: int):
    from distributed import Client, LocalCluster

    # the scheduler's HTTP server (not the dashboard) takes another port when 8787 is taken
    warnings.filterwarnings("ignore", message="Port 8787 is already in use", category=UserWarning)
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:  # fmt: skip
        yield client


def run_dask(client: Any, reports: Path, out: Path, loaded: tuple[Any, Any, Any], blocksize: int) -> Any:
    from atribut_rules.scale.dask import check_dask

    zones, rules, permits = loaded
    if out.exists():
        shutil.rmtree(out)
    return check_dask(str(reports), zones, rules, permits=permits, client=client, output=str(out),
                      format="jsonl", blocksize=blocksize)  # fmt: skip


def count_part_lines(outputs: tuple[str, ...]) -> int:
    total = 0
    for part in outputs:
        with open(part, "rb") as f:
            while chunk := f.read(1 << 20):
                total += chunk.count(b"\n")
    return total


def memory_run(work: Path, n: int, blocksize: int) -> dict[str, Any]:
    """In this (fresh) process: warm up a 2-worker cluster, then measure the client over one run."""
    loaded = load(work)
    reports = the_list(work, n)
    warm = the_list(work, WARMUP_ROWS)
    with local_client(2) as client:
        run_dask(client, warm, work / "out-warmup", loaded, blocksize)
        before = _rss_bytes()
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM, the kernel's peak RSS, to the current RSS
        tracemalloc.start()
        start = time.perf_counter()
        with RssSampler() as sampler:
            run = run_dask(client, reports, work / f"out-{n}-b{blocksize}", loaded, blocksize)
        seconds = time.perf_counter() - start
        _, py_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        hwm = _status_kib("VmHWM") * 1024
    lines = count_part_lines(run.outputs)
    return {
        "rows": n,
        "blocksize": blocksize,
        "parts": len(run.outputs),
        "lines": lines,
        "seconds": seconds,
        "rss_before_mib": before / 2**20,
        "peak_rss_delta_mib": (max(hwm, sampler.peak) - before) / 2**20,
        "sampled_rss_delta_mib": (sampler.peak - before) / 2**20,
        "tracemalloc_peak_mib": py_peak / 2**20,
        "by_status": dict(run.summary.by_status),
    }


def measure_memory(work: Path, n: int, blocksize: int) -> dict[str, Any]:
    """:func:`memory_run` in a subprocess of its own, so each size starts from the same state."""
    command = [
        sys.executable,
        __file__,
        "--memory-run",
        str(n),
        "--workdir",
        str(work),
        "--blocksize",
        str(blocksize),
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"memory run of {n:,} rows failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _memory_row(m: dict[str, Any]) -> bool:
    """Print one row of the memory table; whether the parts hold one line per row."""
    ok = m["lines"] == m["rows"]
    print(f"| {m['rows']:,} | {m['blocksize'] / 2**20:g} | {m['parts']} | {m['seconds']:.1f} | "
          f"{m['rss_before_mib']:.0f} | {m['peak_rss_delta_mib']:.1f} | {m['sampled_rss_delta_mib']:.1f} | "
          f"{m['tracemalloc_peak_mib']:.1f} | {m['lines']:,} {'ok' if ok else 'MISMATCH'} |", flush=True)  # fmt: skip
    return ok


# -- throughput -------------------------------------------------------------------------


def run_cli(work: Path, reports: Path, out: Path) -> float:
    start = time.perf_counter()
    with open(out, "wb") as sink:
        done = subprocess.run(cli_command(work, reports), stdout=sink, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"the CLI failed ({done.returncode}):\n{done.stderr.decode()}")
    return seconds


def _digest(paths: list[str]) -> str:
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def verify(work: Path, n: int, blocksize: int) -> bool:
    """Whether the parts of the ``n``-row memory run, joined, are what the CLI prints."""
    reports = the_list(work, n)
    cli_out = work / f"cli-{n}.jsonl"
    run_cli(work, reports, cli_out)
    parts = sorted(str(p) for p in (work / f"out-{n}-b{blocksize}").glob("part-*.jsonl"))
    same = _digest(parts) == _digest([str(cli_out)])
    print(
        f"# --verify, {n:,} rows: joined parts {'==' if same else '!='} CLI --format jsonl ({len(parts)} parts)"
    )
    return same


def throughput(work: Path, n: int, rounds: int, blocksize: int) -> dict[str, list[float]]:
    loaded = load(work)
    reports = the_list(work, n)
    warm = the_list(work, WARMUP_ROWS)
    times: dict[str, list[float]] = {"cli": [], "dask_1": [], "dask_2": []}
    with local_client(1) as one, local_client(2) as two:
        clients = {"dask_1": one, "dask_2": two}
        for name, client in clients.items():
            run_dask(client, warm, work / f"out-warmup-{name}", loaded, blocksize)
        for r in range(rounds):
            order = ["cli", "dask_1", "dask_2"] if r % 2 == 0 else ["dask_2", "dask_1", "cli"]
            for name in order:
                if name == "cli":
                    seconds = run_cli(work, reports, work / f"cli-{n}.jsonl")
                else:
                    start = time.perf_counter()
                    run = run_dask(clients[name], reports, work / f"out-{name}-{n}", loaded, blocksize)
                    seconds = time.perf_counter() - start
                    if count_part_lines(run.outputs) != n:
                        raise SystemExit(f"{name}: the parts do not hold {n:,} lines")
                times[name].append(seconds)
                print(f"#   round {r + 1} {name}: {seconds:.1f} s", flush=True)
    return times


# -- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200000,800000", help="list lengths for the client's memory")
    parser.add_argument(
        "--throughput-rows", type=int, default=800_000, help="list length for throughput (0: skip)"
    )
    parser.add_argument("--rounds", type=int, default=1, help="throughput rounds, variants alternating")
    parser.add_argument(
        "--blocksize", type=int, default=BLOCKSIZE, help="bytes per partition (default 8 MiB)"
    )
    parser.add_argument("--quick", action="store_true", help="20k/80k rows, throughput at 80k, 1 MiB blocks")
    parser.add_argument(
        "--verify", action="store_true", help="joined parts of the smallest list == CLI --format jsonl"
    )
    parser.add_argument(
        "--no-same-parts",
        dest="same_parts",
        action="store_false",
        help="skip the longest list's extra run in as many partitions as the shortest's",
    )
    parser.add_argument("--workdir", help="where the lists and outputs go (kept)")
    parser.add_argument("--json", help="write all figures here as JSON")
    parser.add_argument("--memory-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.throughput_rows, args.blocksize = "20000,80000", 80_000, 1024 * 1024
    tmp = None if args.workdir else tempfile.TemporaryDirectory(prefix="bench_dask_")
    work = Path(args.workdir or tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    if args.memory_run:
        print(json.dumps(memory_run(work, args.memory_run, args.blocksize)))
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"blocks of {args.blocksize / 2**20:g} MiB; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")  # fmt: skip
    for n in sorted({*sizes, args.throughput_rows, WARMUP_ROWS} - {0}):
        the_list(work, n)
    figures: dict[str, Any] = {"blocksize": args.blocksize, "memory": [], "throughput": {}}
    status = 0

    print("\n## Client memory: check_dask on LocalCluster(2 worker processes), parts to a folder")
    print("| rows | block MiB | parts | s | client RSS before MiB | client peak RSS growth MiB | sampled MiB "
          "| tracemalloc peak MiB | part lines |")  # fmt: skip
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        m = measure_memory(work, n, args.blocksize)
        figures["memory"].append(m)
        status |= not _memory_row(m)
    if len(sizes) > 1:
        first, last = figures["memory"][0], figures["memory"][-1]
        if args.same_parts and last["parts"] > first["parts"]:
            # the longest list again in as many partitions as the shortest: rows or partitions?
            wider = args.blocksize * -(-last["parts"] // first["parts"])
            m = measure_memory(work, last["rows"], wider)
            figures["memory_same_parts"] = m
            status |= not _memory_row(m)
        growth = last["peak_rss_delta_mib"] - first["peak_rss_delta_mib"]
        py_growth = last["tracemalloc_peak_mib"] - first["tracemalloc_peak_mib"]
        flat = growth * 2**20 < 100e6
        figures["client_growth_mib"] = growth
        print(f"\nclient peak RSS growth {first['rows']:,} -> {last['rows']:,} rows: {growth:+.1f} MiB "
              f"(tracemalloc peak {py_growth:+.1f} MiB); under 100 MB: {'yes' if flat else 'NO'}")  # fmt: skip
        status |= not flat
        print("verdicts, largest list: " + ", ".join(f"{k} {v:,}" for k, v in last["by_status"].items()))
    if args.verify:
        status |= not verify(work, min(sizes), args.blocksize)

    if args.throughput_rows:
        n = args.throughput_rows
        print(f"\n## Throughput, {n:,} rows, {args.rounds} round(s), alternating")
        times = throughput(work, n, args.rounds, args.blocksize)
        figures["throughput"] = {"rows": n, "seconds": times}
        median = {k: statistics.median(v) for k, v in times.items()}
        print("| run | median s | min s | max s | rows/s | rows/s vs CLI |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        label = {
            "cli": "CLI, one machine (baseline)",
            "dask_1": "check_dask, 1 worker",
            "dask_2": "check_dask, 2 workers",
        }
        for name, seconds in median.items():
            print(f"| {label[name]} | {seconds:.1f} | {min(times[name]):.1f} | {max(times[name]):.1f} | "
                  f"{n / seconds:,.0f} | {median['cli'] / seconds:.2f} |")  # fmt: skip
        print(f"\ndask 1 worker / baseline: {median['cli'] / median['dask_1']:.2f} x the rows per second; "
              f"dask 2 workers / baseline: {median['cli'] / median['dask_2']:.2f}; "
              f"2 workers / 1 worker: {median['dask_1'] / median['dask_2']:.2f}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if tmp is not None:
        tmp.cleanup()
    return int(status)


if __name__ == "__main__":
    raise SystemExit(main())
