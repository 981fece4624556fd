"""The ids of the rows read so far, to find an id repeated across chunks, in bounded memory.

Each id is kept as a 12-byte digest with the row it was first seen on. Up to
``memory_ids`` ids stay in memory, in sorted runs per bucket of digests (merging two
runs never copies more than a bucket). Past that, the runs are written to a
temporary folder as one sorted file (a *spill*), and only a blocked Bloom filter of
them stays in memory (2 bytes per id): an id is looked for on disk only when the
filter says it may be there, so a lookup reads a few pages instead of every spill.
Memory then stays near ``memory_ids`` x 16 bytes however long the list is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import AtributRulesError

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
    BUCKETS = 64  # by the top 6 bits of a digest's first byte, so buckets in order are sorted digests

    def __init__(self, memory_ids: int = 1 << 20, spill_dir: str | os.PathLike[str] | None = None) -> None:
        self._runs: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(self.BUCKETS)]
        self._in_memory = 0
        self._memory_ids = max(1, memory_ids)
        self._spill_parent = spill_dir
        self._folder: Path | None = None
        self._spills: list[_Spill] = []
        self._filters: list[_BlockedBloom] = []
        self._cleanup: weakref.finalize | None = None

    # -- digests ------------------------------------------------------------------
    def _digests(self, ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        n = len(ids)
        parts = np.empty(n, dtype=_DIGEST)
        parts["hash"] = np.fromiter(map(hash, ids), dtype=np.int64, count=n).view(np.uint64)
        encoded = (s.encode("utf-8", "surrogatepass") for s in ids)
        parts["crc"] = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint32, count=n)
        digests = parts.view(f"S{self.DIGEST_BYTES}")
        buckets = (parts["hash"] & 0xFF).astype(np.uint8) >> 2
        return digests, buckets

    # -- looking up ---------------------------------------------------------------
    def first_rows(self, ids: Sequence[str]) -> dict[int, int]:
        """``{index: first row}`` for the ids that an earlier chunk already had."""
        return self.lookup(ids)[0]

    def lookup(self, ids: Sequence[str]) -> tuple[dict[int, int], np.ndarray, np.ndarray]:
        """:meth:`first_rows`, with the ids' digests and buckets for :meth:`add_digests`."""
        digests, buckets = self._digests(ids)
        found: dict[int, int] = {}
        if not len(ids):
            return found, digests, buckets
        if self._in_memory:
            for b in np.unique(buckets).tolist():
                members = np.nonzero(buckets == b)[0]
                wanted = digests[members]
                for keys, rows in self._runs[b]:
                    _search(keys, rows, wanted, members, found)
        if self._spills:
            maybe = np.zeros(len(digests), dtype=bool)
            for bloom in self._filters:
                maybe |= bloom.may_contain(digests)
            members = np.nonzero(maybe)[0]
            if len(members):
                wanted = digests[members]
                for spill in self._spills:
                    keys, rows = spill.open()
                    _search(keys, rows, wanted, members, found)
                    del keys, rows  # unmapped: pages read stay out of this process's memory
        return found, digests, buckets

    # -- remembering --------------------------------------------------------------
    def add(self, ids: Sequence[str], rows: Sequence[int]) -> None:
        """Remember ``ids`` (distinct, and new) with their rows."""
        self.add_digests(*self._digests(ids), rows)

    def add_digests(self, digests: np.ndarray, buckets: np.ndarray, rows: Sequence[int]) -> None:
        """Remember ids by the digests and buckets :meth:`lookup` gave for them."""
        if not len(digests):
            return
        rows_array = np.asarray(rows, dtype=np.int64)
        if rows_array.max() < 2**31:
            rows_array = rows_array.astype(np.int32)
        for b in np.unique(buckets).tolist():
            members = np.nonzero(buckets == b)[0]
            keys = digests[members]
            order = np.argsort(keys, kind="stable")
            runs = self._runs[b]
            runs.append((keys[order], rows_array[members][order]))
            while len(runs) > 1 and len(runs[-2][0]) <= 2 * len(runs[-1][0]):
                runs.append(_merge(runs.pop(), runs.pop()))
        self._in_memory += len(digests)
        if self._in_memory >= self._memory_ids:
            self._spill()

    def _spill(self) -> None:
        """Write the runs in memory to one sorted file; keep a Bloom filter of them."""
        folder = self._spill_folder()
        number = len(self._spills)
        keys_path, rows_path = folder / f"ids-{number}.keys", folder / f"ids-{number}.rows"
        if not self._filters or self._filters[-1].full(self._in_memory):
            capacity = max(self._memory_ids, 2 * (self._filters[-1].capacity if self._filters else 0))
            self._filters.append(_BlockedBloom(capacity))
        bloom = self._filters[-1]
        count = 0
        try:
            with open(keys_path, "wb") as keys_file, open(rows_path, "wb") as rows_file:
                for b, runs in enumerate(self._runs):
                    while len(runs) > 1:
                        runs.append(_merge(runs.pop(), runs.pop()))
                    if runs:
                        keys, rows = runs.pop()
                        keys.tofile(keys_file)
                        rows.astype(np.int64).tofile(rows_file)
                        bloom.add(keys)
                        count += len(keys)
                    self._runs[b] = []
        except OSError as exc:
            raise AtributRulesError(
                f"cannot keep the ids of rows read so far in {folder}: {exc}; "
                "set TMPDIR to a folder with room (about 20 bytes per row)"
            ) from None
        self._spills.append(_Spill(keys_path, rows_path, count, self.DIGEST_BYTES))
        self._in_memory = 0

    def _spill_folder(self) -> Path:
        if self._folder is None:
            try:
                folder = tempfile.mkdtemp(prefix="atribut-rules-ids-", dir=self._spill_parent)
            except OSError as exc:
                raise AtributRulesError(
                    f"cannot make a temporary folder for the ids of rows read so far: {exc}; "
                    "set TMPDIR to a writable folder"
                ) from None
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
        in_memory = sum(k.nbytes + r.nbytes for runs in self._runs for k, r in runs)
        return in_memory + sum(f.nbytes for f in self._filters)

    @property
    def spilled(self) -> int:
        """How many ids are on disk."""
        return sum(s.count for s in self._spills)


def _merge(later: tuple[np.ndarray, np.ndarray], earlier: tuple[np.ndarray, np.ndarray]):
    keys, rows = np.concatenate([earlier[0], later[0]]), np.concatenate([earlier[1], later[1]])
    order = np.argsort(keys, kind="stable")
    return keys[order], rows[order]


def _search(keys: np.ndarray, rows: np.ndarray, wanted: np.ndarray, members: np.ndarray, found: dict) -> None:
    """Add ``{members[k]: row}`` to ``found`` for each ``wanted[k]`` in the sorted ``keys``."""
    if not len(keys):
        return
    at = np.searchsorted(keys, wanted)
    at[at == len(keys)] = 0
    hit = np.nonzero(keys[at] == wanted)[0]
    for k in hit.tolist():
        found.setdefault(int(members[k]), int(rows[at[k]]))


class _Spill:
    """One sorted file of digests and the file of their rows."""

    def __init__(self, keys_path: Path, rows_path: Path, count: int, digest_bytes: int) -> None:
        self.keys_path, self.rows_path, self.count = keys_path, rows_path, count
        self._dtype = f"S{digest_bytes}"

    def open(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.count:
            return np.zeros(0, dtype=self._dtype), np.zeros(0, dtype=np.int64)
        keys = np.memmap(self.keys_path, dtype=self._dtype, mode="r", shape=(self.count,))
        rows = np.memmap(self.rows_path, dtype=np.int64, mode="r", shape=(self.count,))
        return keys, rows


class _BlockedBloom:
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

    def _where(self, digests: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        parts = digests.view(_DIGEST)
        word = parts["crc"].astype(np.int64) % len(self._words)
        h = parts["hash"] >> np.uint64(8)  # the low byte picked the bucket
        mask = np.zeros(len(parts), dtype=np.uint64)
        one, six = np.uint64(1), np.uint64(6)
        for _ in range(self.PROBES):
            mask |= one << (h & np.uint64(63))
            h >>= six
        return word, mask

    def add(self, digests: np.ndarray) -> None:
        word, mask = self._where(digests)
        np.bitwise_or.at(self._words, word, mask)
        self.count += len(digests)

    def may_contain(self, digests: np.ndarray) -> np.ndarray:
        word, mask = self._where(digests)
        return (self._words[word] & mask) == mask

    @property
    def nbytes(self) -> int:
        return self._words.nbytes
