"""``core.hashing.file_sha256``: the digest the catalog matches apps by."""

from __future__ import annotations

import hashlib
from pathlib import Path

from guardian.core.hashing import file_sha256


def test_digest_of_a_file_in_chunks(tmp_path: Path) -> None:
    data = b"game" * 700_000  # several chunks
    path = tmp_path / "game.bin"
    path.write_bytes(data)
    assert file_sha256(str(path)) == hashlib.sha256(data).hexdigest()


def test_unreadable_or_too_large_gives_none(tmp_path: Path) -> None:
    assert file_sha256(str(tmp_path / "missing")) is None
    assert file_sha256(str(tmp_path)) is None  # a folder
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * 2048)
    assert file_sha256(str(path), limit=1024) is None
    assert file_sha256(str(path), limit=4096) == hashlib.sha256(b"x" * 2048).hexdigest()
