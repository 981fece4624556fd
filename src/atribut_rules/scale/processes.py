"""Check and render the chunks of a long list in worker processes, in order.

The reading stays in the calling process (ids repeated across chunks are found
there, in file order); each chunk then goes to a worker, which builds its table
when it came as :class:`~atribut_rules.table.reports.TableParts`
(:meth:`~atribut_rules.read.ReportChunks.parts`), checks it
(:func:`~atribut_rules.scale.chunks.check_chunk`) and renders its verdicts as text in
every requested format (:func:`~atribut_rules.write.stream.render_chunk`). The
results come back in file order, so the output is byte for byte that of one
process. Workers get the zones, rules, permits and whole-list run once, when they
start (inherited through ``fork`` where the platform has it). Given a folder
(``chunk_dir``), a worker writes each chunk's text to a file there and hands back
only its name: a pipe would copy every byte of the output twice more, in pieces
of 64 KiB.
"""

from __future__ import annotations

import dataclasses
import itertools
import mmap
import multiprocessing
import os
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import AtributRulesError, Text
from ..evaluate.permits import Permit
from ..model import Provenance
from ..results.run import Run
from ..rules.ruleset import RuleSet
from ..spatial.zones import Zones
from ..table.build import TableParts
from ..table.reports import Reports
from ..write.stream import RenderedChunk, render_chunk
from .chunks import check_chunk

__all__ = ["ChunkResult", "default_jobs", "render_chunks"]


@dataclass(frozen=True)
class ChunkResult:
    """One chunk, done: its text per requested format, provenance, worst violation rank, size,
    and how many of its reports are invalid."""

    rendered: tuple[RenderedChunk, ...]
    provenance: Provenance
    worst_rank: int
    count: int
    invalid: int = 0


@dataclass(frozen=True)
class _Job:
    zones: Zones
    rules: RuleSet
    permits: tuple[Permit, ...]
    whole: Run | None
    formats: tuple[str, ...]
    lang: str
    area_by: str
    threads: int | None
    chunk_dir: str | None = None
    partial: bool = False


_JOB: _Job | None = None  # set once in each worker process by _start_worker

STOP_GRACE_S = 2.0
"""Seconds a worker given SIGTERM waits for the calling process to stop the pool first."""


class _StopFlag:
    """One byte of memory shared with the workers forked after it is made: set when the
    calling process stops them."""

    def __init__(self) -> None:
        self._byte = mmap.mmap(-1, 1)  # anonymous and shared: no file, inherited by fork

    def set(self) -> None:
        self._byte[0] = 1

    def is_set(self) -> bool:
        return self._byte[0] == 1


def _start_worker(job: _Job, stop: _StopFlag | None = None) -> None:
    """A worker's start: its job, and the signals it leaves to the process that made it.

    A worker ends quietly on SIGTERM (a handler inherited through ``fork`` would raise
    and print a traceback), once ``stop`` is set, its parent is gone, or after
    :data:`STOP_GRACE_S`: SIGTERM sent to the whole group (``kill -TERM -PGID``)
    reaches the workers as the calling process starts to stop them, and a worker
    dying before the pool is told to stop is replaced by a new one that could wait
    for work forever. Ctrl-C, which also reaches the whole group, is ignored: the
    calling process stops the workers.
    """
    global _JOB
    _JOB = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if stop is None:  # not forked: no flag shared, the plain way
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        return

    parent = os.getppid()

    def on_term(signum: int, frame: Any) -> None:
        # the calling process, stopping too (the whole group got the signal), sets the flag
        # as it unwinds; a pool ended some other way (collected unclosed) never does
        deadline = time.monotonic() + STOP_GRACE_S
        while not stop.is_set() and os.getppid() == parent and time.monotonic() < deadline:
            time.sleep(0.02)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)


def _work(chunk: Reports | TableParts, offset: int) -> ChunkResult:
    assert _JOB is not None
    return _do(_JOB, chunk, offset)


def _do(job: _Job, chunk: Reports | TableParts, offset: int) -> ChunkResult:
    if isinstance(chunk, TableParts):
        chunk = chunk.build()
    run = check_chunk(
        chunk,
        offset,
        job.zones,
        job.rules,
        permits=job.permits,
        whole=job.whole,
        threads=job.threads,
        partial=job.partial,
    )
    rendered = tuple(
        render_chunk(fmt, run, first=offset == 0, lang=job.lang, area_by=job.area_by) for fmt in job.formats
    )
    if job.chunk_dir is not None:
        rendered = tuple(
            _to_file(r, job.chunk_dir, f"{offset}-{fmt}") for r, fmt in zip(rendered, job.formats)
        )
    invalid = int(run.summary.by_status.get("invalid", 0))
    return ChunkResult(rendered, run.provenance, run.verdicts.worst_rank(), len(chunk), invalid)


def _to_file(rendered: RenderedChunk, folder: str, name: str) -> RenderedChunk:
    """``rendered`` with its text moved to a new file in ``folder``."""
    try:
        fd, path = tempfile.mkstemp(prefix=f"chunk-{name}-", dir=folder)
        with open(fd, "wb") as f:
            f.write(rendered.data)
    except OSError as exc:
        raise AtributRulesError(Text("scale.cannot_write_checked_verdicts", folder=folder, exc=exc)) from None
    return dataclasses.replace(rendered, data=b"", path=path)


def default_jobs() -> int:
    """Worker processes used by default: the CPUs this process may use, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def render_chunks(
    chunks: Iterable[Reports | TableParts],
    zones: Zones,
    rules: RuleSet,
    formats: Sequence[str],
    *,
    permits: Sequence[Permit] = (),
    whole: Run | None = None,
    lang: str = "id",
    area_by: str = "auto",
    jobs: int = 1,
    chunk_dir: str | os.PathLike[str] | None = None,
    partial: bool = False,
) -> Iterator[ChunkResult]:
    """Check every chunk and render it in ``formats``; results in file order.

    With ``jobs`` above 1 and more than one chunk, ``jobs`` worker processes do the
    checking and rendering while this process reads on; at most ``jobs + 1`` chunks are
    in flight, so memory stays bounded. With one chunk or ``jobs=1`` all runs here.
    With ``chunk_dir``, workers write their chunks' text to files in that folder
    (:attr:`RenderedChunk.path`; the :class:`~atribut_rules.write.stream.ChunkWriter`
    that gets one removes it, and the caller removes the folder). Closing the
    iterator early (or an exception in it) stops the workers before it returns, so
    that none writes to the folder after that; close it before removing the folder.
    """
    job = _Job(
        zones,
        rules,
        tuple(permits),
        whole,
        tuple(formats),
        lang,
        area_by,
        1 if jobs > 1 else None,
        None if chunk_dir is None else os.fspath(chunk_dir),
        partial,
    )
    it = iter(chunks)
    head = list(itertools.islice(it, 2))  # a pool only pays when there is a second chunk
    offset = 0
    if len(head) < 2 or jobs <= 1:
        job = dataclasses.replace(job, chunk_dir=None)  # in this process, the text is at hand
        for chunk in _drain(head, it):
            yield _do(job, chunk, offset)
            offset += len(chunk)
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    stop = _StopFlag() if fork else None
    try:
        pool = context.Pool(jobs, initializer=_start_worker, initargs=(job, stop))
    except BaseException:
        if stop is not None:
            stop.set()  # workers started so far are ended at exit, by SIGTERM
        raise
    with pool:
        try:
            pending: deque[Any] = deque()
            for chunk in _drain(head, it):
                pending.append(pool.apply_async(_work, (chunk, offset)))
                offset += len(chunk)
                if len(pending) > jobs:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
        finally:
            if stop is not None:
                stop.set()  # leaving the block terminates the workers: let SIGTERM end them
            _end_workers(pool)


WORKER_END_S = STOP_GRACE_S + 3.0
"""Seconds the pool's termination may take before its remaining workers are killed."""


def _end_workers(pool: Any) -> None:
    """Terminate the pool, killing the workers that are left after :data:`WORKER_END_S`.

    ``Pool.terminate`` takes the task queue's lock and waits for every worker without a
    limit. A worker ended while it held that lock, or one that does not end (both seen in
    the full test suite on a busy machine), would hang the command for ever, so the
    termination runs in a daemon thread this one watches and leaves behind. The pool's ``__exit__`` after it
    finds the pool terminated already.
    """
    workers = list(getattr(pool, "_pool", ()))
    ender = threading.Thread(target=pool.terminate, name="atribut-rules-pool-end", daemon=True)
    ender.start()
    ender.join(WORKER_END_S)
    if ender.is_alive():
        for worker in [*workers, *getattr(pool, "_pool", ())]:
            if worker.exitcode is None:
                worker.kill()
        # a worker ended while holding the task queue's lock leaves the termination waiting
        # for that lock for ever: its thread is a daemon, so it is left behind, not waited for
        ender.join(1.0)


def _drain(head: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    """``head`` then ``rest``, letting go of each chunk of ``head`` as it is handed out."""
    while head:
        yield head.pop(0)
    yield from rest
