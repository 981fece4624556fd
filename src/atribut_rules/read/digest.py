"""SHA-256 of a file, read in blocks so a large file never sits in memory whole."""

from __future__ import annotations

import hashlib
import os

BLOCK_BYTES = 1 << 20


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The hex SHA-256 of the file at ``path`` (OSError when it cannot be read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(BLOCK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()
