"""(placeholder until the part writers land)"""
from __future__ import annotations

from typing import Any

PART_SUFFIX = {"jsonl": ".jsonl", "geojson": ".geojson", "parquet": ".parquet"}


def part_name(index: int, total: int, fmt: str) -> str:
    width = max(5, len(str(max(total - 1, 0))))
    return f"part-{index:0{width}d}{PART_SUFFIX[fmt]}"


def part_bytes(fmt: str, run: Any, *, lang: str = "id") -> bytes:
    from .stream import render_chunk

    return render_chunk(fmt, run, first=True, lang=lang).data
