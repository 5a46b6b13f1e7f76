"""Bring a family set up in personal mode along to the protected service (``service install --from DIR``):
the database (rules, PINs, records), the saved copy of the rules and a file-kept authenticator secret are
copied into the service's data folder, owner-only, when it has no database yet — so the service enforces the
rules the parent already chose, with the same PIN, from its first tick. A database already there is kept.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from guardian.paths import DB_NAME
from guardian.secrets import SECRET_FILE
from guardian.store.family_copy import family_copy_path


def carry_family(source: Path, target: Path) -> str:
    """Copy the family from ``source`` into ``target`` (which exists); the line to print."""
    db, dest = Path(source) / DB_NAME, Path(target) / DB_NAME
    if dest.exists():
        return f"kept the database already in {target} (the one in {source} was not copied)"
    if not db.is_file():
        return f"no family to bring along from {source}"
    temp = dest.with_name(f".carrying-{dest.name}")
    temp.unlink(missing_ok=True)
    with (
        closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as old,
        closing(sqlite3.connect(temp)) as new,
    ):
        old.backup(new)  # a consistent copy even while the personal agent writes (WAL)
    os.chmod(temp, 0o600)
    os.replace(temp, dest)
    for name in (family_copy_path(db).name, SECRET_FILE):
        if (Path(source) / name).is_file():
            shutil.copyfile(Path(source) / name, Path(target) / name)
            os.chmod(Path(target) / name, 0o600)
    return f"brought the family's rules, PINs and records from {source} to {target}"
