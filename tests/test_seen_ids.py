"""SeenIds finds every id repeated across chunks, in memory and after its ids went to disk."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from atribut_rules.errors import AtributRulesError
from atribut_rules.table.ids import SeenIds


def feed(seen: SeenIds, ids: list[str], chunk: int) -> dict[int, int]:
    """Feed ``ids`` to ``seen`` in chunks as the CSV reader does; ``{row: first row}`` of each repeat."""
    found: dict[int, int] = {}
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        earlier = seen.first_rows(part)
        new: dict[str, int] = {}
        for k, rid in enumerate(part):
            row = start + k
            if k in earlier:
                found[row] = earlier[k]
            elif rid in new:
                found[row] = new[rid]
            else:
                new[rid] = row
        seen.add(list(new), list(new.values()))
    return found


def expected_repeats(ids: list[str]) -> dict[int, int]:
    first: dict[str, int] = {}
    repeats = {}
    for row, rid in enumerate(ids):
        if rid in first:
            repeats[row] = first[rid]
        else:
            first[rid] = row
    return repeats


@pytest.mark.parametrize("memory_ids", [1, 7, 100, 1 << 20])
def test_every_repeat_is_found_with_the_row_it_repeats(memory_ids: int, tmp_path: Path) -> None:
    rng = random.Random(3)
    ids = [f"R-{rng.randrange(5000)}" for _ in range(6000)]
    seen = SeenIds(memory_ids=memory_ids, spill_dir=tmp_path)
    assert feed(seen, ids, 250) == expected_repeats(ids)
    distinct = len(set(ids))
    if memory_ids < distinct:
        assert seen.spilled > 0
    else:
        assert seen.spilled == 0
        assert seen.nbytes == 16 * distinct  # a 12-byte digest and a 4-byte row per id
    seen.close()


@settings(max_examples=examples(60), deadline=None)
@given(
    ids=st.lists(st.text(min_size=0, max_size=6), max_size=120),
    chunk=st.integers(1, 40),
    memory_ids=st.integers(1, 50),
)
def test_repeats_match_a_dict_for_any_ids_and_budget(ids: list[str], chunk: int, memory_ids: int) -> None:
    seen = SeenIds(memory_ids=memory_ids)
    try:
        assert feed(seen, ids, chunk) == expected_repeats(ids)
    finally:
        seen.close()


def test_memory_stays_bounded_once_ids_go_to_disk(tmp_path: Path) -> None:
    ids = [f"ID-{n}" for n in range(40_000)]
    seen = SeenIds(memory_ids=4_000, spill_dir=tmp_path)
    feed(seen, ids, 1_000)
    assert seen.spilled >= 36_000
    # runs of at most 4,000 ids (16 bytes each) plus filters of 2 bytes per spilled id
    assert seen.nbytes <= 16 * 4_000 + 2 * 2 * 40_000
    assert seen.nbytes < 16 * len(ids) / 2


def test_close_removes_the_spill_folder(tmp_path: Path) -> None:
    seen = SeenIds(memory_ids=10, spill_dir=tmp_path)
    seen.add([f"a{n}" for n in range(25)], list(range(25)))
    folders = list(tmp_path.iterdir())
    assert len(folders) == 1 and folders[0].name.startswith("atribut-rules-ids-")
    assert any(folders[0].iterdir())
    seen.close()
    assert not list(tmp_path.iterdir())
    assert seen.first_rows(["a1"]) == {}  # forgotten


def test_an_unusable_spill_folder_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "not-there"
    seen = SeenIds(memory_ids=2, spill_dir=missing)
    with pytest.raises(AtributRulesError, match="TMPDIR"):
        seen.add(["a", "b", "c"], [1, 2, 3])


def test_a_full_disk_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    import errno

    from atribut_rules.table import ids as seen_ids

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(seen_ids, "open", full, raising=False)
    seen = SeenIds(memory_ids=2, spill_dir=tmp_path)
    with pytest.raises(AtributRulesError, match="No space left.*TMPDIR"):
        seen.add(["a", "b", "c"], [1, 2, 3])
    seen.close()
    assert not list(tmp_path.iterdir())


def test_the_filter_keeps_every_id_and_rarely_takes_a_new_one_for_a_kept_one() -> None:
    from atribut_rules.table.ids import BlockedBloom

    seen = SeenIds()
    kept, _ = seen.digests([f"kept-{n}" for n in range(50_000)])
    new, _ = seen.digests([f"new-{n}" for n in range(50_000)])
    bloom = BlockedBloom(50_000)
    bloom.add(kept["hash"], kept["crc"])
    assert bloom.may_contain(kept).all()
    assert bloom.may_contain(new).mean() < 0.006  # about 1 in 250 when full


class CollidingIds(SeenIds):
    """Hashes cut to 6 bits, so that most ids share theirs with others: the CRC-32 tells them apart."""

    def digests(self, ids):
        digests, _ = super().digests(ids)
        digests["hash"] &= np.uint64((0xF << 60) | 0x3)
        return digests, (digests["hash"] >> self.BUCKET_SHIFT).astype(np.uint8)


@pytest.mark.parametrize("memory_ids", [50, 1 << 20])
def test_ids_whose_hashes_collide_are_told_apart(memory_ids: int, tmp_path: Path) -> None:
    rng = random.Random(5)
    ids = [f"R-{rng.randrange(3000)}" for _ in range(4000)]
    seen = CollidingIds(memory_ids=memory_ids, spill_dir=tmp_path)
    assert feed(seen, ids, 300) == expected_repeats(ids)
    seen.close()
