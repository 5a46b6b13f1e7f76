"""Build Guardian's installable artifact for this OS: the PyInstaller bundle, then on Linux a .deb.

    .venv/bin/python scripts/build.py            # bundle + the package for this OS (Linux: .deb)
    .venv/bin/python scripts/build.py bundle     # only the one-folder bundle (dist/guardian/)
    .venv/bin/python scripts/build.py deb        # the .deb from an existing bundle

Prints the bundle's size, the build time and the frozen start of ``guardian status``. Windows: the bundle,
then ``iscc installer/windows/guardian.iss`` (Inno Setup); macOS: the bundle, then installer/macos/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from guardian import __version__  # noqa: E402
from guardian.service_install import linux  # noqa: E402

PROGRAM = "/usr/bin/guardian"
BUNDLE_TARGET_MB = 150


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_bundle(out: Path, work: Path) -> Path:
    """Run PyInstaller on installer/guardian.spec; the bundle folder ``out/guardian``."""
    # always from the .ts sources: a .qm left from an older checkout would ship stale or missing strings
    subprocess.run([sys.executable, str(ROOT / "scripts" / "translations.py"), "compile"], check=True)
    began = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out),
            "--workpath",
            str(work),
            str(ROOT / "installer" / "guardian.spec"),
        ],
        check=True,
    )
    took = time.monotonic() - began
    bundle = out / "guardian"
    size = folder_size(bundle) / 1e6
    verdict = "within" if size <= BUNDLE_TARGET_MB else "OVER"
    print(
        f"bundle: {bundle} — {size:.1f} MB ({verdict} the {BUNDLE_TARGET_MB} MB target), built in {took:.1f} s"
    )
    return bundle


def frozen_start(bundle: Path, runs: int = 5) -> float:
    """Median wall time of ``guardian status`` from the bundle, on an empty data folder."""
    exe = bundle / ("guardian.exe" if os.name == "nt" else "guardian")
    with tempfile.TemporaryDirectory(prefix="guardian-start-") as home:
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            subprocess.run([str(exe), "status", "--home", home], check=True, capture_output=True)
            times.append(time.perf_counter() - began)
    return sorted(times)[len(times) // 2]


# -- the .deb ------------------------------------------------------------------------------------


def deb_arch() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def control(arch: str, installed_kb: int) -> str:
    return f"""Package: guardian
Version: {__version__}
Architecture: {arch}
Maintainer: Guardian developers <guardian@localhost>
Installed-Size: {installed_kb}
Depends: libc6 (>= 2.34), libcups2
Section: admin
Priority: optional
Description: offline parental controls for the family computer
 Daily screen time, allowed hours and per-app limits, counted honestly by a
 protected system service; the child's tray shows the time left in every
 session. No account, no cloud, no internet. Vietnamese and English.
"""


def stage_deb(bundle: Path, stage: Path) -> None:
    """Lay out the package's files: /opt/guardian, the /usr/bin symlink, the units and the autostart entry."""
    shutil.copytree(bundle, stage / "opt" / "guardian", symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    os.symlink("/opt/guardian/guardian", stage / "usr" / "bin" / "guardian")
    files = {
        f"usr/lib/systemd/system/{linux.AGENT_UNIT}": linux.agent_unit(PROGRAM),
        f"usr/lib/systemd/user/{linux.TRAY_UNIT}": linux.tray_user_unit(PROGRAM),
        f"etc/xdg/autostart/{linux.TRAY_DESKTOP}": linux.tray_desktop(PROGRAM),
        "usr/share/applications/guardian.desktop": linux.console_desktop(PROGRAM),
        "usr/share/icons/hicolor/scalable/apps/guardian.svg": linux.app_icon_svg(
            (ROOT / "resources" / "icons" / "shield.svg").read_text(encoding="utf-8")
        ),
    }
    for name, text in files.items():
        path = stage / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    debian = stage / "DEBIAN"
    debian.mkdir()
    for script in ("postinst", "prerm", "postrm"):
        shutil.copy(ROOT / "installer" / "linux" / script, debian / script)
    (debian / "conffiles").write_text(f"/etc/xdg/autostart/{linux.TRAY_DESKTOP}\n")
    for path in [stage, *stage.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        elif path.parent == debian:
            path.chmod(0o755 if path.name in ("postinst", "prerm", "postrm") else 0o644)
        else:
            path.chmod(0o755 if os.access(path, os.X_OK) else 0o644)
    installed_kb = folder_size(stage) // 1024
    (debian / "control").write_text(control(deb_arch(), installed_kb))
    (debian / "control").chmod(0o644)


def build_deb(bundle: Path, out: Path) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("dpkg-deb is missing: install dpkg to build the .deb")
    began = time.monotonic()
    deb = out / f"guardian_{__version__}_{deb_arch()}.deb"
    with tempfile.TemporaryDirectory(prefix="guardian-deb-") as tmp:
        stage = Path(tmp) / "root"
        stage.mkdir()
        stage_deb(bundle, stage)
        # -Zgzip -z1: quick to build and to install; --root-owner-group: every file root:root
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", str(stage), str(deb)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"deb: {deb} — {deb.stat().st_size / 1e6:.1f} MB, built in {time.monotonic() - began:.1f} s")
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", nargs="?", choices=("all", "bundle", "deb"), default="all")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "dist", help="where the artifacts go (default dist/)"
    )
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    bundle = out / "guardian"
    if args.what in ("all", "bundle"):
        bundle = build_bundle(out, args.work.resolve())
        print(f"frozen start of 'guardian status': {frozen_start(bundle):.3f} s (median of 5; target 0.5 s)")
    if args.what in ("all", "deb") and sys.platform.startswith("linux"):
        build_deb(bundle, out)
    elif args.what == "all" and sys.platform == "win32":
        print(
            "next: iscc installer\\windows\\guardian.iss (Inno Setup 6) makes the installer from dist\\guardian"
        )
    elif args.what == "all" and sys.platform == "darwin":
        print("next: see installer/macos/README.md to make the .pkg from dist/guardian")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
