"""The SHA-256 of a program file, as the catalog matches apps by it (``match.sha256``).

Used by the agent's sampler (each new process's executable) and by the console (an app picked from a file).
"""

from __future__ import annotations

import hashlib

HASH_LIMIT = 512 * 1024 * 1024
"""Files larger than this are not hashed (no app binary is; hashing one would stall the caller)."""
CHUNK = 1024 * 1024


def file_sha256(path: str, *, limit: int = HASH_LIMIT) -> str | None:
    """SHA-256 of a file as hex, or None when it cannot be read or is larger than ``limit`` bytes."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            size = 0
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    return None
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
