"""``guardian service install`` run as an administrator from a normal account (the console's "Install the
service"): through the OS's own administrator prompt, never a password Guardian sees.

- Linux: ``pkexec PROGRAM service install …`` (polkit asks for an administrator's password; exit 126 when the
  prompt was dismissed, 127 when authorisation failed);
- Windows: PowerShell ``Start-Process -Verb RunAs`` (the UAC prompt; cancelling it is Win32 error 1223, which
  the script turns into its exit code);
- macOS: ``osascript -e 'do shell script "…" with administrator privileges'`` (cancelling is AppleScript
  error -128).

:func:`elevated_command` builds the command, :func:`classify` reads its result; both are pure, so each OS is
tested anywhere. Only the Linux path is run for real (with a fake ``pkexec`` on ``PATH`` in the tests).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

DONE = "done"
CANCELLED = "cancelled"
REFUSED = "refused"
"""The administrator's password was not accepted, or no prompt could be shown."""
FAILED = "failed"
UNAVAILABLE = "unavailable"
"""This computer has no way to ask for an administrator (``pkexec`` is not installed)."""

UAC_CANCELLED = 1223
"""Win32 ``ERROR_CANCELLED``: the user said no at the UAC prompt."""
PKEXEC_DISMISSED = 126
PKEXEC_NOT_AUTHORIZED = 127


@dataclass(frozen=True)
class Elevated:
    """What became of one elevated command: ``outcome`` (one of the constants above), its exit code, and
    what it printed (the last lines, for a failure's message)."""

    outcome: str
    code: int
    output: str = ""

    @property
    def message(self) -> str:
        """The last non-empty line printed (the command's own error), or ''."""
        lines = [line.strip() for line in self.output.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def guardian_program() -> list[str]:
    """The guardian program to run as an administrator: the bundle's executable, else this Python running
    the package (so the same code installs, whether from a bundle or a virtual environment)."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "guardian.cli"]


def elevated_command(platform: str, program: Sequence[str], args: Sequence[str]) -> list[str]:
    """The command that runs ``program args`` as an administrator on ``platform`` (``sys.platform``)."""
    if platform == "win32":
        exe, *rest = [*program, *args]
        listed = ",".join(_ps_quote(a) for a in rest) or "@()"
        script = (
            f"try {{ $p = Start-Process -FilePath {_ps_quote(exe)} -ArgumentList {listed} -Verb RunAs "
            "-Wait -PassThru -WindowStyle Hidden } catch { "
            "$e = $_.Exception; while ($e.InnerException) { $e = $e.InnerException }; "
            f"if ($e.NativeErrorCode -eq {UAC_CANCELLED}) {{ exit {UAC_CANCELLED} }}; "
            "[Console]::Error.WriteLine($_.Exception.Message); exit 1 }; exit $p.ExitCode"
        )
        return ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", script]
    if platform == "darwin":
        shell = shlex.join([*program, *args]) + " 2>&1"
        literal = shell.replace("\\", "\\\\").replace('"', '\\"')
        return ["osascript", "-e", f'do shell script "{literal}" with administrator privileges']
    return ["pkexec", *program, *args]


def classify(platform: str, code: int, output: str) -> Elevated:
    """Read the exit code and output of :func:`elevated_command`'s command."""
    if code == 0:
        return Elevated(DONE, code, output)
    if platform == "win32":
        return Elevated(CANCELLED if code == UAC_CANCELLED else FAILED, code, output)
    if platform == "darwin":
        return Elevated(CANCELLED if "(-128)" in output else FAILED, code, output)
    if code == PKEXEC_DISMISSED:
        return Elevated(CANCELLED, code, output)
    if code == PKEXEC_NOT_AUTHORIZED:
        return Elevated(REFUSED, code, output)
    return Elevated(FAILED, code, output)


Runner = Callable[[list[str]], tuple[int, str]]


def run_command(command: list[str]) -> tuple[int, str]:
    """Run ``command`` and wait (the prompt is the OS's: this thread waits while the person answers)."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    return done.returncode, done.stdout + done.stderr


def run_elevated(
    args: Sequence[str],
    *,
    platform: str = sys.platform,
    program: Sequence[str] | None = None,
    run: Runner = run_command,
) -> Elevated:
    """Run ``guardian args`` (e.g. ``service install``) as an administrator, asking at the OS's prompt."""
    command = elevated_command(platform, program or guardian_program(), args)
    if run is run_command and shutil.which(command[0]) is None:
        return Elevated(UNAVAILABLE, 127, f"{command[0]} is not installed")
    try:
        code, output = run(command)
    except OSError as exc:
        return Elevated(UNAVAILABLE, 127, str(exc))
    return classify(platform, code, output)


def _ps_quote(text: str) -> str:
    """A PowerShell single-quoted string."""
    return "'" + text.replace("'", "''") + "'"
