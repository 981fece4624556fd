"""The vocabulary types: the engine's fast constructor makes the same frozen objects."""

from __future__ import annotations

import dataclasses

import pytest

from atribut_rules.model import (
    Finding,
    Severity,
    Source,
    Status,
    Verdict,
    ZoneRef,
    fast_constructor,
)


def _finding_values() -> tuple:
    zone = ZoneRef("z1", "tree", "Pohon", "point", True, 0.5)
    return (
        "R1", Severity.ERROR, Status.REVIEW, {"id": "pesan", "en": "message"}, {"id": "dasar", "en": "basis"},
        {"id": "judul"}, zone, 1.25, 5.0, 3.75, 10.0, "assumed", "gps_straddles", "P-1", {"count": 2},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Source, ("laporan.csv", 7)),
        (Finding, _finding_values()),
        (Verdict, ("R-1", Status.VIOLATION, (Finding(*_finding_values()),), Source("f", 2), (), None, "R-0", ("R-9",))),
    ],
)
def test_fast_constructor_makes_the_object_init_makes(cls: type, values: tuple) -> None:
    fast = fast_constructor(cls)(*values)
    slow = cls(*values)
    assert type(fast) is cls
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    if cls is Source:  # findings hold dicts, so findings and verdicts are not hashable either way
        assert hash(fast) == hash(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.__setattr__(dataclasses.fields(cls)[0].name, "changed")


def test_fast_constructor_wants_every_field() -> None:
    with pytest.raises(ValueError):
        fast_constructor(Source)("laporan.csv")
    with pytest.raises(ValueError):
        fast_constructor(Source)("laporan.csv", 7, "one too many")


def test_fast_constructor_refuses_classes_with_their_own_init_work() -> None:
    @dataclasses.dataclass(frozen=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            assert self.x > 0

    with pytest.raises(TypeError, match="Checked"):
        fast_constructor(Checked)
