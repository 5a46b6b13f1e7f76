"""Fail closed when the database breaks: enforce the last good rules, count in a journal, and say so.

``open_store`` opens the agent's database. When it is missing (where Guardian kept one before), empty,
corrupt, read-only or otherwise unusable, the agent does not stop and does not start with no rules: it
takes the rules from the root-only copy every save writes beside the database (``store.family_copy``)
or, failing that, from the database opened read-only, and keeps its books in a fresh journal database
beside it (``<db stem>-journal.db``; in a private temporary folder when that cannot be written). The
broken file is left exactly as it was. The caller gets a "protection degraded: …" message to log and
show in its status.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from guardian.api import GuardianAPI
from guardian.core.clock import Clock
from guardian.core.familyfile import FamilyFileError
from guardian.store import Store, StoreError
from guardian.store.family_copy import family_copy_path, had_content, read_family_copy

log = logging.getLogger("guardian.agent")


def journal_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}-journal.db")


def open_store(db: Path, clock: Clock) -> tuple[Store, str | None]:
    """``(store, None)`` when the database is healthy, else ``(journal, "protection degraded: …")``.

    Raises the database's own error only when there are no rules to fall back on at all.
    """
    missing = not db.exists() and had_content(db)
    if not missing:
        try:
            return Store(db), None
        except StoreError as exc:
            problem = str(exc)
            error: StoreError = exc
    else:
        problem = f"The Guardian database {db} is missing although rules were saved in it before."
        error = StoreError(db, "it is missing although rules were saved in it before")
    text, source = read_family_copy(db), str(family_copy_path(db))
    if text is None and not missing:
        text, source = _rules_from(db), str(db)
    if text is None:
        log.error("%s There is no copy of the rules to enforce instead.", problem)
        raise error
    journal = _open_journal(db)
    try:
        api = GuardianAPI(journal, clock)
        api.save_rules(api.check_rules(text, source), "recovered")
    except (FamilyFileError, StoreError) as exc:
        journal.close()
        log.error("%s The saved copy of the rules cannot be used either: %s", problem, exc)
        raise error from exc
    message = (
        f"protection degraded: {problem} Enforcing the last saved rules (from {source}); "
        f"usage is counted in {journal.path} until the database is repaired."
    )
    return journal, message


def _rules_from(db: Path) -> str | None:
    """The current rules of a database that opens read-only (a read-only file or folder)."""
    try:
        with Store(db, readonly=True) as store:
            current = store.rules.current()
    except StoreError:
        return None
    return None if current is None else current[1]


def _open_journal(db: Path) -> Store:
    path = journal_path(db)
    try:
        return Store(path)
    except StoreError as exc:
        log.warning("cannot keep the journal beside the database (%s); keeping it in a temporary folder", exc)
    folder = Path(tempfile.mkdtemp(prefix="guardian-journal-"))
    return Store(folder / path.name)
