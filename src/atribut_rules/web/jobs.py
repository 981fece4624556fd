"""Checks run as jobs: each one is the command line itself, ``atribut-rules check``, in a
process of its own, with its inputs and outputs in a folder of its own.

A job's verdicts are the CLI's because a job *is* the CLI: its ``main``, given the same
arguments, writes every download (:mod:`.worker`). At most ``workers`` jobs run at once; the others wait
their turn. A job reports its progress through ``--progress-file``; cancelling one sends
it SIGTERM (the CLI stops and leaves its files as they were: an output either complete or
absent). A job's folder goes when its page is closed (after a short grace, so a reload
keeps it), when it has not been looked at for ``keep_minutes``, and when the server stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing.connection
import os
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .worker import context, run_cli

OUTPUTS = (
    ("json", "verdicts.json"),
    ("csv", "sheet.csv"),
    ("html", "report.html"),
    ("geojson", "verdicts.geojson"),
    ("xlsx", "sheet.xlsx"),
)
"""Every download, in the order the CLI writes them: the summary (in the JSON) first."""
OUT_DIR = "out"
PROGRESS_FILE = "progress.json"
STDERR_FILE = "stderr.txt"
CLOSE_GRACE_SECONDS = 15.0
MAX_ERROR_LINES = 40

EXIT_TERMINATED = 143


@dataclass
class Job:
    """One check: its folder, the CLI arguments, and what became of it."""

    id: str
    session: str
    folder: Path
    argv: list[str]
    lang: str
    names: dict[str, str] = field(default_factory=dict)
    """Saved file name -> the client's name for it, to show in messages."""
    download_stem: str = "hasil"
    formats: tuple[str, ...] = tuple(fmt for fmt, _ in OUTPUTS)
    state: str = "queued"  # queued, running, done, failed, cancelled
    exit_code: int | None = None
    errors: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.monotonic)
    touched: float = field(default_factory=time.monotonic)
    closed_at: float | None = None
    process: Any = None
    task: Any = None

    @property
    def final(self) -> bool:
        """Whether nothing more will happen: done, failed, or cancelled and its process ended."""
        if self.state == "cancelled":
            return self.process is None or self.exit_code is not None
        return self.state in ("done", "failed")

    def output(self, fmt: str) -> Path | None:
        """The file of download ``fmt`` when it has been written whole, else None."""
        name = dict(OUTPUTS).get(fmt)
        if name is None or fmt not in self.formats:
            return None
        path = self.folder / OUT_DIR / name
        return path if path.is_file() else None

    def ready(self) -> list[str]:
        return [fmt for fmt in self.formats if self.output(fmt) is not None]

    def progress(self) -> dict[str, Any]:
        try:
            return json.loads((self.folder / PROGRESS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


_PROCESS_LOCK = threading.Lock()


def _locked(call: Any) -> Any:
    """``call()`` while no other thread starts a job's process or reads its exit code.

    A fork-server process's exit code is read once from a pipe; ``Process.start`` also reads
    those of every finished child (``multiprocessing``'s clean-up), so two threads doing so at
    once can leave one of them with an end of file, and a finished job with exit code 255.
    """
    with _PROCESS_LOCK:
        return call()


class JobManager:
    """The jobs of one server, under one temporary folder that is removed when it stops."""

    def __init__(self, workers: int = 2, keep_minutes: float = 60.0) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="atribut-rules-web-"))
        self.jobs: dict[str, Job] = {}
        self.keep_seconds = keep_minutes * 60.0
        self._context = context()
        self._slots = asyncio.Semaphore(max(1, workers))

    def new_folder(self) -> Path:
        """A new, private folder for one job's files."""
        folder = Path(tempfile.mkdtemp(prefix="job-", dir=self.root))
        (folder / OUT_DIR).mkdir()
        (folder / "tmp").mkdir()
        return folder

    def add(self, job: Job) -> Job:
        self.jobs[job.id] = job
        return job

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(18)

    def get(self, job_id: str, session: str | None) -> Job | None:
        """The job ``job_id`` if it belongs to ``session``; looking at it keeps it alive."""
        job = self.jobs.get(job_id)
        if job is None or session is None or not secrets.compare_digest(job.session, session):
            return None
        job.touched = time.monotonic()
        job.closed_at = None
        return job

    def start(self, job: Job) -> None:
        job.task = asyncio.get_running_loop().create_task(self._run(job))

    def fail(self, job: Job, lines: list[str]) -> None:
        """End ``job`` before it runs, with ``lines`` to show."""
        job.state, job.errors = "failed", lines[:MAX_ERROR_LINES]

    def queue_position(self, job: Job) -> int:
        """How many jobs wait before ``job`` (0 when it runs or has run)."""
        if job.state != "queued":
            return 0
        return sum(1 for j in self.jobs.values() if j.state == "queued" and j.created < job.created)

    async def _run(self, job: Job) -> None:
        async with self._slots:
            if job.state != "queued":
                return
            loop = asyncio.get_running_loop()
            process = self._context.Process(
                target=run_cli,
                args=(str(job.folder), job.argv, STDERR_FILE),
                name=f"atribut-rules job {job.id}",
            )
            job.process, job.state = process, "running"  # from here, the job is final when this ends
            try:
                await loop.run_in_executor(None, _locked, process.start)
            except OSError as exc:
                job.exit_code = -1
                self.fail(job, [f"cannot start the check: {exc}"])
                return
            if job.state == "cancelled":  # cancelled while it started
                process.terminate()
            await loop.run_in_executor(None, multiprocessing.connection.wait, [process.sentinel])
            code = await loop.run_in_executor(None, _locked, lambda: process.exitcode)
            job.exit_code = code
            if job.state == "cancelled" or code in (EXIT_TERMINATED, -15):
                job.state = "cancelled"
            elif code in (0, 1):
                job.state = "done"
            else:
                job.state = "failed"
            if job.state != "cancelled":
                job.errors = self._stderr_lines(job)
                if job.state == "failed" and not job.errors:
                    job.errors = [f"the check stopped unexpectedly (exit code {code})"]

    async def warm_up(self) -> None:
        """Start the fork server now, so the first job does not wait for its imports."""
        if self._context.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            await asyncio.get_running_loop().run_in_executor(None, forkserver.ensure_running)

    def _stderr_lines(self, job: Job) -> list[str]:
        try:
            text = (job.folder / STDERR_FILE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        folder = str(job.folder) + os.sep
        lines = []
        for line in text.splitlines()[:MAX_ERROR_LINES]:
            line = line.replace(folder, "").removeprefix("atribut-rules: ")
            for saved, client in job.names.items():
                line = line.replace(saved, client)
            lines.append(line)
        return lines

    def cancel(self, job: Job) -> None:
        """Stop ``job``: take it from the queue, or end its process."""
        if job.state in ("done", "failed", "cancelled"):
            return
        job.state = "cancelled"
        if job.process is not None:
            with contextlib.suppress(OSError, ValueError, AttributeError):  # not started yet: _run stops it
                job.process.terminate()

    def close(self, job: Job) -> None:
        """The job's page was closed: the job goes after a short grace (a reload keeps it)."""
        job.closed_at = time.monotonic()

    async def remove(self, job: Job) -> None:
        """Stop ``job`` and delete its folder."""
        self.jobs.pop(job.id, None)
        self.cancel(job)
        if job.task is not None and not job.task.done():
            # the task ends its process (terminated above, or as soon as it has started)
            done, _ = await asyncio.wait({job.task}, timeout=10)
            if not done and job.process is not None:
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    job.process.kill()
                await asyncio.wait({job.task}, timeout=10)
        shutil.rmtree(job.folder, ignore_errors=True)

    async def sweep(self, now: float | None = None) -> int:
        """Remove the jobs whose page was closed, or that nobody looked at for ``keep_minutes``."""
        now = time.monotonic() if now is None else now
        gone = [
            job
            for job in list(self.jobs.values())
            if (job.closed_at is not None and now - job.closed_at >= CLOSE_GRACE_SECONDS)
            or now - job.touched >= self.keep_seconds
        ]
        for job in gone:
            await self.remove(job)
        return len(gone)

    async def sweep_forever(self, every: float = 5.0) -> None:
        while True:
            await asyncio.sleep(every)
            await self.sweep()

    async def shutdown(self) -> None:
        for job in list(self.jobs.values()):
            await self.remove(job)
        shutil.rmtree(self.root, ignore_errors=True)


def read_summary(path: Path, max_head_bytes: int = 64 * 1024**2) -> dict[str, Any] | None:
    """The ``summary`` of a verdicts JSON file, without reading its verdicts when it is large.

    The JSON writer puts the summary before the verdicts; the head up to the verdicts is
    parsed on its own. A file in another shape is parsed whole when small enough.
    """
    marker = b'\n "verdicts": ['
    head = b""
    with open(path, "rb") as f:
        while len(head) < max_head_bytes:
            block = f.read(1 << 20)
            if not block:
                break
            head += block
            at = head.find(marker)
            if at >= 0:
                text = head[:at].rstrip().rstrip(b",") + b"\n}"
                try:
                    return json.loads(text).get("summary")
                except ValueError:
                    break
    if path.stat().st_size <= max_head_bytes:
        try:
            return json.loads(path.read_bytes()).get("summary")
        except ValueError:
            return None
    return None
