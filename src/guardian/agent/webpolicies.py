"""The browsers' managed policies, kept by the agent of the protected service.

The policies follow the rules (``browser_policies.policies``), so the agent writes them: when it starts, when
the rules change, and at each minute's check (a deleted or edited file is put back). A file that already
holds the right text is not touched. They are machine-wide files under ``/etc``, so only the protected
service writes them: a root agent whose data folder is the system one (``/var/lib/guardian``). A personal
agent (or one on another data folder) writes nothing and says so once in its log. ``GUARDIAN_POLICY_ROOT``
points a root agent at another root folder (tests). A failure to write is logged and reported as degraded
protection (``problem``), never raised: the DNS filter goes on, and the next check tries again.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from guardian import paths
from guardian.browser_policies import ROOT_ENV, write_policies
from guardian.core.model import Rules

log = logging.getLogger("guardian.web")

POLICY_ROOT_ENV = ROOT_ENV
"""Set, a root agent writes the policies under this folder instead of ``/`` (tests)."""


def policy_root(home: Path) -> tuple[Path | None, str]:
    """Where this agent writes the policies, or ``None`` and why it does not."""
    if not sys.platform.startswith("linux"):
        return None, "browser policies are written only on Linux so far"
    if os.geteuid() != 0:
        return None, (
            "personal mode: browser policies are machine-wide files and are not written; "
            "install the protected service to have them"
        )
    override = os.environ.get(POLICY_ROOT_ENV)
    if override:
        return Path(override), ""
    if home.resolve() != paths.system_home().resolve():
        return None, f"browser policies are written only by the service (data in {paths.system_home()})"
    return Path("/"), ""


class PolicyKeeper:
    def __init__(self, root: Path | None, why_not: str = "") -> None:
        self.root = root
        self.why_not = why_not
        self.problem: str | None = None
        """Why the policies could not be written (protection degraded), or None."""
        self.told = False

    @classmethod
    def for_home(cls, home: Path) -> PolicyKeeper:
        return cls(*policy_root(home))

    def apply(self, rules: Rules) -> None:
        """Bring the policy files in line with ``rules``; a failure is logged and kept in ``problem``."""
        if self.root is None:
            if not self.told and any(c.web is not None for c in rules.children):
                log.warning("%s", self.why_not)
                self.told = True
            return
        try:
            changed = write_policies(self.root, rules)
        except OSError as exc:
            problem = f"protection degraded: the browser policies could not be written ({exc})"
            if problem != self.problem:
                log.error("%s; the web filter goes on and they are tried again each minute", problem)
            self.problem = problem
            return
        if self.problem is not None:
            log.info("browser policies written again")
        self.problem = None
        for path in changed:
            log.info("browser policy written: %s", path)
