"""A root-only copy of the current family file beside the database: the rules to enforce if it breaks.

Every rules save writes ``<db stem>-rules.toml`` next to the database (owner-only, replaced
atomically). Should the database become missing, empty, corrupt or read-only, the agent keeps
enforcing these rules instead of starting with none (see ``guardian.agent.failsafe``), and an empty
database file beside such a copy (or beside a backup) is refused rather than taken for a new one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import suppress
from pathlib import Path

log = logging.getLogger("guardian.store")


def family_copy_path(db: Path) -> Path:
    return Path(db).with_name(f"{Path(db).stem}-rules.toml")


def write_family_copy(db: Path, text: str) -> bool:
    """Replace the copy with ``text`` (mode 0600); False, with a warning logged, when it cannot."""
    target = family_copy_path(db)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            with suppress(OSError):
                os.chmod(tmp, 0o600)
            os.replace(tmp, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.warning("could not write the copy of the rules %s: %s", target, exc)
        return False
    return True


def read_family_copy(db: Path) -> str | None:
    """The copy's text, or None when there is none (or it cannot be read)."""
    try:
        return family_copy_path(db).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def had_content(db: Path) -> bool:
    """True when Guardian kept something for ``db`` before: a copy of the rules or a backup beside it."""
    db = Path(db)
    if family_copy_path(db).exists():
        return True
    with suppress(OSError):
        return any(p.name.startswith(f"{db.name}.bak-") for p in db.parent.iterdir())
    return False
