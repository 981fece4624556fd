"""Repeated report ids: the ``duplicate_id`` problem, and the ids of the rows read so far, to find
an id repeated across chunks in bounded memory.

Each id is kept as a 12-byte digest (a 64-bit hash, searched as a number, and a
CRC-32 to tell apart ids whose hashes collide) with the row it was first seen on. Up
to ``memory_ids`` ids stay in memory, in runs sorted by hash per bucket of hashes
(merging two runs never copies more than a bucket). Past that, the runs are written to a
temporary folder as one sorted file (a *spill*), and only a blocked Bloom filter of
them stays in memory (2 bytes per id): an id is looked for on disk only when the
filter says it may be there, so a lookup reads a few pages instead of every spill.
Memory is then ``memory_ids`` x 16 bytes at most, plus 2 bytes per id on disk (20 MB for
ten million ids), and the disk holds 20 bytes per id.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..errors import AtributRulesError, Text
from ..model import Problem
from .parse import make_problem

_DIGEST = np.dtype([("hash", "<u8"), ("crc", "<u4")])
"""A digest's two parts: Python's ``hash`` of the id (64 bits, keyed per process) and its CRC-32."""


class SeenIds:
    """The ids of the chunks read so far, for finding an id repeated across chunks.

    Two different ids share a digest (and would be taken for a repeat) with a
    probability below 1e-15 for ten million ids. The digest uses Python's keyed
    string ``hash``, so a ``SeenIds`` is only meaningful inside the process that made
    it (which is where the reading happens). ``memory_ids``: how many ids stay in
    memory before they go to disk; ``spill_dir``: where the temporary folder goes
    (default: the system's, ``TMPDIR``). :meth:`close` removes the folder; it is also
    removed when the object is collected.
    """

    DIGEST_BYTES = _DIGEST.itemsize
    # by the top 3 bits of the hash, so the buckets' runs one after another are sorted; each
    # bucket's runs are searched one numpy call at a time, and 64 buckets took 1.3-1.5 times
    # as long as 8 to look up and remember a million ids, 25,000 at a time
    BUCKETS = 8
    BUCKET_SHIFT = np.uint64(64 - (BUCKETS - 1).bit_length())  # the hash's bits past the top ones

    def __init__(self, memory_ids: int = 1 << 20, spill_dir: str | os.PathLike[str] | None = None) -> None:
        self._runs: list[list[_Run]] = [[] for _ in range(self.BUCKETS)]
        self._in_memory = 0
        self._memory_ids = max(1, memory_ids)
        self._spill_parent = spill_dir
        self._folder: Path | None = None
        self._spills: list[_Spill] = []
        self._filters: list[BlockedBloom] = []
        self._cleanup: weakref.finalize | None = None

    # -- digests ------------------------------------------------------------------
    def digests(self, ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        n = len(ids)
        digests = np.empty(n, dtype=_DIGEST)
        digests["hash"] = np.fromiter(map(hash, ids), dtype=np.int64, count=n).view(np.uint64)
        encoded = (s.encode("utf-8", "surrogatepass") for s in ids)
        digests["crc"] = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint32, count=n)
        buckets = (digests["hash"] >> self.BUCKET_SHIFT).astype(np.uint8)
        return digests, buckets

    # -- looking up ---------------------------------------------------------------
    def first_rows(self, ids: Sequence[str]) -> dict[int, int]:
        """``{index: first row}`` for the ids that an earlier chunk already had."""
        return self.lookup(ids)[0]

    def lookup(self, ids: Sequence[str]) -> tuple[dict[int, int], np.ndarray, np.ndarray]:
        """:meth:`first_rows`, with the ids' digests and buckets for :meth:`add_digests`."""
        digests, buckets = self.digests(ids)
        found: dict[int, int] = {}
        if not len(ids):
            return found, digests, buckets
        if self._in_memory:
            for b, members in _by_bucket(digests["hash"], buckets):
                wanted = digests[members]
                for run in self._runs[b]:
                    _search(run, wanted, members, found)
        if self._spills:
            maybe = np.zeros(len(digests), dtype=bool)
            for bloom in self._filters:
                maybe |= bloom.may_contain(digests)
            members = np.nonzero(maybe)[0]
            if len(members):
                wanted = digests[members]
                for spill in self._spills:
                    run = spill.open()
                    _search(run, wanted, members, found)
                    del run  # unmapped: pages read stay out of this process's memory
        return found, digests, buckets

    # -- remembering --------------------------------------------------------------
    def add(self, ids: Sequence[str], rows: Sequence[int]) -> None:
        """Remember ``ids`` (distinct, and new) with their rows."""
        self.add_digests(*self.digests(ids), rows)

    def add_digests(self, digests: np.ndarray, buckets: np.ndarray, rows: Sequence[int]) -> None:
        """Remember ids by the digests and buckets :meth:`lookup` gave for them."""
        if not len(digests):
            return
        rows_array = np.asarray(rows, dtype=np.int64)
        if rows_array.max() < 2**31:
            rows_array = rows_array.astype(np.int32)
        hashes, crcs = digests["hash"], digests["crc"]
        for b, members in _by_bucket(hashes, buckets):
            runs = self._runs[b]
            runs.append(_Run(hashes[members], crcs[members], rows_array[members]))
            while len(runs) > 1 and len(runs[-2].hashes) <= 2 * len(runs[-1].hashes):
                runs.append(_merge(runs.pop(), runs.pop()))
        self._in_memory += len(digests)
        if self._in_memory >= self._memory_ids:
            self._spill()

    def _spill(self) -> None:
        """Write the runs in memory to one sorted file; keep a Bloom filter of them."""
        folder = self._spill_folder()
        paths = [folder / f"ids-{len(self._spills)}.{part}" for part in ("hashes", "crcs", "rows")]
        if not self._filters or self._filters[-1].full(self._in_memory):
            capacity = max(self._memory_ids, 2 * (self._filters[-1].capacity if self._filters else 0))
            self._filters.append(BlockedBloom(capacity))
        bloom = self._filters[-1]
        count = 0
        try:
            with open(paths[0], "wb") as hashes, open(paths[1], "wb") as crcs, open(paths[2], "wb") as rows:
                for b, runs in enumerate(self._runs):
                    while len(runs) > 1:
                        runs.append(_merge(runs.pop(), runs.pop()))
                    if runs:
                        run = runs.pop()
                        run.hashes.tofile(hashes)
                        run.crcs.tofile(crcs)
                        run.rows.astype(np.int64).tofile(rows)
                        bloom.add(run.hashes, run.crcs)
                        count += len(run.hashes)
                    self._runs[b] = []
        except OSError as exc:
            raise AtributRulesError(Text("ids.cannot_keep_ids_rows", folder=folder, exc=exc)) from None
        self._spills.append(_Spill(*paths, count))
        self._in_memory = 0

    def _spill_folder(self) -> Path:
        if self._folder is None:
            try:
                folder = tempfile.mkdtemp(prefix="atribut-rules-ids-", dir=self._spill_parent)
            except OSError as exc:
                raise AtributRulesError(Text("ids.cannot_make_temporary_folder", exc=exc)) from None
            self._folder = Path(folder)
            self._cleanup = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
        return self._folder

    def close(self) -> None:
        """Forget every id and remove the temporary folder, if there is one."""
        self._runs = [[] for _ in range(self.BUCKETS)]
        self._in_memory = 0
        self._spills, self._filters = [], []
        if self._cleanup is not None:
            self._cleanup()
        self._folder = self._cleanup = None

    @property
    def nbytes(self) -> int:
        """Memory held, in bytes (the runs in memory and the filters of the spilled ones)."""
        in_memory = sum(run.nbytes for runs in self._runs for run in runs)
        return in_memory + sum(f.nbytes for f in self._filters)

    @property
    def spilled(self) -> int:
        """How many ids are on disk."""
        return sum(s.count for s in self._spills)


def _by_bucket(hashes: np.ndarray, buckets: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """``(bucket, indices)`` for each bucket that has digests, the indices in the order of their hashes.

    One sort of the hashes orders the buckets too (a bucket is the hash's top bits).
    """
    order = np.argsort(hashes)
    bounds = np.searchsorted(buckets[order], np.arange(SeenIds.BUCKETS + 1)).tolist()
    return [
        (b, order[bounds[b] : bounds[b + 1]]) for b in range(SeenIds.BUCKETS) if bounds[b + 1] > bounds[b]
    ]


class _Run(NamedTuple):
    """Digests sorted by hash (the hash and the CRC-32 as two arrays) and the rows of their ids."""

    hashes: np.ndarray
    crcs: np.ndarray
    rows: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.hashes.nbytes + self.crcs.nbytes + self.rows.nbytes


def _merge(later: _Run, earlier: _Run) -> _Run:
    hashes = np.concatenate([earlier.hashes, later.hashes])
    order = np.argsort(hashes, kind="stable")  # two sorted runs: timsort merges them in one pass
    return _Run(
        hashes[order],
        np.concatenate([earlier.crcs, later.crcs])[order],
        np.concatenate([earlier.rows, later.rows])[order],
    )


def _search(run: _Run, wanted: np.ndarray, members: np.ndarray, found: dict) -> None:
    """Add ``{members[k]: row}`` to ``found`` for each digest ``wanted[k]`` in ``run``.

    The hash is looked for in the sorted hashes; every entry with that hash (almost
    always one) is then compared by its CRC-32.
    """
    size = len(run.hashes)
    if not size:
        return
    hashes, crcs = wanted["hash"], wanted["crc"]
    at = np.searchsorted(run.hashes, hashes)
    open_ = np.nonzero(at < size)[0]
    while len(open_):
        where = at[open_]
        same_hash = run.hashes[where] == hashes[open_]
        open_, where = open_[same_hash], where[same_hash]
        hit = run.crcs[where] == crcs[open_]
        for k, row in zip(open_[hit].tolist(), run.rows[where[hit]].tolist()):
            found.setdefault(int(members[k]), row)
        at[open_] += 1  # the next entry may share the hash (a 64-bit collision between ids)
        open_ = open_[at[open_] < size]


class _Spill:
    """One spill: digests sorted by hash, and their rows, in three files."""

    def __init__(self, hashes: Path, crcs: Path, rows: Path, count: int) -> None:
        self.paths, self.count = (hashes, crcs, rows), count

    def open(self) -> _Run:
        """The spill's arrays, mapped from its files (a spill holds at least one id)."""
        hashes, crcs, rows = self.paths
        return _Run(
            np.memmap(hashes, dtype=np.uint64, mode="r", shape=(self.count,)),
            np.memmap(crcs, dtype=np.uint32, mode="r", shape=(self.count,)),
            np.memmap(rows, dtype=np.int64, mode="r", shape=(self.count,)),
        )


class BlockedBloom:
    """A Bloom filter whose 6 bits for an id lie in one 64-bit word (one memory read per lookup).

    16 bits per id of ``capacity``: about 1 in 250 ids not in it are taken for ids in
    it when it is full (those are then looked for on disk and not found). Six bits per
    id give the fewest false hits for 64-bit blocks at this density (measured on
    200,000 ids: 4 to 8 bits give 0.38 % to 0.45 %).
    """

    BITS_PER_ID = 16
    PROBES = 6

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.count = 0
        self._words = np.zeros(max(1, capacity * self.BITS_PER_ID // 64), dtype=np.uint64)

    def full(self, more: int) -> bool:
        return self.count + more > self.capacity

    def _where(self, hashes: np.ndarray, crcs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        word = crcs.astype(np.int64) % len(self._words)
        h = hashes.copy()  # probes from bits 0-35 (the top 3 picked the bucket)
        mask = np.zeros(len(hashes), dtype=np.uint64)
        one, six = np.uint64(1), np.uint64(6)
        for _ in range(self.PROBES):
            mask |= one << (h & np.uint64(63))
            h >>= six
        return word, mask

    def add(self, hashes: np.ndarray, crcs: np.ndarray) -> None:
        word, mask = self._where(hashes, crcs)
        np.bitwise_or.at(self._words, word, mask)
        self.count += len(hashes)

    def may_contain(self, digests: np.ndarray) -> np.ndarray:
        word, mask = self._where(digests["hash"], digests["crc"])
        return (self._words[word] & mask) == mask

    @property
    def nbytes(self) -> int:
        return self._words.nbytes


# -- ids repeated within and across chunks ------------------------------------------


def mark_duplicate_ids(
    ids: Sequence[str],
    rows: Sequence[int],
    problems: dict[int, list[Problem]],
    slots: Mapping[int, int] | None = None,
    seen_ids: SeenIds | None = None,
) -> None:
    """Give every row whose id an earlier row already has a ``duplicate_id`` problem.

    The first row with an id keeps it. ``slots`` says where in a row's problem list the
    problem goes (after the reader's own problems; default first). ``seen_ids`` holds the
    ids of earlier chunks of the same list, and learns this chunk's.
    """
    add_duplicate_problems(ids, find_duplicate_ids(ids, rows, seen_ids), problems, slots)


def find_duplicate_ids(
    ids: Sequence[str], rows: Sequence[int], seen_ids: SeenIds | None = None
) -> dict[int, int]:
    """``{index: row number that first had the id}`` for every row repeating an earlier row's id.

    ``seen_ids`` holds the ids of earlier chunks of the same list, and learns this chunk's.
    """
    earlier: dict[int, int] = {}
    if seen_ids is not None:
        earlier, digests, buckets = seen_ids.lookup(ids)
    if not earlier and len(set(ids)) == len(ids):
        if seen_ids is not None:
            seen_ids.add_digests(digests, buckets, rows)
        return {}
    seen: dict[str, int] = {}
    firsts: list[int] = []
    duplicates: dict[int, int] = {}
    for index, rid in enumerate(ids):
        first = earlier.get(index)
        if first is None:
            first = seen.get(rid)
        if first is None:
            seen[rid] = int(rows[index])
            firsts.append(index)
        else:
            duplicates[index] = first
    if seen_ids is not None:
        keep = np.asarray(firsts, dtype=np.int64)
        seen_ids.add_digests(digests[keep], buckets[keep], np.asarray(rows)[keep])
    return duplicates


def add_duplicate_problems(
    ids: Sequence[str],
    duplicates: Mapping[int, int],
    problems: dict[int, list[Problem]],
    slots: Mapping[int, int] | None = None,
) -> None:
    """Add the ``duplicate_id`` problem of each row in ``duplicates`` (see :func:`mark_duplicate_ids`)."""
    slots = slots or {}
    for index, first in duplicates.items():
        problems.setdefault(index, []).insert(
            slots.get(index, 0), make_problem("duplicate_id", "id", ids[index], first=first)
        )
