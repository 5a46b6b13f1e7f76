"""Short phrases the tray's windows share: durations, clock times, app names, what runs out and why."""

from __future__ import annotations

import time
from functools import cache

from PySide6.QtCore import QCoreApplication

from guardian.core.catalog import Catalog
from guardian.resources import builtin_apps

CUSTOM_NAMES: dict[str, str] = {}
"""Names of the family's own apps (from ``tray.info``), beside the built-in catalog."""


def duration(seconds: int | float | None) -> str:
    """``1 h 20 min``, ``5 min``, ``40 s``; rounded up to whole minutes from one minute on."""
    if seconds is None:
        return ""
    total = max(0, int(seconds))
    if total < 60:
        return QCoreApplication.translate("TrayWords", "{s} s").format(s=total)
    minutes = (total + 59) // 60
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return QCoreApplication.translate("TrayWords", "{h} h {m} min").format(h=hours, m=mins)
    if hours:
        return QCoreApplication.translate("TrayWords", "{h} h").format(h=hours)
    return QCoreApplication.translate("TrayWords", "{m} min").format(m=mins)


def clock(ts: float) -> str:
    """A Unix time as ``21:00`` in this computer's time zone."""
    return time.strftime("%H:%M", time.localtime(ts))


@cache
def _catalog() -> Catalog:
    return Catalog(builtin_apps())


def app_name(ref: str | None) -> str:
    """A display name for an app id, ``category:NAME`` or a comma-joined list of them."""
    if not ref:
        return ""
    names = []
    for part in ref.split(","):
        if part.startswith("category:"):
            names.append(category_name(part.split(":", 1)[1]))
            continue
        app = _catalog().get(part)
        names.append(CUSTOM_NAMES.get(part) or (app.name if app is not None else part))
    return ", ".join(names)


def category_name(category: str) -> str:
    names = {
        "games": QCoreApplication.translate("TrayWords", "games"),
        "social": QCoreApplication.translate("TrayWords", "social apps"),
        "video": QCoreApplication.translate("TrayWords", "videos"),
        "browsers": QCoreApplication.translate("TrayWords", "web browsers"),
        "education": QCoreApplication.translate("TrayWords", "learning apps"),
    }
    return names.get(category, category)


def what_runs_out(subject: str, ref: str | None, left: int) -> str:
    """The banner's sentence for a ``warning`` notice: what runs out and when."""
    if subject == "hours":
        until = clock(time.time() + left)
        return QCoreApplication.translate(
            "TrayWords", "The computer may be used until {time}: {left} left."
        ).format(time=until, left=duration(left))
    if subject == "app_limit":
        return QCoreApplication.translate("TrayWords", "{app}: {left} left for today.").format(
            app=app_name(ref), left=duration(left)
        )
    return QCoreApplication.translate("TrayWords", "Screen time: {left} left for today.").format(
        left=duration(left)
    )


def why_closed(app: str | None, verdict: str) -> str:
    """Why an app was closed or stopped from starting."""
    name = app_name(app)
    if verdict == "blocked":
        return QCoreApplication.translate(
            "TrayWords", "{app} was closed: your parents turned it off on this computer."
        ).format(app=name)
    if verdict == "exhausted":
        return QCoreApplication.translate(
            "TrayWords", "{app} was closed: its time for today is used up."
        ).format(app=name)
    return QCoreApplication.translate("TrayWords", "{app} was closed: screen time is over for now.").format(
        app=name
    )


def what_happens(action: str) -> str:
    """What happens when the time's-up countdown ends (the child's ``at_limit``)."""
    texts = {
        "lock": QCoreApplication.translate(
            "TrayWords", "Then the computer locks. Save your work now; nothing is lost when it locks."
        ),
        "logout": QCoreApplication.translate(
            "TrayWords", "Then you are signed out and open apps close. Save your work now."
        ),
        "close_apps": QCoreApplication.translate(
            "TrayWords", "Then your apps close, except those for school and help. Save your work now."
        ),
        "notify": QCoreApplication.translate(
            "TrayWords", "Please finish what you are doing and take a break. Your parents will see the time."
        ),
    }
    return texts.get(action, texts["lock"])


def why_over(reason: str) -> str:
    texts = {
        "screen_time_over": QCoreApplication.translate("TrayWords", "Your screen time for today is used up."),
        "outside_hours": QCoreApplication.translate("TrayWords", "The computer is not for use at this hour."),
        "paused": QCoreApplication.translate("TrayWords", "Your parents paused the computer until tomorrow."),
    }
    return texts.get(reason, texts["screen_time_over"])
